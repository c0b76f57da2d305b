"""Every public lookup uses an index at .dk's size: each statement the lookup read models
send is EXPLAINed on a large registry and must not scan a large table sequentially.

Runs against the database ``DKREG_LARGE_PG`` names (a ``dkreg demo --domains 1400000``
registry, as ``bench/lookups.py`` builds it); skipped, with that reason, when it is not
set. On a small table PostgreSQL rightly prefers a sequential scan, so the check means
something only at size.
"""

from __future__ import annotations

import asyncio
import os
import re
from typing import Any

import pytest
from sqlalchemy import event, text

from dkreg.actions.lookup.availability import availability
from dkreg.actions.lookup.domain import lookup_domain
from dkreg.actions.lookup.host import lookup_host
from dkreg.actions.session.service_lockout import login_state
from dkreg.config import Settings
from dkreg.model.names import parse_domain_name
from dkreg.store.context import Ctx
from dkreg.store.db import Database

LARGE = os.environ.get("DKREG_LARGE_PG")
pytestmark = pytest.mark.skipif(
    not LARGE, reason="DKREG_LARGE_PG (a 1.4 M-domain registry, bench/lookups.py) not set")

# tables that are large at .dk's size; a sequential scan of a small one is fine
LARGE_TABLES = {"domains", "contacts", "hosts", "host_addrs", "domain_ns", "ds_records",
                "domain_dns_checks", "audit", "applications"}
MIN_ROWS = 10_000


def _url(raw: str) -> str:
    return raw.replace("postgresql://", "postgresql+asyncpg://", 1) \
        if raw.startswith("postgresql://") else raw


async def _statements(db: Database, run: Any) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any,
                _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.read_engine.sync_engine, "before_cursor_execute", capture)
    try:
        await run()
    finally:
        event.remove(db.read_engine.sync_engine, "before_cursor_execute", capture)
    return seen


async def _plans(db: Database, statements: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    out = []
    async with db.read() as conn:
        for statement, params in statements:
            rows = await conn.exec_driver_sql("EXPLAIN " + statement, params)
            out.append((statement, "\n".join(r[0] for r in rows)))
    return out


async def _large(db: Database) -> set[str]:
    async with db.read() as conn:
        rows = await conn.execute(text(
            "select relname, reltuples from pg_class where relkind = 'r'"))
        return {r.relname for r in rows if r.reltuples >= MIN_ROWS} & LARGE_TABLES


def _seq_scans(plan: str, large: set[str]) -> list[str]:
    return [t for t in re.findall(r"Seq Scan on (\w+)", plan) if t in large]


def test_every_lookup_statement_uses_an_index() -> None:
    async def main() -> list[str]:
        db = Database(_url(LARGE or ""))
        try:
            large = await _large(db)
            assert "domains" in large, "DKREG_LARGE_PG holds no large registry"
            async with db.read() as conn:
                row = (await conn.execute(text(
                    "select d.name, h.name as host from domains d join domain_ns dn "
                    "on dn.domain_id = d.id join hosts h on h.id = dn.host_id "
                    "where d.state = 'active' and d.released_at is null "
                    "order by d.id desc limit 1"))).one()
            settings = Settings()

            async def run() -> None:
                async with db.read() as conn:
                    from datetime import UTC, datetime

                    ctx = Ctx(conn=conn, now=datetime.now(UTC), settings=settings)
                    for name in (row.name, "ikke-registreret-endnu.dk"):
                        dn = parse_domain_name(name)
                        await lookup_domain(ctx, dn)
                        await availability(ctx, dn)
                    await lookup_host(ctx, row.host)
                    await login_state(ctx, "das", "no-such-das-user", "192.0.2.1")

            statements = await _statements(db, run)
            assert statements, "no statement captured"
            # PgDomainStore's one-statement lookup and name state, sent past SQLAlchemy
            from datetime import UTC, datetime

            from dkreg.store.domains_pg import _LOOKUP_SQL, _NAME_STATE_SQL

            statements.append((_LOOKUP_SQL.replace("$1", "$1::text"), (row.name,)))
            statements.append((_NAME_STATE_SQL.replace("$1", "$1::text")
                               .replace("$2", "$2::timestamptz"),
                               (row.name, datetime.now(UTC))))
            problems = []
            for statement, plan in await _plans(db, statements):
                scans = _seq_scans(plan, large)
                if scans:
                    problems.append(f"{scans} in\n{statement}\n{plan}")
            return problems
        finally:
            await db.dispose()

    problems = asyncio.run(main())
    assert not problems, "\n\n".join(problems)

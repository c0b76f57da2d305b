"""The lifecycle's due queries stay cheap at .dk's size when nothing is due.

The lifecycle asks every step for its due items on every interval (a second by default),
so a due query that walks a large table costs the registry that much, always: at 1.4 M
domains four of them together kept about 0.6 of a core of PostgreSQL busy in a registry
at rest, which the public lookups on the same machine paid for (issue 15 §6). Each query
here is run with EXPLAIN (ANALYZE, BUFFERS) in a transaction that is rolled back, and the
pages it touched must stay within a budget that a walk over ``domains`` or ``contacts``
exceeds by far (it touched 30,000 to 120,000 pages; the plans now touch a few hundred).
The budget counts pages, not time: the same on a slow machine as on a fast one.

Runs against ``DKREG_LARGE_PG`` (a ``dkreg demo --domains 1400000`` registry, as
``bench/lookups.py`` builds it); skipped, with that reason, when it is not set.
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from dkreg.billing import invoices
from dkreg.config import Settings
from dkreg.lifecycle import contacts as contact_steps
from dkreg.lifecycle import domains as domain_steps
from dkreg.lifecycle import verification
from dkreg.lifecycle.runner import Run
from dkreg.policy import DEFAULT_POLICY
from dkreg.store.context import Ctx
from dkreg.store.db import Database

LARGE = os.environ.get("DKREG_LARGE_PG")
pytestmark = pytest.mark.skipif(
    not LARGE, reason="DKREG_LARGE_PG (a 1.4 M-domain registry, bench/lookups.py) not set")

PAGE_BUDGET = 3_000  # shared buffers hit or read by one due query
# the suspension step starts from the registrants whose check is expired or rejected
# (ix_contacts_check_blocking) and probes their domains: a few pages per such registrant
# is its own input's size, not a walk of ``domains``
PER_BLOCKED_REGISTRANT = 5
BLOCKED = ("select count(*) from contacts where id_status in ('expired', 'rejected') "
           "or email_status in ('expired', 'rejected')")

STEPS = [
    ("nis2_suspend_domains", verification.due_suspend, PER_BLOCKED_REGISTRANT),
    ("domain_expiry", domain_steps.due_expiry, 0),
    ("renewal_invoices", invoices.due_renewal_invoices, 0),
    ("contact_autodelete", contact_steps.due_unused, 0),
]


def _url(raw: str) -> str:
    return raw.replace("postgresql://", "postgresql+asyncpg://", 1) \
        if raw.startswith("postgresql://") else raw


def _pages(plan: dict[str, Any]) -> int:
    return int(plan.get("Shared Hit Blocks", 0)) + int(plan.get("Shared Read Blocks", 0))


@pytest.mark.parametrize(("step", "due", "per_blocked"), STEPS, ids=[s[0] for s in STEPS])
def test_a_due_query_touches_few_pages_at_rest(step: str, due: Any, per_blocked: int) -> None:
    budget = PAGE_BUDGET

    async def main() -> list[tuple[str, int]]:
        nonlocal budget
        db = Database(_url(LARGE or ""))
        seen: list[tuple[str, Any]] = []

        def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any,
                    _context: Any, _many: bool) -> None:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                seen.append((statement, parameters))

        try:
            now = datetime.now(UTC)
            async with db.begin() as conn:
                budget += per_blocked * (await conn.exec_driver_sql(BLOCKED)).scalar_one()
                ctx = Ctx(conn=conn, now=now, settings=Settings(), policy=DEFAULT_POLICY)
                # a sweep with a bookmark (the contacts step) looks at its window; run it
                # once so that the measured call is the one of a registry at rest
                await due(ctx, Run(step, now), 200)
                event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
                try:
                    await due(ctx, Run(step, now), 200)
                finally:
                    event.remove(db.engine.sync_engine, "before_cursor_execute", capture)
                out = []
                for statement, params in seen:
                    rows = await conn.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, params)
                    raw = rows.scalar()
                    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
                    out.append((statement, _pages(plan)))
                await conn.rollback()
            return out
        finally:
            await db.dispose()

    measured = asyncio.run(main())
    assert measured, "no statement captured"
    over = [(pages, statement) for statement, pages in measured if pages > budget]
    assert not over, f"budget {budget} pages\n\n" + "\n\n".join(
        f"{pages} pages:\n{statement}" for pages, statement in over)

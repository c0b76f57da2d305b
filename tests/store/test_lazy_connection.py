"""The EPP command's lazy connection: no checkout until a statement needs one, and then
the same commit/rollback as ``db.begin()`` / ``db.read()``; the PostgreSQL domain store
serves check, info and a Flow 1 create without ever taking one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text

from dkreg.store.db import Database
from dkreg.store.domains_pg import PgDomainStore
from dkreg.store.lazy_connection import lazy_connection
from epp.helpers import NS, setup_registrant
from support import frames


@contextmanager
def checkouts(db: Database) -> Iterator[list[str]]:
    """Every SQLAlchemy pool checkout of ``db`` (write and read engines) while open."""
    seen: list[str] = []
    pools = {id(e.sync_engine.pool): e.sync_engine.pool for e in (db.engine, db.read_engine)}

    def note(*_args: object) -> None:
        seen.append("checkout")

    for pool in pools.values():
        event.listen(pool, "checkout", note)
    try:
        yield seen
    finally:
        for pool in pools.values():
            event.remove(pool, "checkout", note)


def _put(key: str) -> Any:
    return text(f"insert into registry_state (key, value) values ('{key}', 'x')")


async def _count(db: Database) -> int:
    async with db.read() as conn:
        return (await conn.execute(text(
            "select count(*) from registry_state where key like 'lazy-%'"))).scalar_one()


async def test_checks_out_only_at_the_first_statement_and_commits_or_rolls_back(
        registry) -> None:  # type: ignore[no-untyped-def]
    db = registry.db
    with checkouts(db) as seen:
        async with lazy_connection(db, write=True) as conn:
            assert not conn.started and not conn.in_transaction()
        assert seen == []  # nothing ran: nothing taken, nothing to commit
        async with lazy_connection(db, write=True) as conn:
            await conn.execute(_put("lazy-1"))
            assert conn.started and conn.in_transaction()
            async with conn.begin_nested():
                await conn.execute(
                    _put("lazy-2"))
        assert len(seen) == 1
    assert await _count(db) == 2  # committed on leaving
    with pytest.raises(RuntimeError):
        async with lazy_connection(db, write=True) as conn:
            await conn.execute(_put("lazy-3"))
            raise RuntimeError
    assert await _count(db) == 2  # rolled back on the exception
    async with lazy_connection(db, write=False) as conn:
        assert await conn.scalar(
            text("select count(*) from registry_state where key = 'lazy-1'")) == 1
        assert conn.dialect.name == db.engine.dialect.name  # the rest, once started


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_pg_store_serves_check_info_and_flow1_create_without_a_checkout(
        registry) -> None:  # type: ignore[no-untyped-def]
    registry.services.domains = PgDomainStore()
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c, email="lazy@example.dk")
    with checkouts(registry.db) as seen:
        r = await c.request(frames.domain_create("lazy1.dk", contact, NS,
                                                 token=registry.token()))
        assert r.code == 1001, r.msg
        assert (await c.request(frames.domain_check("lazy1.dk", "lazy2.dk"))).code == 1000
        assert (await c.request(frames.domain_info("lazy1.dk"))).code == 1000
        # a taken name: the statement fails on the pooled connection, the door's audit
        # buffer records the 2302
        r = await c.request(frames.domain_create("lazy1.dk", contact, NS,
                                                 token=registry.token()))
        assert r.code == 2302, r.msg
        assert seen == []
    await registry.services.audit.flush()
    assert await registry.scalar(
        "select count(*) from audit where command = 'domain:create'") == 2
    assert await registry.scalar("select count(*) from applications") == 1

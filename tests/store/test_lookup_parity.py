"""The two domain stores read the same lookup row (PostgreSQL): every kind of domain the
public lookups tell apart (tests/support/lookup_world.py) through ``SqlDomainStore`` and
``PgDomainStore`` gives the same columns, name servers and DS records, and the same
``DomainFacts`` once the read model has worked on them."""

from __future__ import annotations

import dataclasses

import pytest

from dkreg.actions.lookup.domain import lookup_domain
from dkreg.model.names import parse_domain_name
from dkreg.store.domains_pg import PgDomainStore
from dkreg.store.domains_sql import SqlDomainStore
from support.lookup_world import build

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)


async def test_both_stores_read_the_same_lookup_row(registry) -> None:  # type: ignore[no-untyped-def]
    world = await build(registry)
    names = [world.person, world.firm, world.idn_alabel, world.hidden]
    for name in names:
        rows, facts = [], []
        for store in (SqlDomainStore(), PgDomainStore()):
            async with registry.db.read() as conn:
                ctx = dataclasses.replace(registry.ctx(conn), domains=store)
                rows.append(await store.lookup(ctx, name))
                facts.append(await lookup_domain(ctx, parse_domain_name(name)))
        sql_row, pg_row = rows
        assert sql_row is not None and pg_row is not None, name
        assert sql_row.ns == pg_row.ns and sql_row.ns, name
        assert sorted(sql_row.ds) == sorted(pg_row.ds), name
        for key, value in sql_row.domain.items():
            assert pg_row.domain[key] == value, (name, key)
        assert facts[0] == facts[1], name
    async with registry.db.read() as conn:
        assert await PgDomainStore().lookup(registry.ctx(conn), "ikke-her.dk") is None


async def test_both_stores_read_the_same_name_state(registry) -> None:  # type: ignore[no-untyped-def]
    """DAS's one statement: a live domain's state, reserved, offered — and nothing."""
    world = await build(registry)
    names = [world.person, world.firm, world.reserved, world.offered, "ikke-her.dk"]
    async with registry.db.read() as conn:
        ctx = registry.ctx(conn)
        states = [[await store.name_state(ctx, n) for n in names]
                  for store in (SqlDomainStore(), PgDomainStore())]
    assert states[0] == states[1]
    assert [(s.state, s.reserved, s.offered) for s in states[0]] == [
        ("active", False, False), ("active", False, False), (None, True, False),
        (None, False, True), (None, False, False)]

"""The zone-change journal: every write that can change a delegation leaves the owner
name in ``zone_changes`` in its own transaction (triggers on both backends), and
``dns.content`` then says what the zone holds there. The publisher and the generator
rely on both."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy import insert, select, text, update

from dkreg.dns.content import in_zone_sql, owner_records
from dkreg.model.zone import EXCLUDING_STATUSES, in_zone
from dkreg.store import zone_journal
from dkreg.store.schema import contacts, domains
from epp.update_support import MORE_NS, SHA256, ready_registrar
from support import frames

NOW = datetime(2026, 6, 1, tzinfo=UTC)


async def journal(registry) -> list[str]:
    async with registry.db.read() as conn:
        return [name for _id, name in await zone_journal.pending(conn, 1000)]


async def clear(registry) -> None:
    async with registry.db.begin() as conn:
        await conn.execute(text("delete from zone_changes"))


async def records(registry, *names: str) -> dict[str, list[tuple[str, str]]]:
    async with registry.db.read() as conn:
        return (await owner_records(conn, names)).records


async def test_every_trigger_is_installed_at_the_head_revision(registry) -> None:
    async with registry.db.begin() as conn:
        names = await conn.run_sync(zone_journal.installed_names)
    assert names == set(zone_journal.TRIGGERS)


async def test_activation_ns_and_ds_changes_are_journalled_in_their_transaction(
        registry) -> None:
    c, _handle, contact = await ready_registrar(registry)
    await clear(registry)
    r = await c.request(frames.domain_create("journal.dk", contact, MORE_NS,
                                             token=registry.token()))
    assert r.code == 1001, r.msg
    assert "journal.dk" not in await journal(registry)  # an application is not in the zone
    await registry.tick()
    assert "journal.dk" in await journal(registry)
    assert await records(registry, "journal.dk") == {"journal.dk": [
        ("NS", "ns3.example.net."), ("NS", "ns4.example.net.")]}

    await clear(registry)
    r = await c.request(frames.domain_update("journal.dk", rem_ns=["ns4.example.net"],
                                             add_ns=["ns1.example.net"]))
    assert r.code == 1000, r.msg
    assert set(await journal(registry)) == {"journal.dk"}
    await clear(registry)
    r = await c.request(frames.domain_update("journal.dk", ext=frames.secdns_update(
        add=[frames.ds_data(12345, 13, 2, SHA256)])))
    assert r.code == 1000, r.msg
    assert await journal(registry) == ["journal.dk"]
    got = await records(registry, "journal.dk")
    assert ("DS", f"12345 13 2 {SHA256}") in got["journal.dk"]

    # a refused command writes nothing, the journal included
    await clear(registry)
    r = await c.request(frames.domain_update("journal.dk", rem_ns=["ns1.example.net",
                                                                   "ns3.example.net"]))
    assert r.code != 1000
    assert await journal(registry) == []


async def test_a_rolled_back_change_leaves_no_journal_row(registry) -> None:
    c, _handle, contact = await ready_registrar(registry, "rulles.dk")
    await clear(registry)
    conn_cm = registry.db.begin()
    try:
        async with conn_cm as conn:
            await conn.execute(update(domains).where(domains.c.name == "rulles.dk")
                               .values(statuses="serverHold"))
            assert [n for _i, n in await zone_journal.pending(conn, 10)] == ["rulles.dk"]
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert await journal(registry) == []


async def test_glue_only_for_in_bailiwick_name_servers_of_the_delegated_domain(
        registry) -> None:
    c, _handle, contact = await ready_registrar(registry, "limvej.dk", "andet.dk")
    for name, ip in (("ns1.limvej.dk", "91.208.105.10"), ("ns2.limvej.dk", "2a01:4f8::10")):
        r = await c.request(frames.host_create(name, ip))
        assert r.code == 1000, r.msg
    await clear(registry)
    # ns1.limvej.dk serves limvej.dk (glue) and andet.dk (no glue of its own there)
    r = await c.request(frames.domain_update("limvej.dk", add_ns=["ns1.limvej.dk"]))
    assert r.code == 1000, r.msg
    r = await c.request(frames.domain_update("andet.dk", add_ns=["ns2.limvej.dk"]))
    assert r.code == 1000, r.msg
    assert {"limvej.dk", "andet.dk"} <= set(await journal(registry))
    got = await records(registry, "limvej.dk", "andet.dk")
    assert got["ns1.limvej.dk"] == [("A", "91.208.105.10")]
    assert got["ns2.limvej.dk"] == []  # serves only andet.dk: narrow glue
    assert ("NS", "ns2.limvej.dk.") in got["andet.dk"]
    # hold: the domain leaves the zone and so does its glue
    async with registry.db.begin() as conn:
        await conn.execute(update(domains).where(domains.c.name == "limvej.dk")
                           .values(statuses="serverHold"))
    got = await records(registry, "limvej.dk")
    assert got == {"limvej.dk": [], "ns1.limvej.dk": [], "ns2.limvej.dk": []}


async def test_the_sql_rule_and_the_python_rule_agree(db_url, registry) -> None:
    """Every combination of state, excluding status and date column: ``in_zone_sql``
    selects exactly the rows ``model.zone.in_zone`` admits."""
    states = ["active", "application", "released"]
    status_sets = ["ok", "serverHold", "ok pendingDelete", "serverUpdateProhibited",
                   *EXCLUDING_STATUSES]
    dates = [None, NOW]
    async with registry.db.begin() as conn:
        cid = (await conn.execute(insert(contacts).values(
            handle="ZONE1-DK", management="registrar", user_type="individual", street="[]",
            city="x", cc="DK", postal_type="loc", email="z@example.dk",
            id_status="completed", email_status="completed", match_key="zone",
            created_by="test", created_at=NOW))).inserted_primary_key[0]
        expected = set()
        combos = itertools.product(states, status_sets, dates, dates, dates)
        for i, (state, statuses, released, suspended, redemption) in enumerate(combos):
            name = f"rule{i}.dk"
            await conn.execute(insert(domains).values(
                name=name, uname=name, roid=f"R{i}", state=state, statuses=statuses,
                registrant_id=cid, management="registrar", autorenew=True, period_years=1,
                created_by="test", created_at=NOW, released_at=released,
                suspended_at=suspended, redemption_until=redemption))
            if in_zone(state, statuses, released_at=released, suspended_at=suspended,
                       redemption_until=redemption):
                expected.add(name)
        got = {r.name for r in await conn.execute(
            select(domains.c.name).where(in_zone_sql(), domains.c.name.like("rule%")))}
    assert got == expected and expected  # some rows are in, most are out

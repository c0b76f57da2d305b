"""The public lookups' read models, over domains made by EPP: what every lookup door
(WHOIS, WHOIS REST, RDAP, DAS, the lookup page) renders."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, text

from dkreg.actions.lookup.availability import availability
from dkreg.actions.lookup.domain import lookup_domain
from dkreg.actions.lookup.host import lookup_host, published_glue
from dkreg.model.names import parse_domain_name
from dkreg.store.schema import reserved_names, waiting_list_offers
from epp.update_support import SHA256, ready_registrar
from support import frames

V4, V6 = "91.208.105.53", "2a01:4f8::53"  # the registry refuses documentation ranges


async def facts(registry, name: str):  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return await lookup_domain(registry.ctx(conn), parse_domain_name(name))


async def avail(registry, name: str) -> str:  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return await availability(registry.ctx(conn), parse_domain_name(name))


async def host(registry, name: str):  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return await lookup_host(registry.ctx(conn), name)


async def test_an_active_domain_as_the_lookups_show_it(registry) -> None:  # type: ignore[no-untyped-def]
    _c, handle, _contact = await ready_registrar(registry, "opslag.dk")
    f = await facts(registry, "OPSLAG.dk")
    assert f is not None and f.kind == "domain"
    assert (f.status, f.letter, f.rdap_status) == ("Active", "A", "active")
    assert f.in_zone and not f.application
    assert f.dnssec == "Unsigned delegation, no records" and f.ds == ()
    assert f.nameservers == ("ns1.example.net", "ns2.example.net")
    assert f.registrar is not None and f.registrar.handle == handle
    # a person: the country only, and the rule says what it withholds
    assert f.registrant is not None and f.registrant.shown == {"country": "DK"}
    assert "name" in f.registrant.withheld and "address" in f.registrant.withheld
    assert await avail(registry, "opslag.dk") == "unavailable"
    assert await avail(registry, "fri-endnu.dk") == "available"
    assert await facts(registry, "fri-endnu.dk") is None


async def test_ds_records_are_a_signed_delegation(registry) -> None:  # type: ignore[no-untyped-def]
    c, _handle, _contact = await ready_registrar(registry, "signeret.dk")
    r = await c.request(frames.domain_update(
        "signeret.dk", ext=frames.secdns_update(add=[frames.ds_data(12345, 13, 2, SHA256)])))
    assert r.code == 1000, r.msg
    f = await facts(registry, "signeret.dk")
    assert f is not None and f.dnssec == "Signed delegation"
    assert [(d.key_tag, d.alg, d.digest_type, d.digest) for d in f.ds] == [
        (12345, 13, 2, SHA256)]


async def test_an_application_is_enqueued_and_deactivated(registry) -> None:  # type: ignore[no-untyped-def]
    c, _handle, contact = await ready_registrar(registry)
    r = await c.request(frames.domain_create("ansoegt.dk", contact,
                                             ["ns1.example.net", "ns2.example.net"],
                                             token=registry.token()))
    assert r.code == 1001, r.msg
    f = await facts(registry, "ansoegt.dk")
    assert f is not None and f.application and not f.in_zone
    assert (f.status, f.letter) == ("Deactivated", "I")
    assert await avail(registry, "ansoegt.dk") == "enqueued"


async def test_a_suspended_domain_is_withheld(registry) -> None:  # type: ignore[no-untyped-def]
    await ready_registrar(registry, "suspenderet.dk")
    async with registry.db.begin() as conn:
        await conn.execute(text(
            "update domains set suspended_at = created_at, statuses = 'serverHold' "
            "where name = 'suspenderet.dk'"))
    f = await facts(registry, "suspenderet.dk")
    assert f is not None and (f.status, f.letter, f.rdap_status) == (
        "Deactivated", "H", "inactive")


async def test_reserved_and_waiting_list_names(registry) -> None:  # type: ignore[no-untyped-def]
    now = registry.clock.now()
    async with registry.db.begin() as conn:
        await conn.execute(insert(reserved_names).values(
            name="forbeholdt.dk",
            uname="forbeholdt.dk", reason="the registry's own", created_at=now))
        await conn.execute(insert(waiting_list_offers), [
            {"name": "venteliste.dk", "uname": "venteliste.dk", "offered_at": now,
             "offered_until": now + timedelta(days=7)},
            {"name": "udloebet.dk", "uname": "udloebet.dk", "offered_at": now,
             "offered_until": now - timedelta(seconds=1)}])
    f = await facts(registry, "forbeholdt.dk")
    assert f is not None and (f.kind, f.status, f.letter) == ("reserved", "Reserved", "B")
    assert await avail(registry, "forbeholdt.dk") == "unavailable"
    w = await facts(registry, "venteliste.dk")
    assert w is not None and (w.kind, w.status, w.letter) == (
        "waiting_list", "Offered to waiting list", "W")
    assert await avail(registry, "venteliste.dk") == "available-on-waiting-list"
    assert await facts(registry, "udloebet.dk") is None  # the offer ran out
    assert await avail(registry, "udloebet.dk") == "available"


async def test_glue_is_what_the_zone_publishes(registry) -> None:  # type: ignore[no-untyped-def]
    c, _handle, _contact = await ready_registrar(registry, "limfjord.dk")
    assert (await c.request(frames.host_create("ns1.limfjord.dk", V4, V6))).code == 1000
    assert (await c.request(frames.host_create("ns9.limfjord.dk", V4))).code == 1000
    r = await c.request(frames.domain_update("limfjord.dk", add_ns=["ns1.limfjord.dk"]))
    assert r.code == 1000, r.msg
    served = await host(registry, "ns1.limfjord.dk")
    assert served is not None and served.glue and set(served.addresses) == {V4, V6}
    unused = await host(registry, "ns9.limfjord.dk")  # not a name server of its domain
    assert unused is not None and not unused.glue and unused.addresses == ()
    outside = await host(registry, "ns1.example.net")
    assert outside is not None and not outside.glue
    assert await host(registry, "ns7.nowhere.example") is None
    # the delegation's glue, read with the domain's row, is the zone's: its own name
    # server inside it with the addresses, not its own host that is no name server of it
    f = await facts(registry, "limfjord.dk")
    assert f is not None and f.glue == {"ns1.limfjord.dk": tuple(sorted((V4, V6)))}
    async with registry.db.read() as conn:
        assert f.glue == await published_glue(registry.ctx(conn), ["ns1.limfjord.dk"])
    # out of the zone (on hold): no glue, as the zone has none
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set statuses = 'serverHold' "
                                "where name = 'limfjord.dk'"))
    held = await facts(registry, "limfjord.dk")
    assert held is not None and not held.in_zone
    assert held.glue == {"ns1.limfjord.dk": ()}
    async with registry.db.read() as conn:
        assert held.glue == await published_glue(registry.ctx(conn), ["ns1.limfjord.dk"])

"""Domain expiry and redemption as lifecycle work: auto-renewal charged to the payer, the
redemption period when it cannot or should not be paid, release when redemption ends —
idempotent, and safe with several workers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text

from dkreg.store.schema import auth_tokens, domains, ds_records
from epp.helpers import NS, setup_registrant
from support import frames

PRICE = 4500
EXPIRES = datetime(2027, 6, 1, 21, 59, 59, tzinfo=UTC)  # 1-year domain made at START
V4 = "193.163.102.58"
AUTORENEW_OFF = ('<dkhm:autoRenew xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.3">false'
                 "</dkhm:autoRenew>")
MGMT = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.3">registrant'
        "</dkhm:management>")


def domain_work(report) -> int:  # type: ignore[no-untyped-def]
    """Items the domain lifecycle steps did (other sections' steps may have work of their
    own at the same moment)."""
    return sum(n for step, n in report.done.items() if step.startswith("domain_"))


async def active(registry, c, contact: str, *names: str, ext: str = "") -> None:
    for name in names:
        r = await c.request(frames.domain_create(name, contact, NS, token=registry.token(),
                                                 extra_ext=ext))
        assert r.code == 1001, r.msg
    await registry.tick()


async def domain(registry, name: str):  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return (await conn.execute(select(domains).where(domains.c.name == name)
                                   .order_by(domains.c.id.desc()))).first()


async def balance(registry, handle: str) -> int:
    return await registry.scalar("select balance_ore from registrars where handle = :h",
                                 h=handle)


async def drain(c) -> list:  # type: ignore[no-untyped-def]
    """Every queued poll message (acknowledged), oldest first."""
    out = []
    while (r := await c.request(frames.poll_req())).code == 1301:
        out.append(r)
        assert (await c.request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000
    return out


async def test_autorenew_charges_the_sponsor_at_expiry(registry) -> None:
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "fornyes.dk")
    registry.clock.set(EXPIRES - timedelta(seconds=1))
    assert domain_work(await registry.tick()) == 0
    registry.clock.set(EXPIRES)
    assert (await registry.tick()).done["domain_expiry"] == 1
    d = await domain(registry, "fornyes.dk")
    assert d.expires_at == datetime(2028, 6, 1, 21, 59, 59, tzinfo=UTC)
    assert (d.statuses, d.redemption_until) == ("ok", None)
    assert await balance(registry, handle) == 10_000_00 - 2 * PRICE
    rows = await registry.rows("select amount_ore, reference from ledger "
                               "where kind = 'domain_autorenew'")
    assert [tuple(x) for x in rows] == [(-PRICE, "fornyes.dk 1y")]
    assert domain_work(await registry.tick()) == 0
    r = await c.request(frames.domain_info("fornyes.dk"))
    assert r.text(".//domain:exDate") == "2028-06-01T21:59:59.0Z"


async def test_unpaid_and_unwanted_renewals_start_redemption(registry) -> None:
    poor, poor_handle = await registry.registrar_client(balance_ore=PRICE)
    rich, _ = await registry.registrar_client()
    await active(registry, poor, await setup_registrant(poor), "ingen-penge.dk")
    await active(registry, rich, await setup_registrant(rich), "udloeber.dk", ext=AUTORENEW_OFF)
    registry.clock.set(EXPIRES + timedelta(hours=3))
    ledger = await registry.scalar("select count(*) from ledger")
    assert (await registry.tick()).done["domain_expiry"] == 2
    assert await registry.scalar("select count(*) from ledger") == ledger
    assert await balance(registry, poor_handle) == 0
    for name, cause in (("ingen-penge.dk", "nopay"), ("udloeber.dk", "expiry")):
        d = await domain(registry, name)
        assert (set(d.statuses.split()), d.redemption_cause, d.redemption_until,
                d.expires_at) == ({"pendingDelete", "serverHold"}, cause,
                                  EXPIRES + timedelta(days=30), EXPIRES)
    assert domain_work(await registry.tick()) == 0
    r = await rich.request(frames.domain_info("udloeber.dk"))
    assert sorted(s.get("s") for s in r.findall(".//domain:status")) == [
        "pendingDelete", "serverDeleteProhibited", "serverHold"]


async def test_registrant_managed_domains_are_charged_to_their_billing_registrar(
        registry) -> None:
    c, handle = await registry.registrar_client()
    await setup_registrant(c)
    r = await c.request(frames.contact_create(
        name="Rita Registrant", email="rita@example.dk", verified=True, dkhm="4.5",
        extra_ext=MGMT.replace("4.3", "4.5")))
    rita = r.text(".//contact:id")
    await active(registry, c, rita, "betalt.dk", "selvbetalt.dk", ext=MGMT)
    async with registry.db.begin() as conn:
        await conn.execute(text(
            "update domains set billing_registrar_id = "
            "(select id from registrars where handle = :h) where name = 'betalt.dk'"),
            {"h": handle})
    before = await balance(registry, handle)
    registry.clock.set(EXPIRES)
    assert (await registry.tick()).done["domain_expiry"] == 2
    assert await balance(registry, handle) == before - PRICE
    assert await registry.scalar("select reference from ledger where kind = "
                                 "'domain_autorenew'") == "betalt.dk 1y"
    assert (await domain(registry, "betalt.dk")).expires_at == EXPIRES.replace(year=2028)
    # the registry invoices the registrant (issue 5): unpaid at expiry, it goes to redemption
    selvbetalt = await domain(registry, "selvbetalt.dk")
    assert (selvbetalt.expires_at, selvbetalt.redemption_cause) == (EXPIRES, "nopay")
    assert await registry.scalar("select status from invoices where kind = 'renewal'") == "open"
    # when such a domain goes, its billing registrar is the one to hear of it
    async with registry.db.begin() as conn:
        await conn.execute(text(
            "update domains set statuses = 'pendingDelete serverHold', "
            "redemption_cause = 'nis2', redemption_until = :u"), {"u": EXPIRES})
    await drain(c)
    assert (await registry.tick()).done["domain_release"] == 2
    assert [m.text(".//epp:msgQ/epp:msg") for m in await drain(c)] == [
        "betalt.dk has been deleted"]


async def test_release_after_a_deletion(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "farvel.dk")
    assert (await c.request(frames.host_create("ns1.farvel.dk", V4))).code == 1000
    d = await domain(registry, "farvel.dk")
    async with registry.db.begin() as conn:
        await conn.execute(insert(ds_records).values(
            domain_id=d.id, key_tag=12345, alg=13, digest_type=2, digest="AB" * 32,
            created_at=registry.clock.now()))
        await conn.execute(insert(auth_tokens).values(
            domain_id=d.id, op="transfer", role="REG", token="REG-TRANSFER-" + "b" * 32,
            created_by="test", created_at=registry.clock.now(),
            expires_at=registry.clock.now() + timedelta(days=14)))
    assert (await c.request(frames.domain_delete("farvel.dk", cl_trid="BYE-1"))).code == 1001
    await drain(c)
    until = registry.clock.now() + timedelta(days=30)
    registry.clock.set(until - timedelta(seconds=1))
    assert domain_work(await registry.tick()) == 0
    registry.clock.set(until)
    assert (await registry.tick()).done["domain_release"] == 1

    d = await domain(registry, "farvel.dk")
    assert (d.state, d.released_at, d.statuses) == ("released", until, "")
    for table in ("ds_records", "auth_tokens", "domain_ns"):
        assert await registry.scalar(f"select count(*) from {table} where domain_id = :d",
                                     d=d.id) == 0
    assert await registry.scalar("select count(*) from hosts where name = 'ns1.farvel.dk'") == 0
    assert await registry.scalar(
        "select unlinked_at is not null from contacts where handle = :h", h=contact)
    msgs = await drain(c)
    assert [m.text(".//epp:msgQ/epp:msg") for m in msgs] == [
        "farvel.dk has been deleted", "The name server ns1.farvel.dk has been deleted"]
    pan = msgs[0].find(".//domain:panData/domain:name")
    assert (pan.text, pan.get("paResult")) == ("farvel.dk", "1")
    assert msgs[0].text(".//domain:paTRID/epp:clTRID") == "BYE-1"
    assert msgs[1].find(".//host:infData") is not None
    r = await c.request(frames.domain_check("farvel.dk"))
    assert r.find(".//domain:name").get("avail") == "1"
    r = await c.request(frames.domain_info("farvel.dk"))
    assert r.code == 2303
    assert domain_work(await registry.tick()) == 0


async def test_release_after_expiry_describes_the_domain(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "glemt.dk", "beholdt.dk", ext=AUTORENEW_OFF)
    async with registry.db.begin() as conn:  # beholdt.dk is paid a year longer
        await conn.execute(text("update domains set expires_at = :e where name = 'beholdt.dk'"),
                           {"e": EXPIRES.replace(year=2028)})
    await drain(c)
    registry.clock.set(EXPIRES + timedelta(days=30))
    report = await registry.tick()
    assert (report.done["domain_expiry"], report.done["domain_release"]) == (1, 1)
    msgs = await drain(c)
    assert [m.text(".//epp:msgQ/epp:msg") for m in msgs] == ["glemt.dk has been deleted"]
    assert msgs[0].find(".//domain:infData") is not None
    assert msgs[0].text(".//domain:infData/domain:name") == "glemt.dk"
    assert sorted(s.get("s") for s in msgs[0].findall(".//domain:infData/domain:status")) == [
        "pendingDelete", "serverDeleteProhibited", "serverHold"]
    # the registrant still holds another domain: its auto-delete clock does not start
    assert await registry.scalar(
        "select unlinked_at is null from contacts where handle = :h", h=contact)


async def test_a_nis2_suspension_is_released_as_well(registry) -> None:
    c, _ = await registry.registrar_client()
    await active(registry, c, await setup_registrant(c), "nis2.dk")
    async with registry.db.begin() as conn:  # as the NIS2 lifecycle leaves it
        await conn.execute(text(
            "update domains set statuses = 'pendingDelete serverHold', "
            "redemption_cause = 'nis2', redemption_until = :u where name = 'nis2.dk'"),
            {"u": registry.clock.now() + timedelta(days=30)})
    registry.clock.advance(timedelta(days=30))
    assert (await registry.tick()).done["domain_release"] == 1
    assert (await domain(registry, "nis2.dk")).state == "released"


async def test_workers_at_once_renew_each_domain_once(registry) -> None:
    clients = [await registry.registrar_client(balance_ore=b)
               for b in (10_000_00, 10_000_00, 8 * PRICE)]
    for i, (c, _) in enumerate(clients):
        contact = await setup_registrant(c)
        for j in range(8):
            r = await c.request(frames.domain_create(f"w{i}-{j}.dk", contact, NS,
                                                     token=registry.token()))
            assert r.code == 1001
    await registry.tick()
    registry.clock.set(EXPIRES)
    reports = await asyncio.gather(*(registry.tick() for _ in range(3)))
    assert sum(r.done["domain_expiry"] for r in reports) == 24
    # the third registrar spent everything on its eight creates: no renewals for it
    renewed = await registry.scalar("select count(*) from ledger where kind = 'domain_autorenew'")
    in_redemption = await registry.scalar(
        "select count(*) from domains where redemption_cause = 'nopay'")
    assert (renewed, in_redemption) == (16, 8)
    for _c, handle in clients:
        assert await registry.scalar(
            "select count(*) from ledger l join registrars r on r.id = l.registrar_id "
            "where r.handle = :h and l.balance_after_ore < 0", h=handle) == 0
    assert domain_work(await registry.tick()) == 0
    # and the unpaid ones are released once, with one message each
    registry.clock.set(EXPIRES + timedelta(days=30))
    reports = await asyncio.gather(*(registry.tick() for _ in range(3)))
    assert sum(r.done["domain_release"] for r in reports) == 8
    assert await registry.scalar(
        "select count(*) from poll_messages where msg like '%has been deleted'") == 8
    assert domain_work(await registry.tick()) == 0

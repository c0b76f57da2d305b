"""restore (RFC 3915 report on update domain): back to ok during redemption, billed one
year plus the restoration fee; who may restore, which deletions are restorable, and the
report's own rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from dkreg.store.schema import domains
from epp.helpers import NS, setup_registrant
from support import frames
from support.ext_value import ext_field

PRICE, FEE = 4500, 10000
V4 = "193.163.102.58"


async def active(registry, c, contact: str, *names: str) -> None:
    for name in names:
        r = await c.request(frames.domain_create(name, contact, NS, token=registry.token()))
        assert r.code == 1001, r.msg
    await registry.tick()


async def snapshot(registry, name: str) -> tuple:
    """Everything a refused restore must leave as it was."""
    async with registry.db.read() as conn:
        d = (await conn.execute(
            select(domains.c.statuses, domains.c.expires_at, domains.c.redemption_until,
                   domains.c.redemption_cause).where(domains.c.name == name))).one()
        money = (await conn.execute(text(
            "select count(*), sum(balance_ore) from ledger, registrars "
            "where ledger.registrar_id = registrars.id"))).one()
        polls = (await conn.execute(text("select count(*) from poll_messages"))).scalar()
    return tuple(d), tuple(money), polls


async def test_restore_during_redemption(registry) -> None:
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "fortryd.dk")
    assert (await c.request(frames.host_create("ns1.fortryd.dk", V4))).code == 1000
    assert (await c.request(frames.domain_delete("fortryd.dk"))).code == 1001
    registry.clock.advance(timedelta(days=10))
    r = await c.request(frames.domain_restore("fortryd.dk", cl_trid="RESTORE-1"))
    assert r.code == 1000, r.msg
    assert r.msg == "Command completed successfully"
    assert r.find(".//epp:extension") is None  # as the registry's example: no rgp:upData
    assert await registry.scalar("select balance_ore from registrars where handle = :h",
                                 h=handle) == 10_000_00 - PRICE - (PRICE + FEE)
    rows = await registry.rows("select amount_ore, reference from ledger "
                               "where kind = 'domain_restore'")
    assert [tuple(x) for x in rows] == [(-(PRICE + FEE), "fortryd.dk restore")]
    r = await c.request(frames.domain_info("fortryd.dk"))
    assert [s.get("s") for s in r.findall(".//domain:status")] == ["ok"]
    assert r.text(".//domain:exDate") == "2028-06-01T21:59:59.0Z"  # a year on the old date
    assert await registry.rows(
        "select redemption_until, redemption_cause, delete_cl_trid from domains "
        "where name = 'fortryd.dk'") == [(None, None, None)]
    r = await c.request(frames.host_info("ns1.fortryd.dk"))
    assert [s.get("s") for s in r.findall(".//host:status")] == ["ok"]
    r = await c.request(frames.poll_req())  # the create result
    await c.request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))
    r = await c.request(frames.poll_req())
    assert r.text(".//epp:msgQ/epp:msg") == (
        "fortryd.dk has been restored, extended and cancellation stopped")
    assert r.find(".//domain:panData/domain:name").get("paResult") == "1"
    assert r.text(".//domain:paTRID/epp:clTRID") == "RESTORE-1"
    # the old redemption deadline passes without effect
    registry.clock.advance(timedelta(days=30))
    await registry.tick()
    assert await registry.scalar(
        "select state from domains where name = 'fortryd.dk'") == "active"


async def test_restored_domain_with_unverified_registrant_stays_on_hold(registry) -> None:
    c, _ = await registry.registrar_client()
    await setup_registrant(c)
    unverified = await setup_registrant(c, verified=False, email="uv@example.dk", hosts=False)
    await active(registry, c, unverified, "hold.dk")
    # on hold, it cannot be deleted (serverDeleteProhibited); it expires without renewal
    assert (await c.request(frames.domain_delete("hold.dk"))).code == 2304
    r = await c.request(frames.domain_update("hold.dk", ext=frames.autorenew_ext(False)))
    assert r.code == 1000, r.msg
    registry.clock.set(datetime(2027, 6, 2, 12, 0, tzinfo=UTC))
    await registry.tick()
    assert await registry.scalar(
        "select redemption_cause from domains where name = 'hold.dk'") == "expiry"
    r = await c.request(frames.domain_restore("hold.dk"))
    assert r.code == 1000, r.msg
    r = await c.request(frames.domain_info("hold.dk"))
    assert [s.get("s") for s in r.findall(".//domain:status")] == [
        "serverHold", "serverDeleteProhibited"]


async def test_who_may_restore_and_what(registry) -> None:
    _, login, _ = await registry.new_registrar()
    c = await registry.client(login)
    contact = await setup_registrant(c)
    await active(registry, c, contact, "slettet.dk", "aktiv.dk", "senere.dk", "nis2.dk")
    for name in ("slettet.dk", "nis2.dk"):
        assert (await c.request(frames.domain_delete(name))).code == 1001
    assert (await c.request(frames.domain_delete("senere.dk", del_date="2026-12-24"))).code \
        == 1001
    async with registry.db.begin() as conn:  # as a NIS2 suspension leaves it
        await conn.execute(text("update domains set redemption_cause = 'nis2' "
                                "where name = 'nis2.dk'"))
    other, _ = await registry.registrar_client()
    before = await snapshot(registry, "slettet.dk")
    r = await other.request(frames.domain_restore("slettet.dk"))
    assert r.code == 2201
    assert r.msg.startswith("No privilege. You are not authorized to restore domain")
    r = await other.request(frames.domain_restore("findes-ikke.dk"))
    assert r.code == 2303 and r.msg.startswith("Domain not found")
    for name, why in [("aktiv.dk", "not in its redemption period"),
                      ("senere.dk", "renew it to stop the deletion"),
                      ("nis2.dk", "NIS2 verification")]:
        r = await (await registry.client(login)).request(frames.domain_restore(name))
        assert r.code == 2304, r.msg
        assert r.msg.startswith("Domain status prohibits operation; ")
        assert why in r.msg
    assert await snapshot(registry, "slettet.dk") == before


async def test_report_rules(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "rapport.dk")
    assert (await c.request(frames.domain_delete("rapport.dk"))).code == 1001
    before = await snapshot(registry, "rapport.dk")
    r = await c.request(frames.domain_restore("rapport.dk", op="request", report=""))
    assert r.code == 2102 and 'only op="report"' in r.msg
    r = await c.request(frames.domain_restore(
        "rapport.dk", report="<rgp:preData/><rgp:postData/>"
        "<rgp:resTime>2026-06-01T10:00:00.0Z</rgp:resTime><rgp:resReason/><rgp:statement/>"))
    assert r.code == 2003 and "rgp:delTime" in r.msg
    r = await c.request(frames.domain_restore(
        "rapport.dk", report="<rgp:delTime>2026-06-01T10:00:00.0Z</rgp:delTime>"))
    assert r.code == 2003 and "rgp:resTime" in r.msg
    r = await c.request(frames.domain_restore("rapport.dk", report="<rgp:delTime>i går"
                                              "</rgp:delTime><rgp:resTime>nu</rgp:resTime>"))
    assert r.code == 2005 and ext_field(r) == ("rgp:delTime", None), r.raw
    r = await c.request(frames.domain_restore(
        "rapport.dk", changes="<domain:chg><domain:registrant>XX1-DK</domain:registrant>"
                              "</domain:chg>"))
    assert r.code == 2306 and ext_field(r) == ("domain:chg", None), r.raw
    assert await snapshot(registry, "rapport.dk") == before
    # a full report with real content, and without the empty add/rem/chg, is accepted
    r = await c.request(frames.domain_restore(
        "rapport.dk", changes="",
        report="<rgp:preData>Pre-delete registration data</rgp:preData>"
               "<rgp:postData>Post-restore registration data</rgp:postData>"
               "<rgp:delTime>2026-06-01T10:00:00.0Z</rgp:delTime>"
               "<rgp:resTime>2026-06-01T10:05:00.0Z</rgp:resTime>"
               "<rgp:resReason>Registrant error.</rgp:resReason>"
               "<rgp:statement>This registrar has not restored the domain name in order to "
               "assume the rights to use or sell it.</rgp:statement>"
               "<rgp:statement>The information in this report is true.</rgp:statement>"
               "<rgp:other>Supporting information.</rgp:other>"))
    assert r.code == 1000, r.msg


async def test_restore_needs_funds(registry) -> None:
    c, handle = await registry.registrar_client(balance_ore=2 * PRICE)
    contact = await setup_registrant(c)
    await active(registry, c, contact, "penge.dk")
    assert (await c.request(frames.domain_delete("penge.dk"))).code == 1001
    before = await snapshot(registry, "penge.dk")
    r = await c.request(frames.domain_restore("penge.dk"))
    assert r.code == 2104
    assert r.msg.startswith("Billing failure")
    assert await snapshot(registry, "penge.dk") == before


async def test_restore_after_expiry_runs_a_year_from_today(registry) -> None:
    autorenew_off = ('<dkhm:autoRenew xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.3">false'
                     "</dkhm:autoRenew>")
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    r = await c.request(frames.domain_create("udloebet.dk", contact, NS, token=registry.token(),
                                             extra_ext=autorenew_off))
    assert r.code == 1001, r.msg
    await registry.tick()
    registry.clock.set(datetime(2027, 6, 10, 8, 0, tzinfo=UTC))
    await registry.tick()
    assert await registry.scalar(
        "select redemption_cause from domains where name = 'udloebet.dk'") == "expiry"
    r = await c.request(frames.domain_restore("udloebet.dk"))
    assert r.code == 1000, r.msg
    r = await c.request(frames.domain_info("udloebet.dk"))
    assert r.text(".//domain:exDate") == "2028-06-10T21:59:59.0Z"
    assert [s.get("s") for s in r.findall(".//domain:status")] == ["ok"]

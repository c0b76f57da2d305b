"""renew domain: who may pay, curExpDate, period rules, states that cannot be renewed, the
debit, and a renewal stopping a scheduled deletion."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from dkreg.actions.account.registrars import user_create
from epp.helpers import NS, setup_registrant
from support import frames

PRICE = 4500
EXPIRY = "2027-06-01"  # a one-year domain created on 2026-06-01 (START)
MGMT = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.5">registrant'
        "</dkhm:management>")


async def active(registry, c, contact: str, *names: str, period: int = 1) -> None:
    for name in names:
        r = await c.request(frames.domain_create(name, contact, NS, token=registry.token(),
                                                 period=period))
        assert r.code == 1001, r.msg
    await registry.tick()


async def state(registry, name: str) -> tuple:
    """What a refused renewal must leave untouched."""
    return (await registry.scalar("select expires_at from domains where name = :n", n=name),
            await registry.scalar("select count(*) from ledger"),
            await registry.scalar("select sum(balance_ore) from registrars"))


@pytest.fixture
async def ready(registry):
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "forny.dk")
    return registry, c, handle, contact


async def test_renew_extends_from_the_expiry_date_and_debits(ready) -> None:
    registry, c, handle, _ = ready
    r = await c.request(frames.domain_renew("forny.dk", EXPIRY, period=2))
    assert r.code == 1000, r.msg
    assert r.msg == "Command completed successfully"
    assert r.text(".//domain:renData/domain:name") == "forny.dk"
    # end of the Copenhagen day (CEST): 23:59:59 local = 21:59:59Z
    assert r.text(".//domain:renData/domain:exDate") == "2029-06-01T21:59:59.0Z"
    assert await registry.scalar("select balance_ore from registrars where handle = :h",
                                 h=handle) == 10_000_00 - PRICE - 2 * PRICE  # create, renew
    rows = await registry.rows("select amount_ore, kind, reference from ledger "
                               "where kind = 'domain_renew'")
    assert [tuple(x) for x in rows] == [(-2 * PRICE, "domain_renew", "forny.dk 2y")]
    r = await c.request(frames.domain_info("forny.dk"))
    assert r.text(".//domain:exDate") == "2029-06-01T21:59:59.0Z"
    # the next renewal must name the new date
    r = await c.request(frames.domain_renew("forny.dk", EXPIRY, period=None))
    assert r.code == 2306
    assert r.msg.startswith("Given curExpDate 2027-06-01 does not match current expire date: "
                            "2029-06-01")
    r = await c.request(frames.domain_renew("forny.dk", "2029-06-01", period=None))
    assert r.code == 1000  # no period: one year
    assert r.text(".//domain:exDate") == "2030-06-01T21:59:59.0Z"


async def test_winter_expiry_keeps_its_calendar_day(registry) -> None:
    registry.clock.set(datetime(2026, 1, 15, 10, 0, tzinfo=UTC))
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "vinter.dk")
    r = await c.request(frames.domain_renew("vinter.dk", "2027-01-15"))
    assert r.code == 1000, r.msg
    assert r.text(".//domain:exDate") == "2028-01-15T22:59:59.0Z"  # CET: 23:59:59 local


# one case of each period rule over the wire; the matrix runs at the action in
# tests/actions/test_domain_renew_rules.py
@pytest.mark.parametrize(("period", "unit", "code", "msg"), [
    (11, "y", 2004, "Invalid period 11. Must be within range"),
    ("x", "y", 2005, "Parameter value syntax error"),
])
async def test_bad_period(ready, period, unit: str, code: int, msg: str) -> None:
    registry, c, _, _ = ready
    before = await state(registry, "forny.dk")
    r = await c.request(frames.domain_renew("forny.dk", EXPIRY, period=period, unit=unit))
    assert r.code == code
    assert r.msg.startswith(msg)
    assert await state(registry, "forny.dk") == before


async def test_new_expiry_beyond_ten_years_is_refused(ready) -> None:
    registry, c, _, _ = ready
    before = await state(registry, "forny.dk")
    r = await c.request(frames.domain_renew("forny.dk", EXPIRY, period=10))
    assert r.code == 2306
    assert r.msg.startswith("New expire date 2037-06-01 exceeds max 2036-06-01")
    assert await state(registry, "forny.dk") == before
    r = await c.request(frames.domain_renew("forny.dk", EXPIRY, period=9))
    assert r.code == 1000, r.msg  # 2036-06-01: exactly at the limit


async def test_bad_cur_exp_date(ready) -> None:
    registry, c, _, _ = ready
    before = await state(registry, "forny.dk")
    r = await c.request(frames.domain_renew("forny.dk", "2027-05-31"))
    assert r.code == 2306
    assert r.msg.startswith("Given curExpDate 2027-05-31 does not match current expire date: "
                            "2027-06-01")
    r = await c.request(frames.domain_renew("forny.dk", "01-06-2027"))
    assert r.code == 2005 and "domain:curExpDate" in r.msg
    assert await state(registry, "forny.dk") == before


async def test_unknown_domain(ready) -> None:
    registry, c, _, _ = ready
    for name in ("ukendt.dk", "not a name"):
        r = await c.request(frames.domain_renew(name, EXPIRY))
        assert r.code == 2303
        assert r.msg.startswith("Domain not found")


async def test_only_the_payer_may_renew(ready) -> None:
    registry, _c, handle, _ = ready
    other, _ = await registry.registrar_client()
    before = await state(registry, "forny.dk")
    r = await other.request(frames.domain_renew("forny.dk", EXPIRY))
    assert r.code == 2201
    assert r.msg.startswith("You do not have the privilege required to renew this domain")
    # a service user of the sponsor without the Payer meta-role
    async with registry.db.begin() as conn:
        await user_create(registry.ctx(conn), handle, f"nopay-{handle}", "epp",
                          "Test-Passw0rd", roles="registrar proxy nsa")
    nopayer = await registry.client(f"nopay-{handle}")
    r = await nopayer.request(frames.domain_renew("forny.dk", EXPIRY))
    assert r.code == 2201
    assert "Payer" in r.msg
    assert await state(registry, "forny.dk") == before


async def test_insufficient_credit(registry) -> None:
    c, handle = await registry.registrar_client(balance_ore=PRICE + PRICE // 2)
    contact = await setup_registrant(c)
    await active(registry, c, contact, "fattig.dk")
    before = await state(registry, "fattig.dk")
    r = await c.request(frames.domain_renew("fattig.dk", EXPIRY))
    assert r.code == 2104
    assert r.msg.startswith("Insufficient credit. Domain cannot be renewed.")
    assert await state(registry, "fattig.dk") == before


async def test_states_that_cannot_be_renewed(registry) -> None:
    _, login, _ = await registry.new_registrar()
    c = await registry.client(login)
    contact = await setup_registrant(c)
    unverified = await setup_registrant(c, verified=False, email="uv@example.dk", hosts=False)
    await active(registry, c, contact, "slettet.dk", "blokeret.dk")
    r = await c.request(frames.domain_create("hold.dk", unverified, NS, token=registry.token()))
    assert r.code == 1001
    await registry.tick()
    r = await c.request(frames.domain_create("ansoegt.dk", contact, NS, token=registry.token()))
    assert r.code == 1001  # not processed: still an application
    assert (await c.request(frames.domain_delete("slettet.dk"))).code == 1001
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set statuses = 'serverRenewProhibited' "
                                "where name = 'blokeret.dk'"))
    ledger = await registry.scalar("select count(*) from ledger")
    for name, why in [("ansoegt.dk", "application"), ("slettet.dk", "redemption"),
                      ("hold.dk", "serverHold"), ("blokeret.dk", "serverRenewProhibited")]:
        # a new session each time: the third error of a kind would close one
        r = await (await registry.client(login)).request(frames.domain_renew(name, EXPIRY))
        assert r.code == 2105, (name, r.msg)
        assert r.msg.startswith("Domain is not in a state where it can be renewed; "), r.msg
        assert why in r.msg
    assert await registry.scalar("select count(*) from ledger") == ledger


async def test_registrant_managed_domain_is_renewed_by_its_billing_registrar(registry) -> None:
    c, handle = await registry.registrar_client()
    await setup_registrant(c)
    r = await c.request(frames.contact_create(name="Rita Registrant", email="rita@example.dk",
                                              verified=True, dkhm="4.5", extra_ext=MGMT))
    rita = r.text(".//contact:id")
    r = await c.request(frames.domain_create("selv.dk", rita, NS, token=registry.token(),
                                             extra_ext=MGMT.replace("4.5", "4.3")))
    assert r.code == 1001, r.msg
    await registry.tick()
    r = await c.request(frames.domain_renew("selv.dk", EXPIRY))
    assert r.code == 2201
    assert "billing contact" in r.msg
    async with registry.db.begin() as conn:  # the registrar became billing contact
        await conn.execute(text(
            "update domains set billing_registrar_id = "
            "(select id from registrars where handle = :h) where name = 'selv.dk'"), {"h": handle})
    r = await c.request(frames.domain_renew("selv.dk", EXPIRY))
    assert r.code == 1000, r.msg
    assert await registry.scalar("select balance_ore from registrars where handle = :h",
                                 h=handle) == 10_000_00 - 2 * PRICE  # create + renew


async def test_renewal_stops_a_scheduled_deletion(ready) -> None:
    registry, c, _, _ = ready
    r = await c.request(frames.domain_delete("forny.dk", del_date="2026-12-01",
                                             cl_trid="DELETE-LATER-1"))
    assert r.code == 1001, r.msg
    r = await c.request(frames.domain_info("forny.dk"))
    assert "pendingDelete" in [s.get("s") for s in r.findall(".//domain:status")]
    r = await c.request(frames.domain_renew("forny.dk", EXPIRY))
    assert r.code == 1000, r.msg
    r = await c.request(frames.domain_info("forny.dk"))
    assert [s.get("s") for s in r.findall(".//domain:status")] == ["ok"]
    assert await registry.scalar("select delete_at from domains where name = 'forny.dk'") is None
    r = await c.request(frames.poll_req())  # the create result first
    assert (await c.request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000
    r = await c.request(frames.poll_req())
    assert r.code == 1301
    assert r.text(".//epp:msgQ/epp:msg") == "forny.dk has been extended and cancellation stopped"
    assert r.find(".//domain:panData/domain:name").get("paResult") == "0"
    assert r.text(".//domain:paTRID/epp:clTRID") == "DELETE-LATER-1"
    # the scheduled day passes: nothing happens any more
    registry.clock.set(datetime(2026, 12, 2, tzinfo=UTC))
    await registry.tick()
    assert await registry.scalar(
        "select redemption_until from domains where name = 'forny.dk'") is None

"""create domain: the newsletter's Flow 1 token rules, Flow 2 until 2025-01-15, and
every way a create can be refused without leaving anything behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from epp.helpers import NS, setup_registrant
from support import frames

TOKEN_FIELD = "dkhm:orderconfirmationToken"


async def counts(registry) -> tuple:
    return (await registry.scalar("select count(*) from domains"),
            await registry.scalar("select count(*) from applications"),
            await registry.scalar("select count(*) from ledger"),
            await registry.scalar("select sum(balance_ore) from registrars"))


@pytest.fixture
async def ready(registry):
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    return registry, c, handle, contact


async def test_flow1_token_is_debited_and_held(ready) -> None:
    registry, c, handle, contact = ready
    r = await c.request(frames.domain_create("flow1.dk", contact, NS, token=registry.token(),
                                             period=2))
    assert r.code == 1001
    assert r.dkhm("domain_confirmed") == "1"
    balance = await registry.scalar(
        "select balance_ore from registrars where handle = :h", h=handle)
    assert balance == 10_000_00 - 2 * registry.settings.domain_price_ore
    r = await c.request(frames.domain_info("flow1.dk"))
    assert [s.get("s") for s in r.findall(".//domain:status")] == [
        "pendingCreate", "serverDeleteProhibited"]


# Each rule below keeps one case over the wire; the full matrices (token, period, name
# servers) run at the action in tests/actions/test_domain_create_rules.py.


@pytest.mark.parametrize("token", ["abc"])
async def test_malformed_token_is_2005(ready, token: str) -> None:
    registry, c, _, contact = ready
    before = await counts(registry)
    r = await c.request(frames.domain_create("bad-token.dk", contact, NS, token=token))
    assert r.code == 2005
    assert r.msg.startswith(f"Bad value for dkhm:orderconfirmationToken: >{token.strip()}<")
    assert await counts(registry) == before


@pytest.mark.parametrize("offset", [24 * 3600 + 1])
async def test_token_outside_window_is_2004(ready, offset: int) -> None:
    registry, c, _, contact = ready
    token = registry.token(offset)
    r = await c.request(frames.domain_create("window.dk", contact, NS, token=token))
    assert r.code == 2004
    assert r.msg.startswith(f"dkhm:orderconfirmationToken: >{token}< exceeds allowed threshold")


@pytest.mark.parametrize("offset", [24 * 3600])
async def test_token_at_the_edges_is_accepted(ready, offset: int) -> None:
    registry, c, _, contact = ready
    r = await c.request(frames.domain_create(f"edge{abs(offset)}.dk", contact, NS,
                                             token=registry.token(offset)))
    assert r.code == 1001, r.msg


@pytest.mark.parametrize(("digits", "word"), [(1000, "milliseconds")])
async def test_milli_and_nano_seconds_are_explained(ready, digits: int, word: str) -> None:
    registry, c, _, contact = ready
    token = registry.token() * digits
    r = await c.request(frames.domain_create("units.dk", contact, NS, token=token))
    assert r.code == 2004
    assert word in r.msg


async def test_token_age_limit_is_configuration(registry_factory) -> None:
    async with registry_factory(token_max_age_days=0) as registry:
        c, _ = await registry.registrar_client()
        contact = await setup_registrant(c)
        r = await c.request(frames.domain_create("old-token.dk", contact, NS,
                                                 token=registry.token(-400 * 86400)))
        assert r.code == 1001, r.msg
        # the future limit still holds
        r = await c.request(frames.domain_create("future.dk", contact, NS,
                                                 token=registry.token(2 * 86400)))
        assert r.code == 2004


async def test_no_token_after_flow2_ended_is_2003(ready) -> None:
    registry, c, _, contact = ready
    before = await counts(registry)
    r = await c.request(frames.domain_create("noflow.dk", contact, NS))
    assert r.code == 2003
    assert TOKEN_FIELD in r.msg and "2025-01-15" in r.msg
    assert await counts(registry) == before


async def test_flow2_accept_before_deadline(registry) -> None:
    from dkreg.actions.domain.application_accept import application_accept

    registry.clock.set(datetime(2025, 1, 10, 9, 0, tzinfo=UTC))
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    before_balance = await registry.scalar(
        "select balance_ore from registrars where handle = :h", h=handle)
    r = await c.request(frames.domain_create("flow2.dk", contact, NS))
    assert r.code == 1001
    assert r.dkhm("domain_confirmed") == "0"
    tracking = r.dkhm("trackingNo")
    r = await c.request(frames.domain_check("flow2.dk"))
    assert r.text(".//domain:reason") == "Enqueued"
    # not billed while held
    assert await registry.scalar("select balance_ore from registrars where handle = :h",
                                 h=handle) == before_balance
    await registry.tick()
    assert (await c.request(frames.poll_req())).code == 1300  # nothing decided yet
    # the registrant accepts on day 4, just before midnight Copenhagen time (23:00 UTC)
    registry.clock.set(datetime(2025, 1, 14, 22, 59, tzinfo=UTC))
    async with registry.db.begin() as conn:
        await application_accept(registry.ctx(conn), tracking)
    assert await registry.scalar("select balance_ore from registrars where handle = :h",
                                 h=handle) == before_balance - registry.settings.domain_price_ore
    await registry.tick()
    r = await c.request(frames.poll_req())
    assert r.code == 1301
    assert r.text(".//epp:msgQ/epp:msg") == "flow2.dk has been registered and activated"
    assert r.find(".//domain:name").get("paResult") == "1"


async def test_flow2_declined_by_the_registrant(registry) -> None:
    """The registrant declines the terms: the application ends at once, the name is free,
    nothing was billed, and the registrar gets the registry's plain "cancelled" outcome."""
    from dkreg.actions.domain.application_accept import application_accept
    from dkreg.actions.domain.application_decline import application_decline
    from dkreg.errors import EppError

    registry.clock.set(datetime(2025, 1, 10, 9, 0, tzinfo=UTC))
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    balance = "select balance_ore from registrars where handle = :h"
    before = await registry.scalar(balance, h=handle)
    r = await c.request(frames.domain_create("nej-tak.dk", contact, NS, cl_trid="nej-1"))
    tracking = r.dkhm("trackingNo")
    async with registry.db.begin() as conn:
        await application_decline(registry.ctx(conn), tracking)
    r = await c.request(frames.poll_req())
    assert r.text(".//epp:msgQ/epp:msg") == "The application for nej-tak.dk has been cancelled"
    assert r.find(".//domain:name").get("paResult") == "0"
    assert r.text(".//domain:paTRID/epp:clTRID") == "nej-1"
    assert (await c.request(frames.domain_check("nej-tak.dk"))).find(
        ".//domain:name").get("avail") == "1"
    assert await registry.scalar(balance, h=handle) == before
    for answer in (application_accept, application_decline):  # decided once
        with pytest.raises(EppError) as exc:
            async with registry.db.begin() as conn:
                await answer(registry.ctx(conn), tracking)
        assert exc.value.code == 2304
    assert (await registry.tick()).done["flow2_timeout"] == 0


async def test_flow2_timeout_cancels_and_releases(registry) -> None:
    from dkreg.actions.domain.application_accept import application_accept
    from dkreg.errors import EppError

    registry.clock.set(datetime(2025, 1, 10, 9, 0, tzinfo=UTC))
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    r = await c.request(frames.domain_create("late.dk", contact, NS))
    tracking = r.dkhm("trackingNo")
    registry.clock.set(datetime(2025, 1, 14, 22, 59, 59, tzinfo=UTC))
    await registry.tick()
    assert (await c.request(frames.poll_req())).code == 1300  # still inside the deadline
    registry.clock.set(datetime(2025, 1, 14, 23, 0, 0, tzinfo=UTC))  # midnight in Copenhagen
    with pytest.raises(EppError) as exc:
        async with registry.db.begin() as conn:
            await application_accept(registry.ctx(conn), tracking)
    assert exc.value.code == 2304
    await registry.tick()
    r = await c.request(frames.poll_req())
    assert r.code == 1301
    assert r.text(".//epp:msgQ/epp:msg") == (
        "The application for late.dk has been cancelled, as the registrant has not accepted "
        "our terms and conditions in time")
    assert r.find(".//domain:name").get("paResult") == "0"
    assert r.text(".//domain:paTRID/epp:svTRID").endswith(tracking)
    assert (await c.request(frames.domain_check("late.dk"))).find(
        ".//domain:name").get("avail") == "1"
    assert (await c.request(frames.domain_info("late.dk"))).code == 2303
    assert await registry.scalar("select count(*) from ledger l join registrars r on "
                                 "r.id = l.registrar_id where r.handle = :h and "
                                 "l.kind = 'domain_create'", h=handle) == 0
    # once released, the name can be applied for again (Flow 2 is over by now)
    registry.clock.set(datetime(2025, 1, 20, tzinfo=UTC))
    r = await c.request(frames.domain_create("late.dk", contact, NS, token=registry.token()))
    assert r.code == 1001


async def test_flow2_ends_at_copenhagen_midnight(registry) -> None:
    c, _ = await registry.registrar_client()
    registry.clock.set(datetime(2025, 1, 14, 22, 59, 59, tzinfo=UTC))
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("last.dk", contact, NS))).code == 1001
    registry.clock.set(datetime(2025, 1, 14, 23, 0, 0, tzinfo=UTC))
    assert (await c.request(frames.domain_create("first.dk", contact, NS))).code == 2003


@pytest.mark.parametrize(("period", "unit", "code"), [
    (11, "y", 2004), (1, "m", 2005), ("x", "y", 2005)])
async def test_period_rules(ready, period, unit: str, code: int) -> None:
    registry, c, _, contact = ready
    r = await c.request(frames.domain_create("period.dk", contact, NS, token=registry.token(),
                                             period=period, unit=unit))
    assert r.code == code
    assert "domain:period" in r.msg


async def test_ten_years_is_allowed_and_priced(ready) -> None:
    registry, c, _handle, contact = ready
    r = await c.request(frames.domain_create("ten.dk", contact, NS, token=registry.token(),
                                             period=10))
    assert r.code == 1001
    await registry.tick()
    exp = await registry.scalar("select expires_at from domains where name = 'ten.dk'")
    exp = exp if isinstance(exp, datetime) else datetime.fromisoformat(str(exp))
    assert exp.year == registry.clock.now().year + 10


@pytest.mark.parametrize(("hosts", "code", "needle"), [
    (["ns1.example.net"], 2308, "domain:ns"),
    (["ns1.example.net", "ns1.example.net"], 2306, "domain:hostObj"),
    (["ns1.example.net", "unknown.example.org"], 2004,
     "Invalid or inactive nameserver: unknown.example.org"),
])
async def test_name_server_rules(ready, hosts, code: int, needle: str) -> None:
    registry, c, _, contact = ready
    before = await counts(registry)
    r = await c.request(frames.domain_create("ns-rules.dk", contact, hosts,
                                             token=registry.token()))
    assert r.code == code
    assert needle in r.msg
    assert await counts(registry) == before


@pytest.mark.parametrize(("name", "code"), [
    ("under_score.dk", 2306), ("-lead.dk", 2306), ("trail-.dk", 2306), ("ab--cd.dk", 2306),
    ("example.com", 2306), ("sub.example.dk", 2306), ("ÆBLE.DK", 1001), ("über.dk", 1001),
    ("xn--ber-goa.dk", 1001), ("café.dk", 1001), ("naïve.dk", 2306), ("a" * 64 + ".dk", 2306),
])
async def test_name_rules(ready, name: str, code: int) -> None:
    registry, c, _, contact = ready
    r = await c.request(frames.domain_create(name, contact, NS, token=registry.token()))
    assert r.code == code, r.msg
    if code == 2306:
        assert "domain:name" in r.msg


async def test_occupied_name_is_2302(ready) -> None:
    registry, c, _, contact = ready
    assert (await c.request(frames.domain_create("taken.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    other, _ = await registry.registrar_client()
    contact2 = await setup_registrant(other, email="other@example.dk")
    before = await counts(registry)
    r = await other.request(frames.domain_create("TAKEN.dk", contact2, NS,
                                                 token=registry.token()))
    assert r.code == 2302
    assert r.msg.startswith("Domain Name is occupied")
    assert await counts(registry) == before


async def test_insufficient_credit_is_2104_and_writes_nothing(registry) -> None:
    c, _handle = await registry.registrar_client(balance_ore=registry.settings.domain_price_ore - 1)
    contact = await setup_registrant(c)
    before = await counts(registry)
    r = await c.request(frames.domain_create("poor.dk", contact, NS, token=registry.token()))
    assert r.code == 2104
    assert r.msg.startswith("Insufficient credit. Domain cannot be created.")
    assert await counts(registry) == before
    r = await c.request(frames.domain_check("poor.dk"))
    assert r.find(".//domain:name").get("avail") == "1"


async def test_registrant_rules(ready) -> None:
    registry, c, handle, contact = ready
    r = await c.request(frames.domain_create("nobody.dk", "NOBODY99-DK", NS,
                                             token=registry.token()))
    assert r.code == 2303 and "domain:registrant" in r.msg
    r = await c.request(frames.domain_create("regh.dk", handle, NS, token=registry.token()))
    assert r.code == 2201
    assert r.msg.startswith("Registrar handle is not permitted for registrant role.")
    other, _ = await registry.registrar_client()
    r = await other.request(frames.host_create("ns1.example.net"))
    r = await other.request(frames.domain_create("foreign.dk", contact, NS,
                                                 token=registry.token()))
    assert r.code == 2305  # someone else's registrar-managed contact
    r = await c.request(frames.domain_create("contacts.dk", contact, NS, token=registry.token(),
                                             contacts=[("admin", contact)]))
    assert r.code == 2306
    assert r.msg.startswith("Specifying contacts for registrar managed domains is not allowed")


async def test_unvalidated_registrant_is_registered_but_not_activated(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c, verified=False)
    r = await c.request(frames.domain_create("pending-id.dk", contact, NS,
                                             token=registry.token()))
    assert r.code == 1001
    assert r.dkhm("registrant_validated") == "0"
    await registry.tick()
    r = await c.request(frames.poll_req())
    assert r.text(".//epp:msgQ/epp:msg") == (
        "pending-id.dk has been registered, but not activated due to pending ID and/or data "
        "check")
    assert r.dkhm("risk_assessment") == "BLUE"
    r = await c.request(frames.domain_info("pending-id.dk"))
    assert [s.get("s") for s in r.findall(".//domain:status")] == [
        "serverHold", "serverDeleteProhibited"]
    assert r.dkhm("registrant_validated") == "0"


async def test_foreign_registrants_get_green_or_yellow(registry) -> None:
    c, _ = await registry.registrar_client()
    ok = await setup_registrant(c, cc="DE", email="a@example.de")
    todo = await setup_registrant(c, cc="DE", verified=False, hosts=False,
                                  email="b@example.de")
    assert (await c.request(frames.domain_create("green.dk", ok, NS,
                                                 token=registry.token()))).code == 1001
    assert (await c.request(frames.domain_create("yellow.dk", todo, NS,
                                                 token=registry.token()))).code == 1001
    await registry.tick()
    seen = {}
    for _ in range(2):
        r = await c.request(frames.poll_req())
        seen[r.text(".//domain:name")] = r.dkhm("risk_assessment")
        await c.request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))
    assert seen == {"green.dk": "GREEN", "yellow.dk": "YELLOW"}


async def test_exactly_one_poll_message_per_application(ready) -> None:
    registry, c, _, contact = ready
    for i in range(3):
        assert (await c.request(frames.domain_create(f"once{i}.dk", contact, NS,
                                                     token=registry.token()))).code == 1001
    await registry.tick()
    registry.clock.advance(timedelta(days=1))
    await registry.tick()
    assert await registry.scalar("select count(*) from poll_messages") == 3
    r = await c.request(frames.poll_req())
    assert r.find(".//epp:msgQ").get("count") == "3"


async def test_registrant_managed_domain_with_contacts(ready) -> None:
    """dkhm-4.3 era: ``dkhm:management`` registrant, registrant and roles under the same
    model (the registrar may name admin/billing contacts there)."""
    registry, c, _, _contact = ready
    mgmt = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.3">registrant'
            "</dkhm:management>")
    r = await c.request(frames.contact_create(name="Rita Registrant", email="rita@example.dk",
                                              verified=True, dkhm="4.5",
                                              extra_ext=mgmt.replace("4.3", "4.5")))
    assert r.code == 1000, r.msg
    rita = r.text(".//contact:id")
    r = await c.request(frames.domain_create("selv.dk", rita, NS, token=registry.token(),
                                             contacts=[("billing", rita)], extra_ext=mgmt))
    assert r.code == 1001, r.msg
    # a registrar-managed registrant cannot hold a registrant-managed domain
    r = await c.request(frames.domain_create("mismatch.dk", _contact, NS, token=registry.token(),
                                             extra_ext=mgmt))
    assert r.code == 2305
    await registry.tick()
    r = await c.request(frames.domain_info("selv.dk"))
    assert r.text(".//domain:clID") == "DKHM1-DK"


async def test_host_waiting_for_approval_cannot_be_a_name_server(registry) -> None:
    """A host in pendingCreate (its NSA or registrant has not accepted yet) is not an active
    name server: 2004 naming it, on SQLite and on the PostgreSQL single-statement path."""
    from sqlalchemy import update

    from dkreg.store.schema import hosts

    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    async with registry.db.begin() as conn:
        await conn.execute(update(hosts).where(hosts.c.name == NS[1])
                           .values(statuses="pendingCreate"))
    r = await c.request(frames.domain_create("venter.dk", contact, NS, token=registry.token()))
    assert r.code == 2004 and r.msg.startswith(f"Invalid or inactive nameserver: {NS[1]}")
    assert await registry.scalar("select count(*) from domains") == 0

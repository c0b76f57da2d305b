"""update domain, change of registrant: within the registrar's own portfolio, with the
new registrant's acceptance of the terms (orderconfirmationToken), at once for a
validated contact and pending its ID check otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dkreg.actions import pending
from epp.update_support import client_with_roles, drain, fingerprint, ready_registrar, sql
from support import frames


async def new_contact(c, email: str, *, verified: bool = True, ext: str = "") -> str:
    r = await c.request(frames.contact_create(verified=verified, dkhm="4.5", email=email,
                                              extra_ext=ext))
    assert r.code == 1000, r.msg
    return r.text(".//contact:id")


def change(registry, handle: str, *, token: object = "now", **kw) -> str:
    ext = frames.order_token_ext(registry.token() if token == "now" else token) \
        if token is not None else ""
    return frames.domain_update("ejer.dk", registrant=handle, ext=ext + kw.pop("ext", ""), **kw)


@pytest.fixture
async def ready(registry):
    c, handle, old = await ready_registrar(registry, "ejer.dk")
    return registry, c, handle, old


async def registrant(registry) -> object:
    return await registry.scalar("select c.handle from domains d join contacts c "
                                 "on c.id = d.registrant_id where d.uname = 'ejer.dk'")


async def test_a_validated_registrant_takes_over_at_once(ready) -> None:
    registry, c, handle, old = ready
    new = await new_contact(c, "ny@example.dk")
    r = await c.request(change(registry, new))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert await registrant(registry) == new
    info = await c.request(frames.domain_info("ejer.dk"))
    assert info.text(".//domain:registrant") == new
    assert [s.get("s") for s in info.findall(".//domain:status")] == ["ok"]
    # the old registrant lost its last role: its auto-delete clock starts
    assert await registry.scalar("select unlinked_at from contacts where handle = :h",
                                 h=old) is not None
    assert await registry.scalar("select count(*) from pending_requests") == 0
    assert await drain(c) == []


async def test_an_unvalidated_registrant_must_pass_its_check_first(ready) -> None:
    registry, c, handle, old = ready
    new = await new_contact(c, "ukendt@example.dk", verified=False)
    r = await c.request(change(registry, new))
    assert (r.code, r.msg) == (1001, "Command completed. Pending registrant accept")
    assert await registrant(registry) == old
    row = (await registry.rows(
        "select p.kind, p.target, p.due_at, c.verification_due, p.state, p.registrar_id, "
        "r.id from pending_requests p join contacts c on c.id = p.contact_id "
        "join registrars r on r.handle = :h", h=handle))[0]
    assert (row[0], row[1], row[4], row[5]) == ("registrant_change", new, "pending", row[6])
    assert row[2] == row[3]  # the deadline is the contact's verification deadline
    # the new registrant's check starts now (its sponsor is told by NIS2 verification)
    assert [m for m, _ in await drain(c)] == [
        f"{new} has to complete the mandatory ID and data check - registry"]
    info = await c.request(frames.domain_info("ejer.dk"))
    assert [s.get("s") for s in info.findall(".//domain:status")] == ["pendingUpdate"]
    # a second change waits for the first
    other = await new_contact(c, "endnu@example.dk")
    r = await c.request(change(registry, other))
    assert r.code == 2304
    assert r.msg.startswith("Domain status prohibits operation"), r.msg
    # other updates still work meanwhile
    r = await c.request(frames.domain_update("ejer.dk", add_ns=["ns3.example.net"]))
    assert r.code == 1000, r.msg


async def test_a_rejected_check_leaves_the_registrant_and_refunds(registry_factory) -> None:
    async with registry_factory(registrant_change_fee_ore=2500) as registry:
        c, handle, old = await ready_registrar(registry, "ejer.dk")
        new = await new_contact(c, "afvist@example.dk", verified=False)
        balance = "select balance_ore from registrars where handle = :h"
        start = await registry.scalar(balance, h=handle)
        r = await c.request(change(registry, new, cl_trid="REG-CHANGE-1"))
        assert r.code == 1001, r.msg
        assert await registry.scalar(balance, h=handle) == start - 2500
        request_id = await registry.scalar("select id from pending_requests")
        await drain(c)
        async with registry.db.begin() as conn:
            await pending.decide(registry.ctx(conn), request_id, "rejected")
        assert await registrant(registry) == old
        assert await registry.scalar(balance, h=handle) == start
        assert await registry.scalar(
            "select statuses from domains where uname = 'ejer.dk'") == "ok"
        messages = await drain(c)
        assert [m for m, _ in messages] == [
            f"The registrant has not been changed to {new} for ejer.dk, as the mandatory ID "
            "and/or data check was rejected"]
        reply = messages[0][1]
        assert reply.find(".//domain:name").get("paResult") == "0"
        assert reply.text(".//domain:paTRID/epp:clTRID") == "REG-CHANGE-1"


async def test_an_accepted_change_that_is_no_longer_possible(ready) -> None:
    registry, c, handle, old = ready
    new = await new_contact(c, "slettet@example.dk", verified=False)
    assert (await c.request(change(registry, new))).code == 1001
    await sql(registry, "update contacts set deleted_at = :t where handle = :h",
              t=registry.clock.now(), h=new)
    request_id = await registry.scalar("select id from pending_requests")
    await drain(c)
    async with registry.db.begin() as conn:
        await pending.decide(registry.ctx(conn), request_id, "accepted")
    assert await registrant(registry) == old
    assert [m for m, _ in await drain(c)] == [
        f"The registrant has not been changed to {new} for ejer.dk, as the mandatory ID and/or "
        "data check was not completed"]


async def test_the_fee_is_charged_and_can_fail(registry_factory) -> None:
    async with registry_factory(registrant_change_fee_ore=2500) as registry:
        price = registry.settings.domain_price_ore
        c, handle, old = await ready_registrar(registry, "ejer.dk", balance_ore=price + 2500)
        first = await new_contact(c, "foerste@example.dk")
        r = await c.request(change(registry, first))
        assert r.code == 1000, r.msg
        assert await registry.scalar(
            "select kind from ledger order by id desc limit 1") == "registrant_change"
        second = await new_contact(c, "anden@example.dk")
        before = await fingerprint(registry, "ejer.dk")
        r = await c.request(change(registry, second))
        assert r.code == 2104
        assert r.msg.startswith("Billing failure"), r.msg
        assert await fingerprint(registry, "ejer.dk") == before
        assert await registrant(registry) == first


@pytest.mark.parametrize(("case", "code", "msg"), [
    ("combined", 2306, "Change of registrant cannot be combined with other changes"),
    ("combined_autorenew", 2306, "Change of registrant cannot be combined with other changes"),
    ("no_token", 2003,
     "Required parameter missing; element <dkhm:orderconfirmationToken> is mandatory"),
    ("bad_token", 2005, "Bad value for dkhm:orderconfirmationToken: >abc<"),
    ("old_token", 2004, "dkhm:orderconfirmationToken: >"),
    ("registrar", 2304, "Bad userid. User is in a registrar group"),
    ("unknown", 2303, "Contact not found"),
    ("other_portfolio", 2305, "Specified user handle not permitted when handled by registrar"),
    ("registrant_managed", 2305,
     "Specified user handle not permitted when handled by registrar"),
    ("rejected", 2201, "Contact has previously failed ID control and cannot become registrant."),
    ("same", 2306, "Parameter error. "),
])
async def test_refusals_change_nothing(ready, case: str, code: int, msg: str) -> None:
    registry, c, handle, old = ready
    new = await new_contact(c, "kandidat@example.dk")
    kw: dict = {}
    if case == "combined":
        kw = {"add_ns": ["ns3.example.net"]}
    elif case == "combined_autorenew":
        kw = {"ext": frames.autorenew_ext(True)}
    elif case == "no_token":
        kw = {"token": None}
    elif case == "bad_token":
        kw = {"token": "abc"}
    elif case == "old_token":
        kw = {"token": registry.token(-31 * 86400)}
    elif case == "registrar":
        new = handle
    elif case == "unknown":
        new = "XYZ999999-DK"
    elif case == "other_portfolio":
        other, _ = await registry.registrar_client()
        new = await new_contact(other, "fremmed@example.dk")
    elif case == "registrant_managed":
        new = await new_contact(c, "selv@example.dk", ext=(
            f'<dkhm:management xmlns:dkhm="{frames.dkhm_ns("4.5")}">registrant'
            "</dkhm:management>"))
    elif case == "rejected":
        await sql(registry, "update contacts set id_status = 'rejected' where handle = :h",
                  h=new)
    elif case == "same":
        new = old
    before = await fingerprint(registry, "ejer.dk")
    r = await c.request(change(registry, new, **kw))
    assert r.code == code
    assert r.msg.startswith(msg), r.msg
    assert await fingerprint(registry, "ejer.dk") == before


async def test_only_the_sponsor_with_the_proxy_role(ready) -> None:
    registry, c, handle, old = ready
    new = await new_contact(c, "kandidat@example.dk")
    other, _ = await registry.registrar_client()
    nsa_only = await client_with_roles(registry, handle, "nsa payer")
    before = await fingerprint(registry, "ejer.dk")
    for client in (other, nsa_only):
        r = await client.request(change(registry, new))
        assert r.code == 2201
        assert r.msg.startswith("No privilege. You are not authorized to change registrant")
    assert "Proxy meta-role" in r.msg
    assert await fingerprint(registry, "ejer.dk") == before


async def test_a_registrant_managed_domain_has_no_registrar_change_of_registrant(ready) -> None:
    registry, c, handle, old = ready
    new = await new_contact(c, "kandidat@example.dk")
    await sql(registry, "update domains set sponsor_id = null, management = 'registrant' "
                        "where uname = 'ejer.dk'")
    r = await c.request(change(registry, new))
    assert r.code == 2201
    assert "registrant-managed" in r.msg


async def test_the_check_and_its_deadline_start_with_the_change(ready) -> None:
    registry, c, handle, old = ready
    new = await new_contact(c, "senere@example.dk", verified=False)
    registry.clock.advance(timedelta(days=3))
    assert (await c.request(change(registry, new))).code == 1001
    due = (await registry.rows("select due_at from pending_requests"))[0][0]
    expected = registry.clock.now() + timedelta(days=registry.settings.nis2_verification_days)
    assert str(due)[:16] == expected.strftime("%Y-%m-%d %H:%M")

"""update contact over TLS EPP (SPEC-DIGEST §4.3): who may, what may change, locked
fields, one operation kind per request, and e-mail changes that wait for confirmation.

Every refused update is checked for its code, its text and an unchanged contact row.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from dkreg.actions import pending
from dkreg.actions.contact import verification as contact_verification
from dkreg.actions.contact.update import ContactUpdate, PostalChange, contact_update
from dkreg.errors import EppError
from dkreg.store.context import Actor
from dkreg.store.schema import contacts, pending_requests
from support import frames
from support.epp_objects import Agent, unique
from support.eppclient import EppClient

PUNKTUM_CVR = "24210375"
LOCKED = "You do not have permissions to modify field: %s"
PENDING_EMAIL = "Command completed. Pending e-mail-address verification."
US_ADDRESS = dict(street=["124 Example Dr.", "Suite 200"], city="Dulles", sp="VA",
                  pc="20166-6503", cc="US")


async def row(registry, handle: str):  # type: ignore[no-untyped-def]
    """The contact row with Python types (booleans, aware datetimes) on both backends."""
    async with registry.db.read() as conn:
        return (await conn.execute(select(contacts).where(contacts.c.handle == handle))).one()


async def requests(registry):  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return (await conn.execute(select(pending_requests).order_by(pending_requests.c.id))
                ).all()


async def refused(agent: Agent, frame: str, code: int, msg_start: str, handle: str) -> str:
    """Send an update that must fail; the contact row must be exactly as before."""
    before = await row(agent.registry, handle)
    r = await agent.send(frame)
    assert r.code == code, r.msg
    assert r.msg.startswith(msg_start), r.msg
    assert await row(agent.registry, handle) == before
    return r.msg


async def drain(agent: Agent | EppClient) -> list:  # type: ignore[type-arg]
    """All poll messages of an agent (or a plain client), acknowledged, oldest first."""
    send = agent.send if isinstance(agent, Agent) else agent.request
    out = []
    while True:
        r = await send(frames.poll_req())
        if r.code == 1300:
            return out
        assert r.code == 1301, r.msg
        out.append(r)
        assert (await send(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000


def poll_msg(r) -> str:  # type: ignore[no-untyped-def]
    return r.text(".//epp:msgQ/epp:msg")


# ---------------------------------------------------------------------------------------
# what changes


async def test_sponsor_changes_address_and_phone_as_in_registry_example(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(cc="US", city="Austin", street="1 Main St", pc="73301",
                             voice="+1.5125550100")
    registry.clock.advance(timedelta(minutes=5))
    r = await a.send(frames.contact_update(
        handle, chg=frames.contact_chg_postal("int", **US_ADDRESS), voice="+1.7034444444",
        ext=frames.dkhm_el("mobilephone", "+1.7034444445", "4.3")))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    c = await row(registry, handle)
    assert (c.city, c.sp, c.pc, c.cc, c.voice, c.mobilephone) == (
        "Dulles", "VA", "20166-6503", "US", "+1.7034444444", "+1.7034444445")
    assert c.name == "Jens Hansen"  # not sent: unchanged
    assert (c.updated_by, c.email) == (a.handle, "jens@example.dk")
    r = await a.send(frames.contact_info(handle))
    assert [s.text for s in r.findall(".//contact:street")] == US_ADDRESS["street"]
    assert (r.text(".//contact:upID"), r.text(".//contact:upDate")) == (
        a.handle, "2026-06-01T10:05:00.0Z")
    assert await registry.scalar("select count(*) from poll_messages") == 0  # silent


async def test_smart_create_matches_updated_contact(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(email="old@example.dk")
    assert (await a.send(frames.contact_update(
        handle, chg=frames.contact_chg_postal("loc", street=["Nørregade 7"], city="Odense C",
                                             pc="5000", cc="DK")))).code == 1000
    r = await a.send(frames.contact_create(email="old@example.dk", street="Nørregade 7",
                                           city="Odense C", pc="5000"))
    assert (r.msg, r.text(".//contact:id")) == ("Contact already exists. Please re-use.", handle)


async def test_postal_block_choice(registry) -> None:
    """A block with an address is chosen as on create (loc for Denmark, int elsewhere); a
    name-only block changes the name and keeps the stored block's type."""
    a = await Agent.new(registry)
    handle = await a.contact(name="Jens Hansen")
    r = await a.send(frames.contact_update(
        handle, chg=frames.contact_chg_postal("int", name="Jens Hansen")
        + frames.contact_chg_postal("loc", name="Jens Østergaard")))
    assert r.code == 1000, r.msg
    c = await row(registry, handle)
    assert (c.name, c.postal_type, c.city) == ("Jens Østergaard", "loc", "København V")
    r = await a.send(frames.contact_update(handle, chg=frames.contact_chg_postal(
        "int", name="Jens Ostergaard", street=["Unter den Linden 1"], city="Berlin",
        pc="10117", cc="DE")))
    assert r.code == 1000, r.msg
    c = await row(registry, handle)
    assert (c.name, c.postal_type, c.cc, c.street) == ("Jens Ostergaard", "int", "DE",
                                                       '["Unter den Linden 1"]')


async def test_empty_elements_clear_optional_fields(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(user_type="company", org="Punktum dk A/S", name="Anne Andersen",
                             cvr=PUNKTUM_CVR,
                             extra_ext=frames.dkhm_el("secondaryEmail", "info@example.dk",
                                                      "4.3"))
    r = await a.send(frames.contact_update(
        handle, chg=frames.contact_chg_postal("loc", name=""), voice="",
        ext=frames.dkhm_el("secondaryEmail", "", "4.3")))
    assert r.code == 1000, r.msg
    c = await row(registry, handle)
    assert (c.name, c.voice, c.secondary_email, c.org) == (None, None, None, "Punktum dk A/S")


async def test_user_type_change_applies_the_create_rules(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(name="Jens Hansen")
    await refused(a, frames.contact_update(handle, ext=frames.dkhm_el("userType", "company",
                                                                      "4.3")),
                  2003, "Value required for extension.dkhm:CVR", handle)
    r = await a.send(frames.contact_update(
        handle, chg=frames.contact_chg_postal("loc", org="Hansen ApS"),
        ext=frames.dkhm_el("userType", "company", "4.3") + frames.dkhm_el("CVR", PUNKTUM_CVR,
                                                                          "4.3")))
    assert r.code == 1000, r.msg
    c = await row(registry, handle)
    assert (c.user_type, c.org, c.name, c.cvr) == ("company", "Hansen ApS", "Jens Hansen",
                                                   PUNKTUM_CVR)


# one case over the wire; the matrix runs at the action in
# tests/actions/test_contact_update_rules.py
@pytest.mark.parametrize(("chg", "ext", "code", "start"), [
    (frames.contact_chg_postal("loc", street=["Vej 1"], city="Aarhus", pc="80000", cc="DK"), "",
     2005, "Parameter value syntax error"),
])
async def test_same_field_rules_as_create(registry, chg, ext, code, start) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    await refused(a, frames.contact_update(handle, chg=chg, ext=ext), code, start, handle)


async def test_cvr_rules_on_update(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(user_type="company", org="Punktum dk A/S", cvr=PUNKTUM_CVR)
    await refused(a, frames.contact_update(handle, ext=frames.dkhm_el("CVR", "24210376",
                                                                      "4.3")),
                  2005, "Invalid CVR number", handle)
    await refused(a, frames.contact_update(handle, ext=frames.dkhm_el("CVR", "", "4.3")),
                  2003, "Value required for extension.dkhm:CVR", handle)
    r = await a.send(frames.contact_update(handle, ext=frames.dkhm_el("CVR", "DK 13585628",
                                                                      "4.3")))
    assert r.code == 1000, r.msg
    assert (await row(registry, handle)).cvr == "13585628"


async def test_sole_proprietorship_needs_45_and_a_foreign_company(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    foreign = await a.contact(user_type="company", name="Test A/S", cc="FR",
                              street="Postbox 123", city="Paris", pc="14588",
                              voice="+33.325458877")
    r = await a.send(frames.contact_update(foreign, ext=frames.dkhm_el("sole_proprietorship",
                                                                       "true")))
    assert r.code == 1000, r.msg
    assert (await row(registry, foreign)).sole_proprietorship is True
    danish = await a.contact(email="dk@example.dk")
    msg = await refused(a, frames.contact_update(
        danish, ext=frames.dkhm_el("sole_proprietorship", "false")), 2306,
        "Parameter value policy error", danish)
    assert "dkhm:sole_proprietorship" in msg
    old = await Agent.new(registry, dkhm="4.3")
    mine = await old.contact()
    await refused(old, frames.contact_update(mine, ext=frames.dkhm_el("sole_proprietorship",
                                                                      "true", "4.3")),
                  2001, "Command syntax error", mine)


# ---------------------------------------------------------------------------------------
# who may


async def test_only_the_sponsor_may_update(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    handle = await a.contact()
    await a.domain(f"{unique('vis')}.dk", registrant=handle, tick=False)  # b may read it
    msg = await refused(b, frames.contact_update(handle, voice="+45.87654321"), 2201,
                        "Unauthorized", handle)
    assert "contact:id" in msg


async def test_registrant_managed_contact_is_updated_in_self_service(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(extra_ext=frames.dkhm_el("management", "registrant", "4.3"))
    msg = await refused(a, frames.contact_update(handle, voice="+45.87654321"), 2201,
                        "Unauthorized", handle)
    assert "self-service" in msg


async def test_unknown_contact(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.contact_update("ZZZ999999-DK", voice="+45.87654321"))
    assert (r.code, r.msg.split(";")[0]) == (2303, "Contact not found")


async def test_registry_update_tells_the_sponsor(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    async with registry.db.begin() as conn:
        result = await contact_update(registry.ctx(conn), ContactUpdate(
            id=handle, postal=[PostalChange("loc", {"street": ["Strøget 1"],
                                                    "city": "København K", "sp": None,
                                                    "pc": "1160", "cc": "DK"})]))
    assert result.pending_email is False
    c = await row(registry, handle)
    assert (c.city, c.updated_by) == ("København K", "DKHM1-DK")
    [msg] = await drain(a)
    assert poll_msg(msg) == f"The contact information has been updated for {handle}"
    assert msg.text(".//contact:city") == "København K"


async def test_service_user_without_proxy_role(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    reg_id = await registry.scalar("select id from registrars where handle = :h", h=a.handle)
    actor = Actor(registrar_id=reg_id, registrar_handle=a.handle, login="billing",
                  roles=frozenset({"payer"}))
    async with registry.db.begin() as conn:
        with pytest.raises(EppError) as exc:
            await contact_update(registry.ctx(conn, actor),
                                 ContactUpdate(id=handle, fields={"voice": "+45.87654321"}))
    assert (exc.value.code, exc.value.reason) == (2201, "no_privilege")


# ---------------------------------------------------------------------------------------
# request shape


async def test_status_add_or_remove_is_refused(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    for part in ("add", "rem"):
        msg = await refused(a, frames.contact_update(
            handle, chg=None, **{part: '<contact:status s="clientDeleteProhibited"/>'}),
            2102, "Unimplemented option", handle)
        assert "contact:status" in msg


async def test_disclose_is_refused(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    await refused(a, frames.contact_update(
        handle, chg='<contact:disclose flag="0"><contact:voice/></contact:disclose>'),
        2102, "Unimplemented option; contact:disclose", handle)


async def test_nothing_to_change(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    await refused(a, frames.contact_update(handle), 2003, "Required parameter missing", handle)


async def test_verification_with_other_changes_is_two_operations(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=False)
    await refused(a, frames.contact_update(
        handle, email="new@example.dk", ext=frames.contact_verification(True, True)), 2308,
        "Multiple operations perfomed in one request: (dkhm:contact_verification, "
        "contact:email)", handle)
    # the registry's own 5.3.1 example combines them too: refused the same way (§4.4)
    await refused(a, frames.contact_update(
        handle, chg=frames.contact_chg_postal("int", **US_ADDRESS),
        ext=frames.dkhm_el("mobilephone", "+1.7034444445")
        + frames.contact_verification(True)), 2308,
        "Multiple operations perfomed in one request: (dkhm:contact_verification, "
        "contact:postalInfo, dkhm:mobilephone)", handle)


# ---------------------------------------------------------------------------------------
# locked fields


async def test_register_locked_contact(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(user_type="company", org="Punktum dk A/S", cvr=PUNKTUM_CVR,
                             email="p@example.dk")
    async with registry.db.begin() as conn:
        await contact_verification.complete(registry.ctx(conn), handle)
    assert (await row(registry, handle)).register_locked is True
    for frame, field in [
        (frames.contact_update(handle, chg=frames.contact_chg_postal("loc", org="Andet A/S")),
         "contact:org"),
        (frames.contact_update(handle, chg=frames.contact_chg_postal(
            "loc", street=["Vesterbrogade 1"], city="Aarhus C", pc="8000", cc="DK")),
         "contact:postalInfo/contact:addr/contact:city"),
        (frames.contact_update(handle, ext=frames.dkhm_el("CVR", "13585628", "4.3")),
         "dkhm:CVR"),
        (frames.contact_update(handle, ext=frames.dkhm_el("userType", "association", "4.3")),
         "dkhm:userType"),
    ]:
        await refused(a, frame, 2304, LOCKED % field, handle)
    # the same values again are no change; other data stays the sponsor's
    r = await a.send(frames.contact_update(
        handle, chg=frames.contact_chg_postal("loc", org="Punktum dk A/S"), voice="+45.33646000",
        ext=frames.dkhm_el("CVR", PUNKTUM_CVR, "4.3")))
    assert r.code == 1000, r.msg
    assert (await row(registry, handle)).voice == "+45.33646000"


async def test_registrant_name_is_locked(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(name="Jens Hansen")
    await a.domain(f"{unique('owner')}.dk", registrant=handle, tick=False)
    await refused(a, frames.contact_update(
        handle, chg=frames.contact_chg_postal("loc", name="Hans Jensen")), 2304,
        LOCKED % "contact:name", handle)
    r = await a.send(frames.contact_update(handle, chg=frames.contact_chg_postal(
        "loc", street=["Nørregade 7"], city="Odense C", pc="5000", cc="DK")))
    assert r.code == 1000, r.msg


# ---------------------------------------------------------------------------------------
# e-mail changes wait for the new address's confirmation (here answered through
# ``pending.decide``, the registry's own path, as ``dkreg request accept`` does; the
# mailed link, the old address's notice and bounces: tests/selfservice/test_email_change.py)


async def test_email_change_waits_for_confirmation(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=True, email="old@example.dk")
    r = await a.send(frames.contact_update(handle, email="new@example.dk",
                                           voice="+45.87654321"))
    assert (r.code, r.msg) == (1001, PENDING_EMAIL)
    c = await row(registry, handle)
    assert (c.email, c.pending_email, c.voice) == ("old@example.dk", "new@example.dk",
                                                   "+45.87654321")
    due = registry.clock.now() + timedelta(hours=48)
    assert c.pending_email_due == due
    [req] = await requests(registry)
    assert req.kind == "email_change"
    assert (req.state, req.target, req.due_at, req.contact_id) == (
        "pending", "new@example.dk", due, c.id)
    r = await a.send(frames.contact_info(handle))
    assert r.text(".//contact:email") == "old@example.dk"
    confirm = r.find(".//dkhm45:confirm_email")
    assert (confirm.text, confirm.get("status"), confirm.get("expdate")) == (
        "new@example.dk", "pending", "2026-06-03T10:00:00.0Z")
    [msg] = await drain(a)
    assert poll_msg(msg) == (f"{handle} has to confirm the new primary email, new@example.dk, "
                             "to complete the update - registry")
    assert msg.find(".//dkhm45:confirm_email") is not None
    async with registry.db.begin() as conn:
        await pending.decide(registry.ctx(conn), req.id, "accepted")
    c = await row(registry, handle)
    assert (c.email, c.pending_email, c.pending_email_due) == ("new@example.dk", None, None)
    [msg] = await drain(a)
    assert poll_msg(msg) == (f"{handle} has confirmed the new primary email, new@example.dk "
                             "- registry")
    assert msg.find(".//contact:panData/contact:id").get("paResult") == "1"
    assert msg.text(".//contact:paTRID/epp:clTRID").startswith("TEST-")
    r = await a.send(frames.contact_info(handle))
    assert r.find(".//dkhm45:confirm_email") is None
    assert r.text(".//contact:email") == "new@example.dk"


async def test_unconfirmed_email_keeps_the_old_address(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=True, email="old@example.dk")
    assert (await a.send(frames.contact_update(handle, email="new@example.dk"))).code == 1001
    await drain(a)
    registry.clock.advance(timedelta(hours=47, minutes=59))
    await registry.tick()
    assert (await row(registry, handle)).pending_email == "new@example.dk"
    registry.clock.advance(timedelta(minutes=1))
    await registry.tick()
    c = await row(registry, handle)
    assert (c.email, c.pending_email) == ("old@example.dk", None)
    [msg] = await drain(a)
    assert poll_msg(msg) == (f"The new primary email, new@example.dk, was not confirmed for "
                             f"{handle} - registry")
    assert msg.find(".//contact:panData/contact:id").get("paResult") == "0"
    assert (await registry.tick()).total == 0


async def test_secondary_email_change_and_replacement(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=True)
    r = await a.send(frames.contact_update(handle, ext=frames.dkhm_el("secondaryEmail",
                                                                      "one@example.dk")))
    assert (r.code, r.msg) == (1001, PENDING_EMAIL)
    registry.clock.advance(timedelta(hours=1))
    r = await a.send(frames.contact_update(handle, ext=frames.dkhm_el("secondaryEmail",
                                                                      "two@example.dk")))
    assert r.code == 1001
    c = await row(registry, handle)
    assert (c.secondary_email, c.pending_secondary_email) == (None, "two@example.dk")
    assert [(q.target, q.state) for q in await requests(registry)] == [
        ("one@example.dk", "rejected"), ("two@example.dk", "pending")]
    msgs = [poll_msg(m) for m in await drain(a)]
    assert msgs == [
        f"{handle} has to confirm new secondary email, one@example.dk, to complete the update "
        "- registry",
        f"The new secondary email, one@example.dk, was not confirmed for {handle} - registry",
        f"{handle} has to confirm new secondary email, two@example.dk, to complete the update "
        "- registry"]
    r = await a.send(frames.contact_info(handle))
    assert r.text(".//dkhm45:confirm_secondary_email") == "two@example.dk"
    req_id = await registry.scalar("select id from pending_requests where state = 'pending'")
    async with registry.db.begin() as conn:
        await pending.decide(registry.ctx(conn), req_id, "rejected")
    assert (await row(registry, handle)).secondary_email is None
    assert [poll_msg(m) for m in await drain(a)] == [
        f"The new secondary email, two@example.dk, was not confirmed for {handle} - registry"]


async def test_same_email_is_no_change(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(email="same@example.dk")
    r = await a.send(frames.contact_update(handle, email="Same@Example.dk"))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert await registry.scalar("select count(*) from pending_requests") == 0


async def test_failed_update_leaves_no_pending_email(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(email="same@example.dk")
    await refused(a, frames.contact_update(handle, email="new@example.dk",
                                           voice="+45.1"), 2005,
                  "Parameter value syntax error", handle)
    assert await registry.scalar("select count(*) from pending_requests") == 0
    assert await registry.scalar("select count(*) from poll_messages") == 0


async def test_responsible_setting_is_shown(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    async with registry.db.begin() as conn:
        await conn.execute(text("update registrars set verification_responsible = 'registrar' "
                                "where handle = :h"), {"h": a.handle})
    handle = await a.contact(verified=False)
    r = await a.send(frames.contact_info(handle))
    assert r.text(".//dkhm45:contact_verification/dkhm45:responsible") == "registrar"

"""A registrar changes the registrant of one of its domains three times: to a validated
contact (at once), to a contact whose ID check is then accepted (pending, then one poll
message), and to one whose check never finishes (pending, then expiry and one poll
message). Every frame is schema-validated; the poll messages are read as a client does."""

from __future__ import annotations

from datetime import timedelta

from dkreg.actions import pending
from epp.update_support import drain, ready_registrar
from support import frames

DOMAIN = "skift.dk"
CHANGE_TEXT = "The registrant has"


async def new_contact(c, email: str, *, verified: bool) -> str:
    r = await c.request(frames.contact_create(verified=verified, dkhm="4.5", email=email))
    assert r.code == 1000, r.msg
    return r.text(".//contact:id")


async def info(c) -> tuple[str, list[str]]:
    r = await c.request(frames.domain_info(DOMAIN))
    return r.text(".//domain:registrant"), [s.get("s") for s in r.findall(".//domain:status")]


async def change_outcomes(c) -> list[tuple[str, str, str, str]]:
    """(text, paResult, clTRID, svTRID) of the registrant-change poll messages."""
    return [(m, r.find(".//domain:name").get("paResult"),
             r.text(".//domain:paTRID/epp:clTRID"), r.text(".//domain:paTRID/epp:svTRID"))
            for m, r in await drain(c) if m.startswith(CHANGE_TEXT)]


async def change(registry, c, handle: str, cl_trid: str):  # type: ignore[no-untyped-def]
    return await c.request(frames.domain_update(
        DOMAIN, registrant=handle, ext=frames.order_token_ext(registry.token(), "4.5"),
        cl_trid=cl_trid))


async def test_three_changes_of_registrant(registry) -> None:
    c, handle, first = await ready_registrar(registry, DOMAIN)

    # 1. a validated contact takes over at once
    validated = await new_contact(c, "valideret@example.dk", verified=True)
    r = await change(registry, c, validated, "SKIFT-1")
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert await info(c) == (validated, ["ok"])

    # 2. an unverified contact: pending until its check is accepted
    accepted = await new_contact(c, "accepteret@example.dk", verified=False)
    r = await change(registry, c, accepted, "SKIFT-2")
    assert (r.code, r.msg) == (1001, "Command completed. Pending registrant accept")
    sv_trid = r.text(".//epp:svTRID")
    assert await info(c) == (validated, ["pendingUpdate"])
    request_id = await registry.scalar(
        "select id from pending_requests where target = :h and state = 'pending'", h=accepted)
    registry.clock.advance(timedelta(days=3))
    async with registry.db.begin() as conn:
        await pending.decide(registry.ctx(conn), request_id, "accepted")
    assert await change_outcomes(c) == [
        (f"The registrant has been changed to {accepted} for {DOMAIN}", "1", "SKIFT-2",
         sv_trid)]
    assert await info(c) == (accepted, ["ok"])

    # 3. another unverified contact whose check is never completed
    late = await new_contact(c, "for-sent@example.dk", verified=False)
    r = await change(registry, c, late, "SKIFT-3")
    assert r.code == 1001, r.msg
    sv_trid = r.text(".//epp:svTRID")
    due = await registry.scalar("select verification_due from contacts where handle = :h",
                                h=late)
    assert due is not None
    registry.clock.advance(timedelta(days=registry.settings.nis2_verification_days) -
                           timedelta(seconds=1))
    await registry.tick()
    assert await change_outcomes(c) == []  # not yet
    registry.clock.advance(timedelta(seconds=1))
    await registry.tick()
    assert await change_outcomes(c) == [
        (f"The registrant has not been changed to {late} for {DOMAIN}, as the mandatory ID "
         "and/or data check was not completed in time", "0", "SKIFT-3", sv_trid)]
    registrant, statuses = await info(c)
    assert registrant == accepted
    assert "pendingUpdate" not in statuses
    assert await registry.scalar(
        "select state from pending_requests where target = :h", h=late) == "expired"
    # nothing is left waiting, and the first registrant lost its last role long ago
    assert await registry.scalar(
        "select count(*) from pending_requests where state = 'pending'") == 0
    assert await registry.scalar("select unlinked_at from contacts where handle = :h",
                                 h=first) is not None


async def test_the_new_registrants_completed_check_applies_the_change(registry) -> None:
    """The path NIS2 verification takes: completing the contact's check accepts the
    change of registrant that waited for it."""
    from dkreg.actions.contact import verification as contact_verification

    c, _, _ = await ready_registrar(registry, DOMAIN)
    new = await new_contact(c, "tjekket@example.dk", verified=False)
    r = await change(registry, c, new, "SKIFT-4")
    assert r.code == 1001, r.msg
    async with registry.db.begin() as conn:
        await contact_verification.complete(registry.ctx(conn), new, "id_data")
    assert [o[:3] for o in await change_outcomes(c)] == [
        (f"The registrant has been changed to {new} for {DOMAIN}", "1", "SKIFT-4")]
    assert await info(c) == (new, ["ok"])

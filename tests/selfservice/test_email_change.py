"""An e-mail change over EPP applies only when the NEW address proves itself (issue 11 §7).

contact:update answers 1001 and mails (real SMTP, aiosmtpd) the new address a one-time
link and the old address a notice. The link's page works without a login; a GET (a mail
scanner) changes nothing, the POST confirms; the old address then hears that the change
is complete. Whoever is logged in by the old address's magic link cannot accept the
change in self-service, only cancel it. A permanent refusal of the new address by the
relay (550) keeps the old address and reaches the sponsor as the registry's "email
bounce" poll message; a used or expired link gets a page that says what to do. Both
backends (the ``registry`` fixture).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import httpx

from selfservice.conftest import csrf_of
from support import frames
from support.epp_objects import Agent, unique

PENDING_EMAIL = "Command completed. Pending e-mail-address verification."
LINK_PATH = "/selfservice/email-change/"


async def polls(agent: Agent) -> list[str]:
    """The texts of every queued poll message of the agent's registrar, acknowledged."""
    out = []
    while True:
        r = await agent.send(frames.poll_req())
        if r.code == 1300:
            return out
        assert r.code == 1301, r.msg
        out.append(r.text(".//epp:msgQ/epp:msg"))
        ack = await agent.send(frames.poll_ack(r.find(".//epp:msgQ").get("id")))
        assert ack.code == 1000, ack.msg


async def contact_email(ss, handle: str) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    r = (await ss.registry.rows("select email, pending_email from contacts where handle = :h",
                                h=handle))[0]
    return r.email, r.pending_email


async def change(ss, old: str, new: str) -> str:  # type: ignore[no-untyped-def]
    """A verified contact at ``old`` whose sponsor changes it to ``new`` over EPP; the
    sponsor's poll queue is emptied. Returns the handle."""
    handle = await ss.contact(email=old, verified=True)
    await polls(ss.agent)
    r = await ss.agent.send(frames.contact_update(handle, email=new))
    assert (r.code, r.msg) == (1001, PENDING_EMAIL)
    return handle


async def test_the_new_address_confirms_by_its_link_and_the_old_one_is_told(ss, mailbox) -> None:  # type: ignore[no-untyped-def]
    old, new = f"{unique('old')}@example.dk", f"{unique('new')}@example.dk"
    handle = await change(ss, old, new)
    await mailbox.deliver()
    [confirm] = mailbox.to(new)
    assert handle in confirm["Subject"]
    link = mailbox.link(confirm)
    base = ss.registry.settings.public_base_url
    assert link.startswith(base + LINK_PATH), link
    assert new in mailbox.text(confirm) and "password" not in mailbox.text(confirm).lower()
    [notice] = mailbox.to(old)
    assert new in mailbox.text(notice) and handle in notice["Subject"]
    assert LINK_PATH not in mailbox.text(notice)  # the old address cannot confirm
    # the token is kept only as its SHA-256
    token = link.rsplit("/", 1)[1]
    stored = await ss.registry.scalar("select token_hash from pending_requests "
                                      "where state = 'pending'")
    assert stored == hashlib.sha256(token.encode()).hexdigest()

    c = ss.client()  # no session: the link is the proof
    path = httpx.URL(link).path
    for _ in range(2):  # scanners and previews: GET shows the button, changes nothing
        page = await c.get(path)
        assert page.status_code == 200 and 'id="confirm-email-change"' in page.text
        assert page.headers["referrer-policy"] == "no-referrer"
    assert await contact_email(ss, handle) == (old, new)
    done = await c.post(path)
    assert done.status_code == 200 and 'id="email-change-confirmed"' in done.text
    assert await contact_email(ss, handle) == (new, None)
    assert await polls(ss.agent) == [
        f"{handle} has to confirm the new primary email, {new}, to complete the update - "
        "registry",
        f"{handle} has confirmed the new primary email, {new} - registry"]
    await mailbox.deliver()
    [_, completed] = mailbox.to(old)
    assert new in mailbox.text(completed) and completed["Subject"] != notice["Subject"]
    again = await c.post(path)  # single use
    assert again.status_code == 400 and 'id="email-change-used"' in again.text
    assert (await c.get(path)).status_code == 400
    assert await ss.count("select count(*) from audit where command = "
                          "'email_change_confirm' and result_code = 1000") == 1


async def test_the_old_address_cannot_accept_in_self_service_only_cancel(ss, mailbox) -> None:  # type: ignore[no-untyped-def]
    old, new = f"{unique('old')}@example.dk", f"{unique('new')}@example.dk"
    handle = await change(ss, old, new)
    rid = await ss.registry.scalar("select id from pending_requests where state = 'pending'")
    me = await ss.link_login(mailbox, old)  # logged in by the OLD address's magic link
    page = await me.get("/selfservice/requests")
    assert f'id="request-{rid}"' in page.text  # it shows the change waiting ...
    assert 'value="accepted"' not in page.text  # ... with nothing to accept it
    assert 'cancel-change"' in page.text  # a button that only cancels
    r = await me.post(f"/selfservice/requests/{rid}",
                      data={"outcome": "accepted", "csrf": csrf_of(page.text)})
    assert r.status_code == 403
    assert await contact_email(ss, handle) == (old, new)
    assert await ss.registry.scalar("select state from pending_requests where id = :i",
                                    i=rid) == "pending"
    assert await ss.count("select count(*) from audit where command = 'selfservice_refused' "
                          "and result_code = 2201") == 1
    csrf = await ss.csrf(me, "/selfservice/requests")
    r = await me.post(f"/selfservice/requests/{rid}", data={"outcome": "rejected", "csrf": csrf})
    assert r.status_code == 303
    assert await contact_email(ss, handle) == (old, None)
    assert (await polls(ss.agent))[-1] == (
        f"The new primary email, {new}, was not confirmed for {handle} - registry")
    link = httpx.URL(mailbox.link(mailbox.to(new)[0])).path  # cancelled: the link is dead
    page = await ss.client().get(link)
    assert page.status_code == 400 and 'id="email-change-closed"' in page.text
    r = await ss.client().post(link)
    assert r.status_code == 400
    assert await contact_email(ss, handle) == (old, None)


async def test_a_permanently_refused_new_address_keeps_the_old_one(ss, mailbox) -> None:  # type: ignore[no-untyped-def]
    old, new = f"{unique('old')}@example.dk", "never-delivered@nowhere.invalid"
    mailbox.catcher.refuse_for[new] = "550 5.1.1 <never-delivered@nowhere.invalid>: no such user"
    handle = await change(ss, old, new)
    report = await mailbox.deliver()
    assert (report.sent, report.failed) == (1, 1)  # the notice to the old address went
    assert mailbox.to(new) == [] and len(mailbox.to(old)) == 1
    assert await contact_email(ss, handle) == (old, None)
    assert await ss.registry.scalar("select state from pending_requests") == "rejected"
    assert await polls(ss.agent) == [
        f"{handle} has to confirm the new primary email, {new}, to complete the update - "
        "registry",
        f"Email delivery (failed) failed for the primary email, {new}, of {handle}. "
        "Please review and correct the email address.",
        f"The new primary email, {new}, was not confirmed for {handle} - registry"]
    assert await ss.count("select count(*) from audit where command = "
                          "'email_change_bounced'") == 1


async def test_a_temporary_refusal_is_no_bounce(ss, mailbox) -> None:  # type: ignore[no-untyped-def]
    old, new = f"{unique('old')}@example.dk", f"{unique('slow')}@example.dk"
    mailbox.catcher.refuse_for[new] = "451 4.3.0 try again later"
    handle = await change(ss, old, new)
    assert (await mailbox.deliver()).retried == 1
    assert await contact_email(ss, handle) == (old, new)
    assert await ss.registry.scalar("select state from pending_requests") == "pending"


async def test_a_secondary_address_confirms_by_its_link(ss, mailbox) -> None:  # type: ignore[no-untyped-def]
    primary, second = f"{unique('main')}@example.dk", f"{unique('second')}@example.dk"
    handle = await ss.contact(email=primary, verified=True)
    r = await ss.agent.send(frames.contact_update(
        handle, ext=frames.dkhm_el("secondaryEmail", second)))
    assert (r.code, r.msg) == (1001, PENDING_EMAIL)
    await mailbox.deliver()
    [notice] = mailbox.to(primary)  # no secondary address before: the primary one hears
    assert second in mailbox.text(notice)
    path = httpx.URL(mailbox.link(mailbox.to(second)[0])).path
    assert (await ss.client().post(path)).status_code == 200
    assert await ss.registry.scalar("select secondary_email from contacts where handle = :h",
                                    h=handle) == second


async def test_an_expired_link_is_refused_with_what_to_do(ss, mailbox) -> None:  # type: ignore[no-untyped-def]
    old, new = f"{unique('old')}@example.dk", f"{unique('late')}@example.dk"
    handle = await change(ss, old, new)
    await mailbox.deliver()
    path = httpx.URL(mailbox.link(mailbox.to(new)[0])).path
    hours = ss.registry.settings.nis2_email_change_hours
    ss.registry.clock.advance(timedelta(hours=hours, seconds=1))
    c = ss.client()
    for r in (await c.get(path), await c.post(path)):
        assert r.status_code == 400 and 'id="email-change-closed"' in r.text
        assert "registrar" in r.text  # ask the registrar to change it again
    assert await contact_email(ss, handle) == (old, new)  # lifecycle expires it, as before
    await ss.registry.tick()
    assert await contact_email(ss, handle) == (old, None)
    unknown = await c.get(LINK_PATH + "x" * 43)
    assert unknown.status_code == 400 and 'id="email-change-unknown"' in unknown.text

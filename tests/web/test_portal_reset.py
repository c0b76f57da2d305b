"""Forgot password: one answer for every address (existing, unknown, disabled, invited),
a mail over SMTP only for an active user, a one-time link (same token rules as
invitations, 30 minutes) that sets a new password and ends every session the user had,
and throttling per submitted address and per client address."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from support import PASSWORD
from web.conftest import csrf_of
from web.test_portal_users import NEW_PASSWORD, audit, invite, link_path, set_password

FORGOT = "/portal/password/forgot"


async def ask(web, email: str, ip: str = "192.0.2.10"):  # type: ignore[no-untyped-def]
    c = web.client(ip)
    page = await c.get(FORGOT)
    return await c.post(FORGOT, data={"csrf": csrf_of(page.text), "email": email})


def without_csrf(html: str) -> str:
    return html.replace(csrf_of(html), "T") if 'name="csrf"' in html else html


async def test_the_answer_is_the_same_for_every_address_and_only_a_user_gets_mail(
        web, mailbox) -> None:  # type: ignore[no-untyped-def]
    c, handle, _admin = await web.logged_in("administration")
    login_page = await web.client().get("/portal/login")
    assert f'href="{FORGOT}"' in login_page.text
    active = await web.user(handle, "portfolio")
    disabled = await web.user(handle, "accounting")
    async with web.registry.db.begin() as conn:
        await conn.execute(text("update portal_users set disabled = true where email = :e"),
                           {"e": disabled})
    await invite(web, c, "invited@example.dk")
    await mailbox.deliver()
    mailbox.messages.clear()

    answers = [await ask(web, email) for email in
               (active, "nobody@example.dk", disabled, "invited@example.dk")]
    assert {a.status_code for a in answers} == {200}
    assert len({without_csrf(a.text) for a in answers}) == 1
    assert 'id="forgot-sent"' in answers[0].text

    report = await mailbox.deliver()
    assert report.sent == 1
    [msg] = mailbox.messages
    assert msg["To"] == active and "30 minutter" in mailbox.text(msg)  # Danish by default
    assert link_path(mailbox, msg).startswith("/portal/reset/")
    requested = await audit(web, "portal_password_reset_requested")
    assert [(r.actor, r.request) for r in requested] == [
        (active, "mailed"), ("nobody@example.dk", "no active user"),
        (disabled, "no active user"), ("invited@example.dk", "no active user")]


async def test_the_reset_link_sets_a_new_password_once_and_ends_old_sessions(
        web, mailbox) -> None:  # type: ignore[no-untyped-def]
    old_session, _handle, email = await web.logged_in("portfolio")
    c = web.client()
    await c.get("/lang/en?next=/portal/login")
    page = await c.get(FORGOT)
    await c.post(FORGOT, data={"csrf": csrf_of(page.text), "email": email.upper()})
    await mailbox.deliver()
    [msg] = mailbox.to(email)
    assert msg["Subject"] == "New password for the registrar portal"  # the request's language
    path = link_path(mailbox, msg)

    assert (await web.client().get(path)).status_code == 200  # GET does not use it
    assert (await old_session.get("/portal/")).status_code == 200
    r = await set_password(web, path)
    assert r.status_code == 303
    assert (await old_session.get("/portal/")).status_code == 303  # logged out everywhere
    assert (await web.attempt(web.client(), email, PASSWORD)).status_code == 401
    await web.login(email, NEW_PASSWORD)
    assert (await set_password(web, path, "Third-Passw0rd")).status_code == 410
    [done] = await audit(web, "portal_password_set")
    assert (done.actor, done.request) == (email, "via=reset")

    # 30 minutes, then the link is dead
    await ask(web, email)
    await mailbox.deliver()
    late = link_path(mailbox, mailbox.to(email)[-1])
    web.registry.clock.advance(timedelta(minutes=web.registry.settings.portal_reset_minutes,
                                         seconds=1))
    assert (await set_password(web, late, "Fourth-Passw0rd")).status_code == 410
    await web.login(email, NEW_PASSWORD)


async def test_reset_requests_are_throttled_per_address_and_per_client(web, mailbox) -> None:  # type: ignore[no-untyped-def]
    s = web.registry.settings
    s.portal_reset_max_per_email, s.portal_reset_max_per_ip = 2, 4
    handle = await web.registrar()
    email = await web.user(handle, "administration")
    for n in range(2):
        assert (await ask(web, email, f"198.51.100.{n}")).status_code == 200
        assert (await ask(web, "ghost@example.dk", f"198.51.100.{n}")).status_code == 200
    r = await ask(web, email, "198.51.100.9")
    assert r.status_code == 429 and 'id="email-error"' in r.text
    assert (await ask(web, "ghost@example.dk", "198.51.100.9")).status_code == 429
    # per client: the fifth address from one client is refused, another client is not
    for n in range(4):
        assert (await ask(web, f"guess{n}@example.dk", "203.0.113.5")).status_code == 200
    assert (await ask(web, "guess9@example.dk", "203.0.113.5")).status_code == 429
    assert (await ask(web, "guess9@example.dk", "203.0.113.6")).status_code == 200
    assert (await mailbox.deliver()).sent == 2
    assert len(await audit(web, "portal_password_reset_throttled")) == 3
    web.registry.clock.advance(timedelta(seconds=s.portal_login_window + 1))
    assert (await ask(web, email, "198.51.100.9")).status_code == 200
    assert (await mailbox.deliver()).sent == 1

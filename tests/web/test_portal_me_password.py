"""My account: a portal user changes their own password. The current password is asked
again and a wrong one counts as a failed login (the login's throttle); the new one
follows the portal's rule and is stored as argon2id; every other session of the user
ends, this one stays; the change is audited and answered with a redirect carrying its
summary (Post/Redirect/Get). Every problem with the form is named at once."""

from __future__ import annotations

import html
import re

from support import PASSWORD
from web.conftest import csrf_of

ME = "/portal/me"
NEW = "Changed-Passw0rd"


def errors_of(page: str) -> dict[str, str]:
    """The error summary's lines: field -> text."""
    return {m.group(1): html.unescape(m.group(2)) for m in re.finditer(
        r'<li data-field="([^"]+)"><a href="#\1" class="function-link">([^<]*)</a></li>', page)}


async def change(c, current: str, new: str, again: str | None = None):  # type: ignore[no-untyped-def]
    page = await c.get(ME)
    assert page.status_code == 200
    return await c.post(ME + "/password", data={
        "csrf": csrf_of(page.text), "current_password": current, "password": new,
        "password_again": new if again is None else again})


async def stored_hash(web, email: str) -> str:  # type: ignore[no-untyped-def]
    return await web.registry.scalar("select password_hash from portal_users where email = :e",
                                     e=email)


async def failures(web, email: str) -> int:  # type: ignore[no-untyped-def]
    return await web.registry.scalar(
        "select count(*) from portal_login_failures where email = :e", e=email)


async def events(web, command: str) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(r.actor, r.result_code) for r in await web.registry.rows(
        "select actor, result_code from audit where command = :c order by id", c=command)]


async def test_the_password_changes_and_the_other_sessions_end(web) -> None:
    c, handle, email = await web.logged_in("portfolio")
    elsewhere = await web.login(email)  # the same person on another device
    other_user = await web.login(await web.user(handle, "accounting"))
    page = (await c.get(ME)).text
    assert 'for="current_password"' in page and 'autocomplete="current-password"' in page
    assert 'aria-describedby="password-hint"' in page  # the rule is linked to its field
    old_hash = await stored_hash(web, email)

    r = await change(c, PASSWORD, NEW)
    assert r.status_code == 303 and r.headers["location"] == ME
    shown = await c.get(ME)
    assert shown.status_code == 200 and 'id="flash"' in shown.text
    assert "Din adgangskode er skiftet" in shown.text
    assert 'id="flash"' not in (await c.get(ME)).text  # once: a reload shows no summary

    new_hash = await stored_hash(web, email)
    assert new_hash != old_hash and new_hash.startswith("$argon2id$") and NEW not in new_hash
    # the other device is logged out, this one and the other user are not
    r = await elsewhere.get(ME)
    assert r.status_code == 303 and r.headers["location"].startswith("/portal/login")
    assert (await other_user.get("/portal/account")).status_code == 200
    # the old password no longer logs in, the new one does
    assert (await web.attempt(web.client(), email, PASSWORD)).status_code == 401
    assert (await web.attempt(web.client(), email, NEW)).status_code == 303
    assert await events(web, "portal_password_changed") == [(email, 1000)]
    assert await failures(web, email) == 1  # the one attempt with the old password


async def test_a_wrong_current_password_is_named_and_counts_as_a_failed_login(web) -> None:
    c, _handle, email = await web.logged_in("administration")
    before = await stored_hash(web, email)
    r = await change(c, "Not-The-Passw0rd", NEW)
    assert r.status_code == 400
    assert errors_of(r.text) == {
        "current_password": "Nuværende adgangskode: Den nuværende adgangskode er forkert."}
    assert "<title>Fejl: " in r.text and 'id="errors"' in r.text and "autofocus" in r.text
    assert 'id="current_password-error"' in r.text
    assert 'aria-describedby="current_password-error"' in r.text
    assert NEW not in r.text and "Not-The-Passw0rd" not in r.text  # never echoed
    assert await stored_hash(web, email) == before
    assert await failures(web, email) == 1
    assert await events(web, "portal_password_change_failed") == [(email, 2200)]
    assert await events(web, "portal_password_changed") == []
    assert (await c.get(ME)).status_code == 200  # still logged in


async def test_every_problem_is_named_at_once_in_the_reader_s_language(web) -> None:
    c, _handle, email = await web.logged_in("portfolio")
    await c.get("/lang/en?next=/portal/")
    before = await stored_hash(web, email)
    r = await change(c, "wrong", "short", "other")
    assert r.status_code == 400 and "<title>Error: " in r.text
    shown = errors_of(r.text)
    assert list(shown) == ["current_password", "password", "password_again"]
    assert shown["current_password"] == "Current password: The current password is wrong."
    assert shown["password"].startswith("New password: The password must have 8–64")
    assert shown["password_again"] == "Repeat the password: The two passwords differ."
    # the right current password with a new one against the rule: not a failed login
    r = await change(c, PASSWORD, "alllowercase", "alllowercase")
    assert r.status_code == 400 and list(errors_of(r.text)) == ["password"]
    r = await change(c, PASSWORD, NEW, NEW + "x")
    assert r.status_code == 400 and list(errors_of(r.text)) == ["password_again"]
    assert await failures(web, email) == 1  # only the wrong current password counted
    assert await stored_hash(web, email) == before


async def test_guessing_through_the_form_meets_the_login_throttle(web) -> None:
    c, _handle, email = await web.logged_in("portfolio")
    for _ in range(web.registry.settings.portal_login_max_failures_account):
        assert (await change(c, "Guess-Passw0rd", NEW)).status_code == 400
    r = await change(c, PASSWORD, NEW)  # even the right one waits now
    assert r.status_code == 429
    assert "For mange mislykkede forsøg" in errors_of(r.text)["current_password"]
    assert await events(web, "portal_password_changed") == []
    assert (await web.attempt(web.client(), email, PASSWORD)).status_code == 429


async def test_no_change_without_the_session_s_csrf_token(web) -> None:
    c, _handle, email = await web.logged_in("portfolio")
    before = await stored_hash(web, email)
    r = await c.post(ME + "/password", data={"current_password": PASSWORD, "password": NEW,
                                             "password_again": NEW})
    assert r.status_code == 403 and await stored_hash(web, email) == before
    anonymous = await web.client().post(ME + "/password", data={
        "current_password": PASSWORD, "password": NEW, "password_again": NEW})
    assert anonymous.status_code == 303 and await stored_hash(web, email) == before

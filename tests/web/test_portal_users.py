"""Administration > Users and My account: invitations over a real SMTP server with
one-time links (GET does not use them, POST does once; expired, used and replaced links
refused alike), group changes effective on the user's next request, disabling that logs
out at once, the last enabled administrator kept, other registrars' users out of reach,
the Administration group only; TOTP on and off with codes, the two-step login with replay
refused and wrong codes throttled; audit rows naming the portal user for every change."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from urllib.parse import urlsplit

from dkreg.model import totp
from support import PASSWORD
from web.conftest import csrf_of

USERS = "/portal/users"
NEW_PASSWORD = "Invited-Passw0rd"
_SECRET = re.compile(r'<code id="totp-secret">([A-Z2-7]+)</code>')


async def audit(web, command: str) -> list:  # type: ignore[no-untyped-def]
    return await web.registry.rows(
        "select actor, object, request, registrar_id, result_code, door from audit "
        "where command = :c order by id", c=command)


async def user_row(web, email: str):  # type: ignore[no-untyped-def]
    rows = await web.registry.rows(
        "select id, privilege_group, disabled, invited, totp_enabled_at, registrar_id "
        "from portal_users where email = :e", e=email)
    return rows[0] if rows else None


def link_path(mailbox, msg) -> str:  # type: ignore[no-untyped-def]
    link = mailbox.link(msg)
    assert link.startswith("http://127.0.0.1:8000/portal/"), link  # settings.public_base_url
    return urlsplit(link).path


async def set_password(web, path: str, password: str = NEW_PASSWORD,  # type: ignore[no-untyped-def]
                       again: str | None = None):
    """Open a one-time link in a fresh browser and submit the password form."""
    c = web.client()
    page = await c.get(path)
    if page.status_code != 200:
        return page
    return await c.post(path, data={"csrf": csrf_of(page.text), "password": password,
                                    "password_again": password if again is None else again})


async def invite(web, c, email: str, group: str = "portfolio"):  # type: ignore[no-untyped-def]
    return await c.post(USERS, data={"csrf": await web.csrf(c, USERS), "email": email,
                                     "group": group})


async def op(web, c, name: str, user_id: int, **extra: str):  # type: ignore[no-untyped-def]
    return await c.post(f"{USERS}/{name}", data={"csrf": await web.csrf(c), "id": str(user_id),
                                                 **extra})


def same_page(a: str, b: str) -> bool:
    """Equal apart from the token in the language switch's way back to the page."""
    token = re.compile(r"(invite|reset)%2F[A-Za-z0-9_-]+")
    return token.sub("T", a) == token.sub("T", b)


def code_at(secret: str, web, steps: int = 0) -> str:  # type: ignore[no-untyped-def]
    moment = web.registry.clock.now() + timedelta(seconds=30 * steps)
    return totp.totp(base64.b32decode(secret), moment)


async def turn_totp_on(web, c) -> str:  # type: ignore[no-untyped-def]
    r = await c.post("/portal/me/totp/start", data={"csrf": await web.csrf(c)})
    assert r.status_code == 303
    page = await c.get("/portal/me")
    secret = _SECRET.search(page.text)
    assert secret, "no TOTP secret on the page"
    r = await c.post("/portal/me/totp/confirm", data={"csrf": csrf_of(page.text),
                                                      "code": code_at(secret.group(1), web)})
    assert r.status_code == 303 and r.headers["location"] == "/portal/me"
    shown = await c.get("/portal/me")  # the change's summary, once (Post/Redirect/Get)
    assert 'id="flash"' in shown.text and 'id="totp-status"' in shown.text
    return secret.group(1)


# -- invitations ----------------------------------------------------------------------------

async def test_invitation_mail_link_sets_the_password_once_and_the_user_logs_in(
        web, mailbox) -> None:  # type: ignore[no-untyped-def]
    c, handle, admin = await web.logged_in("administration")
    await c.get("/lang/en?next=/portal/")  # the inviting admin's page language picks the mail's
    r = await invite(web, c, "New.Person@Example.dk", "accounting")
    assert r.status_code == 303 and r.headers["location"] == USERS
    row = await user_row(web, "new.person@example.dk")
    assert (row.privilege_group, row.invited, row.disabled) == ("accounting", True, False)
    page = await c.get(USERS)
    assert 'data-email="new.person@example.dk"' in page.text and "Invited" in page.text
    flash = re.search(r'id="flash">.*?<p class="alert-text">([^<]*)</p>', page.text, re.S)
    assert flash and flash.group(1) == "The invitation to new.person@example.dk is sent."
    assert 'id="flash"' not in (await c.get(USERS)).text  # shown once, a reload does not
    # invited: no login yet, the same answer as a wrong password
    assert (await web.attempt(web.client(), "new.person@example.dk", "")).status_code == 401

    report = await mailbox.deliver()
    assert report.sent == 1
    [msg] = mailbox.to("new.person@example.dk")
    assert handle in msg["Subject"] and msg["Subject"].startswith("Invitation")
    assert admin in mailbox.text(msg) and "72 hours" in mailbox.text(msg)
    path = link_path(mailbox, msg)
    assert mailbox.html(msg) and path in mailbox.html(msg)
    token = path.rsplit("/", 1)[1]
    stored = await web.registry.rows("select token_hash, purpose from portal_user_tokens")
    assert [s.purpose for s in stored] == ["invite"] and token not in stored[0].token_hash

    # a mail scanner (or the person, twice) opening the link does not use it
    for _ in range(2):
        page = await web.client().get(path)
        assert page.status_code == 200 and "new.person@example.dk" in page.text
        assert 'for="password"' in page.text and 'for="password_again"' in page.text
    # a password against the rule, or two that differ: shown, link still good
    r = await set_password(web, path, "short")
    assert r.status_code == 400 and 'id="password-error"' in r.text
    assert 'aria-describedby="password-hint password-error"' in r.text
    r = await set_password(web, path, NEW_PASSWORD, again="Other-Passw0rd")
    assert r.status_code == 400 and 'id="password_again-error"' in r.text
    assert (await user_row(web, "new.person@example.dk")).invited

    r = await set_password(web, path)
    assert r.status_code == 303 and r.headers["location"] == "/portal/login?password_set=1"
    row = await user_row(web, "new.person@example.dk")
    assert not row.invited
    home = await (await web.login("new.person@example.dk", NEW_PASSWORD)).get("/portal/")
    assert home.status_code == 200 and 'id="group">Regnskab' in home.text

    # used once: the link is now refused, GET and POST alike
    assert (await web.client().get(path)).status_code == 410
    assert (await set_password(web, path, "Another-Passw0rd")).status_code == 410
    [inv] = await audit(web, "portal_user_invite")
    assert (inv.actor, inv.object, inv.request, inv.door) == (
        admin, "new.person@example.dk", "group=accounting", "portal")
    [done] = await audit(web, "portal_password_set")
    assert (done.actor, done.request) == ("new.person@example.dk", "via=invite")
    assert len(await audit(web, "portal_link_invalid")) == 2  # two GETs of the used link


async def test_expired_replaced_and_unknown_links_get_one_page(web, mailbox) -> None:  # type: ignore[no-untyped-def]
    c, _handle, _admin = await web.logged_in("administration")
    await invite(web, c, "late@example.dk")
    await invite(web, c, "twice@example.dk")
    uid = (await user_row(web, "twice@example.dk")).id
    r = await op(web, c, "reinvite", uid)
    assert r.status_code == 303
    await mailbox.deliver()
    [late] = [link_path(mailbox, m) for m in mailbox.to("late@example.dk")]
    old, new = [link_path(mailbox, m) for m in mailbox.to("twice@example.dk")]
    assert old != new

    replaced = await web.client().get(old)
    unknown = await web.client().get("/portal/invite/" + "x" * 43)
    assert replaced.status_code == unknown.status_code == 410
    assert same_page(replaced.text, unknown.text) and 'id="link-invalid"' in replaced.text
    assert (await set_password(web, new)).status_code == 303

    web.registry.clock.advance(timedelta(hours=web.registry.settings.portal_invitation_hours,
                                         seconds=1))
    expired = await web.client().get(late)
    assert expired.status_code == 410 and same_page(expired.text, unknown.text)
    # the POST with the form fetched just before the deadline is refused too
    web.registry.clock.advance(timedelta(seconds=-2))
    c2 = web.client()
    page = await c2.get(late)
    assert page.status_code == 200
    web.registry.clock.advance(timedelta(seconds=2))
    r = await c2.post(late, data={"csrf": csrf_of(page.text), "password": NEW_PASSWORD,
                                  "password_again": NEW_PASSWORD})
    assert r.status_code == 410
    assert (await user_row(web, "late@example.dk")).invited
    invalid = await audit(web, "portal_link_invalid")
    assert len(invalid) == 4 and all(i.result_code == 2303 for i in invalid)


async def test_inviting_an_existing_user_or_a_bad_address_is_refused(web) -> None:
    c, _handle, admin = await web.logged_in("administration")
    r = await invite(web, c, admin)
    assert r.status_code == 400 and 'id="email-error"' in r.text
    r = await invite(web, c, "not-an-address")
    assert r.status_code == 400 and 'aria-invalid="true"' in r.text
    r = await invite(web, c, "ok@example.dk", "root")
    assert r.status_code == 400 and 'id="group-error"' in r.text
    assert await web.registry.scalar("select count(*) from portal_users") == 1
    assert await web.registry.scalar("select count(*) from mail_outbox") == 0


# -- group, disable, scope -------------------------------------------------------------------

async def test_a_group_change_applies_on_the_users_next_request(web) -> None:
    admin_c, handle, admin = await web.logged_in("administration")
    worker_c, _h, worker = await web.logged_in("portfolio", handle)
    assert (await worker_c.get(USERS)).status_code == 403
    uid = (await user_row(web, worker)).id
    r = await op(web, admin_c, "group", uid, group="administration")
    assert r.status_code == 303
    assert (await worker_c.get(USERS)).status_code == 200  # same session, new privileges
    r = await op(web, admin_c, "group", uid, group="accounting")
    assert (await worker_c.get("/portal/domains")).status_code == 403
    [first, second] = await audit(web, "portal_user_group")
    assert (first.actor, first.object, first.request) == (
        admin, worker, "group=portfolio->administration")
    assert second.request == "group=administration->accounting"


async def test_disabling_logs_the_user_out_at_once_and_enabling_lets_them_back(web) -> None:
    admin_c, handle, _admin = await web.logged_in("administration")
    worker_c, _h, worker = await web.logged_in("portfolio", handle)
    uid = (await user_row(web, worker)).id
    r = await op(web, admin_c, "disable", uid)
    assert r.status_code == 303
    assert await web.registry.scalar(
        "select count(*) from portal_sessions where portal_user_id = :u", u=uid) == 0
    assert (await worker_c.get("/portal/")).status_code == 303
    assert (await web.attempt(web.client(), worker, PASSWORD)).status_code == 401
    page = await admin_c.get(USERS)
    assert "Spærret" in page.text
    r = await op(web, admin_c, "enable", uid)
    assert r.status_code == 303
    await web.login(worker)
    assert [a.object for a in await audit(web, "portal_user_disable")] == [worker]
    assert [a.object for a in await audit(web, "portal_user_enable")] == [worker]


async def test_the_last_enabled_administrator_cannot_disable_or_demote_themself(web) -> None:
    c, handle, admin = await web.logged_in("administration")
    uid = (await user_row(web, admin)).id
    page = await c.get(USERS)
    assert 'id="last-admin-hint"' in page.text
    for name, extra in (("disable", {}), ("group", {"group": "portfolio"})):
        r = await op(web, c, name, uid, **extra)
        assert r.status_code == 409 and 'id="id-error"' in r.text
        assert "sidste aktive administrator" in r.text
    row = await user_row(web, admin)
    assert (row.privilege_group, row.disabled) == ("administration", False)
    # a disabled or invited administrator does not count as the other one
    other = await web.user(handle, "administration")
    other_id = (await user_row(web, other)).id
    assert (await op(web, c, "disable", other_id)).status_code == 303
    await invite(web, c, "pending.admin@example.dk", "administration")
    assert (await op(web, c, "group", uid, group="portfolio")).status_code == 409
    assert (await op(web, c, "enable", other_id)).status_code == 303
    r = await op(web, c, "group", uid, group="portfolio")
    assert r.status_code == 303
    assert (await c.get(USERS)).status_code == 403  # demoted: the next request knows it


async def test_users_of_other_registrars_are_out_of_reach(web, mailbox) -> None:  # type: ignore[no-untyped-def]
    c, _handle, _admin = await web.logged_in("administration")
    other_handle = await web.registrar()
    stranger = await web.user(other_handle, "portfolio")
    sid = (await user_row(web, stranger)).id
    assert stranger not in (await c.get(USERS)).text
    for name, extra in (("group", {"group": "administration"}), ("disable", {}),
                        ("enable", {}), ("reinvite", {}), ("reset-totp", {}),
                        ("nonsense", {})):
        r = await op(web, c, name, sid, **extra)
        assert r.status_code == 404, name
    # answered like any invitation (issue 11, item 9), but the other registrar's user is
    # untouched: only a mail to the address says the invitation cannot be used with it
    r = await invite(web, c, stranger)
    assert r.status_code == 303
    row = await user_row(web, stranger)
    assert (row.privilege_group, row.disabled, row.invited, row.registrar_id) == (
        "portfolio", False, False, (await user_row(web, stranger)).registrar_id)
    assert (await web.login(stranger)).cookies
    assert await web.registry.scalar(
        "select kind from mail_outbox") == "portal_invitation_existing"
    for command in ("portal_user_group", "portal_user_disable", "portal_user_enable",
                    "portal_user_totp_reset"):
        assert await audit(web, command) == []


async def test_portfolio_and_accounting_get_403_and_change_nothing(web) -> None:
    admin_c, handle, admin = await web.logged_in("administration")
    aid = (await user_row(web, admin)).id
    for group in ("portfolio", "accounting"):
        c, _h, email = await web.logged_in(group, handle)
        assert (await c.get(USERS)).status_code == 403
        assert "/portal/users" not in (await c.get("/portal/")).text  # not in the menu
        csrf = await web.csrf(c)
        r = await c.post(USERS, data={"csrf": csrf, "email": "x@example.dk",
                                      "group": "administration"})
        assert r.status_code == 403
        for name in ("group", "disable", "enable", "reinvite", "reset-totp"):
            r = await c.post(f"{USERS}/{name}", data={"csrf": csrf, "id": str(aid),
                                                      "group": "portfolio"})
            assert r.status_code == 403, name
        row = await user_row(web, email)
        assert row.privilege_group == group
    row = await user_row(web, admin)
    assert (row.privilege_group, row.disabled) == ("administration", False)
    assert await web.registry.scalar("select count(*) from portal_users") == 3
    forbidden = await audit(web, "portal_forbidden")
    assert len(forbidden) == 14 and {f.result_code for f in forbidden} == {2201}
    assert "/portal/users" in (await admin_c.get("/portal/")).text


# -- TOTP -----------------------------------------------------------------------------------

async def test_totp_on_then_login_needs_a_fresh_code_and_off_needs_one_too(web) -> None:
    c, _handle, email = await web.logged_in("portfolio")
    me = await c.get("/portal/me")
    assert me.status_code == 200 and 'id="totp-status">Fra' in me.text
    await c.post("/portal/me/totp/start", data={"csrf": csrf_of(me.text)})
    page = await c.get("/portal/me")
    secret = _SECRET.search(page.text).group(1)  # type: ignore[union-attr]
    assert "otpauth://totp/" in page.text and f"secret={secret}" in page.text
    r = await c.post("/portal/me/totp/confirm", data={"csrf": csrf_of(page.text),
                                                      "code": "000000"})
    assert r.status_code == 400 and 'id="code-error"' in r.text
    assert (await user_row(web, email)).totp_enabled_at is None  # not on without a code
    used = code_at(secret, web)
    r = await c.post("/portal/me/totp/confirm", data={"csrf": csrf_of(page.text), "code": used})
    assert r.status_code == 303
    assert (await user_row(web, email)).totp_enabled_at is not None

    # password first: no session yet, only the code page
    c2 = web.client()
    r = await web.attempt(c2, email, PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/portal/login/code"
    assert (await c2.get("/portal/")).status_code == 303
    page = await c2.get("/portal/login/code")
    assert page.status_code == 200 and 'for="code"' in page.text
    r = await c2.post("/portal/login/code", data={"csrf": csrf_of(page.text), "code": used})
    assert r.status_code == 401  # the code used to turn TOTP on: the same step, refused
    web.registry.clock.advance(timedelta(seconds=30))
    r = await c2.post("/portal/login/code", data={"csrf": csrf_of(page.text),
                                                  "code": code_at(secret, web)})
    assert r.status_code == 303 and r.headers["location"] == "/portal/"
    assert (await c2.get("/portal/")).status_code == 200
    c4 = web.client()  # someone who saw that code, with the password, a moment later
    await web.attempt(c4, email, PASSWORD)
    page4 = await c4.get("/portal/login/code")
    r = await c4.post("/portal/login/code", data={"csrf": csrf_of(page4.text),
                                                  "code": code_at(secret, web)})
    assert r.status_code == 401 and (await c4.get("/portal/")).status_code == 303

    # a password-checked login waits a few minutes for its code, no longer
    c3 = web.client()
    await web.attempt(c3, email, PASSWORD)
    page = await c3.get("/portal/login/code")
    web.registry.clock.advance(timedelta(minutes=6))
    r = await c3.post("/portal/login/code", data={"csrf": csrf_of(page.text),
                                                  "code": code_at(secret, web)})
    assert r.status_code == 303 and r.headers["location"] == "/portal/login?code_expired=1"

    # off needs a valid current code
    me = await c2.get("/portal/me")
    r = await c2.post("/portal/me/totp/off", data={"csrf": csrf_of(me.text), "code": "123456"})
    assert r.status_code == 400
    web.registry.clock.advance(timedelta(seconds=30))
    r = await c2.post("/portal/me/totp/off", data={"csrf": csrf_of(me.text),
                                                   "code": code_at(secret, web)})
    assert r.status_code == 303
    row = await user_row(web, email)
    assert row.totp_enabled_at is None
    assert (await web.attempt(web.client(), email, PASSWORD)).headers["location"] == "/portal/"
    assert [a.actor for a in await audit(web, "portal_totp_on")] == [email]
    assert [a.actor for a in await audit(web, "portal_totp_off")] == [email]
    assert len(await audit(web, "portal_login_code_failed")) == 2


async def test_wrong_codes_count_as_failed_logins(web) -> None:
    web.registry.settings.portal_login_max_failures_account = 3
    c, _handle, email = await web.logged_in("administration")
    secret = await turn_totp_on(web, c)
    web.registry.clock.advance(timedelta(seconds=30))
    attacker = web.client("198.51.100.77")
    await web.attempt(attacker, email, PASSWORD)
    page = await attacker.get("/portal/login/code")
    for wrong in ("111111", "222222", "333333"):
        r = await attacker.post("/portal/login/code", data={"csrf": csrf_of(page.text),
                                                            "code": wrong})
        assert r.status_code == 401 and 'aria-invalid="true"' in r.text
    r = await attacker.post("/portal/login/code", data={"csrf": csrf_of(page.text),
                                                        "code": code_at(secret, web)})
    assert r.status_code == 429
    # the password step is throttled for the account as well
    assert (await web.attempt(web.client("198.51.100.78"), email, PASSWORD)).status_code == 429
    assert len(await audit(web, "portal_login_code_failed")) == 3
    assert await web.registry.scalar(
        "select count(*) from portal_sessions where client_ip = '198.51.100.77'") == 0


async def test_an_administrator_resets_another_users_totp(web) -> None:
    admin_c, handle, admin = await web.logged_in("administration")
    worker_c, _h, worker = await web.logged_in("portfolio", handle)
    await turn_totp_on(web, worker_c)
    page = await admin_c.get(USERS)
    assert 'aria-label="Nulstil totrinslogin ' + worker in page.text
    r = await op(web, admin_c, "reset-totp", (await user_row(web, worker)).id)
    assert r.status_code == 303
    assert (await user_row(web, worker)).totp_enabled_at is None
    r = await web.attempt(web.client(), worker, PASSWORD)
    assert r.headers["location"] == "/portal/"  # password alone again
    [event] = await audit(web, "portal_user_totp_reset")
    assert (event.actor, event.object) == (admin, worker)

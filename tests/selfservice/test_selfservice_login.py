"""Self-service login: magic links (real SMTP), passwords, sessions, CSRF (both backends).

Each test drives the real ASGI app with httpx and reads the mail the outbox sent over
SMTP to an aiosmtpd catcher; nothing of dkreg's own is replaced."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from selfservice.conftest import SS_PASSWORD, csrf_of

_CSRF_FIELD = re.compile(r'name="csrf" value="[^"]+"')


def without_csrf(html: str) -> str:
    return _CSRF_FIELD.sub("", html)


async def audit_commands(ss, since_id: int = 0) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    rows = await ss.registry.rows(
        "select command, result_code from audit where door = 'selfservice' and id > :i "
        "order by id", i=since_id)
    return [(r.command, r.result_code) for r in rows]


async def test_magic_link_scanner_get_does_not_use_it_post_logs_in_once(ss, mailbox) -> None:
    handle = await ss.contact("rita@example.dk")
    c = ss.client(host="evil.example")  # a forged Host header must not reach the link
    r = await ss.ask_link(c, "rita@example.dk")
    assert r.status_code == 200 and r.headers["referrer-policy"] == "no-referrer"
    await mailbox.deliver()
    [mail] = mailbox.to("rita@example.dk")
    link = mailbox.link(mail)
    base = ss.registry.settings.public_base_url
    assert link.startswith(base + "/selfservice/link/") and "evil.example" not in link
    assert handle in mailbox.text(mail) and link in (mailbox.html(mail) or "")
    path = httpx.URL(link).path
    scanner = ss.client(ip="198.51.100.7")
    for _ in range(2):  # a mail scanner fetches the link; the token survives
        page = await scanner.get(path)
        assert page.status_code == 200
        assert page.headers["referrer-policy"] == "no-referrer"
        assert 'type="password"' not in page.text  # anti-phishing: no password after a link
    assert await ss.count("select count(*) from selfservice_links where used_at is null") == 1
    r = await ss.follow_link(c, link)
    assert r.status_code == 303 and r.headers["location"] == "/selfservice/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    home = await c.get("/selfservice/")
    assert home.status_code == 200 and handle in home.text
    assert home.headers["referrer-policy"] == "no-referrer"
    # used once: neither the page nor the POST works again
    other = ss.client(ip="198.51.100.8")
    assert (await other.get(path)).status_code == 410
    page = await other.get("/selfservice/login")
    r = await other.post(path, data={"csrf": csrf_of(page.text)})
    assert r.status_code == 410 and "dkreg_self=" not in r.headers.get("set-cookie", "")
    assert [c for c, _ in await audit_commands(ss)] == [
        "selfservice_link_requested", "selfservice_login", "selfservice_link_failed",
        "selfservice_link_failed"]


async def test_secure_cookie_outside_the_plain_http_sandbox(ss, mailbox) -> None:
    await ss.contact("sikker@example.dk")
    ss.registry.settings.mode = "production"
    c = ss.client(scheme="https")
    await ss.ask_link(c, "sikker@example.dk")
    await mailbox.deliver()
    r = await ss.follow_link(c, mailbox.link(mailbox.to("sikker@example.dk")[0]))
    assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


async def test_expired_link_is_refused(ss, mailbox) -> None:
    await ss.contact("sen@example.dk")
    c = ss.client()
    await ss.ask_link(c, "sen@example.dk")
    await mailbox.deliver()
    path = httpx.URL(mailbox.link(mailbox.to("sen@example.dk")[0])).path
    page = await c.get(path)
    assert page.status_code == 200
    ss.registry.clock.advance(timedelta(minutes=15, seconds=1))
    r = await c.post(path, data={"csrf": csrf_of(page.text)})
    assert r.status_code == 410
    assert (await c.get(path)).status_code == 410
    assert (await c.get("/selfservice/", follow_redirects=False)).status_code == 303


async def test_a_newer_link_invalidates_the_older(ss, mailbox) -> None:
    await ss.contact("to@example.dk")
    c = ss.client()
    await ss.ask_link(c, "to@example.dk")
    await ss.ask_link(c, "To@Example.dk ")  # the same address, written differently
    await mailbox.deliver()
    first, second = (mailbox.link(m) for m in mailbox.to("to@example.dk"))
    assert first != second
    assert (await c.get(httpx.URL(first).path)).status_code == 410
    assert (await ss.follow_link(c, second)).status_code == 303


async def test_same_answer_whether_or_not_the_address_exists(ss, mailbox) -> None:
    await ss.contact("findes@example.dk")
    known = await ss.ask_link(ss.client(ip="192.0.2.31"), "findes@example.dk")
    unknown = await ss.ask_link(ss.client(ip="192.0.2.32"), "findes-ikke@example.dk")
    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known.text) == without_csrf(unknown.text)
    assert known.headers["referrer-policy"] == unknown.headers["referrer-policy"]
    # the same database work (a stored token each), but mail only for the contact
    assert await ss.count("select count(*) from selfservice_links") == 2
    await mailbox.deliver()
    assert [m["To"] for m in mailbox.messages] == ["findes@example.dk"]


async def test_link_requests_are_throttled_per_address_and_per_ip(ss, mailbox) -> None:
    await ss.contact("mange@example.dk")
    s = ss.registry.settings
    c = ss.client(ip="192.0.2.41")
    for _ in range(s.selfservice_link_max_per_email):
        assert (await ss.ask_link(c, "mange@example.dk")).status_code == 200
    for ip in ("192.0.2.41", "192.0.2.42"):  # per address, from anywhere
        assert (await ss.ask_link(ss.client(ip=ip), "mange@example.dk")).status_code == 429
    s.selfservice_link_max_per_ip = 5
    other = ss.client(ip="192.0.2.43")
    for i in range(5):
        assert (await ss.ask_link(other, f"x{i}@example.dk")).status_code == 200
    assert (await ss.ask_link(other, "y@example.dk")).status_code == 429
    assert (await ss.ask_link(ss.client(ip="192.0.2.44"), "y@example.dk")).status_code == 200
    await mailbox.deliver()
    assert len(mailbox.to("mange@example.dk")) == 3
    # after the window, the address may ask again
    ss.registry.clock.advance(timedelta(seconds=s.selfservice_window + 1))
    assert (await ss.ask_link(c, "mange@example.dk")).status_code == 200
    assert ("selfservice_link_throttled", 2502) in await audit_commands(ss)


async def test_a_link_grants_every_live_contact_with_the_address(ss, mailbox) -> None:
    a = await ss.contact("familie@example.dk")
    b = await ss.contact("Familie@Example.dk")
    gone = await ss.contact("familie@example.dk")
    async with ss.registry.db.begin() as conn:
        from sqlalchemy import text
        await conn.execute(text("update contacts set deleted_at = created_at "
                                "where handle = :h"), {"h": gone})
    c = await ss.link_login(mailbox, "familie@example.dk")
    home = (await c.get("/selfservice/")).text
    assert a in home and b in home and gone not in home


async def test_password_login_by_handle_and_by_email(ss) -> None:
    a = await ss.contact("to.haandtag@example.dk")
    b = await ss.contact("to.haandtag@example.dk")
    other_pw = await ss.contact("to.haandtag@example.dk")
    await ss.give_password(a)
    await ss.give_password(b)
    await ss.give_password(other_pw, "Andet-Kodeord-9")
    by_handle = await ss.password_login(a.lower())
    home = (await by_handle.get("/selfservice/")).text
    assert a in home and b not in home
    by_email = await ss.password_login("TO.haandtag@example.dk")
    home = (await by_email.get("/selfservice/")).text
    assert a in home and b in home and other_pw not in home  # only matching passwords


async def test_password_failures_look_alike_and_are_throttled(ss) -> None:
    handle = await ss.contact()
    await ss.give_password(handle)
    c = ss.client(ip="192.0.2.51")
    wrong = await ss.attempt(c, handle, "Forkert-Kode-1")
    unknown = await ss.attempt(c, "XX999999-DK", "Forkert-Kode-1")
    no_pw = await ss.contact()
    unset = await ss.attempt(c, no_pw, "Forkert-Kode-1")
    assert wrong.status_code == unknown.status_code == unset.status_code == 401
    assert without_csrf(wrong.text).replace(handle, "H") == \
        without_csrf(unknown.text).replace("XX999999-DK", "H") == \
        without_csrf(unset.text).replace(no_pw, "H")
    s = ss.registry.settings
    for _ in range(s.selfservice_login_max_failures_account - 1):
        await ss.attempt(ss.client(ip="192.0.2.52"), handle, "Forkert-Kode-1")
    # the account is locked for the window, even with the right password and another IP
    r = await ss.attempt(ss.client(ip="192.0.2.53"), handle, SS_PASSWORD)
    assert r.status_code == 429
    s.selfservice_login_max_failures_ip = 3
    ip = ss.client(ip="192.0.2.54")
    for _ in range(3):
        assert (await ss.attempt(ip, "XX1-DK", "Forkert-Kode-1")).status_code == 401
    other = await ss.contact()
    await ss.give_password(other)
    assert (await ss.attempt(ip, other, SS_PASSWORD)).status_code == 429
    assert (await ss.attempt(ss.client(ip="192.0.2.55"), other, SS_PASSWORD)).status_code == 303
    assert ("selfservice_login_throttled", 2502) in await audit_commands(ss)


async def test_session_idle_expiry_and_logout(ss) -> None:
    handle = await ss.contact()
    c = await ss.logged_in(handle)
    ss.registry.clock.advance(timedelta(seconds=ss.registry.settings.selfservice_session_idle - 1))
    assert (await c.get("/selfservice/")).status_code == 200  # touched: idle time restarts
    ss.registry.clock.advance(timedelta(seconds=ss.registry.settings.selfservice_session_idle + 1))
    r = await c.get("/selfservice/")
    assert r.status_code == 303 and r.headers["location"] == "/selfservice/login?expired=1"
    c = await ss.password_login(handle)
    csrf = await ss.csrf(c)
    r = await c.post("/selfservice/logout", data={"csrf": csrf})
    assert r.status_code == 303
    assert (await c.get("/selfservice/")).status_code == 303
    assert await ss.count("select count(*) from selfservice_sessions") == 0


async def test_csrf_is_required_on_every_form(ss, mailbox) -> None:
    handle = await ss.contact("csrf@example.dk")
    c = await ss.logged_in(handle)
    cid = await ss.contact_id(handle)
    before = await ss.registry.scalar(
        "select password_hash from selfservice_credentials where contact_id = :c", c=cid)
    r = await c.post("/selfservice/password", data={
        "contact": cid, "password": "Nyt-Kodeord-42", "password_again": "Nyt-Kodeord-42",
        "csrf": "forged"})
    assert r.status_code == 403
    assert await ss.registry.scalar(
        "select password_hash from selfservice_credentials where contact_id = :c",
        c=cid) == before
    assert (await c.post("/selfservice/logout", data={})).status_code == 403
    # forms without a session: the double-submit cookie must match
    fresh = ss.client()
    r = await fresh.post("/selfservice/login/link", data={"email": "csrf@example.dk",
                                                           "csrf": "forged"})
    assert r.status_code == 403
    r = await fresh.post("/selfservice/login", data={"login": handle,
                                                      "password": SS_PASSWORD, "csrf": "x"})
    assert r.status_code == 403
    await mailbox.deliver()
    assert mailbox.messages == []


async def test_set_password_after_a_link_login(ss, mailbox) -> None:
    handle = await ss.contact("ny.kode@example.dk")
    c = await ss.link_login(mailbox, "ny.kode@example.dk")
    assert 'href="/selfservice/password"' in (await c.get("/selfservice/")).text
    page = await c.get("/selfservice/password")
    csrf = csrf_of(page.text)
    cid = await ss.contact_id(handle)
    r = await c.post("/selfservice/password", data={
        "contact": cid, "password": "kort", "password_again": "kort", "csrf": csrf})
    assert r.status_code == 400 and 'id="password-error"' in r.text
    someone = await ss.contact()
    r = await c.post("/selfservice/password", data={
        "contact": await ss.contact_id(someone), "password": "Nyt-Kodeord-42",
        "password_again": "Nyt-Kodeord-42", "csrf": csrf})
    assert r.status_code == 400 and 'id="contact-error"' in r.text
    r = await c.post("/selfservice/password", data={
        "contact": cid, "password": "Nyt-Kodeord-42", "password_again": "Nyt-Kodeord-42",
        "csrf": csrf})
    assert r.status_code == 303
    await ss.password_login(handle, "Nyt-Kodeord-42")
    assert (await ss.attempt(ss.client(), someone, "Nyt-Kodeord-42")).status_code == 401


async def test_password_check_leaves_the_database_free(ss, monkeypatch) -> None:
    """The argon2 checks run with no transaction open (on SQLite another writer takes the
    write lock meanwhile): by handle, by e-mail with several contacts, wrong, unknown."""
    from support.hash_watch import HashWatch

    a = await ss.contact("to.kontakter@example.dk")
    b = await ss.contact("to.kontakter@example.dk")
    await ss.give_password(a)
    await ss.give_password(b, "Andet-Kodeord-9")
    watch = HashWatch(ss.registry.settings.url).install(monkeypatch)
    c = ss.client(ip="192.0.2.78")
    assert (await ss.attempt(c, a, "Forkert-Kode-1")).status_code == 401
    assert (await ss.attempt(c, "ingen@example.dk", SS_PASSWORD)).status_code == 401
    by_email = await ss.password_login("to.kontakter@example.dk")
    home = (await by_email.get("/selfservice/")).text
    assert a in home and b not in home  # only the contact whose password matches
    watch.assert_all_free(at_least=4)
    assert [cmd for cmd, _code in await audit_commands(ss)].count(
        "selfservice_login_failed") == 2

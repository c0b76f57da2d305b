"""Portal login: sessions, cookies, CSRF on the login form, throttling, no enumeration,
idle expiry on the registry clock, and the audit trail of it all."""

from __future__ import annotations

from datetime import timedelta

from support import PASSWORD
from web.conftest import csrf_of


async def audit_rows(web, command: str) -> list:  # type: ignore[no-untyped-def]
    return await web.registry.rows(
        "select door, actor, command, result_code, client_ip from audit where command = :c",
        c=command)


async def test_login_sets_a_safe_session_cookie_and_logout_ends_it(web) -> None:
    handle = await web.registrar()
    email = await web.user(handle)
    c = web.client()
    r = await web.attempt(c, email.upper(), PASSWORD)  # e-mail is case-insensitive
    assert r.status_code == 303 and r.headers["location"] == "/portal/"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("dkreg_portal="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # the sandbox serves plain http on localhost
    home = await c.get("/portal/")
    assert home.status_code == 200 and email in home.text and handle in home.text
    stored = await web.registry.scalar("select id_hash from portal_sessions")
    assert stored and stored not in cookie  # only the hash of the cookie is kept
    [login] = await audit_rows(web, "portal_login")
    assert (login.door, login.actor, login.client_ip) == ("portal", email, "192.0.2.10")

    r = await c.post("/portal/logout", data={"csrf": csrf_of(home.text)})
    assert r.status_code == 303
    assert await web.registry.scalar("select count(*) from portal_sessions") == 0
    assert (await c.get("/portal/")).status_code == 303
    [logout] = await audit_rows(web, "portal_logout")
    assert logout.actor == email


async def test_cookies_are_secure_over_https_and_in_production(web) -> None:
    handle = await web.registrar()
    email = await web.user(handle)
    r = await web.attempt(web.client(scheme="https"), email, PASSWORD)
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("dkreg_portal="))
    assert "Secure" in cookie
    web.registry.settings.mode = "production"  # behind a TLS-terminating balancer
    login_page = await web.client().get("/portal/login")
    assert "Secure" in login_page.headers["set-cookie"]


async def test_unknown_email_and_wrong_password_get_the_same_answer(web) -> None:
    handle = await web.registrar()
    email = await web.user(handle)
    c = web.client()
    wrong = await web.attempt(c, email, "Wrong-Passw0rd")
    unknown = await web.attempt(c, "nobody@nowhere.example", "Wrong-Passw0rd")
    assert wrong.status_code == unknown.status_code == 401
    assert (wrong.text.replace(email, "X").replace(csrf_of(wrong.text), "T")
            == unknown.text.replace("nobody@nowhere.example", "X")
            .replace(csrf_of(unknown.text), "T"))
    failed = await audit_rows(web, "portal_login_failed")
    assert sorted(r.actor for r in failed) == sorted([email, "nobody@nowhere.example"])
    assert await web.registry.scalar("select count(*) from portal_sessions") == 0


async def test_login_form_needs_its_csrf_token(web) -> None:
    handle = await web.registrar()
    email = await web.user(handle)
    c = web.client()
    await c.get("/portal/login")
    r = await c.post("/portal/login", data={"email": email, "password": PASSWORD})
    assert r.status_code == 403
    r = await web.client().post("/portal/login", data={"email": email, "password": PASSWORD,
                                                       "csrf": "forged"})
    assert r.status_code == 403
    assert await web.registry.scalar("select count(*) from portal_sessions") == 0


async def test_throttling_per_account(web) -> None:
    web.registry.settings.portal_login_max_failures_account = 3
    handle = await web.registrar()
    email = await web.user(handle)
    for n in range(3):
        r = await web.attempt(web.client(f"198.51.100.{n}"), email, "Wrong-Passw0rd")
        assert r.status_code == 401
    # even the right password is refused while the account is throttled, from any address
    r = await web.attempt(web.client("198.51.100.99"), email, PASSWORD)
    assert r.status_code == 429
    # an unknown e-mail is throttled the same way (no enumeration through throttling)
    for _ in range(3):
        await web.attempt(web.client("198.51.100.50"), "ghost@x.example", "Wrong-Passw0rd")
    r = await web.attempt(web.client("198.51.100.51"), "ghost@x.example", "Wrong-Passw0rd")
    assert r.status_code == 429
    assert await audit_rows(web, "portal_login_throttled")
    web.registry.clock.advance(timedelta(seconds=web.registry.settings.portal_login_window + 1))
    r = await web.attempt(web.client("198.51.100.99"), email, PASSWORD)
    assert r.status_code == 303


async def test_throttling_per_address(web) -> None:
    web.registry.settings.portal_login_max_failures_ip = 3
    handle = await web.registrar()
    email = await web.user(handle)
    attacker = web.client("203.0.113.7")
    for n in range(3):
        r = await web.attempt(attacker, f"guess{n}@{handle.lower()}.example", "Wrong-Passw0rd")
        assert r.status_code == 401
    r = await web.attempt(attacker, email, PASSWORD)
    assert r.status_code == 429
    # another address is not affected
    assert (await web.attempt(web.client("203.0.113.8"), email, PASSWORD)).status_code == 303


async def test_an_idle_session_expires_on_the_registry_clock(web) -> None:
    c, _handle, _email = await web.logged_in()
    idle = web.registry.settings.portal_session_idle
    web.registry.clock.advance(timedelta(seconds=idle - 5))
    assert (await c.get("/portal/")).status_code == 200  # activity keeps it alive
    web.registry.clock.advance(timedelta(seconds=idle - 5))
    assert (await c.get("/portal/")).status_code == 200
    web.registry.clock.advance(timedelta(seconds=idle + 1))
    r = await c.get("/portal/")
    assert r.status_code == 303 and r.headers["location"] == "/portal/login?expired=1"
    assert await web.registry.scalar("select count(*) from portal_sessions") == 0


async def test_a_disabled_user_cannot_log_in_nor_keep_a_session(web) -> None:
    c, _handle, email = await web.logged_in()
    async with web.registry.db.begin() as conn:
        from sqlalchemy import text

        await conn.execute(text("update portal_users set disabled = true where email = :e"),
                           {"e": email})
    assert (await c.get("/portal/")).status_code == 303
    assert (await web.attempt(web.client(), email, PASSWORD)).status_code == 401


async def test_password_check_leaves_the_database_free(web, monkeypatch) -> None:
    """The argon2 check runs with no transaction open (on SQLite another writer takes
    the write lock meanwhile): right, wrong and unknown e-mail alike."""
    from support.hash_watch import HashWatch

    email = await web.user(await web.registrar())
    watch = HashWatch(web.registry.settings.url).install(monkeypatch)
    c = web.client(ip="192.0.2.77")
    assert (await web.attempt(c, email, "Wrong-Passw0rd")).status_code == 401
    assert (await web.attempt(c, "nobody@example.dk", PASSWORD)).status_code == 401
    await web.login(email, client=c)
    watch.assert_all_free(at_least=3)
    assert [r.result_code for r in await audit_rows(web, "portal_login_failed")] == [2200, 2200]
    assert len(await audit_rows(web, "portal_login")) == 1

"""Session commands over real TLS (SPEC-DIGEST §1): login, password change, logout, 2002s."""

from __future__ import annotations

import asyncio

import pytest

from support import frames
from support.eppclient import EppClient

TOO_MANY = "; Disconnect due to too many errors"


async def stored_hash(registry, login: str) -> str:  # type: ignore[no-untyped-def]
    value = await registry.scalar("SELECT password_hash FROM users WHERE login = :l", l=login)
    assert isinstance(value, str)
    return value


async def login_code(registry, login: str, pw: str) -> int:  # type: ignore[no-untyped-def]
    """Log in on a fresh connection and report the result code."""
    c = await EppClient.connect("127.0.0.1", registry.port, registry.ca_file)
    try:
        return (await c.login(login, pw)).code
    finally:
        await c.close()


# -- login / logout ----------------------------------------------------------------------

async def test_login_and_logout(registry) -> None:
    _h, login, pw = await registry.new_registrar()
    c = await registry.client()
    r = await c.login(login, pw)
    assert (r.code, r.msg) == (1000, f"User {login} logged in.")
    assert r.text(".//epp:clTRID") is not None
    assert (await c.request(frames.domain_check("login.dk"))).code == 1000
    r = await c.request(frames.logout())
    assert (r.code, r.msg) == (1500, "User logged out. Closing Connection.")
    assert await c.at_eof()
    # the account is fine for the next connection
    assert await login_code(registry, login, pw) == 1000


async def test_logout_before_login_is_1500_and_closes(registry) -> None:
    c = await registry.client()
    r = await c.request(frames.logout())
    assert (r.code, r.msg) == (1500, "Not logged in, or already logged out")
    assert await c.at_eof()


@pytest.mark.parametrize("doc", [
    frames.domain_check("a.dk"), frames.domain_info("a.dk"), frames.contact_info("DKHM1-DK"),
    frames.host_check("ns1.example.net"), frames.poll_req(), frames.balance_info(),
])
async def test_commands_before_login_are_2002(registry, doc: str) -> None:
    c = await registry.client()
    r = await c.request(doc)
    assert (r.code, r.msg) == (2002, "You need to login first.")
    assert (await c.request(frames.hello())).find("epp:greeting") is not None


async def test_repeated_login_is_2002_and_session_stays(registry) -> None:
    _h, login, pw = await registry.new_registrar()
    _h2, other, other_pw = await registry.new_registrar()
    c = await registry.client(login)
    r = await c.login(login, pw)
    assert (r.code, r.msg) == (2002, "Repeated logins are not permitted.")
    r = await c.login(other, other_pw)  # not even as someone else
    assert r.code == 2002
    assert (await c.request(frames.domain_check("repeat.dk"))).code == 1000
    r = await c.login(login, pw)  # the third 2002 disconnects
    assert (r.code, r.msg) == (2500, "Repeated logins are not permitted." + TOO_MANY)
    assert await c.at_eof()


@pytest.mark.parametrize("which", ["password", "user"])
async def test_wrong_credentials_are_2200(registry, which: str) -> None:
    _h, login, pw = await registry.new_registrar()
    c = await registry.client()
    user, password = (login, "Wrong-Passw0rd") if which == "password" else ("nosuchuser", pw)
    r = await c.login(user, password)
    assert (r.code, r.msg) == (2200, "Login failed")
    assert (await c.request(frames.domain_check("x.dk"))).code == 2002
    assert (await c.login(login, pw)).code == 1000  # a later correct login works


async def test_three_failed_logins_disconnect_with_2501(registry) -> None:
    _h, login, _pw = await registry.new_registrar()
    c = await registry.client()
    for _ in range(2):
        assert (await c.login(login, "Wrong-Passw0rd")).code == 2200
    r = await c.login(login, "Wrong-Passw0rd")
    assert (r.code, r.msg) == (2501, "Login failed" + TOO_MANY)
    assert await c.at_eof()


@pytest.mark.parametrize("dkhm", ["4.3", "4.4", "4.5"])
async def test_login_with_each_dkhm_version(registry, dkhm: str) -> None:
    _h, login, pw = await registry.new_registrar()
    c = await registry.client()
    assert (await c.login(login, pw, dkhm=dkhm)).code == 1000


@pytest.mark.parametrize(("old", "new", "code", "words"), [
    ("<version>1.0</version>", "<version>2.0</version>", 2100, "version"),
    ("<lang>en</lang>", "<lang>da</lang>", 2102, "lang"),
    ("<objURI>urn:ietf:params:xml:ns:host-1.0</objURI>",
     "<objURI>urn:example:widget-1.0</objURI>", 2307, "urn:example:widget-1.0"),
    ("<extURI>urn:ietf:params:xml:ns:secDNS-1.1</extURI>",
     "<extURI>urn:example:ext-1.0</extURI>", 2103, "urn:example:ext-1.0"),
])
async def test_login_options_and_services(registry, old: str, new: str, code: int,
                                          words: str) -> None:
    _h, login, pw = await registry.new_registrar()
    c = await registry.client()
    doc = frames.login(login, pw)
    assert old in doc
    r = await c.request(doc.replace(old, new))
    assert r.code == code, r.msg
    assert words in r.msg
    assert (await c.request(frames.domain_check("x.dk"))).code == 2002


# -- password change ---------------------------------------------------------------------

@pytest.mark.parametrize(("new_pw", "code"), [
    ("Ab1!xyz", 2004),  # 7 characters
    ("Ab1!" + "x" * 61, 2004),  # 65 characters
    ("abcdefgh1234", 2004),  # lower + digit only
    ("ABCDEFGH!!!!", 2004),  # upper + special only
    ("abcdefghijkl", 2004),  # one class
    ("Abcdefg1 x", 2005),  # space is not an allowed character
    ("Abcdefg1æx", 2005),  # nor is a non-ASCII letter
])
async def test_password_change_rejected(registry, new_pw: str, code: int) -> None:
    _h, login, pw = await registry.new_registrar()
    before = await stored_hash(registry, login)
    c = await registry.client()
    r = await c.login(login, pw, new_pw=new_pw)
    assert r.code == code, r.msg
    assert "newPW" in r.msg
    # not logged in, and nothing changed
    assert (await c.request(frames.domain_check("x.dk"))).code == 2002
    assert await stored_hash(registry, login) == before
    assert await login_code(registry, login, new_pw) == 2200
    assert await login_code(registry, login, pw) == 1000


@pytest.mark.parametrize("new_pw", [
    "Abcdef1!",  # exactly 8
    "Ab1!" + "x" * 60,  # exactly 64
    "abcdefg1!",  # lower + digit + special
    "%`'()*+-,./:;<>=!_&~{}|^?$#@\"[]aB",  # every allowed special
])
async def test_password_change_accepted(registry, new_pw: str) -> None:
    _h, login, pw = await registry.new_registrar()
    before = await stored_hash(registry, login)
    c = await registry.client()
    r = await c.login(login, pw, new_pw=new_pw)
    assert (r.code, r.msg) == (1000, f"User {login} logged in.")
    assert (await c.request(frames.domain_check("x.dk"))).code == 1000  # logged in
    after = await stored_hash(registry, login)
    assert after != before
    assert after.startswith("$argon2id$")
    assert new_pw not in after
    assert await login_code(registry, login, pw) == 2200
    assert await login_code(registry, login, new_pw) == 1000


async def test_password_change_needs_the_right_old_password(registry) -> None:
    _h, login, pw = await registry.new_registrar()
    before = await stored_hash(registry, login)
    c = await registry.client()
    r = await c.login(login, "Wrong-Passw0rd", new_pw="Brand-New-Passw0rd")
    assert r.code == 2200
    assert await stored_hash(registry, login) == before
    assert await login_code(registry, login, "Brand-New-Passw0rd") == 2200
    assert await login_code(registry, login, pw) == 1000


async def test_passwords_never_reach_the_audit_log(registry) -> None:
    _h, login, pw = await registry.new_registrar()
    c = await registry.client()
    assert (await c.login(login, "Wrong-Passw0rd", new_pw="Other-Passw0rd1")).code == 2200
    assert (await c.login(login, pw, new_pw="Brand-New-Passw0rd")).code == 1000
    await asyncio.sleep(0.3)  # the audit buffer flushes read-only/failed rows in batches
    rows = await registry.rows("SELECT command, result_code, request FROM audit "
                               "WHERE command = 'login' ORDER BY id")
    assert sorted(r.result_code for r in rows) == [1000, 2200]
    for row in rows:
        assert login in row.request
        for secret in (pw, "Wrong-Passw0rd", "Other-Passw0rd1", "Brand-New-Passw0rd"):
            assert secret not in row.request


# -- argon2 outside the transaction ------------------------------------------------------

async def test_password_check_and_change_leave_the_database_free(registry, monkeypatch) -> None:
    """While a login's password is checked (and a new one hashed), no transaction of the
    login is open: on SQLite another writer takes the write lock meanwhile. Right, wrong
    and unknown logins alike; the outcome and the audit stay those of one transaction."""
    from support.hash_watch import HashWatch

    _h, login, pw = await registry.new_registrar()
    watch = HashWatch(registry.settings.url).install(monkeypatch)
    assert await login_code(registry, login, "Wrong-Passw0rd") == 2200
    assert await login_code(registry, "nobody-here", pw) == 2200
    c = await registry.client()
    assert (await c.login(login, pw, new_pw="Brand-New-Passw0rd")).code == 1000
    assert await login_code(registry, login, "Brand-New-Passw0rd") == 1000
    assert await login_code(registry, login, pw) == 2200
    watch.assert_all_free(at_least=6)
    assert ("hash", True) in watch.seen  # the new password's hash, too
    await asyncio.sleep(0.3)  # the audit buffer flushes failed rows in batches
    rows = await registry.rows("SELECT result_code FROM audit WHERE command = 'login'")
    assert sorted(r.result_code for r in rows) == [1000, 1000, 2200, 2200, 2200]

"""DAS over the web app (both backends): the four statuses from the registry's own rows,
the three formats chosen by ``Accept`` (415 otherwise), 400 for an A-label or a name .dk
cannot hold, Basic authentication with DAS service users (401/403), the lockout of a
user-id and of an address that spreads its failures over user-ids (windows shortened
through the settings, time moved with the registry clock), and the credential cache,
which saves argon2 work but never admits a password after it was changed."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from datetime import timedelta

import pytest
from lxml import etree
from sqlalchemy import insert, text

from dkreg.actions.account.registrars import change_password
from dkreg.model import passwords
from dkreg.model.passwords import verify_password
from dkreg.store.schema import reserved_names, waiting_list_offers
from epp.helpers import NS
from epp.update_support import ready_registrar
from support import frames
from support.service_web import app_of, client, service_user

JSON = {"Accept": "application/json"}
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def basic(login: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def path(name: str) -> str:
    return f"/das/domain/is_available/{name}"


async def das_user(registry, roles: str = "registrar proxy payer nsa"):  # type: ignore[no-untyped-def]
    handle, _login, _pw = await registry.new_registrar()
    login, password = await service_user(registry, handle, "das", roles=roles)
    return handle, login, password


async def test_the_four_statuses_from_the_registrys_rows(registry) -> None:
    c, _handle, contact = await ready_registrar(registry, "aktiv.dk")
    # an application the registry has not processed yet (no tick): enqueued
    r = await c.request(frames.domain_create("ansoegt.dk", contact, NS, token=registry.token()))
    assert r.code == 1001, r.msg
    now = registry.clock.now()
    async with registry.db.begin() as conn:
        await conn.execute(insert(reserved_names).values(
            name="reserveret.dk", uname="reserveret.dk", reason="registry", created_at=now))
        await conn.execute(insert(waiting_list_offers).values(
            name="xn--vente-lst-r8a.dk", uname="vente-løst.dk", offered_at=now,
            offered_until=now + timedelta(days=14)))
        await conn.execute(insert(waiting_list_offers).values(
            name="udloebet.dk", uname="udloebet.dk", offered_at=now - timedelta(days=30),
            offered_until=now - timedelta(days=16)))
    _h, login, password = await das_user(registry)
    expected = {"aktiv.dk": "unavailable", "ansoegt.dk": "enqueued",
                "reserveret.dk": "unavailable", "vente-løst.dk": "available-on-waiting-list",
                "udloebet.dk": "available", "sikkerpånettet.dk": "available",
                "AKTIV.DK": "unavailable"}
    async with client(app_of(registry)) as web:
        for name, status in expected.items():
            resp = await web.get(path(name), headers={**JSON, **basic(login, password)})
            assert resp.status_code == 200, (name, resp.text)
            assert resp.json() == {"domain": name.lower(), "domain_status": status,
                                   "status": 200, "message": "OK"}, name


async def test_json_xml_and_text_by_accept(registry) -> None:
    await ready_registrar(registry, "optaget.dk")
    _h, login, password = await das_user(registry)
    auth = basic(login, password)
    async with client(app_of(registry)) as web:
        j = await web.get(path("optaget.dk"),
                          headers={"Accept": "application/json; charset=utf-8", **auth})
        assert j.headers["content-type"] == "application/json; charset=utf-8"
        assert json.loads(j.content.decode("utf-8"))["domain_status"] == "unavailable"

        x = await web.get(path("kødpålæg.dk"), headers={"Accept": "application/xml", **auth})
        assert x.status_code == 200
        assert x.headers["content-type"] == "application/xml; charset=utf-8"
        root = etree.fromstring(x.content)
        assert root.tag == "response" and root.nsmap.get("i") == XSI
        assert [(e.tag, e.text) for e in root] == [
            ("domain", "kødpålæg.dk"), ("domain_status", "available"), ("status", "200"),
            ("message", "OK")]

        t = await web.get(path("optaget.dk"),
                          headers={"Accept": "text/plain;charset=UTF-8", **auth})
        assert t.headers["content-type"] == "text/plain; charset=utf-8"
        assert t.text.splitlines() == ["domain:optaget.dk", "domain_status:unavailable",
                                       "status:200", "message:OK"]
        # the first type DAS answers in wins, others are passed over
        both = await web.get(path("optaget.dk"),
                             headers={"Accept": "text/html, text/plain, application/json",
                                      **auth})
        assert both.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize("accept", [None, "*/*", "text/html", "application/rdap+json",
                                    "application/json; charset=iso-8859-1",
                                    "application/json;q=0"])
async def test_an_unsupported_accept_is_415(registry, accept: str | None) -> None:
    _h, login, password = await das_user(registry)
    headers = basic(login, password) | ({"Accept": accept} if accept is not None else {})
    async with client(app_of(registry)) as web:
        resp = await web.get(path("eksempel.dk"), headers=headers)
    assert resp.status_code == 415
    assert resp.json() == "Unsupported media type"


@pytest.mark.parametrize("name", ["xn--sikkerpnettet-vfb.dk", "XN--KDPLG-ORAI3L.dk",
                                  "under_streg.dk", "eksempel.com", "a.b.dk", "-x.dk", "dk"])
async def test_a_label_and_bad_syntax_are_400(registry, name: str) -> None:
    _h, login, password = await das_user(registry)
    auth = basic(login, password)
    async with client(app_of(registry)) as web:
        j = await web.get(path(name), headers={**JSON, **auth})
        assert j.status_code == 400
        assert j.json() == {"domain": name, "domain_status": None, "status": 400,
                            "message": "Invalid domain syntax"}
        t = await web.get(path(name), headers={"Accept": "text/plain", **auth})
        assert t.status_code == 400
        assert "domain_status:\n" in t.text and "message:Invalid domain syntax" in t.text
        x = await web.get(path(name), headers={"Accept": "application/xml", **auth})
        assert x.status_code == 400 and x.content == b""  # the XML error body is empty
        # bytes that are not UTF-8 are no name either: DAS's own 400, not the HTML page
        raw = await web.get("/das/domain/is_available/%E6ble.dk", headers={**JSON, **auth})
        assert raw.status_code == 400 and raw.json()["domain_status"] is None


async def test_authentication_401_and_authorisation_403(registry) -> None:
    handle, login, password = await das_user(registry)
    proxy_login, proxy_password = await service_user(registry, handle, "das", roles="proxy nsa")
    _epp_handle, epp_login, epp_password = await registry.new_registrar()
    async with client(app_of(registry)) as web:
        missing = await web.get(path("eksempel.dk"), headers=JSON)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"].startswith("Basic realm=")
        assert missing.json()["message"] == "User authentication error"
        for headers in (basic(login, "Wrong-Passw0rd"), basic("nobody-here", password),
                        {"Authorization": "Basic !!!"}, {"Authorization": "Bearer x"}):
            resp = await web.get(path("eksempel.dk"), headers={**JSON, **headers})
            assert resp.status_code == 401, headers
            assert "www-authenticate" in resp.headers
        # the right password of an EPP user is not a DAS login
        resp = await web.get(path("eksempel.dk"), headers={**JSON, **basic(epp_login,
                                                                              epp_password)})
        assert resp.status_code == 403 and resp.json()["message"] == "User not authorised"
        # a DAS user without the Registrar meta-role: "not authorised"
        resp = await web.get(path("eksempel.dk"),
                             headers={**JSON, **basic(proxy_login, proxy_password)})
        assert resp.status_code == 403
        ok = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
        assert ok.status_code == 200


async def test_a_user_id_is_locked_for_24_hours_after_repeated_failures(registry) -> None:
    registry.settings.service_lockout_failures = 3
    registry.settings.service_failure_window = 600.0
    _h, login, password = await das_user(registry)
    async with client(app_of(registry)) as web:
        async def ask(pw: str) -> int:
            r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, pw)})
            return r.status_code

        assert await ask(password) == 200
        for _ in range(3):
            assert await ask("Wrong-Passw0rd") == 401
        # locked: the right password is refused too, and the answer says why
        r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
        assert r.status_code == 401 and "blocked for 24 hours" in r.json()["message"]
        registry.clock.advance(timedelta(hours=23))
        assert await ask(password) == 401
        registry.clock.advance(timedelta(hours=1, seconds=1))
        assert await ask(password) == 200
    [event] = await registry.rows("select door, object, request from audit "
                                  "where command = 'login_lockout'")
    assert event.door == "das" and event.object == login
    assert "3 failed logins" in event.request


async def test_failures_outside_the_window_do_not_add_up(registry) -> None:
    registry.settings.service_lockout_failures = 3
    registry.settings.service_failure_window = 600.0
    _h, login, password = await das_user(registry)
    async with client(app_of(registry)) as web:
        for _ in range(2):
            r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, "Nope-1a")})
            assert r.status_code == 401
        registry.clock.advance(timedelta(seconds=601))
        for _ in range(2):
            r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, "Nope-1a")})
            assert r.status_code == 401
        ok = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
        assert ok.status_code == 200


async def test_an_address_spreading_failures_over_user_ids_is_blocked(registry) -> None:
    registry.settings.service_address_logins = 3
    _handle, login, password = await das_user(registry)
    app = app_of(registry)
    async with client(app, ip="198.51.100.7") as guesser, client(app, ip="203.0.113.9") as other:
        for user in ("guess-a", "guess-b", login):  # one failure each: no user-id locked
            r = await guesser.get(path("eksempel.dk"),
                                  headers={**JSON, **basic(user, "Wrong-Passw0rd")})
            assert r.status_code == 401
        # the address is blocked, for the right password of any user too
        r = await guesser.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
        assert r.status_code == 401 and "blocked" in r.json()["message"]
        # the user-id itself is not: from elsewhere it works
        r = await other.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
        assert r.status_code == 200
        registry.clock.advance(timedelta(hours=24, seconds=1))
        r = await guesser.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
        assert r.status_code == 200
    events = await registry.rows("select object, request from audit "
                                 "where command = 'login_lockout' order by id")
    assert [e.object for e in events] == ["ip:198.51.100.7"]
    assert "failed logins for 3 user-ids" in events[0].request


async def test_an_address_whose_failures_go_on_at_a_locked_user_is_blocked(registry) -> None:
    registry.settings.service_lockout_failures = 2
    registry.settings.service_address_failures = 4
    _h, login, _password = await das_user(registry)
    _h2, login2, password2 = await das_user(registry)
    async with client(app_of(registry), ip="198.51.100.8") as web:
        for _ in range(2):
            await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, "Wrong-1a")})
        # the user-id is locked; two more attempts at it make four failures of the address
        for _ in range(2):
            r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, "Wrong-1a")})
            assert r.status_code == 401
        r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login2, password2)})
        assert r.status_code == 401 and "blocked" in r.json()["message"]


async def test_the_credential_cache_saves_argon2_but_not_a_changed_password(registry) -> None:
    passwords.configure(3, 65536)  # production-like cost; conftest puts the cheap one back
    _h, login, password = await das_user(registry)
    stored = await registry.scalar("select password_hash from users where login = :l", l=login)
    started = time.perf_counter()
    assert verify_password(str(stored), password)
    one_hash = time.perf_counter() - started
    async with client(app_of(registry)) as web:
        async def ask(pw: str) -> int:
            r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, pw)})
            return r.status_code

        assert await ask(password) == 200  # verified once
        started = time.perf_counter()
        for _ in range(10):
            assert await ask(password) == 200
        cached = time.perf_counter() - started
        assert cached < 5 * one_hash, (cached, one_hash)  # ten answers, no argon2 each
        # the password changes (as the portal's reset does): the old one is refused at once
        async with registry.db.begin() as conn:
            await change_password(registry.ctx(conn), login, "New-Passw0rd-2")
        assert await ask(password) == 401
        assert await ask("New-Passw0rd-2") == 200
        # and a trusted credential expires with the registry clock
        registry.settings.service_credential_cache_seconds = 60.0
        registry.clock.advance(timedelta(seconds=61))
        assert await ask("New-Passw0rd-2") == 200


async def test_a_disabled_user_is_refused_even_while_cached(registry) -> None:
    _h, login, password = await das_user(registry)
    async with client(app_of(registry)) as web:
        r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
        assert r.status_code == 200
        async with registry.db.begin() as conn:
            await conn.execute(text("update users set disabled = true where login = :l"),
                               {"l": login})
        r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
        assert r.status_code == 401


async def test_only_get(registry) -> None:
    _h, login, password = await das_user(registry)
    async with client(app_of(registry)) as web:
        r = await web.post(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
    assert r.status_code == 405


async def test_a_burst_of_right_logins_is_never_taken_for_guessing(registry) -> None:
    """Thousands a second with one credential: when no process has it cached (a start, an
    expired entry), every request in flight must not count as a failed login. Three apps
    stand for three server processes, each with its own cache."""
    registry.settings.service_lockout_failures = 2
    registry.settings.service_address_failures = 2
    _h, login, password = await das_user(registry)
    apps = [app_of(registry) for _ in range(3)]
    async with client(apps[0]) as a, client(apps[1]) as b, client(apps[2]) as c:
        replies = await asyncio.gather(*[
            web.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
            for web in (a, b, c) for _ in range(10)])
    assert [r.status_code for r in replies] == [200] * 30
    assert await registry.scalar("select count(*) from audit where command = 'login_lockout'"
                                 ) == 0
    left = await registry.scalar("select count(*) from selfservice_throttle "
                                 "where kind like 'das_%'")
    assert left == 0  # every reservation given back


async def test_an_optional_rate_limit_answers_429_with_retry_after(registry) -> None:
    registry.settings.das_rate = 0.5
    registry.settings.das_burst = 2
    registry.settings.das_allow = "203.0.113.0/24"
    _h, login, password = await das_user(registry)
    app = app_of(registry)
    headers = {**JSON, **basic(login, password)}
    async with client(app, ip="198.51.100.20") as limited, \
            client(app, ip="203.0.113.20") as allowed:
        codes = [(await limited.get(path("eksempel.dk"), headers=headers)).status_code
                 for _ in range(3)]
        assert codes == [200, 200, 429]
        over = await limited.get(path("eksempel.dk"), headers=headers)
        assert over.status_code == 429 and int(over.headers["retry-after"]) >= 1
        assert over.json() == {"domain": None, "domain_status": None, "status": 429,
                               "message": "Too many requests"}
        for _ in range(5):  # an allowed network is never limited
            assert (await allowed.get(path("eksempel.dk"), headers=headers)).status_code == 200


async def test_no_rate_limit_by_default(registry) -> None:
    _h, login, password = await das_user(registry)
    async with client(app_of(registry)) as web:
        for _ in range(30):
            r = await web.get(path("eksempel.dk"), headers={**JSON, **basic(login, password)})
            assert r.status_code == 200

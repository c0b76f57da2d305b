"""Administration > Service users for DAS and DSU: a registrar creates them in the portal
(the service chosen on the form, Danish and English), the password is generated and shown
once as for EPP, and each user works for its one service only — the DAS user at DAS, the
DSU user at DSU, neither at EPP."""

from __future__ import annotations

import base64

from dkreg.actions.account.service_users import login_prefix
from dkreg.model.passwords import check_password_rule
from epp.update_support import SHA256, ds_of, ready_registrar
from web.conftest import csrf_of
from web.test_portal_administration import USERS, shown_password, stored


async def test_create_a_das_and_a_dsu_service_user_in_the_portal(web) -> None:
    registry = web.registry
    _c, handle, _contact = await ready_registrar(registry, "portal-ds.dk")
    c, _handle, email = await web.logged_in(handle=handle)
    page = await c.get(USERS)
    assert page.status_code == 200
    for service in ("epp", "das", "dsu"):
        assert f'id="service-{service}"' in page.text  # the choice, one per service
    assert "DAS (opslag af, om et domænenavn er ledigt)" in page.text

    r = await c.post(USERS, data={"csrf": csrf_of(page.text), "login": "shop-das",
                                  "service": "das", "roles": ["registrar"]})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    das_password = shown_password(r.text)
    check_password_rule(das_password)  # the same rule as an EPP user's
    assert 'id="issued-service"' in r.text and "HTTP Basic" in r.text
    das_login = login_prefix(handle) + "shop-das"
    row = await stored(web, das_login)
    assert (row.service, row.roles, row.handle) == ("das", "registrar", handle)

    r = await c.post(USERS, data={"csrf": csrf_of(page.text), "login": "shop-dsu",
                                  "service": "dsu", "roles": ["registrar", "nsa"]})
    assert r.status_code == 200
    dsu_password = shown_password(r.text)
    dsu_login = login_prefix(handle) + "shop-dsu"
    assert (await stored(web, dsu_login)).service == "dsu"

    listing = await c.get(USERS)
    assert f'data-login="{das_login}" data-service="das"' in listing.text
    assert f'data-login="{dsu_login}" data-service="dsu"' in listing.text
    assert das_password not in listing.text and dsu_password not in listing.text
    events = await registry.rows("select actor, object, request from audit "
                                 "where command = 'service_user_create' order by id")
    assert [(e.actor, e.object, e.request) for e in events] == [
        (email, das_login, "service=das roles=registrar"),
        (email, dsu_login, "service=dsu roles=registrar nsa")]

    # each works for its own service, and only there
    pair = base64.b64encode(f"{das_login}:{das_password}".encode()).decode()
    das = await web.client().get("/das/domain/is_available/portal-ds.dk",
                                 headers={"Accept": "application/json",
                                          "Authorization": f"Basic {pair}"})
    assert das.status_code == 200 and das.json()["domain_status"] == "unavailable"
    dsu = await web.client().post("/dsu/1.0", data={
        "userid": dsu_login, "password": dsu_password, "domain": "portal-ds.dk",
        "keytag1": "3", "algorithm1": "13", "digest_type1": "2", "digest1": SHA256})
    assert dsu.status_code == 200, dsu.text
    assert await ds_of(registry, "portal-ds.dk") == [(3, 13, 2, SHA256)]
    assert await web.epp_login(das_login, das_password) == 2200
    assert await web.epp_login(dsu_login, dsu_password) == 2200
    wrong = await web.client().post("/dsu/1.0", data={
        "userid": das_login, "password": das_password, "domain": "portal-ds.dk",
        "keytag1": "3", "algorithm1": "13", "digest_type1": "2", "digest1": SHA256})
    assert wrong.headers.get("x-dsu") == "533"


async def test_the_service_choice_in_english_and_its_refusal(web) -> None:
    c, handle, _email = await web.logged_in("administration")
    page = await c.get(USERS, headers={"accept-language": "en"})
    assert "DSU (updating DS records)" in page.text
    assert "A service user is for one service." in page.text
    r = await c.post(USERS, data={"csrf": csrf_of(page.text), "login": "odd",
                                  "service": "whois", "roles": ["registrar"]},
                     headers={"accept-language": "en"})
    assert r.status_code == 400
    assert 'id="service-error"' in r.text and "Service: choose EPP, DAS or DSU." in r.text
    assert await web.registry.scalar(
        "select count(*) from users where login = :l", l=login_prefix(handle) + "odd") == 0


async def test_reset_and_disable_apply_to_das_users_and_the_dkhm_pin_does_not(web) -> None:
    c, handle, _email = await web.logged_in("administration")
    page = await c.get(USERS)
    csrf = csrf_of(page.text)
    r = await c.post(USERS, data={"csrf": csrf, "login": "avail", "service": "das",
                                  "roles": ["registrar"]})
    first = shown_password(r.text)
    login = login_prefix(handle) + "avail"
    uid = await web.registry.scalar("select id from users where login = :l", l=login)
    pair = base64.b64encode(f"{login}:{first}".encode()).decode()
    headers = {"Accept": "application/json", "Authorization": f"Basic {pair}"}
    das = web.client()
    assert (await das.get("/das/domain/is_available/ledig.dk", headers=headers)
            ).status_code == 200
    r = await c.post(USERS + "/reset-password", data={"csrf": csrf, "id": str(uid)})
    second = shown_password(r.text)
    # the old password is refused at once, although DAS had it cached
    assert (await das.get("/das/domain/is_available/ledig.dk", headers=headers)
            ).status_code == 401
    pair = base64.b64encode(f"{login}:{second}".encode()).decode()
    headers["Authorization"] = f"Basic {pair}"
    assert (await das.get("/das/domain/is_available/ledig.dk", headers=headers)
            ).status_code == 200
    r = await c.post(USERS + "/disable", data={"csrf": csrf, "id": str(uid)})
    assert r.status_code == 303
    assert (await das.get("/das/domain/is_available/ledig.dk", headers=headers)
            ).status_code == 401
    r = await c.post(USERS + "/dkhm-version", data={"csrf": csrf, "id": str(uid),
                                                      "dkhm_version": "4.5"})
    assert r.status_code == 404  # a pin is for EPP users only
    assert await web.registry.scalar("select dkhm_version from users where id = :i",
                                     i=uid) is None


async def test_a_locked_das_user_is_shown_with_its_end(web) -> None:
    registry = web.registry
    registry.settings.service_lockout_failures = 2
    c, handle, _email = await web.logged_in("administration")
    page = await c.get(USERS)
    r = await c.post(USERS, data={"csrf": csrf_of(page.text), "login": "lookup",
                                  "service": "das", "roles": ["registrar"]})
    assert r.status_code == 200
    login = login_prefix(handle) + "lookup"
    pair = base64.b64encode(f"{login}:Wrong-Passw0rd".encode()).decode()
    das = web.client()
    for _ in range(2):
        resp = await das.get("/das/domain/is_available/ledig.dk",
                             headers={"Accept": "application/json",
                                      "Authorization": f"Basic {pair}"})
        assert resp.status_code == 401
    listing = await c.get(USERS)
    assert "Spærret indtil 2026-06-02 10:00" in listing.text, listing.text
    assert "ophæves af sig selv" in listing.text
    assert 'name="key" value="' + login not in listing.text  # no lift: it ends by itself

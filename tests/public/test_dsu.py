"""DSU over the web app (both backends): an accepted request replaces all DS records of
the domain (EPP's own update action, so the zone journal follows), ``DELETE_DS`` deletes
them, a bad set anywhere changes nothing, and every refusal answers its HTTP status with
the specification's ``X-DSU`` sub-code; form values that are not UTF-8 are read as
ISO-8859-1."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from sqlalchemy import text

from epp.update_support import SHA1, SHA256, SHA384, ds_of, ready_registrar
from support.lookup_world import build
from support.service_web import app_of, client, service_user

URL = "/dsu/1.0"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DELETE = "DELETE_DS"


def ds_set(n: int, key_tag: int | str, alg: int | str, digest_type: int | str,
           digest: str) -> dict[str, str]:
    return {f"keytag{n}": str(key_tag), f"algorithm{n}": str(alg),
            f"digest_type{n}": str(digest_type), f"digest{n}": digest}


async def dsu_ready(registry, *names: str, roles: str = "registrar proxy payer nsa"):  # type: ignore[no-untyped-def]
    """A registrar with active ``names`` and a DSU service user: (handle, login, password)."""
    _c, handle, _contact = await ready_registrar(registry, *names)
    login, password = await service_user(registry, handle, "dsu", roles=roles)
    return handle, login, password


async def post(registry, form: dict[str, str], app=None):  # type: ignore[no-untyped-def]
    async with client(app or app_of(registry)) as web:
        return await web.post(URL, data=form)


async def test_two_sets_replace_all_ds_records_and_delete_ds_removes_them(registry) -> None:
    _h, login, password = await dsu_ready(registry, "sikret.dk")
    base = {"userid": login, "password": password, "domain": "sikret.dk"}
    r = await post(registry, {**base, **ds_set(1, 111, 8, 1, SHA1)})
    assert (r.status_code, r.text, "x-dsu" in r.headers) == (200, "OK\n", False)
    assert await ds_of(registry, "sikret.dk") == [(111, 8, 1, SHA1)]
    # the next request names the whole new set: the old record goes
    r = await post(registry, {**base, **ds_set(1, 2371, 13, 2, SHA256.lower()),
                              **ds_set(2, 4242, 14, 4, SHA384)})
    assert r.status_code == 200, r.text
    assert await ds_of(registry, "sikret.dk") == [(2371, 13, 2, SHA256), (4242, 14, 4, SHA384)]
    r = await post(registry, {**base, **ds_set(1, DELETE, DELETE, DELETE, DELETE)})
    assert r.status_code == 200 and r.text == "OK\n"
    assert await ds_of(registry, "sikret.dk") == []
    # deleting what is not there leaves what was asked for: no DS
    r = await post(registry, {**base, **ds_set(1, DELETE, DELETE, DELETE, DELETE)})
    assert r.status_code == 200
    events = await registry.rows(
        "select door, command, actor, object, result_code, request from audit "
        "where door = 'dsu' order by id")
    assert [(e.command, e.actor, e.object, e.result_code) for e in events[:3]] == [
        ("domain:update", login, "sikret.dk", 1000)] * 3
    assert all(password not in (e.request or "") for e in events)


async def test_multipart_form_works_too(registry) -> None:
    _h, login, password = await dsu_ready(registry, "multi.dk")
    async with client(app_of(registry)) as web:
        r = await web.post(URL, files={"userid": (None, login), "password": (None, password),
                                       "domain": (None, "multi.dk"),
                                       "keytag1": (None, "7"), "algorithm1": (None, "8"),
                                       "digest_type1": (None, "2"),
                                       "digest1": (None, SHA256)})
    assert r.status_code == 200, r.text
    assert await ds_of(registry, "multi.dk") == [(7, 8, 2, SHA256)]


async def test_the_zone_journal_names_the_domain(registry) -> None:
    _h, login, password = await dsu_ready(registry, "zonen.dk")
    async with registry.db.begin() as conn:
        await conn.execute(text("delete from zone_changes"))
    r = await post(registry, {"userid": login, "password": password, "domain": "zonen.dk",
                              **ds_set(1, 10, 13, 2, SHA256)})
    assert r.status_code == 200
    names = [row.name for row in await registry.rows("select name from zone_changes")]
    assert "zonen.dk" in names


async def test_a_bad_second_set_changes_nothing(registry) -> None:
    _h, login, password = await dsu_ready(registry, "atomar.dk")
    base = {"userid": login, "password": password, "domain": "atomar.dk"}
    assert (await post(registry, {**base, **ds_set(1, 1, 8, 2, SHA256)})).status_code == 200
    before = await ds_of(registry, "atomar.dk")
    for second, code in ((ds_set(2, 2, 8, 2, SHA1), 486),  # SHA-1's length as SHA-256
                         (ds_set(2, 2, 4, 2, SHA256), 488),
                         (ds_set(2, 9, 13, 2, SHA256), 487)):  # the first set again
        r = await post(registry, {**base, **ds_set(1, 9, 13, 2, SHA256), **second})
        assert (r.status_code, r.headers.get("x-dsu")) == (400, str(code)), r.text
        assert await ds_of(registry, "atomar.dk") == before


async def test_latin_1_and_utf_8_values_are_read(registry) -> None:
    _h, login, password = await dsu_ready(registry, "æble.dk")
    for encoding in ("iso-8859-1", "utf-8"):
        body = "&".join(f"{k}={quote_from_bytes(v.encode(encoding))}" for k, v in {
            "userid": login, "password": password, "domain": "æble.dk",
            **ds_set(1, 77 if encoding == "utf-8" else 78, 8, 2, SHA256)}.items())
        async with client(app_of(registry)) as web:
            r = await web.post(URL, content=body.encode("ascii"), headers=FORM)
        assert r.status_code == 200, (encoding, r.text)
    assert await ds_of(registry, "æble.dk") == [(77, 8, 2, SHA256)]
    # and the A-label is the specification's own form
    r = await post(registry, {"userid": login, "password": password,
                              "domain": "xn--ble-xla.dk", **ds_set(1, 5, 8, 2, SHA256)})
    assert r.status_code == 200
    assert await ds_of(registry, "æble.dk") == [(5, 8, 2, SHA256)]


def _without(form: dict[str, str], *keys: str) -> dict[str, str]:
    return {k: v for k, v in form.items() if k not in keys}


@pytest.mark.parametrize(("change", "status", "code"), [
    (lambda f: _without(f, "userid"), 400, 480),
    (lambda f: {**f, "userid": " "}, 400, 480),
    (lambda f: _without(f, "password"), 400, 481),
    (lambda f: _without(f, "keytag1"), 400, 482),
    (lambda f: _without(f, "keytag1", "algorithm1", "digest_type1", "digest1"), 400, 482),
    (lambda f: _without(f, "domain"), 400, 483),
    (lambda f: {**f, "domain": "eksempel.com"}, 400, 484),
    (lambda f: {**f, "domain": "under_streg.dk"}, 400, 484),
    (lambda f: {**f, "userid": "x"}, 400, 485),
    (lambda f: {**f, "userid": "has space"}, 400, 485),
    (lambda f: {**f, "digest1": SHA1}, 400, 486),
    (lambda f: {**f, "digest_type1": "3"}, 400, 486),
    (lambda f: {**f, "keytag1": "abc"}, 400, 487),
    (lambda f: {**f, "keytag1": "70000"}, 400, 487),
    (lambda f: {**f, "digest1": "Z" * 64}, 400, 487),
    (lambda f: {**f, "algorithm1": "RSA"}, 400, 487),
    (lambda f: {**f, "keytag1": DELETE}, 400, 487),
    (lambda f: {**f, "algorithm1": "4"}, 400, 488),
    (lambda f: {**f, **ds_set(3, 2, 8, 2, SHA256)}, 400, 489),
    (lambda f: {**f, **{k: DELETE for k in ds_set(1, 0, 0, 0, "")},
                **ds_set(2, 2, 8, 2, SHA256)}, 400, 489),
    (lambda f: {**f, **{k: v for n in range(2, 7)
                        for k, v in ds_set(n, n, 8, 2, SHA256).items()}}, 400, 489),
    (lambda f: {**f, "foo": "bar"}, 400, 495),
    (lambda f: {**f, "userid": "nobody-here"}, 400, 496),
    (lambda f: {**f, "domain": "findes-ikke.dk"}, 400, 497),
    (lambda f: {**f, "password": "Wrong-Passw0rd"}, 530, 531),
])
async def test_every_sub_code(registry, change, status: int, code: int) -> None:  # type: ignore[no-untyped-def]
    _h, login, password = await dsu_ready(registry, "koder.dk")
    form = {"userid": login, "password": password, "domain": "koder.dk",
            **ds_set(1, 12, 8, 2, SHA256)}
    r = await post(registry, change(form))
    assert (r.status_code, r.headers.get("x-dsu")) == (status, str(code)), r.text
    assert r.headers["content-type"].startswith("text/plain") and r.text.strip()
    assert await ds_of(registry, "koder.dk") == []


async def test_authorisation_532_and_password_type_533(registry) -> None:
    _h, login, password = await dsu_ready(registry, "ejer.dk")
    other_handle, epp_login, epp_password = await registry.new_registrar()
    other_login, other_password = await service_user(registry, other_handle, "dsu")
    no_nsa_login, no_nsa_password = await service_user(registry, _h, "dsu", roles="registrar")
    das_login, das_password = await service_user(registry, _h, "das")
    ds = ds_set(1, 12, 8, 2, SHA256)
    app = app_of(registry)
    for who, pw, code in ((other_login, other_password, 532),  # not the sponsor
                          (no_nsa_login, no_nsa_password, 532),  # no NSA meta-role
                          (epp_login, epp_password, 533),  # an EPP password
                          (das_login, das_password, 533)):  # a DAS password
        r = await post(registry, {"userid": who, "password": pw, "domain": "ejer.dk", **ds},
                       app=app)
        assert (r.status_code, r.headers.get("x-dsu")) == (530, str(code)), (who, r.text)
    assert await ds_of(registry, "ejer.dk") == []
    refused = await registry.rows("select result_code, actor from audit where door = 'dsu' "
                                  "and command = 'domain:update' order by id")
    assert [(e.result_code, e.actor) for e in refused] == [(2201, other_login),
                                                           (2201, no_nsa_login)]
    ok = await post(registry, {"userid": login, "password": password, "domain": "ejer.dk",
                               **ds}, app=app)
    assert ok.status_code == 200


async def test_a_locked_user_id_is_531_with_the_right_password(registry) -> None:
    registry.settings.service_lockout_failures = 2
    _h, login, password = await dsu_ready(registry, "laast.dk")
    form = {"userid": login, "password": password, "domain": "laast.dk",
            **ds_set(1, 12, 8, 2, SHA256)}
    app = app_of(registry)
    for _ in range(2):
        r = await post(registry, {**form, "password": "Wrong-Passw0rd"}, app=app)
        assert r.headers.get("x-dsu") == "531"
    r = await post(registry, form, app=app)
    assert (r.status_code, r.headers.get("x-dsu")) == (530, "531")
    assert await ds_of(registry, "laast.dk") == []


async def test_other_methods_are_405(registry) -> None:
    async with client(app_of(registry)) as web:
        r = await web.get(URL)
    assert r.status_code == 405


async def test_a_registrant_managed_domain_is_532_for_every_registrar(registry) -> None:
    """On a registrant-managed domain a registrar may only make itself billing contact
    (EPP's rule, which DSU runs): DS changes are the registrant's, in self-service. Its
    former sponsor and its billing registrar are refused alike, and nothing changes."""
    world = await build(registry)
    billing_id = await registry.scalar("select id from registrars where handle = :h",
                                       h=world.registrar)
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set billing_registrar_id = :b "
                                "where uname = :n"), {"b": billing_id, "n": world.firm})
    login, password = await service_user(registry, world.registrar, "dsu")
    other_handle, _l, _p = await registry.new_registrar()
    other_login, other_password = await service_user(registry, other_handle, "dsu")
    before = await ds_of(registry, world.firm)
    app = app_of(registry)
    for who, pw in ((login, password), (other_login, other_password)):
        r = await post(registry, {"userid": who, "password": pw, "domain": world.firm,
                                  **ds_set(1, 12, 8, 2, SHA256)}, app=app)
        assert (r.status_code, r.headers.get("x-dsu")) == (530, "532"), (who, r.text)
        r = await post(registry, {"userid": who, "password": pw, "domain": world.firm,
                                  **ds_set(1, DELETE, DELETE, DELETE, DELETE)}, app=app)
        assert (r.status_code, r.headers.get("x-dsu")) == (530, "532"), (who, r.text)
    assert await ds_of(registry, world.firm) == before

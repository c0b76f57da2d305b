"""WHOIS REST at /whois-api over the real web app (both backends): the registry's keys
and letters, the disclosure rule (a person by country only, a company by name and
address), the registrar only for registrar-managed domains, the waiting list's minimal
``W``, a host's glue, and the errors (400, 404, 415, 503 over the rate limit)."""

from __future__ import annotations

import re

import httpx
import pytest_asyncio

from dkreg.app import Running
from dkreg.web.asgi import build_app
from support.lookup_world import GLUE, build

JSON = {"Accept": "application/json"}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
DOMAIN_KEYS = {"createddate", "dnssec", "domain", "domain_encoded", "domain_type", "message",
               "nameservers", "paiduntildate", "periodqty", "public_deletedate",
               "public_domain_status", "registrant", "status"}
REGISTRANT_KEYS = {"name", "street1", "street2", "street3", "zipcode", "city",
                   "countryregionid", "phone", "useridtype"}


def client_of(app, ip: str = "192.0.2.10") -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest_asyncio.fixture
async def lookups(registry):  # type: ignore[no-untyped-def]
    world = await build(registry)
    app = build_app(Running(services=registry.services, epp=registry.server, tasks=[],
                            ca_file=str(registry.ca_file)))
    async with client_of(app) as c:
        yield world, c


async def get(c: httpx.AsyncClient, path: str, **headers: str) -> httpx.Response:
    return await c.get("/whois-api" + path, headers=headers or JSON)


async def test_a_persons_registrar_managed_signed_domain(lookups) -> None:  # type: ignore[no-untyped-def]
    w, c = lookups
    r = await get(c, f"/domain/{w.person}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == DOMAIN_KEYS | {"registrar"}
    assert body["domain"] == body["domain_encoded"] == w.person
    assert body["status"] == 200 and body["message"] == "OK"
    assert body["public_domain_status"] == "A"
    assert body["dnssec"] == "J"
    assert body["periodqty"] == "1"
    assert ISO.match(body["createddate"]) and ISO.match(body["paiduntildate"])
    assert body["createddate"] < body["paiduntildate"]
    assert body["public_deletedate"] is None
    assert set(body["nameservers"]) == {"ns1.example.net", "ns2.example.net"}
    ns1 = body["nameservers"]["ns1.example.net"]
    assert ns1 == {"domain": w.person, "domain_encoded": w.person,
                   "hostname": "ns1.example.net", "hostname_encoded": "ns1.example.net"}
    # a person: the country only, every other key withheld (null), no handle anywhere
    assert set(body["registrant"]) == REGISTRANT_KEYS
    assert body["registrant"]["countryregionid"] == "DK"
    assert [k for k, v in body["registrant"].items() if v is not None] == ["countryregionid"]
    assert body["domain_type"] is None
    assert w.person_handle not in r.text
    # the listed registrar with its public details
    reg = body["registrar"]
    assert reg["is_public"] is True
    assert reg["name"].startswith("Listed Registrar")
    assert reg["url"].startswith("https://registrar") and reg["logo"].endswith("/logo.png")


async def test_a_companys_registrant_managed_domain(lookups) -> None:  # type: ignore[no-untyped-def]
    w, c = lookups
    body = (await get(c, f"/domain/{w.firm}")).json()
    assert set(body) == DOMAIN_KEYS  # registrant-managed: no registrar section
    assert body["dnssec"] == "N"
    reg = body["registrant"]
    assert reg["name"].startswith("Firma ") and reg["name"].endswith(" A/S")
    assert reg["street1"] == "Ørestads Boulevard 108, 11." and reg["street2"] is None
    assert (reg["zipcode"], reg["city"], reg["countryregionid"]) == ("2300", "København S",
                                                                     "DK")
    assert reg["useridtype"] == "V" and body["domain_type"] == "V"
    assert reg["phone"] is None  # never shown
    assert w.glue_host in body["nameservers"]


async def test_an_unlisted_registrar_is_only_is_public_false(lookups) -> None:  # type: ignore[no-untyped-def]
    w, c = lookups
    body = (await get(c, f"/domain/{w.hidden}")).json()
    assert body["registrar"] == {"is_public": False}


async def test_an_idn_by_u_label_and_a_label(lookups) -> None:  # type: ignore[no-untyped-def]
    w, c = lookups
    by_u = (await get(c, f"/domain/{w.idn}")).json()
    by_a = (await get(c, f"/domain/{w.idn_alabel}")).json()
    assert by_u == by_a
    assert (by_u["domain"], by_u["domain_encoded"]) == (w.idn, w.idn_alabel)


async def test_waiting_list_and_reserved_names_are_minimal(lookups) -> None:  # type: ignore[no-untyped-def]
    w, c = lookups
    assert (await get(c, f"/domain/{w.offered}")).json() == {
        "domain": w.offered, "domain_encoded": w.offered, "message": "OK",
        "public_domain_status": "W", "status": 200}
    assert (await get(c, f"/domain/{w.reserved}")).json()["public_domain_status"] == "B"


async def test_a_host_and_its_glue(lookups) -> None:  # type: ignore[no-untyped-def]
    w, c = lookups
    body = (await get(c, f"/host/{w.glue_host}")).json()
    assert body == {"glue_spooled": "J", "hostname": w.glue_host,
                    "hostname_encoded": w.glue_host, "message": "OK",
                    "nameserver_status": "A", "status": 200}
    outside = (await get(c, "/host/ns1.example.net")).json()
    assert outside["glue_spooled"] == "N"
    assert GLUE[0] not in str(outside)


async def test_query_relays_to_domain_or_host(lookups) -> None:  # type: ignore[no-untyped-def]
    w, c = lookups
    assert (await get(c, f"/query/{w.firm}")).json() == (await get(c, f"/domain/{w.firm}")).json()
    assert (await get(c, f"/query/{w.glue_host}")).json() == \
        (await get(c, f"/host/{w.glue_host}")).json()
    assert (await get(c, "/query/nothing-here.dk")).status_code == 404


async def test_errors(lookups) -> None:  # type: ignore[no-untyped-def]
    w, c = lookups
    for path, code in ((f"/domain/{w.person}", None), ("/domain/ikke-registreret.dk", 404),
                       ("/host/ns9.nowhere.example", 404), ("/domain/example.com", 400),
                       ("/domain/-bad-.dk", 400), ("/host/ns1..dk", 400),
                       ("/nothing", 404)):
        r = await get(c, path)
        if code is None:
            assert r.status_code == 200
            continue
        assert r.status_code == code, (path, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/json")
        body = r.json()
        assert body["status"] == code and body["message"]
    # Accept is mandatory: missing, */* and other types are 415
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "text/html"},
                    {"Accept": "application/xml"}):
        r = await c.get(f"/whois-api/domain/{w.person}", headers=headers)
        assert r.status_code == 415, (headers, r.status_code)
        assert "application/json" in r.json()["message"]
    ok = await c.get(f"/whois-api/domain/{w.person}",
                     headers={"Accept": "text/html, application/json;q=0.5"})
    assert ok.status_code == 200
    # a NUL in the path is refused by the web app's guard, in the door's JSON
    r = await c.get("/whois-api/domain/a%00b.dk", headers=JSON)
    assert r.status_code == 400 and r.json()["status"] == 400
    r = await c.post(f"/whois-api/domain/{w.person}", headers=JSON)
    assert r.status_code == 405 and r.json()["status"] == 405


async def test_over_the_rate_the_registry_answers_503(registry) -> None:  # type: ignore[no-untyped-def]
    registry.settings.lookup_http_rate = 1.0
    registry.settings.lookup_http_burst = 2.0
    registry.settings.lookup_allow = "198.51.100.0/24"
    app = build_app(Running(services=registry.services, epp=registry.server, tasks=[],
                            ca_file=str(registry.ca_file)))
    async with client_of(app, "192.0.2.10") as a, client_of(app, "192.0.2.99") as same_net, \
            client_of(app, "203.0.113.5") as other_net, \
            client_of(app, "198.51.100.7") as allowed:
        codes = [(await a.get("/whois-api/domain/fri.dk", headers=JSON)).status_code
                 for _ in range(2)]
        assert codes == [404, 404]  # the burst
        r = await same_net.get("/whois-api/domain/fri.dk", headers=JSON)
        assert r.status_code == 503  # the same /24
        assert int(r.headers["retry-after"]) >= 1 and r.json()["status"] == 503
        assert (await other_net.get("/whois-api/domain/fri.dk",
                                    headers=JSON)).status_code == 404
        for _ in range(5):
            assert (await allowed.get("/whois-api/domain/fri.dk",
                                      headers=JSON)).status_code == 404


def test_the_lookup_settings() -> None:
    """The allow-list fails at start-up naming a bad entry; the RDAP base URL and WHOIS
    host follow public_base_url unless set."""
    import pytest

    from dkreg.config import load_settings

    with pytest.raises(ValueError, match="lookup_allow: not a network or address: 'nonsense'"):
        load_settings(None, env={"DKREG_LOOKUP_ALLOW": "10.0.0.0/8, nonsense"})
    s = load_settings(None, env={"DKREG_PUBLIC_BASE_URL": "https://lookup.example/"})
    assert (s.rdap_url, s.rdap_whois_host) == ("https://lookup.example/rdap", "lookup.example")
    s = load_settings(None, env={"DKREG_RDAP_BASE_URL": "https://rdap.example/",
                                 "DKREG_RDAP_PORT43": "whois.example"})
    assert (s.rdap_url, s.rdap_whois_host) == ("https://rdap.example", "whois.example")

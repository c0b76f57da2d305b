"""RDAP at /rdap over the real web app (both backends).

Every answer the tests get — domain, nameserver, entity, help and each error — is
validated with ICANN's RDAP JSON Schemas (``support.rdap_schema``) and, separately, by
an RFC-only conformance run (``rfc_problems``: the RFC 9083 MUSTs and the IANA value
registries the Python schema validator cannot look up). Two third-party clients from
PyPI, ``rdap`` and ``whoisit``, read the answers from a real HTTP server (uvicorn on a
free loopback port), whoisit bootstrapped from an RFC 9224 file that points .dk at it.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from datetime import datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio

from dkreg.app import Running
from dkreg.web.asgi import build_app
from support.http_serving import serving
from support.lookup_world import GLUE, build
from support.rdap_schema import assert_valid

RDAP = {"Accept": "application/rdap+json"}
MEDIA = "application/rdap+json"

# IANA "RDAP JSON Values" registry (RFC 9083 §10.2) and RFC 8056
STATUSES = {"validated", "renew prohibited", "update prohibited", "transfer prohibited",
            "delete prohibited", "proxy", "private", "removed", "obscured", "associated",
            "active", "inactive", "locked", "pending create", "pending renew",
            "pending transfer", "pending update", "pending delete", "add period",
            "auto renew period", "client delete prohibited", "client hold",
            "client renew prohibited", "client transfer prohibited",
            "client update prohibited", "pending restore", "redemption period",
            "renew period", "server delete prohibited", "server renew prohibited",
            "server transfer prohibited", "server update prohibited", "server hold",
            "transfer period"}
EVENT_ACTIONS = {"registration", "reregistration", "last changed", "expiration", "deletion",
                 "reinstantiation", "transfer", "locked", "unlocked",
                 "last update of RDAP database", "registrar expiration",
                 "enum validation expiration"}
ROLES = {"registrant", "technical", "administrative", "abuse", "billing", "registrar",
         "reseller", "sponsor", "proxy", "notifications", "noc"}
NOTICE_TYPES = {"result set truncated due to authorization",
                "result set truncated due to excessive load",
                "result set truncated due to unexplainable reasons",
                "object truncated due to authorization",
                "object truncated due to excessive load",
                "object truncated due to unexplainable reasons"}
LINK_RELS = {"self", "related", "about", "terms-of-service", "privacy-policy", "alternate",
             "help", "copyright"}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
CLASSES = {"domain", "nameserver", "entity"}


def rfc_problems(body: dict[str, Any], kind: str) -> list[str]:
    """What in ``body`` breaks RFC 9083 (and RFC 7480/8056's values), by path."""
    out: list[str] = []
    conformance = body.get("rdapConformance")
    if not (isinstance(conformance, list) and "rdap_level_0" in conformance):
        out.append("rdapConformance with rdap_level_0 missing at the top (§4.1)")
    if body.get("lang") != "en":
        out.append("lang missing at the top (§4.4)")
    if kind in CLASSES and body.get("objectClassName") != kind:
        out.append(f"objectClassName is not {kind!r} (§5)")
    if kind == "error" and body.get("errorCode") is None:
        out.append("errorCode missing (§6)")

    def walk(node: Any, path: str, top: bool) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}[{i}]", False)
            return
        if not isinstance(node, dict):
            return
        if not top and "rdapConformance" in node:
            out.append(f"{path}: rdapConformance below the top (§4.1)")
        if not top and "notices" in node:
            out.append(f"{path}: notices below the top (§4.3)")
        for key in ("entities", "nameservers"):
            for i, child in enumerate(node.get(key, [])):
                if child.get("objectClassName") not in CLASSES:
                    out.append(f"{path}.{key}[{i}]: objectClassName missing (§5)")
        for status in node.get("status", []) if isinstance(node.get("status"), list) else []:
            if status not in STATUSES:
                out.append(f"{path}: status {status!r} not registered")
        for ev in node.get("events", []):
            if ev.get("eventAction") not in EVENT_ACTIONS:
                out.append(f"{path}: eventAction {ev.get('eventAction')!r} not registered")
            if not RFC3339.match(ev.get("eventDate", "")):
                out.append(f"{path}: eventDate {ev.get('eventDate')!r} not RFC 3339")
        for role in node.get("roles", []):
            if role not in ROLES:
                out.append(f"{path}: role {role!r} not registered")
        for n in [*node.get("notices", []), *node.get("remarks", [])]:
            if not isinstance(n.get("description"), list):
                out.append(f"{path}: notice/remark without a description array (§4.3)")
            if "type" in n and n["type"] not in NOTICE_TYPES:
                out.append(f"{path}: notice type {n['type']!r} not registered")
        for link in node.get("links", []):
            if link.get("rel") not in LINK_RELS or not link.get("href", "").startswith("http"):
                out.append(f"{path}: link {link} (rel registered, href absolute: §4.2)")
        if "vcardArray" in node:
            card = node["vcardArray"]
            if card[0] != "vcard" or card[1][0] != ["version", {}, "text", "4.0"]:
                out.append(f"{path}: jCard does not start with version 4.0 (RFC 7095)")
            if not any(p[0] == "fn" for p in card[1]):
                out.append(f"{path}: jCard without fn (RFC 6350)")
        for key, child in node.items():
            if key not in ("vcardArray",):
                walk(child, f"{path}.{key}", False)

    walk(body, "$", True)
    return out


class Checked:
    """An httpx client that checks every RDAP answer: the media type (RFC 7480 §4.2),
    ICANN's schema for its kind, and the RFC-only run."""

    def __init__(self, client: httpx.AsyncClient, *, schemas: bool = True) -> None:
        self.c = client
        self.schemas = schemas
        self.seen: list[str] = []

    async def get(self, path: str, kind: str, status: int = 200,
                  headers: dict[str, str] | None = None) -> dict[str, Any]:
        r = await self.c.get("/rdap" + path, headers=RDAP if headers is None else headers)
        assert r.status_code == status, (path, r.status_code, r.text[:500])
        assert r.headers["content-type"].split(";")[0] == MEDIA, (path, r.headers)
        body = r.json()
        kind = "error" if status >= 400 else kind
        if self.schemas:
            assert_valid(kind, body)
        problems = rfc_problems(body, kind)
        assert not problems, (path, problems)
        if kind == "error":
            assert body["errorCode"] == status and body["title"] and body["description"]
        self.seen.append(kind)
        return body


def client_of(app: Any, ip: str = "192.0.2.10") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def app_of(registry: Any) -> Any:
    return build_app(Running(services=registry.services, epp=registry.server, tasks=[],
                             ca_file=str(registry.ca_file)))


@pytest_asyncio.fixture
async def rdap(registry):  # type: ignore[no-untyped-def]
    world = await build(registry)
    async with client_of(app_of(registry)) as c:
        yield world, Checked(c), registry


def entity_of(body: dict[str, Any], role: str) -> dict[str, Any] | None:
    return next((e for e in body.get("entities", []) if role in e["roles"]), None)


def vcard_props(entity: dict[str, Any]) -> dict[str, list[Any]]:
    return {p[0]: p for p in entity["vcardArray"][1]}


async def test_a_persons_signed_registrar_managed_domain(rdap) -> None:  # type: ignore[no-untyped-def]
    w, c, registry = rdap
    body = await c.get(f"/domain/{w.person}", "domain")
    assert body["ldhName"] == w.person and "unicodeName" not in body
    assert body["handle"] == w.person.upper().replace(".", "_").replace("-", "_") + "-DK"
    assert body["status"] == ["active"]
    assert "dkreg_cctld_profile_0" in body["rdapConformance"]
    actions = {e["eventAction"]: e["eventDate"] for e in body["events"]}
    assert {"registration", "expiration", "last update of RDAP database"} <= set(actions)
    assert actions["registration"] < actions["expiration"]
    assert body["secureDNS"]["delegationSigned"] is True
    assert sorted((d["keyTag"], d["algorithm"], d["digestType"])
                  for d in body["secureDNS"]["dsData"]) == [(12345, 13, 2), (23456, 14, 4)]
    assert [ns["ldhName"] for ns in body["nameservers"]] == ["ns1.example.net",
                                                            "ns2.example.net"]
    assert all("ipAddresses" not in ns for ns in body["nameservers"])
    # the person: country only, no handle, no name; the remark names what is withheld
    registrant = entity_of(body, "registrant")
    assert registrant is not None and "handle" not in registrant
    props = vcard_props(registrant)
    assert props["fn"][3] == ""
    assert props["adr"][1] == {"cc": "DK"} and props["adr"][3][:6] == ["", "", "", "", "",
                                                                       ""]
    assert set(props) == {"version", "fn", "kind", "adr"}
    assert "name" in registrant["remarks"][0]["description"][0]
    assert w.person_handle not in json.dumps(body)
    # the listed registrar, with its website and e-mail
    registrar = entity_of(body, "registrar")
    assert registrar is not None and registrar["handle"] == w.registrar
    rprops = vcard_props(registrar)
    assert rprops["fn"][3].startswith("Listed Registrar")
    assert rprops["email"][3].startswith("info@registrar")
    assert registrar["links"][0]["href"].endswith(f"/rdap/entity/{w.registrar}")
    # links, notices, port43
    base = registry.settings.public_base_url
    assert body["links"][0] == {"value": f"{base}/rdap/domain/{w.person}", "rel": "self",
                                "href": f"{base}/rdap/domain/{w.person}", "type": MEDIA}
    hrefs = {n["title"]: n["links"][0]["href"] for n in body["notices"]}
    assert hrefs == {"Terms of Use": f"{base}/lookup/terms",
                     "Privacy Notice": f"{base}/lookup/privacy"}
    assert body["port43"] == "127.0.0.1"


async def test_a_companys_domain_with_glue_and_no_registrar(rdap) -> None:  # type: ignore[no-untyped-def]
    w, c, _registry = rdap
    body = await c.get(f"/domain/{w.firm}", "domain")
    assert entity_of(body, "registrar") is None  # registrant-managed
    assert body["secureDNS"] == {"delegationSigned": False}
    props = vcard_props(entity_of(body, "registrant"))  # type: ignore[arg-type]
    assert props["fn"][3].startswith("Firma ") and props["kind"][3] == "org"
    assert props["adr"][3] == ["", "", "Ørestads Boulevard 108, 11.", "København S", "",
                               "2300", "DK"]
    assert "tel" not in props
    glue = next(ns for ns in body["nameservers"] if ns["ldhName"] == w.glue_host)
    assert glue["ipAddresses"] == {"v4": [GLUE[0]], "v6": [GLUE[1]]}


async def test_an_idn_by_either_label(rdap) -> None:  # type: ignore[no-untyped-def]
    w, c, _registry = rdap
    by_u = await c.get(f"/domain/{w.idn}", "domain")
    by_a = await c.get(f"/domain/{w.idn_alabel}", "domain")
    strip = lambda b: {k: v for k, v in b.items() if k != "events"}  # noqa: E731
    assert strip(by_u) == strip(by_a)
    assert (by_u["ldhName"], by_u["unicodeName"]) == (w.idn_alabel, w.idn)


async def test_reserved_and_offered_names(rdap) -> None:  # type: ignore[no-untyped-def]
    w, c, _registry = rdap
    for name, title in ((w.reserved, "Reserved"), (w.offered, "Offered to waiting list")):
        body = await c.get(f"/domain/{name}", "domain")
        assert body["status"] == ["inactive"] and body["remarks"][0]["title"] == title
        assert "entities" not in body and "events" not in body


async def test_statuses_of_a_held_domain_and_an_application(rdap) -> None:  # type: ignore[no-untyped-def]
    w, c, registry = rdap
    async with registry.db.begin() as conn:
        from sqlalchemy import text

        await conn.execute(text("update domains set statuses = 'serverHold' "
                                "where uname = :n"), {"n": w.hidden})
    body = await c.get(f"/domain/{w.hidden}", "domain")
    assert body["status"] == ["inactive", "server hold"]


async def test_a_nameserver_lists_no_domains(rdap) -> None:  # type: ignore[no-untyped-def]
    w, c, _registry = rdap
    body = await c.get(f"/nameserver/{w.glue_host}", "nameserver")
    assert body["ldhName"] == w.glue_host and body["status"] == ["active"]
    assert body["ipAddresses"] == {"v4": [GLUE[0]], "v6": [GLUE[1]]}
    text = json.dumps(body)
    assert "entities" not in body and "domains" not in body
    assert w.firm not in text.replace(w.glue_host, "")  # its own name aside
    outside = await c.get("/nameserver/ns1.example.net", "nameserver")
    assert "ipAddresses" not in outside
    assert w.person not in json.dumps(outside)


async def test_entities(rdap) -> None:  # type: ignore[no-untyped-def]
    w, c, _registry = rdap
    listed = await c.get(f"/entity/{w.registrar}", "entity")
    assert listed["roles"] == ["registrar"] and listed["handle"] == w.registrar
    assert "url" in vcard_props(listed)
    hidden = await c.get(f"/entity/{w.hidden_registrar.lower()}", "entity")
    assert hidden["handle"] == w.hidden_registrar
    assert set(vcard_props(hidden)) == {"version", "fn", "kind"}  # no website, no e-mail
    firm = await c.get(f"/entity/{w.firm_handle}", "entity")
    assert firm["roles"] == ["registrant"]
    assert vcard_props(firm)["fn"][3].startswith("Firma ")
    # a person's handle answers as an unknown one does
    await c.get(f"/entity/{w.person_handle}", "entity", 404)
    await c.get("/entity/NOBODY1-DK", "entity", 404)
    await c.get("/entity/bad%20handle!", "entity", 400)


async def test_help(rdap) -> None:  # type: ignore[no-untyped-def]
    _w, c, _registry = rdap
    body = await c.get("/help", "help")
    assert [n["title"] for n in body["notices"]] == ["About this service", "Terms of Use",
                                                     "Privacy Notice"]


async def test_errors_in_rdap_form(rdap) -> None:  # type: ignore[no-untyped-def]
    w, c, _registry = rdap
    await c.get("/domain/example.com", "domain", 400)
    await c.get("/domain/-x-.dk", "domain", 400)
    await c.get("/domain/ledig-navn.dk", "domain", 404)
    await c.get("/nameserver/ns1..example", "nameserver", 400)
    await c.get("/nameserver/ns9.nowhere.example", "nameserver", 404)
    await c.get("/domains?name=x*.dk", "domain", 501)
    await c.get("/nameservers?ip=192.0.2.1", "nameserver", 501)
    await c.get("/ip/192.0.2.1", "domain", 501)
    await c.get("/no/such/query", "domain", 404)
    await c.get("/domain/a%00b.dk", "domain", 400)  # the web app's guard, in RDAP form
    await c.get(f"/domain/{w.person}", "domain", 415, headers={"Accept": "text/html"})
    await c.get(f"/domain/{w.person}", "domain", 415, headers={"Accept": "application/xml"})
    r = await c.c.post(f"/rdap/domain/{w.person}")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    assert_valid("error", r.json())
    # accepted: the two JSON types, wildcards, and no Accept at all
    for accept in ("application/json", "application/rdap+json;q=0.9", "*/*",
                   "text/html,application/xhtml+xml,*/*;q=0.8", None):
        headers = {"Accept": accept} if accept else {}
        r = await c.c.get(f"/rdap/domain/{w.person}", headers=headers)
        assert r.status_code == 200, accept
        assert r.headers["content-type"].split(";")[0] == MEDIA


async def test_throttled_with_429_and_retry_after(registry) -> None:  # type: ignore[no-untyped-def]
    registry.settings.lookup_http_rate = 1.0
    registry.settings.lookup_http_burst = 1.0
    async with client_of(app_of(registry)) as raw:
        c = Checked(raw)
        await c.get("/domain/ledig-navn.dk", "domain", 404)
        r = await raw.get("/rdap/domain/ledig-navn.dk", headers=RDAP)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert r.headers["content-type"].split(";")[0] == MEDIA
        assert_valid("error", r.json())
        assert not rfc_problems(r.json(), "error")


async def test_head_has_the_headers_and_no_body(rdap) -> None:  # type: ignore[no-untyped-def]
    w, c, _registry = rdap
    for path, status in ((f"/domain/{w.person}", 200), ("/domain/ledig-navn.dk", 404),
                         ("/help", 200)):
        r = await c.c.head("/rdap" + path, headers=RDAP)
        assert r.status_code == status and r.content == b""
        assert r.headers["content-type"].split(";")[0] == MEDIA
        got = await c.c.get("/rdap" + path, headers=RDAP)
        assert int(r.headers["content-length"]) == len(got.content)


async def test_rfc_only_conformance_run(registry) -> None:  # type: ignore[no-untyped-def]
    """Each RFC 9083 / RFC 7480 MUST this server implements, checked without ICANN's
    schemas (so it runs where the reference folder is absent): objectClassName on every
    object, rdapConformance with rdap_level_0 only at the top, notices only at the top,
    lang, registered status / event / role / link values, RFC 3339 dates, jCard shape,
    the media type on every answer, errorCode on errors, and HEAD without a body."""
    w = await build(registry)
    async with client_of(app_of(registry)) as raw:
        c = Checked(raw, schemas=False)
        for path, kind, status in (
                (f"/domain/{w.person}", "domain", 200), (f"/domain/{w.firm}", "domain", 200),
                (f"/domain/{w.idn}", "domain", 200), (f"/domain/{w.offered}", "domain", 200),
                (f"/domain/{w.reserved}", "domain", 200),
                (f"/nameserver/{w.glue_host}", "nameserver", 200),
                (f"/entity/{w.registrar}", "entity", 200),
                (f"/entity/{w.firm_handle}", "entity", 200), ("/help", "help", 200),
                ("/domain/x.com", "domain", 400), ("/domain/ledig-navn.dk", "domain", 404),
                ("/domains?name=a*", "domain", 501), ("/nope", "domain", 404)):
            await c.get(path, kind, status)
            head = await raw.head("/rdap" + path, headers=RDAP)
            assert head.status_code == status and head.content == b""
            assert head.headers["content-type"].split(";")[0] == MEDIA
        assert c.seen.count("error") == 4
    # the run is not vacuous: it flags what the RFC forbids
    bad = {"rdapConformance": ["rdap_level_0"], "lang": "en", "objectClassName": "domain",
           "status": ["ok"], "entities": [{"roles": ["owner"], "rdapConformance": []}],
           "events": [{"eventAction": "created", "eventDate": "2020-01-01"}]}
    problems = " ".join(rfc_problems(bad, "domain"))
    for words in ("objectClassName missing", "rdapConformance below the top",
                  "status 'ok'", "role 'owner'", "eventAction 'created'", "not RFC 3339"):
        assert words in problems, words


def test_the_full_registrant_is_only_shown_when_given() -> None:
    """The builder the access tier calls: without ``full`` the disclosed view, with it
    the whole contact — both valid entities."""
    from dkreg.model.public_view import PublicContact, registrant_view
    from dkreg.public.rdap.render import Site, registrant_entity, top_level

    person = PublicContact("PER1-DK", "individual", "Per Hansen", None, ("Vej 1", "2. tv"),
                           "2100", "København Ø", "DK", "per@example.dk", voice="+45.12345678")
    site = Site("https://rdap.example/rdap", "https://www.example", "whois.example")
    shown = registrant_view(person, publish_org_email=True)
    public = registrant_entity(shown, organisation=False)
    assert "Per" not in json.dumps(public) and "per@example.dk" not in json.dumps(public)
    full = registrant_entity(shown, organisation=False, full=person)
    props = vcard_props(full)
    assert props["fn"][3] == "Per Hansen" and props["email"][3] == "per@example.dk"
    assert props["adr"][3][2] == ["Vej 1", "2. tv"] and props["tel"][3] == "tel:+45.12345678"
    assert full["handle"] == "PER1-DK"
    for entity in (public, full):
        assert_valid("entity", top_level(entity, site, "https://rdap.example/rdap/x"))


# -- real HTTP, third-party clients ------------------------------------------------------

def bootstrap(rdap_url: str) -> str:
    """An RFC 9224 bootstrap set (whoisit wants all five registries) with .dk at us."""
    other = "http://127.0.0.1:9/"
    return json.dumps({
        "timestamp": int(time.time()),
        "dns": {"services": [[["dk"], [rdap_url + "/"]]]},
        "asn": {"services": [[["64496-64511"], [other]]]},
        "ipv4": {"services": [[["192.0.2.0/24"], [other]]]},
        "ipv6": {"services": [[["2001:db8::/32"], [other]]]},
        "object": {"services": [[["x@example.net"], ["X"], [other]]]},
    })


@pytest.mark.interop
async def test_rdap_and_whoisit_read_our_answers(registry) -> None:  # type: ignore[no-untyped-def]
    rdap_client = pytest.importorskip("rdap")
    whoisit = pytest.importorskip("whoisit")
    w = await build(registry)
    app = app_of(registry)
    async with serving(app) as base:
        registry.settings.rdap_base_url = base + "/rdap"
        # PyPI "rdap" (20C): a plain client pointed at our base URL, run in a thread so
        # that this event loop keeps serving
        client = rdap_client.RdapClient({"bootstrap_url": base + "/rdap", "timeout": 10})
        dom = await asyncio.to_thread(client.get_domain, w.person)
        n = await asyncio.to_thread(lambda: dom.normalized)
        assert dom.data["status"] == ["active"]  # the client leaves status unnormalised
        assert n["name"] == w.person and n["dns_sec"] == "secure"
        assert sorted(ns["host"] for ns in n["nameservers"]) == ["ns1.example.net",
                                                                "ns2.example.net"]
        created = datetime.fromisoformat(n["created"].replace("Z", "+00:00"))
        assert abs((created - registry.clock.now()).total_seconds()) < 86400 * 2
        # the client (made for the RIRs) files a registrar under "registrant" and keeps
        # only contacts with a name and an e-mail or phone: the listed registrar is the
        # one contact, the person (no name shown) is none
        assert [(ct["name"].split()[0], ct["email"].split("@")[0]) for ct in n["contacts"]
                ] == [("Listed", "info")], n["contacts"]
        ent = await asyncio.to_thread(client.get_entity, w.registrar)
        assert ent.handle == w.registrar
        firm = await asyncio.to_thread(lambda: client.get_domain(w.firm).normalized)
        assert firm["dns_sec"] == "insecure" and w.glue_host in [
            ns["host"] for ns in firm["nameservers"]]
        with pytest.raises(rdap_client.exceptions.RdapNotFoundError):
            await asyncio.to_thread(client.get_domain, "ledig-navn.dk")
        # whoisit, bootstrapped to us
        whoisit.clear_bootstrapping()
        whoisit.load_bootstrap_data(bootstrap(base + "/rdap"), allow_insecure=True)
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                got = await whoisit.domain_async(w.person, async_client=http)
                assert got["name"] == w.person
                assert got["status"] == ["active"]
                assert got["dnssec"] is True
                assert {d["key_tag"] for d in got["dnssec_ds_data"]} == {12345, 23456}
                assert got["nameservers"] == ["ns1.example.net", "ns2.example.net"]
                assert got["registration_date"] < got["expiration_date"]
                assert got["terms_of_service_url"] == (
                    registry.settings.public_base_url + "/lookup/terms")
                assert got["whois_server"] == "127.0.0.1"
                reg = got["entities"]["registrar"][0]
                assert reg["handle"] == w.registrar and reg["name"].startswith("Listed")
                assert got["entities"]["registrant"][0]["address"]["country"] == "DK"
                assert "name" not in got["entities"]["registrant"][0] or \
                    got["entities"]["registrant"][0]["name"] == ""
                firm_got = await whoisit.domain_async(w.firm, async_client=http)
                assert firm_got["dnssec"] is False
                assert firm_got["nameserver_ips"][w.glue_host] == list(GLUE)
                assert "registrar" not in firm_got["entities"]
        finally:
            whoisit.clear_bootstrapping()
        # HEAD over the wire: headers, no body (h11 would refuse a body on HEAD)
        async with httpx.AsyncClient() as http:
            r = await http.head(f"{base}/rdap/domain/{w.person}", headers=RDAP)
            assert r.status_code == 200 and r.content == b""
            assert r.headers["content-type"].split(";")[0] == MEDIA


def test_the_last_resort_500_is_rdap_json_under_rdap() -> None:
    """An error no RDAP handler answered (the web app's 500 page for an exception that
    escaped) is still RDAP's error form, in RDAP's media type."""
    from starlette.requests import Request

    from dkreg.web.error_pages import server_error_page

    scope = {"type": "http", "method": "GET", "path": "/rdap/domain/x.dk",
             "raw_path": b"/rdap/domain/x.dk", "query_string": b"", "headers": []}
    r = server_error_page(Request(scope))
    assert r.status_code == 500 and r.media_type == MEDIA
    body = json.loads(bytes(r.body))
    assert_valid("error", body)
    assert not rfc_problems(body, "error") and body["errorCode"] == 500

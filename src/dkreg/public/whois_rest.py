"""WHOIS REST (the registry's whois-api, service 4.x; reference OTHER-SERVICES.md "WHOIS
REST API"), mounted at ``/whois-api``: ``GET /domain/{name}``, ``/host/{name}`` and
``/query/{name}`` (a second-level .dk name is looked up as a domain, anything else — or a
domain that is not found — as a host).

The answers are the registry's JSON, key for key (rev. 4.2's examples): dates in ISO
8601 with the Copenhagen offset, ``dnssec`` ``J``/``N``, ``periodqty`` as a string,
``public_domain_status`` the REST letter of ``actions.lookup.domain``, the registrant as
the disclosure rule shows it (every key present, withheld ones ``null``: a person shows
only ``countryregionid``), ``registrar`` only for a registrar-managed domain and then
only ``{"is_public": false}`` for one not on the public registrar list. A name offered
to its waiting list answers the registry's minimal ``W`` record; a reserved name the same
with ``B``. A host answers ``glue_spooled`` ``J``/``N`` (its glue is in the zone) and
``nameserver_status`` ``A`` (every host the registry holds is active; the registry
documents no other value).

``useridtype`` (and ``domain_type``, which the registry's example gives the same value)
is the registrant's type in the registry's Danish initials: ``V`` (virksomhed, company —
the example's value), ``F`` (forening, association), ``O`` (offentlig organisation) and
``P`` (person; never shown, a person's type being withheld with the rest).

``Accept: application/json`` is mandatory, as at the registry: a request without it, or
with only ``*/*`` (curl's default) or another type, gets 415 — a client written against
dkreg must work against the registry, which answers exactly so. Too many requests from
one network (``lookup_http_rate``) get 503, the registry's answer, with Retry-After.
Errors are ``{"message": …, "status": …}`` like the answers.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from dkreg.actions.lookup.domain import DomainFacts, lookup_domain
from dkreg.actions.lookup.host import HostFacts, lookup_host
from dkreg.clock import COPENHAGEN
from dkreg.errors import EppError
from dkreg.messages import render_for
from dkreg.model.names import parse_domain_name, parse_host_name
from dkreg.public.http_lookup import accepts, host_unicode, limit_of, measured, peer, services
from dkreg.runner import reading

PREFIX = "/whois-api"
JSON_TYPES = ("application/json",)
USERIDTYPE = {"company": "V", "association": "F", "public_organization": "O",
              "individual": "P"}
# in the registry's (alphabetical) order
REGISTRANT_KEYS = ("city", "countryregionid", "name", "phone", "street1", "street2",
                   "street3", "useridtype", "zipcode")
REGISTRAR_KEYS = ("city", "countryregionid", "is_public", "logo", "name", "phone",
                  "street1", "street2", "street3", "url", "useridtype", "zipcode")


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in registry time with its offset: ``2022-06-30T00:00:00+02:00``."""
    return moment.astimezone(COPENHAGEN).isoformat(timespec="seconds") if moment else None


def error_json(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"message": message, "status": status}, status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})


MESSAGES = {400: "Bad Request", 404: "Object not found", 405: "Method Not Allowed",
            415: "Unsupported Media Type: send the header Accept: application/json",
            500: "Internal Server Error", 503: "Service Temporarily Unavailable"}


def error_response(status: int, field: str | None = None) -> Response:
    """An error for a path under ``/whois-api`` that never reached a handler (the web
    app's bad-input guard, its last-resort 500): the door's JSON, not an HTML page."""
    message = MESSAGES.get(status, "Error")
    if field:
        message += f" ({field})"
    return error_json(status, message)


# -- the answers (pure: facts in, the registry's dict out) -----------------------------

def registrant_json(facts: DomainFacts) -> dict[str, Any]:
    """The registrant as disclosed: every key, ``null`` where the rule withholds it."""
    out: dict[str, Any] = dict.fromkeys(REGISTRANT_KEYS)
    shown = facts.registrant.shown if facts.registrant else {}
    stored = facts.registrant_contact
    # the lines as stored (the disclosed view joins them with commas, and a line may
    # hold a comma itself), only when the rule shows the address
    street = list(stored.street) if "address" in shown and stored is not None else []
    out.update(name=shown.get("name"), zipcode=shown.get("postal_code"),
               city=shown.get("city"), countryregionid=shown.get("country"))
    for i, line in enumerate(street[:3]):
        out[f"street{i + 1}"] = line
    if len(street) > 3:  # the rule joined more lines than the three keys hold
        out["street3"] = ", ".join(street[2:])
    if "name" in shown and stored is not None:
        out["useridtype"] = USERIDTYPE.get(stored.user_type)
    return out


def registrar_json(facts: DomainFacts) -> dict[str, Any] | None:
    """The sponsor of a registrar-managed domain; ``{"is_public": false}`` alone when it
    is not on the public registrar list. dkreg keeps no registrar address, telephone or
    type, so those keys are ``null``."""
    r = facts.registrar
    if r is None:
        return None
    if not r.listed:
        return {"is_public": False}
    out: dict[str, Any] = dict.fromkeys(REGISTRAR_KEYS)
    out.update(name=r.name, is_public=True, logo=r.logo or "", url=r.website or "")
    return out


def domain_json(facts: DomainFacts) -> dict[str, Any]:
    """The registry's domain answer for ``facts`` (a domain, a reserved name or a
    waiting-list offer)."""
    name = facts.name
    d = facts.domain
    if facts.kind != "domain" or d is None:
        return {"domain": name.ulabel, "domain_encoded": name.alabel, "message": "OK",
                "public_domain_status": facts.letter, "status": 200}
    registrant = registrant_json(facts)
    out: dict[str, Any] = {
        "createddate": iso(d.created_at),
        "dnssec": "J" if facts.ds else "N",
        "domain": name.ulabel,
        "domain_encoded": name.alabel,
        "domain_type": registrant["useridtype"],
        "message": "OK",
        "nameservers": {
            host: {"domain": name.ulabel, "domain_encoded": name.alabel,
                   "hostname": host_unicode(host), "hostname_encoded": host}
            for host in facts.nameservers},
        "paiduntildate": iso(d.expires_at),
        "periodqty": str(d.period_years),
        "public_deletedate": iso(d.delete_at or d.redemption_until),
        "public_domain_status": facts.letter,
        "registrant": registrant,
    }
    registrar = registrar_json(facts)
    if registrar is not None:
        out["registrar"] = registrar
    out["status"] = 200
    return out


def host_json(facts: HostFacts) -> dict[str, Any]:
    return {"glue_spooled": "J" if facts.glue else "N", "hostname": host_unicode(facts.name),
            "hostname_encoded": facts.name, "message": "OK", "nameserver_status": "A",
            "status": 200}


# -- the door --------------------------------------------------------------------------

DOOR = "whois-rest"


def _answer(body: dict[str, Any]) -> Response:
    return JSONResponse(body, headers={"Cache-Control": "max-age=1, no-cache"})


def _bad(e: EppError) -> Response:
    return error_json(400, render_for(e, "en"))


def refused(request: Request) -> Response | None:
    """503 over the network's rate, 415 without ``Accept: application/json``."""
    wait = limit_of(request, DOOR).request(peer(request))
    if wait > 0:
        return error_json(503, MESSAGES[503], {"Retry-After": str(max(1, math.ceil(wait)))})
    if not accepts(request.headers.get("accept"), JSON_TYPES, wildcards=False):
        return error_response(415)
    return None


async def domain(request: Request) -> Response:
    """GET /whois-api/domain/{name}: a domain, reserved name or waiting-list offer."""
    if (no := refused(request)) is not None:
        return no
    try:
        name = parse_domain_name(request.path_params["name"])
    except EppError as e:
        return _bad(e)
    async with reading(services(request), DOOR) as ctx:
        facts = await lookup_domain(ctx, name)
    return _answer(domain_json(facts)) if facts else error_response(404)


async def host(request: Request) -> Response:
    """GET /whois-api/host/{name}: a name server the registry holds."""
    if (no := refused(request)) is not None:
        return no
    try:
        name = parse_host_name(request.path_params["name"])
    except EppError as e:
        return _bad(e)
    async with reading(services(request), DOOR) as ctx:
        facts = await lookup_host(ctx, name)
    return _answer(host_json(facts)) if facts else error_response(404)


async def query(request: Request) -> Response:
    """GET /whois-api/query/{name}: a domain if the name is one and is found, else a host."""
    if (no := refused(request)) is not None:
        return no
    text = request.path_params["name"]
    try:
        dname = parse_domain_name(text)
    except EppError:
        dname = None
    try:
        hname: str | None = parse_host_name(text)
    except EppError as e:
        if dname is None:
            return _bad(e)
        hname = None
    async with reading(services(request), DOOR) as ctx:
        if dname is not None and (facts := await lookup_domain(ctx, dname)):
            return _answer(domain_json(facts))
        if hname is not None and (hfacts := await lookup_host(ctx, hname)):
            return _answer(host_json(hfacts))
    return error_response(404)


async def other(request: Request) -> Response:
    """Anything else under /whois-api: 404 (405 for a method other than GET/HEAD)."""
    if request.method not in ("GET", "HEAD"):
        return error_json(405, MESSAGES[405], {"Allow": "GET, HEAD"})
    return error_response(404)


ANY_METHOD = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
MOUNT = Mount(PREFIX, routes=[
    Route("/domain/{name}", measured(DOOR, "domain", domain), methods=["GET"]),
    Route("/host/{name}", measured(DOOR, "host", host), methods=["GET"]),
    Route("/query/{name}", measured(DOOR, "query", query), methods=["GET"]),
    Route("/{path:path}", measured(DOOR, "other", other), methods=ANY_METHOD),
])

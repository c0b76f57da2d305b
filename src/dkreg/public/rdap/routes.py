"""The RDAP door's HTTP side (RFC 7480): routes under ``/rdap``, content negotiation,
the rate limit, HEAD, and every error in RDAP's JSON form.

* Media type: every answer is ``application/rdap+json`` (RFC 7480 §4.2). A request is
  served when it accepts ``application/rdap+json``, ``application/json`` (the .dk
  draft's two), ``application/*`` or ``*/*``, or sends no Accept at all (RFC 9110
  §12.5.1: none means any; RDAP clients built on plain HTTP libraries send none or
  ``*/*``); anything else — a browser asking for HTML only, XML — gets 415, as the .dk
  draft answers, in RDAP's error form.
* Throttling: ``lookup_http_rate`` per source network; excess gets 429 with
  Retry-After (RFC 7480 §5.5).
* HEAD answers the GET's status and headers without a body (RFC 7480 §4.1).
* Searches (``domains?``, ``nameservers?``, ``entities?``) and IP, autnum queries are
  not offered: 501 Not Implemented (RFC 9110 §15.6.2; the .dk draft lists them as
  unsupported). Any other path under ``/rdap`` is 404, a method other than GET or HEAD
  405 — all in RDAP's error form.
* ``entity/{handle}``: a registrar (``REG-…``) is public; a registrant that is an
  organisation is shown as its domains' lookups show it; a person's handle is 404 like
  an unknown one, so that the lookup neither shows nor confirms a private person.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from dkreg.actions.lookup.domain import lookup_domain
from dkreg.actions.lookup.entity import RegistrarEntity, lookup_entity
from dkreg.actions.lookup.host import lookup_host
from dkreg.errors import EppError
from dkreg.messages import render_for
from dkreg.model.names import DomainName, parse_domain_name, parse_host_name
from dkreg.public.http_lookup import accepts, limit_of, measured, peer, services
from dkreg.public.rdap.render import (
    MEDIA_TYPE,
    Site,
    contact_answer,
    domain_object,
    error_answer,
    help_answer,
    nameserver_answer,
    registrar_answer,
)
from dkreg.runner import reading, transaction

PREFIX = "/rdap"
DOOR = "rdap"
ACCEPTED = ("application/rdap+json", "application/json")
HANDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
HEADERS = {"Access-Control-Allow-Origin": "*"}  # RFC 7480 §5.6: browsers may read


def rdap_response(request: Request | None, body: dict[str, Any], status: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    """The JSON as ``application/rdap+json``; for HEAD the same headers and no body."""
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    cache = "max-age=60" if status == 200 else "no-store"
    all_headers = {**HEADERS, "Cache-Control": cache, **(headers or {})}
    if request is not None and request.method == "HEAD":  # the GET's length, no body
        return Response(b"", status, media_type=MEDIA_TYPE,
                        headers={**all_headers, "Content-Length": str(len(data))})
    return Response(data, status, headers=all_headers, media_type=MEDIA_TYPE)


def rdap_error(request: Request | None, status: int, *description: str,
               headers: dict[str, str] | None = None) -> Response:
    return rdap_response(request, error_answer(status, description), status, headers)


DESCRIPTIONS = {
    400: "The request is not a valid RDAP query.",
    403: "This answer needs an access grant that covers the object.",
    404: "The object was not found.",
    405: "RDAP answers GET and HEAD only.",
    415: "Send Accept: application/rdap+json or application/json.",
    500: "The server could not answer; try again later.",
}


def error_response(status: int, field: str | None = None) -> Response:
    """An error for a path under ``/rdap`` that never reached a handler (the web app's
    bad-input guard, its last-resort 500): RDAP's JSON, not an HTML page."""
    text = DESCRIPTIONS.get(status, "")
    if field:
        text = f"{text} (bad {field})".strip()
    return rdap_error(None, status, *([text] if text else []))


def refused(request: Request) -> Response | None:
    """429 over the network's rate, 415 for a client that accepts no JSON."""
    wait = limit_of(request, DOOR).request(peer(request))
    if wait > 0:
        return rdap_error(request, 429, "Too many requests from your network; slow down.",
                          headers={"Retry-After": str(max(1, math.ceil(wait)))})
    accept = request.headers.get("accept")
    if accept is not None and accept.strip() and not accepts(accept, ACCEPTED, wildcards=True):
        return rdap_error(request, 415, DESCRIPTIONS[415])
    return None


def _bad(request: Request, e: EppError) -> Response:
    return rdap_error(request, 400, render_for(e, "en"))


async def domain(request: Request) -> Response:
    """domain/{name}: a .dk domain by U-label or A-label."""
    if (no := refused(request)) is not None:
        return no
    try:
        name = parse_domain_name(request.path_params["name"])
    except EppError as e:
        return _bad(request, e)
    svc = services(request)
    token = bearer(request)
    if token is not None:
        return await _granted_domain(request, name, token)
    async with reading(svc, DOOR) as ctx:
        facts = await lookup_domain(ctx, name)
        if facts is None:
            return rdap_error(request, 404, DESCRIPTIONS[404])
    body = domain_object(facts, Site.of(svc.settings), now=ctx.now, glue=facts.glue)
    return rdap_response(request, body)


def bearer(request: Request) -> str | None:
    """The access grant's token of ``Authorization: Bearer <token>``, if sent."""
    scheme, _sep, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


async def _granted_domain(request: Request, name: DomainName, token: str) -> Response:
    """The tiered answer for a legitimate access seeker (NIS2): the same domain object
    with the registrant's data its grant allows, only for the grant's domains and time.
    On the primary, not the replica: each use (or refused use) of a grant is audited in
    the transaction that reads it. A token that does not open this domain now is 403,
    so the requester knows its grant does not apply rather than taking the public view
    for everything there is."""
    from dkreg.actions.nis2.grants import grant_for, granted_contact

    svc = services(request)
    async with transaction(svc, DOOR) as ctx:
        grant = await grant_for(ctx, token, name.alabel, client_ip=peer(request))
        if grant is None:
            return rdap_error(request, 403, "The access grant does not cover this domain "
                              "now (unknown, expired, suspended, revoked or for other "
                              "domains).")
        facts = await lookup_domain(ctx, name)
        if facts is None:
            return rdap_error(request, 404, DESCRIPTIONS[404])
        full = (granted_contact(grant, facts.registrant_contact)
                if facts.registrant_contact is not None else None)
        body = domain_object(facts, Site.of(svc.settings), now=ctx.now, glue=facts.glue,
                             full=full)
    body.setdefault("remarks", []).append({
        "title": "Disclosed under an access grant",
        "description": [f"Grant {grant.id} to {grant.requester_org or grant.requester_name}, "
                        f"valid until {grant.valid_until.isoformat()}: "
                        + ", ".join(sorted(grant.fields)) + "."]})
    return rdap_response(request, body, headers={"Cache-Control": "private, no-store"})


async def nameserver(request: Request) -> Response:
    """nameserver/{name}: a host the registry holds (no list of its domains)."""
    if (no := refused(request)) is not None:
        return no
    try:
        name = parse_host_name(request.path_params["name"])
    except EppError as e:
        return _bad(request, e)
    svc = services(request)
    async with reading(svc, DOOR) as ctx:
        facts = await lookup_host(ctx, name)
    if facts is None:
        return rdap_error(request, 404, DESCRIPTIONS[404])
    return rdap_response(request, nameserver_answer(facts, Site.of(svc.settings)))


async def entity(request: Request) -> Response:
    """entity/{handle}: a registrar, or a registrant that is an organisation."""
    if (no := refused(request)) is not None:
        return no
    handle = request.path_params["handle"]
    if not HANDLE.match(handle):
        return rdap_error(request, 400, "A handle is letters, digits and '-' (REG-1, "
                          "DKHM1-DK), at most 64 characters.")
    svc = services(request)
    async with reading(svc, DOOR) as ctx:
        found = await lookup_entity(ctx, handle)
    site = Site.of(svc.settings)
    if isinstance(found, RegistrarEntity):
        return rdap_response(request, registrar_answer(found.registrar, site,
                                                       found.created_at))
    # a registrant the rule shows by name (an organisation); one it shows by country
    # only (a person) is not confirmed to exist
    if found is None or "name" not in found.disclosed.shown:
        return rdap_error(request, 404, DESCRIPTIONS[404])
    return rdap_response(request, contact_answer(found.handle, found.disclosed, site,
                                                 organisation=found.organisation))


async def help_(request: Request) -> Response:
    """help: what this server offers, its terms and its privacy notice."""
    if (no := refused(request)) is not None:
        return no
    return rdap_response(request, help_answer(Site.of(services(request).settings)))


async def not_implemented(request: Request) -> Response:
    """Searches, IP and autnum queries."""
    if (no := refused(request)) is not None:
        return no
    return rdap_error(request, 501, "Searches, IP and autnum queries are not supported "
                      "by this server; look up a domain, a name server or an entity.")


async def other(request: Request) -> Response:
    """Anything else under /rdap: 404, or 405 for a method other than GET/HEAD."""
    if request.method not in ("GET", "HEAD"):
        return rdap_error(request, 405, DESCRIPTIONS[405], headers={"Allow": "GET, HEAD"})
    if (no := refused(request)) is not None:
        return no
    return rdap_error(request, 404, "No such RDAP query: domain/<name>, "
                      "nameserver/<name>, entity/<handle> and help are offered.")


ANY_METHOD = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
MOUNT = Mount(PREFIX, routes=[
    Route("/domain/{name}", measured(DOOR, "domain", domain), methods=["GET"]),
    Route("/nameserver/{name}", measured(DOOR, "nameserver", nameserver), methods=["GET"]),
    Route("/entity/{handle}", measured(DOOR, "entity", entity), methods=["GET"]),
    Route("/help", measured(DOOR, "help", help_), methods=["GET"]),
    *[Route(path, measured(DOOR, "search", not_implemented), methods=["GET"])
      for path in ("/domains", "/nameservers", "/entities", "/ip/{rest:path}",
                   "/autnum/{rest:path}")],
    Route("/{path:path}", measured(DOOR, "other", other), methods=ANY_METHOD),
])

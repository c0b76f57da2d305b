"""The authorities' API: ``POST /nis2/api/access-requests`` with a JSON body, sent with
``Authorization: Bearer <token>`` of a live standing grant (police, CERT, another
authority). The requester is the grant's holder; the body names the rest::

    {"domains": ["example.dk"], "fields": ["name", "email"], "legal_basis": "...",
     "name": "optional: the officer, else the grant's name"}

201 ``{"id", "received_at", "due_at"}``; 400 ``{"error": {"code", "reason", "field",
"position", "message"}}`` (the first problem, English); 401 with ``WWW-Authenticate:
Bearer`` without a live standing grant; 415 unless the body is ``application/json``.
The request is then decided by staff like any other.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dkreg import runner
from dkreg.actions.nis2 import grants, requests
from dkreg.errors import EppError
from dkreg.web.portal.guard import client_ip
from dkreg.web.request_services import measured_page, services_of


def bearer(request: Request) -> str:
    """The token of an ``Authorization: Bearer`` header ('' without one)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _error(status: int, code: int, reason: str, message: str, field: str | None = None,
           position: int | None = None, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": {"code": code, "reason": reason, "field": field,
                                   "position": position, "message": message}},
                        status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})


def _strings(body: dict[str, Any], key: str) -> list[str]:
    value = body.get(key, [])
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


async def create(request: Request) -> Response:
    """Record an authority's access request."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() \
            != "application/json":
        return _error(415, 2005, "unsupported_media_type",
                      "send the request as application/json")
    services = services_of(request)
    token = bearer(request)
    async with runner.transaction(services, "nis2api") as ctx:
        grant = await grants.live_grant(ctx, token)
    if grant is None or not grant.standing:
        return _error(401, 2200, "authentication_error",
                      "a live standing grant's token is needed",
                      headers={"WWW-Authenticate": 'Bearer realm="dkreg-nis2"'})
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return _error(400, 2001, "syntax_error", "the body must be a JSON object")
    name = body.get("name") if isinstance(body.get("name"), str) else None
    legal = body.get("legal_basis") if isinstance(body.get("legal_basis"), str) else ""
    data = requests.AccessRequestInput(
        name=name or grant.requester_name, org=grant.requester_org,
        email=grant.requester_email, requester_type=grant.requester_type,
        domains=" ".join(_strings(body, "domains")), fields=_strings(body, "fields"),
        legal_basis=legal or "", lang="en")
    try:
        async with runner.transaction(services, "nis2api") as ctx:
            request_id = await requests.submit(ctx, data, channel="api",
                                               client_ip=client_ip(request))
            row = await requests.load(ctx, request_id)
    except EppError as e:
        return _error(400, e.code, e.reason, e.message(), e.field, e.position)
    return JSONResponse({"id": row.id, "received_at": row.received_at.isoformat(),
                         "due_at": row.due_at.isoformat()}, status_code=201,
                        headers={"Cache-Control": "no-store"})


ROUTES: list[Route] = [
    Route("/nis2/api/access-requests", measured_page("nis2api", "nis2_api_access_request",
                                                     create), methods=["POST"]),
]

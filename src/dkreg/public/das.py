"""DAS, the Domain Availability Service (reference OTHER-SERVICES.md "DAS"), mounted at
``/das``: ``GET /das/domain/is_available/<name>`` answers whether a .dk name is
``available``, ``unavailable``, ``enqueued`` or ``available-on-waiting-list``
(``actions.lookup.availability``, the rule the lookup page shares).

The door in the registry's order: the format first (``Accept`` must name
``application/json``, ``application/xml`` or ``text/plain``, with charset utf-8 if any —
else 415, since there is no format to answer in), then HTTP Basic with a DAS service user
(401 with ``WWW-Authenticate`` when missing or wrong, or during a lockout; 403 for the
right password of a user of another service or one without the Registrar meta-role, the
registry's "not authorised"), then the name: UTF-8 native form only, so an A-label
(``xn--…``) is 400 ``Invalid domain syntax`` like any name .dk cannot hold.

Bodies: JSON and text carry ``domain``, ``domain_status`` (null on an error), ``status``
(the HTTP code as a number) and ``message``; XML is ``<response>`` with the XSI namespace
declared as ``xmlns:i``, and an error's XML body is empty as the specification has it.
The login is ``service_login.ServiceLogin`` (the lockout and the credential cache that
lets DAS answer thousands a second); the lookup reads through ``runner.reading``. The
specification enforces no rate limit but reserves one: ``das_rate`` (off by default) sets
one per network, answered 429 with ``Retry-After`` before any login work.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import math
from typing import Any
from urllib.parse import unquote_to_bytes

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from dkreg import runner
from dkreg.actions.lookup.availability import availability
from dkreg.errors import EppError
from dkreg.model.names import DomainName, parse_domain_name
from dkreg.public.rate_limit import RateLimit, parse_networks
from dkreg.public.service_login import ServiceLogin, Verdict

SERVICE = "das"
REALM = "DKH Domain Availability Service (DAS)"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
JSON, XML, TEXT = "application/json", "application/xml", "text/plain"
FORMATS = (JSON, XML, TEXT)
MESSAGES = {200: "OK", 400: "Invalid domain syntax", 401: "User authentication error",
            403: "User not authorised", 415: "Unsupported media type",
            429: "Too many requests"}
# a lockout's 401, whatever the password: the user-id or the address is blocked for now
LOCKED = "User authentication error: blocked for 24 hours after repeated failed logins"


def chosen_format(accept: str) -> str | None:
    """The first media type of ``Accept`` DAS answers in (its charset, if given, utf-8);
    None when there is none — a wildcard is not a choice, the specification wants the
    format named."""
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        media = media.lower()
        if media not in FORMATS:
            continue
        charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in params
                        if p.lower().startswith("charset=")), "utf-8")
        quality = next((p.split("=", 1)[1].strip() for p in params
                        if p.lower().startswith("q=")), "1")
        if charset in ("utf-8", "utf8") and quality not in ("0", "0.0", "0.00", "0.000"):
            return media
    return None


def render(fmt: str, status: int, domain: str | None, domain_status: str | None,
           message: str | None = None, retry_after: float | None = None) -> Response:
    """One answer in ``fmt``: the fields the specification names, in its order."""
    message = message or MESSAGES.get(status, "Error")
    media = f"{fmt}; charset=utf-8"
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    if retry_after is not None:
        headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
    fields: dict[str, Any] = {"domain": domain, "domain_status": domain_status,
                              "status": status, "message": message}
    if fmt == JSON:
        body = json.dumps(fields, ensure_ascii=False)
    elif fmt == TEXT:
        body = "".join(f"{k}:{'' if v is None else v}\n" for k, v in fields.items())
    elif status != 200:
        body = ""  # the specification's XML error body is empty
    else:
        root = etree.Element("response", nsmap={"i": XSI})
        for k, v in fields.items():
            etree.SubElement(root, k).text = str(v)
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()
    return Response(body, status_code=status, media_type=media, headers=headers)


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(user-id, password) of an ``Authorization: Basic`` header, else None. The pair is
    UTF-8 (RFC 7617's ``charset="UTF-8"``), ISO-8859-1 when it is not."""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("iso-8859-1")
    login, colon, password = text.partition(":")
    if not colon or not login or "\x00" in text or len(login) > 64 or len(password) > 256:
        return None
    return login, password


def native_name(request: Request) -> str | None:
    """The name as sent in the path, percent-decoded as UTF-8; None when the bytes are
    not UTF-8 (the web's guard leaves ``/das`` to answer in its own format)."""
    raw = request.scope.get("raw_path")
    if raw is None:
        return str(request.path_params["name"])
    segment = raw.split(b"?", 1)[0].rsplit(b"/", 1)[-1]
    try:
        return unquote_to_bytes(segment).decode("utf-8")
    except UnicodeDecodeError:
        return None


class Limits:
    """DAS's per-network limit, made from the settings at the first request (``das_rate``
    0: none, the specification's default)."""

    def __init__(self) -> None:
        self.limit: RateLimit | None = None

    def wait(self, settings: Any, address: str | None) -> float:
        if settings.das_rate <= 0 or address is None:
            return 0.0
        if self.limit is None:
            self.limit = RateLimit(rate=settings.das_rate,
                                   burst=max(1.0, settings.das_burst), max_connections=0,
                                   allow=parse_networks(settings.das_allow))
        return self.limit.request(address)


def routes() -> list[BaseRoute]:
    """DAS's route table, with one credential cache and one rate limit for this app."""
    logins, limits = ServiceLogin(SERVICE), Limits()

    async def is_available(request: Request) -> Response:
        services = request.app.state.services
        with runner.measure(services.metrics, SERVICE, "is_available") as codes:
            resp = await _answer(request, services, logins, limits)
            codes[0] = runner.web_code(resp.status_code)
            return resp

    return [Route("/domain/is_available/{name}", is_available, methods=["GET"])]


async def _answer(request: Request, services: Any, logins: ServiceLogin,
                  limits: Limits) -> Response:
    fmt = chosen_format(request.headers.get("accept", ""))
    if fmt is None:
        return Response(json.dumps(MESSAGES[415]), status_code=415,
                        media_type="application/json; charset=utf-8")
    client_ip = request.client.host if request.client else None
    wait = limits.wait(services.settings, client_ip)
    if wait > 0:  # before the login: an over-limit request costs no argon2 either
        return render(fmt, 429, None, None, retry_after=wait)
    credentials = basic_credentials(request.headers.get("authorization", ""))
    if credentials is None:
        return render(fmt, 401, None, None)
    text = native_name(request)
    name: DomainName | None = None
    if text is not None and not any(label.lower().startswith("xn--")
                                    for label in text.split(".")):
        with contextlib.suppress(EppError):  # DAS takes the native form only
            name = parse_domain_name(text)
    # one read connection for the whole answer when the credential is trusted already
    async with runner.reading(services, SERVICE) as ctx:
        seen = await logins.first(ctx, *credentials, client_ip)
        state = (await availability(ctx, name) if name is not None and isinstance(seen, Verdict)
                 and _refusal(fmt, seen) is None else None)
    verdict = seen if isinstance(seen, Verdict) else await logins.settle(services, seen)
    refused = _refusal(fmt, verdict)
    if refused is not None:
        return refused
    if name is None:
        return render(fmt, 400, text[:255] if text is not None else None, None)
    if state is None:
        async with runner.reading(services, SERVICE) as ctx:
            state = await availability(ctx, name)
    return render(fmt, 200, name.ulabel, state)


def _refusal(fmt: str, verdict: Verdict) -> Response | None:
    """The 401 or 403 of a login that did not admit, else None."""
    if verdict.refusal == "locked":
        return render(fmt, 401, None, None, message=LOCKED)
    if verdict.refusal == "other_service" or (
            verdict.actor is not None and "registrar" not in verdict.actor.roles):
        return render(fmt, 403, None, None)
    if verdict.actor is None:
        return render(fmt, 401, None, None)
    return None


__all__ = ["REALM", "SERVICE", "basic_credentials", "chosen_format", "render", "routes"]

"""NSU, the public redelegation request form: ``/nsu/`` in Danish, ``/nsu/en/`` in English.

The specification's interface is an HTTP GET with the fields ``id``, ``domain``,
``nameserver``, ``redel`` and ``submit`` and a full HTML page as the answer, so the form
here submits by GET and a script can send the same request (``curl --get … -d id=250
…``). The page's language is its address's (as the registry's ``/`` and ``/en/``); the
answer is the specification's text — ``Redelegeringsanmodning afsendt`` /
``Request submitted``, or the error — in that language. The rules are the action's
(``actions.domain.redelegation``); the door parses, throttles and renders.

Every request that gets past the parameters counts against a limit per client address
and per domain (``nsu_requests_per_ip``, ``nsu_requests_per_domain`` within
``nsu_throttle_window``), reserved in a transaction of its own so that refused ones
count too: each may make the registry ask name servers and mail a registrant.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg import runner
from dkreg.actions.domain.redelegation import (
    RedelegationForm,
    Submitted,
    parse_form,
    submit_redelegation,
)
from dkreg.actions.session.throttle import reserve_event
from dkreg.details import render_detail
from dkreg.errors import EppError, err
from dkreg.messages import reason_text
from dkreg.web.portal.guard import client_ip
from dkreg.web.request_services import services_of
from dkreg.web.templating import render_in

PATHS = {"da": "/nsu/", "en": "/nsu/en/"}
FIELDS = ("id", "domain", "nameserver", "redel", "submit")
# the visible field an error is shown at (the hidden ones are the form's own)
SHOWN_AT = {"domain": "domain", "nameserver": "nameserver"}
DOOR = "nsu"


def _values(request: Request) -> dict[str, list[str]]:
    return {k: request.query_params.getlist(k) for k in FIELDS}


async def _admitted(request: Request, form: RedelegationForm) -> bool:
    """Reserve this attempt against the address's and the domain's limits."""
    services = services_of(request)
    s = services.settings
    async with runner.transaction(services, DOOR) as ctx:
        return await reserve_event(
            ctx, "nsu", "domain:" + form.domain.lower().rstrip(".")[:200], client_ip(request),
            s.nsu_requests_per_domain, s.nsu_requests_per_ip, s.nsu_throttle_window
        ) is not None


def _page(request: Request, lang: str, status: int = 200, *, error: EppError | None = None,
          done: Submitted | None = None) -> Response:
    values = {k: (v[0] if v else "") for k, v in _values(request).items()}
    values["nameserver"] = " ".join(request.query_params.getlist("nameserver"))
    other = "en" if lang == "da" else "da"
    shown_at = SHOWN_AT.get(error.field or "", "domain") if error is not None else None
    return render_in(request, "nsu/form.html", lang, PATHS[other], status,
                     action=PATHS[lang], ident="52" if lang == "da" else "250",
                     submit_value="bekræft" if lang == "da" else "confirm", values=values,
                     error_text=reason_text(lang, error) if error is not None else None,
                     error_detail=(render_detail(error.detail, lang)
                                   if error is not None else None),
                     error_code=error.reason if error is not None else None,
                     shown_at=shown_at, done=done)


async def _handle(request: Request, lang: str) -> Response:
    if not any(request.query_params.getlist(k) for k in FIELDS):
        return _page(request, lang)
    services = services_of(request)
    ip = client_ip(request)
    try:
        form = parse_form(_values(request))
    except EppError as e:
        return _page(request, lang, 400, error=e)
    if not await _admitted(request, form):
        refused = err(2502, "nsu_throttled")
        cmd = runner.start(services, DOOR, "nsu_redelegation_request", client_ip=ip,
                           obj=form.domain[:255])
        await cmd.audit_apart(refused.code)
        cmd.finish(refused.code)
        return _page(request, lang, 429, error=refused)
    try:
        done = await runner.run(
            services, DOOR, "nsu_redelegation_request",
            lambda ctx: submit_redelegation(ctx, form, ip), client_ip=ip,
            obj=form.domain[:255], request=str(request.url.query)[:2000])
    except EppError as e:
        return _page(request, lang, 400, error=e)
    return _page(request, lang, done=done)


async def danish(request: Request) -> Response:
    return await _handle(request, "da")


async def english(request: Request) -> Response:
    return await _handle(request, "en")


ROUTES: list[Route] = [
    Route("/nsu/", danish, methods=["GET"]),
    Route("/nsu/en/", english, methods=["GET"]),
]

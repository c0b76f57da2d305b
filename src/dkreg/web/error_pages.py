"""Every error the HTTP door answers, as a page in the frame and the reader's language —
or, on the paths machines read, in their own machine form.

Three ways an error reaches a visitor, each ending here:

- a handler or the guard asks for one (``error_page``: the bad-input guard's 400, a
  staff file that is gone, a simulator's refused request);
- the router or a handler raises Starlette's ``HTTPException`` (404 for an unknown path
  or a missing static file, 405, a malformed form's 400): ``error_handlers``;
- anything else raised and not caught: ``ServerErrorPage`` logs it with its traceback
  and answers the 500 page (Starlette's own last-resort handler would log nothing of
  ours and, with ``debug`` on, show the traceback to the visitor; dkreg never turns
  ``debug`` on).

A scraper, a load balancer or a payment provider must not get a page of HTML it cannot
read: ``/healthz``, ``/metrics``, ``/registrars.json``, ``/ca.pem``, the payment callback
and the simulators' OpenID Connect and CVR endpoints (``MACHINE_PATHS``), and any
request that asks for JSON and not HTML, get ``{"status": …, "error": …}``; the lookup
doors under ``/rdap`` and ``/whois-api`` get their own error form (``lookup_door_error``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dkreg.identity import cvr, mitid
from dkreg.web.templating import render

log = logging.getLogger("dkreg.web")

# the statuses with a title and text of their own; any other has the general one
TITLED = (400, 403, 404, 405, 413, 500)
# paths (or, ending in "/", path prefixes) that machines read: errors there stay JSON
MACHINE_PATHS = ("/healthz", "/metrics", "/registrars.json", "/ca.pem", "/pay/callback",
                 "/api/v2/",
                 mitid.SIMULATOR_PATH + "/token", mitid.SIMULATOR_PATH + "/jwks",
                 mitid.SIMULATOR_PATH + "/.well-known/", cvr.SIMULATOR_PATH)
# the doors whose errors name the door and link to its start page
DOORS = (("/portal", "portal.name", "/portal/"), ("/selfservice", "ss.name", "/selfservice/"),
         ("/staff", "staff.name", "/staff/"))


def machine_reader(request: Request) -> bool:
    """Whether the error should be JSON: a machine's path, or a client that asks for JSON
    and not for HTML."""
    path = request.url.path
    if any(path == p or (p.endswith("/") and path.startswith(p)) for p in MACHINE_PATHS):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def door_of(path: str) -> tuple[str, str] | None:
    """The door a path belongs to: (its name's text key, its start page)."""
    return next(((key, home) for prefix, key, home in DOORS
                 if path == prefix or path.startswith(prefix + "/")), None)


def phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def lookup_door_error(path: str, status_code: int, field: str | None) -> Response | None:
    """The error in the form of the lookup door ``path`` is under (RDAP's JSON at
    ``/rdap``, WHOIS REST's at ``/whois-api``), for the errors no handler of theirs
    answers (the bad-input guard, the last-resort 500); None elsewhere."""
    from dkreg.public import rdap, whois_rest

    for prefix, answer in ((rdap.routes.PREFIX, rdap.error_response),
                           (whois_rest.PREFIX, whois_rest.error_response)):
        if path == prefix or path.startswith(prefix + "/"):
            return answer(status_code, field)
    return None


def error_page(request: Request, status_code: int, field: str | None = None) -> Response:
    """The error page in the page frame and the reader's language (JSON for machines)."""
    door_error = lookup_door_error(request.url.path, status_code, field)
    if door_error is not None:
        return door_error
    if machine_reader(request):
        body: dict[str, object] = {"status": status_code, "error": phrase(status_code)}
        if field:
            body["field"] = field
        return JSONResponse(body, status_code=status_code,
                            headers={"Cache-Control": "no-store"})
    return render(request, "error.html", status_code, status=status_code, field=field,
                  titled=status_code in TITLED, door=door_of(request.url.path))


# what a visitor gets when even the error page cannot be drawn (a broken template)
LAST_RESORT = ("<!doctype html>\n<html lang=\"da\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               "<title>Der opstod en fejl / Something went wrong</title>"
               "<link rel=\"stylesheet\" href=\"/static/vendor/dkfds/css/dkfds.min.css\">"
               "</head><body><main class=\"container\"><h1>Der opstod en fejl</h1>"
               "<p>Noget gik galt hos os. Prøv igen senere.</p>"
               "<p lang=\"en\">Something went wrong on our side. Try again later.</p>"
               "<p><a href=\"/\">dkreg</a></p></main></body></html>")


def server_error_page(request: Request) -> Response:
    """The 500 page; the bare bilingual one if the frame itself fails."""
    try:
        return error_page(request, 500)
    except Exception:
        log.exception("the 500 page could not be drawn")
        return HTMLResponse(LAST_RESORT, 500, headers={"Cache-Control": "no-store"})


class ServerErrorPage:
    """Catch what a handler raised and nobody caught: log it (with the traceback, the
    method and the path) and answer the 500 page — unless the response had already begun,
    when all that is left is to let the server close the connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            log.exception("unhandled error answering %s %s", scope.get("method"),
                          scope.get("path"))
            if started:
                raise
            await server_error_page(Request(scope))(scope, receive, send)


Handler = Callable[[Request, Exception], Awaitable[Response]]


def error_handlers() -> dict[int | type[Exception], Handler]:
    """Starlette's ``exception_handlers``: every ``HTTPException`` (raised by the router,
    the static files or a malformed form) as the error page, and 500 as the last resort
    behind ``ServerErrorPage``."""
    async def http_error(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        resp = error_page(request, code)
        if isinstance(exc, HTTPException) and exc.headers:  # 405's Allow
            resp.headers.update(exc.headers)
        return resp

    async def server_error(request: Request, _exc: Exception) -> Response:
        return server_error_page(request)

    return {HTTPException: http_error, 500: server_error}

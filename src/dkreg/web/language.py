"""The Danish/English switch: a link (works without JavaScript) that sets a cookie and
returns to the page it came from — only ever a path on this site."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg.web.i18n import COOKIE, LANGUAGES


def safe_next(value: str | None) -> str:
    """A local path only: no scheme, no host, no ``//`` or backslash tricks."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def switch(request: Request) -> Response:
    code = request.path_params["code"]
    resp = RedirectResponse(safe_next(request.query_params.get("next")), 303)
    if code in LANGUAGES:
        resp.set_cookie(COOKIE, code, max_age=365 * 86400, samesite="lax", path="/")
    return resp


routes = [Route("/lang/{code}", switch, methods=["GET"])]

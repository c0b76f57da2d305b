"""Login and logout pages.

The login form has no session yet, so its CSRF token is a double-submit cookie: a random
value in an HttpOnly cookie and the same value in the form; another site can make the
browser send the cookie but cannot read it to put it in the form.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg.actions.portal_login import portal_login, portal_logout
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Call,
    client_ip,
    portal_route,
    secure_cookies,
    transaction,
)
from dkreg.web.templating import render

if TYPE_CHECKING:
    from dkreg.epp.services import Services


def routes(services: Services) -> list[Route]:
    def login_page(request: Request, status_code: int = 200, message: str | None = None,
                   error: bool = False, email: str | None = None) -> Response:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
        resp = render(request, "portal/login.html", status_code, csrf=token,
                      message=message, error=error, email=email)
        resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax",
                        secure=secure_cookies(request, services), path="/portal")
        return resp

    async def login_get(request: Request) -> Response:
        t = translator(language_of(request))
        message = (t("login.expired") if "expired" in request.query_params
                   else t("login.logged_out") if "logged_out" in request.query_params else None)
        return login_page(request, message=message)

    async def login_post(request: Request) -> Response:
        t = translator(language_of(request))
        form = await request.form()
        cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        sent = str(form.get("csrf", ""))
        if not cookie or not secrets.compare_digest(cookie.encode(), sent.encode()):
            return login_page(request, 403, t("error.csrf"), error=True)
        email = str(form.get("email", ""))
        async with transaction(services) as ctx:
            outcome = await portal_login(ctx, email, str(form.get("password", "")),
                                         client_ip(request))
        if outcome.token is None:
            if outcome.refused == "throttled":
                return login_page(request, 429, t("login.throttled"), error=True, email=email)
            return login_page(request, 401, t("login.failed"), error=True, email=email)
        resp = RedirectResponse("/portal/", 303)
        resp.set_cookie(SESSION_COOKIE, outcome.token, httponly=True, samesite="lax",
                        secure=secure_cookies(request, services), path="/")
        resp.delete_cookie(LOGIN_CSRF_COOKIE, path="/portal")
        return resp

    @portal_route(services, None)
    async def logout(call: Call) -> Response:
        async with call.tx() as ctx:
            await portal_logout(ctx, call.request.cookies[SESSION_COOKIE], call.user, call.ip)
        resp = RedirectResponse("/portal/login?logged_out=1", 303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    return [Route("/login", login_get, methods=["GET"]),
            Route("/login", login_post, methods=["POST"]),
            Route("/logout", logout, methods=["POST"])]

"""Pages without a session: login (password, then a TOTP code when the user has one),
logout, "forgot password", and the one-time links of invitations and password resets.

These forms have no session yet, so their CSRF token is a double-submit cookie: a random
value in an HttpOnly cookie and the same value in the form; another site can make the
browser send the cookie but cannot read it to put it in the form. A password-checked
login waiting for its code is carried by its own HttpOnly cookie (a one-time token that
expires in minutes), never by the session cookie. A link's GET only shows the form:
mail scanners fetch links, and only the form's POST uses the token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg.actions.portal.login import (
    LINK_PURPOSES,
    LoginOutcome,
    is_active_user,
    portal_link_check,
    portal_link_set_password,
    portal_login,
    portal_login_code,
    portal_login_reserve,
    portal_logout,
    portal_reset_request,
)
from dkreg.errors import EppError
from dkreg.store.password_check import PasswordChecks, run_checking_passwords
from dkreg.web.double_submit import DoubleSubmit
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
from dkreg.web.request_services import services_of
from dkreg.web.templating import render

CODE_COOKIE = "dkreg_login_code"
CSRF = DoubleSubmit(LOGIN_CSRF_COOKIE, "/portal")


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """A page with a form and its double-submit CSRF cookie (and no errors unless given)."""
    services = services_of(request)
    context.setdefault("errors", {})
    return CSRF.page(render, services, request, name, status_code, **context)


checked_form = CSRF.checked_form


# the field a page's refusal belongs to: its error summary links there
REFUSED_FIELD = {"portal/login.html": "email", "portal/login_code.html": "code",
                 "portal/forgot.html": "email"}


def login_page(request: Request, status_code: int = 200, message: str | None = None,
               email: str | None = None) -> Response:
    """The login form; ``message`` a notice above it (logged out, password saved…)."""
    return page(request, "portal/login.html", status_code, message=message, errors={},
                email=email)


def error_page(request: Request, name: str, status_code: int, key: str,
               **context: Any) -> Response:
    """The page again with its refusal in the error summary (focused, "Fejl:" title)."""
    t = translator(language_of(request))
    return page(request, name, status_code, errors={REFUSED_FIELD[name]: t(key)}, **context)


def refused(request: Request, outcome: LoginOutcome, name: str, **context: Any
            ) -> Response:
    if outcome.refused == "throttled":
        return error_page(request, name, 429, "login.throttled", **context)
    key = "login.code_failed" if name == "portal/login_code.html" else "login.failed"
    return error_page(request, name, 401, key, **context)


def logged_in(request: Request, outcome: LoginOutcome) -> Response:
    services = services_of(request)
    assert outcome.token is not None
    resp = RedirectResponse("/portal/", 303)
    resp.set_cookie(SESSION_COOKIE, outcome.token, httponly=True, samesite="lax",
                    secure=secure_cookies(request, services), path="/")
    CSRF.clear(resp)
    resp.delete_cookie(CODE_COOKIE, path="/portal")
    return resp


async def login_get(request: Request) -> Response:
    t = translator(language_of(request))
    q = request.query_params
    message = next((t(f"login.{key}") for key in ("expired", "logged_out", "code_expired",
                                                  "password_set") if key in q), None)
    return login_page(request, message=message)


async def login_post(request: Request) -> Response:
    services = services_of(request)
    form = await checked_form(request)
    if form is None:
        return error_page(request, "portal/login.html", 403, "error.csrf")
    email = str(form.get("email", ""))
    async with transaction(services) as ctx:  # committed before the password is checked
        held = await portal_login_reserve(ctx, email, client_ip(request))
    if held is None:
        return refused(request, LoginOutcome(refused="throttled"), "portal/login.html",
                       email=email)

    async def attempt(passwords: PasswordChecks) -> LoginOutcome:
        assert held is not None
        async with transaction(services, passwords=passwords) as ctx:
            return await portal_login(ctx, email, str(form.get("password", "")),
                                      client_ip(request), held)

    outcome = await run_checking_passwords(attempt)  # argon2 with no transaction open
    if outcome.pending is not None:
        resp = RedirectResponse("/portal/login/code", 303)
        resp.set_cookie(CODE_COOKIE, outcome.pending, httponly=True, samesite="lax",
                        secure=secure_cookies(request, services), path="/portal")
        return resp
    if outcome.token is None:
        return refused(request, outcome, "portal/login.html", email=email)
    return logged_in(request, outcome)


async def code_get(request: Request) -> Response:
    if not request.cookies.get(CODE_COOKIE):
        return RedirectResponse("/portal/login", 303)
    return page(request, "portal/login_code.html")


async def code_post(request: Request) -> Response:
    services = services_of(request)
    form = await checked_form(request)
    if form is None:
        return error_page(request, "portal/login_code.html", 403, "error.csrf")
    async with transaction(services) as ctx:
        outcome = await portal_login_code(ctx, request.cookies.get(CODE_COOKIE),
                                          str(form.get("code", ""))[:16],
                                          client_ip(request))
    if outcome.refused == "expired":
        resp = RedirectResponse("/portal/login?code_expired=1", 303)
        resp.delete_cookie(CODE_COOKIE, path="/portal")
        return resp
    if outcome.token is None:
        return refused(request, outcome, "portal/login_code.html")
    return logged_in(request, outcome)


@portal_route(None)
async def logout(call: Call) -> Response:
    async with call.tx() as ctx:
        await portal_logout(ctx, call.request.cookies[SESSION_COOKIE], call.user, call.ip)
    resp = RedirectResponse("/portal/login?logged_out=1", 303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


# -- forgot password ------------------------------------------------------------------
async def forgot(request: Request) -> Response:
    """The same answer for every address: nothing tells whether it has an account."""
    services = services_of(request)
    if request.method == "GET":
        return page(request, "portal/forgot.html")
    form = await checked_form(request)
    if form is None:
        return error_page(request, "portal/forgot.html", 403, "error.csrf")
    async with transaction(services) as ctx:
        accepted = await portal_reset_request(ctx, str(form.get("email", "")),
                                              language_of(request), client_ip(request))
    if not accepted:
        return error_page(request, "portal/forgot.html", 429, "login.throttled")
    return page(request, "portal/forgot.html", sent=True)


# -- one-time links: invitation and reset ---------------------------------------------
def link_invalid(request: Request) -> Response:
    return render(request, "portal/link_invalid.html", 410)


def invite_taken(request: Request) -> Response:
    """An invitation to an address that meanwhile is an active user somewhere."""
    return render(request, "portal/invite_taken.html", 409)


async def link(request: Request, kind: str) -> Response:
    """``/portal/invite/<token>`` and ``/portal/reset/<token>``: choose a password."""
    services = services_of(request)
    purpose = kind
    token = request.path_params["token"]
    ip = client_ip(request)
    if request.method == "GET":
        async with transaction(services) as ctx:
            holder = await portal_link_check(ctx, token, purpose, ip)
            taken = (holder is not None and purpose == "invite"
                     and await is_active_user(ctx, holder.email))
        if holder is None:
            return link_invalid(request)
        if taken:
            return invite_taken(request)
        return page(request, "portal/set_password.html", kind=kind, email=holder.email,
                    errors={})
    t = translator(language_of(request))
    form = await checked_form(request)
    if form is None:
        return page(request, "portal/set_password.html", 403, kind=kind, email=None,
                    errors={"password": t("error.csrf")})
    password = str(form.get("password", ""))
    try:
        if password != str(form.get("password_again", "")):
            raise EppError(code=2005, reason="value_syntax", field="password_again")
        async with transaction(services) as ctx:
            holder = await portal_link_set_password(ctx, token, purpose, password, ip)
    except EppError as e:
        if e.field == "email":  # nothing was written (see portal_link_set_password)
            return invite_taken(request)
        if e.field not in ("password", "password_again"):
            raise
        async with transaction(services) as ctx:
            holder = await portal_link_check(ctx, token, purpose, ip)
        if holder is None:
            return link_invalid(request)
        key = "invalid.password_again" if e.field == "password_again" else "invalid.password"
        return page(request, "portal/set_password.html", 400, kind=kind,
                    email=holder.email, errors={e.field: t(key)})
    if holder is None:
        return link_invalid(request)
    return RedirectResponse("/portal/login?password_set=1", 303)


def link_endpoint(kind: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await link(request, kind)
    endpoint.__name__ = f"{kind}_link"
    return endpoint


ROUTES: list[Route] = [
    Route("/login", login_get, methods=["GET"]),
    Route("/login", login_post, methods=["POST"]),
    Route("/login/code", code_get, methods=["GET"]),
    Route("/login/code", code_post, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/password/forgot", forgot, methods=["GET", "POST"]),
    *[Route(f"/{kind}/{{token:str}}", link_endpoint(kind), methods=["GET", "POST"])
      for kind in LINK_PURPOSES],
]

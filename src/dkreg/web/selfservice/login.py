"""Self-service pages without a session: login by password, the login-link request, the
link's confirmation page, and logout.

These forms have no session yet, so their CSRF token is a double-submit cookie (as in the
portal's login). The link's GET only shows a confirmation page with a button and never a
password field; only its POST uses the token, so a mail scanner that fetches the link
does not spend it. The link request is answered with the same page whether or not the
address belongs to anyone.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg.actions.selfservice.login import (
    LoginOutcome,
    check_login_link,
    password_login,
    password_login_reserve,
    request_login_link,
    use_login_link,
)
from dkreg.actions.selfservice.session import end_session
from dkreg.store.password_check import PasswordChecks, run_checking_passwords
from dkreg.web import flash
from dkreg.web.double_submit import DoubleSubmit
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import client_ip
from dkreg.web.request_services import services_of
from dkreg.web.selfservice.guard import (
    SESSION_COOKIE,
    SCall,
    selfservice_route,
    set_session_cookie,
    ss_render,
    transaction,
)

LOGIN_CSRF_COOKIE = "dkreg_self_csrf"
CSRF_PATH = "/selfservice"
CSRF = DoubleSubmit(LOGIN_CSRF_COOKIE, CSRF_PATH)


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """A page with a form and its double-submit CSRF cookie."""
    services = services_of(request)
    return CSRF.page(ss_render, services, request, name, status_code, **context)


checked_form = CSRF.checked_form


def login_page(request: Request, status_code: int = 200, key: str | None = None,
               error: bool = False, login: str = "") -> Response:
    t = translator(language_of(request))
    return page(request, "selfservice/login.html", status_code,
                message=t(key) if key else None, error=error, login=login)


def logged_in(request: Request, outcome: LoginOutcome) -> Response:
    services = services_of(request)
    assert outcome.token is not None
    resp = RedirectResponse("/selfservice/", 303)
    set_session_cookie(resp, request, services, outcome.token)
    CSRF.clear(resp)
    return resp


async def login_get(request: Request) -> Response:
    q = request.query_params
    key = "ss.login.expired" if "expired" in q else None  # a logout says so by flash
    return login_page(request, key=key)


async def login_post(request: Request) -> Response:
    services = services_of(request)
    form = await checked_form(request)
    if form is None:
        return login_page(request, 403, "error.csrf", error=True)
    login = str(form.get("login", ""))[:254]
    async with transaction(services) as ctx:  # committed before the password is checked
        held = await password_login_reserve(ctx, login, client_ip(request))

    async def attempt(passwords: PasswordChecks) -> LoginOutcome:
        assert held is not None
        async with transaction(services, passwords=passwords) as ctx:
            return await password_login(ctx, login, str(form.get("password", "")),
                                        client_ip(request), held)

    outcome = (LoginOutcome(refused="throttled") if held is None
               else await run_checking_passwords(attempt))  # argon2, no transaction open
    if outcome.refused == "throttled":
        return login_page(request, 429, "ss.login.throttled", error=True, login=login)
    if outcome.token is None:
        return login_page(request, 401, "ss.login.failed", error=True, login=login)
    return logged_in(request, outcome)


async def link_request(request: Request) -> Response:
    """The same page for every address: nothing tells whether it is anyone's."""
    services = services_of(request)
    form = await checked_form(request)
    if form is None:
        return login_page(request, 403, "error.csrf", error=True)
    async with transaction(services) as ctx:
        accepted = await request_login_link(ctx, str(form.get("email", ""))[:254],
                                            language_of(request), client_ip(request))
    if not accepted:
        return login_page(request, 429, "ss.link.throttled", error=True)
    return page(request, "selfservice/link_sent.html",
                minutes=services.settings.selfservice_link_minutes)


def link_invalid(request: Request) -> Response:
    return ss_render(request, "selfservice/link_invalid.html", 410)


async def link_get(request: Request) -> Response:
    """Only a confirmation button: opening the link uses nothing."""
    services = services_of(request)
    async with transaction(services) as ctx:
        email = await check_login_link(ctx, request.path_params["token"],
                                       client_ip(request))
    if email is None:
        return link_invalid(request)
    return page(request, "selfservice/link_confirm.html", email=email)


async def link_post(request: Request) -> Response:
    services = services_of(request)
    form = await checked_form(request)
    if form is None:
        return login_page(request, 403, "error.csrf", error=True)
    async with transaction(services) as ctx:
        outcome = await use_login_link(ctx, request.path_params["token"],
                                       client_ip(request))
    if outcome.token is None:
        return link_invalid(request)
    return logged_in(request, outcome)


@selfservice_route
async def logout(call: SCall) -> Response:
    async with call.tx() as ctx:
        await end_session(ctx, call.request.cookies[SESSION_COOKIE], call.registrant,
                          call.ip)
    resp = flash.redirect(call.request, "/selfservice/login",
                          flash.Flash("ss.login.logged_out", {}, "info"))
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


ROUTES: list[Route] = [
    Route("/login", login_get, methods=["GET"]),
    Route("/login", login_post, methods=["POST"]),
    Route("/login/link", link_request, methods=["POST"]),
    Route("/link/{token:str}", link_get, methods=["GET"]),
    Route("/link/{token:str}", link_post, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]

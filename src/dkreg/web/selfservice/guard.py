"""Every self-service route goes through ``selfservice_route``: session and CSRF.

No session → the login page; a POST without the session's CSRF token (form field
``csrf``) → 403 before the handler runs, so nothing changes. The CSRF token is bound to
the server-side session. Self-service pages send ``Referrer-Policy: no-referrer``: a
page reached from a login link must not leak its address to another site.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dkreg import runner
from dkreg.actions.selfservice.session import (
    Registrant,
    SelfSession,
    selfservice_audit,
    selfservice_session,
)
from dkreg.store.context import Ctx
from dkreg.store.password_check import PasswordChecks
from dkreg.web.portal.guard import client_ip, secure_cookies
from dkreg.web.request_services import measured_page, services_of
from dkreg.web.templating import render

if TYPE_CHECKING:
    from dkreg.services import Services

__all__ = [
    "SESSION_COOKIE",
    "Registrant",
    "SCall",
    "selfservice_audit",
    "selfservice_route",
    "set_session_cookie",
    "ss_render",
    "transaction",
]

SESSION_COOKIE = "dkreg_self"
LOGIN_PATH = "/selfservice/login"


def ss_render(request: Request, name: str, status_code: int = 200,
              **context: Any) -> Response:
    """A self-service page: the common render, with no Referer sent onwards."""
    resp = render(request, name, status_code, **context)
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


def set_session_cookie(resp: Response, request: Request, services: Services,
                       token: str) -> None:
    resp.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                    secure=secure_cookies(request, services), path="/")


@asynccontextmanager
async def transaction(services: Services, registrant: Registrant | None = None,
                      passwords: PasswordChecks | None = None) -> AsyncIterator[Ctx]:
    """A write transaction (the runner's); ``passwords`` when run by
    ``run_checking_passwords``."""
    async with runner.transaction(services, "selfservice",
                                  actor=registrant.actor() if registrant else None,
                                  passwords=passwords) as ctx:
        yield ctx


@dataclass
class SCall:
    """What a self-service handler gets: the request, the session, the parsed form."""

    request: Request
    services: Services
    session: SelfSession
    form: FormData | None

    @property
    def registrant(self) -> Registrant:
        return self.session.registrant

    @property
    def ip(self) -> str:
        return client_ip(self.request)

    def page(self, name: str, status_code: int = 200, **context: Any) -> Response:
        return ss_render(self.request, name, status_code, registrant=self.registrant,
                         csrf=self.session.csrf_token, **context)

    def tx(self) -> AbstractAsyncContextManager[Ctx]:
        return transaction(self.services, self.registrant)


SHandler = Callable[[SCall], Awaitable[Response]]


def selfservice_route(handler: SHandler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler so that it runs only for a live self-service session."""

    async def endpoint(request: Request) -> Response:
        services = services_of(request)
        token = request.cookies.get(SESSION_COOKIE)
        async with transaction(services) as ctx:
            session = await selfservice_session(ctx, token)
        if session is None:
            resp = RedirectResponse(LOGIN_PATH + ("?expired=1" if token else ""), 303)
            if token:
                resp.delete_cookie(SESSION_COOKIE, path="/")
            return resp
        form = None
        if request.method == "POST":
            form = await request.form()
            sent = str(form.get("csrf", ""))
            if not secrets.compare_digest(sent.encode(), session.csrf_token.encode()):
                async with transaction(services) as ctx:
                    await selfservice_audit(ctx, "selfservice_csrf_refused",
                                            session.registrant.name(), request.url.path,
                                            result_code=2201, client_ip=client_ip(request))
                return ss_render(request, "selfservice/forbidden.html", 403,
                                 registrant=session.registrant,
                                 csrf=session.csrf_token, csrf_failed=True)
        return await handler(SCall(request, services, session, form))

    return measured_page("selfservice", handler.__name__, endpoint)

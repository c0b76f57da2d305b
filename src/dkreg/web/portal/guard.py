"""Every portal route goes through ``portal_route``: session, privilege group, CSRF.

The check is on the server for every route and every POST, whatever the menu shows:
no session → the login page; a group without the route's privilege → 403 (audited);
a POST without the session's CSRF token → 403 before the handler runs, so nothing
changes. The CSRF token is bound to the server-side session (not a cookie), so a
page on another site cannot know it.
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
from dkreg.actions.portal.access import PRIVILEGES, PortalUser
from dkreg.actions.portal.login import Session, portal_audit, portal_session
from dkreg.store.context import Ctx
from dkreg.store.password_check import PasswordChecks
from dkreg.web.bad_input import bounded_int
from dkreg.web.request_services import services_of
from dkreg.web.templating import render

if TYPE_CHECKING:
    from dkreg.services import Services

SESSION_COOKIE = "dkreg_portal"
LOGIN_CSRF_COOKIE = "dkreg_login_csrf"


def client_ip(request: Request) -> str:
    """The peer address. X-Forwarded-For is not trusted: an operator's proxy must pass the
    real address at the ASGI level (uvicorn --proxy-headers with a trusted list)."""
    return request.client.host if request.client else "unknown"


def secure_cookies(request: Request, services: Services) -> bool:
    """Secure cookies whenever the page came over https, and always in production (behind
    a TLS-terminating balancer). A sandbox on plain http://localhost needs them sent."""
    return request.url.scheme == "https" or not services.settings.sandbox


@asynccontextmanager
async def transaction(services: Services, user: PortalUser | None = None,
                      passwords: PasswordChecks | None = None) -> AsyncIterator[Ctx]:
    """A write transaction (the runner's); ``passwords`` when run by
    ``run_checking_passwords``."""
    async with runner.transaction(services, "portal", actor=user.actor() if user else None,
                                  passwords=passwords) as ctx:
        yield ctx


@dataclass
class Call:
    """What a portal handler gets: the request, the session, the parsed form (POST)."""

    request: Request
    services: Services
    session: Session
    form: FormData | None

    @property
    def user(self) -> PortalUser:
        return self.session.user

    @property
    def ip(self) -> str:
        return client_ip(self.request)

    def page(self, name: str, status_code: int = 200, **context: Any) -> Response:
        return render(self.request, name, status_code, user=self.user,
                      csrf=self.session.csrf_token, **context)

    def tx(self) -> AbstractAsyncContextManager[Ctx]:
        return transaction(self.services, self.user)


Handler = Callable[[Call], Awaitable[Response]]


def form_int(value: object) -> int | None:
    """A form's (or a path's) id as a number, or None for anything else (never an
    exception, never wider than the database's integer)."""
    return bounded_int(value)


def forbidden(request: Request, session: Session, csrf_failed: bool = False) -> Response:
    return render(request, "portal/forbidden.html", 403, user=session.user,
                  csrf=session.csrf_token, csrf_failed=csrf_failed)


def portal_route(privilege: str | None) -> Callable[[Handler], Any]:
    """Wrap a handler so that it runs only for a live session holding ``privilege``
    (checked when the handler's module is imported)."""
    if privilege is not None and privilege not in PRIVILEGES:
        raise ValueError(f"unknown privilege {privilege!r}")

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            services = services_of(request)
            token = request.cookies.get(SESSION_COOKIE)
            async with transaction(services) as ctx:
                session = await portal_session(ctx, token)
            if session is None:
                resp = RedirectResponse("/portal/login" + ("?expired=1" if token else ""), 303)
                if token:
                    resp.delete_cookie(SESSION_COOKIE, path="/")
                return resp
            user = session.user
            if privilege is not None and not user.may(privilege):
                async with transaction(services) as ctx:
                    await portal_audit(ctx, "portal_forbidden", user.email, user.registrar_id,
                                       client_ip(request), obj=request.url.path,
                                       result_code=2201, request=request.method)
                return forbidden(request, session)
            form = None
            if request.method == "POST":
                form = await request.form()
                sent = str(form.get("csrf", ""))
                if not secrets.compare_digest(sent.encode(), session.csrf_token.encode()):
                    return forbidden(request, session, csrf_failed=True)
            return await handler(Call(request, services, session, form))

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return wrap

"""Staff pages: login (double-submit CSRF cookie, no session yet), the queue of uploaded
identity documents, one document with its file, and approve / reject with a reason.

Every route but the login needs a staff session; every POST needs the session's CSRF
token. A registrar portal or self-service session is no staff session. A document's
file is sent with a Content-Security-Policy that lets it run nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg import runner
from dkreg.actions.contact.verification_checks import audit
from dkreg.errors import EppError
from dkreg.identity import documents, staff
from dkreg.store.context import Ctx
from dkreg.store.password_check import PasswordChecks, run_checking_passwords
from dkreg.web import flash
from dkreg.web.double_submit import DoubleSubmit
from dkreg.web.error_pages import error_page
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import client_ip, form_int, secure_cookies
from dkreg.web.request_services import measured_page, services_of
from dkreg.web.templating import render

if TYPE_CHECKING:
    from dkreg.services import Services

SESSION_COOKIE = "dkreg_staff"
LOGIN_CSRF_COOKIE = "dkreg_staff_login"
CSRF = DoubleSubmit(LOGIN_CSRF_COOKIE, "/staff", samesite="strict")
FILE_POLICY = "default-src 'none'; img-src 'self'; object-src 'self'; sandbox"


@asynccontextmanager
async def tx(services: Services, passwords: PasswordChecks | None = None
             ) -> AsyncIterator[Ctx]:
    async with runner.transaction(services, "staff", passwords=passwords) as ctx:
        yield ctx


def login_page(request: Request, status_code: int = 200, refused: str | None = None,
               **context: Any) -> Response:
    """The login form; ``refused`` the text key of why the last attempt was refused."""
    services = services_of(request)
    errors = {"email": translator(language_of(request))(refused)} if refused else {}
    return CSRF.page(render, services, request, "staff/login.html", status_code,
                     errors=errors, **context)


async def login(request: Request) -> Response:
    services = services_of(request)
    if request.method == "GET":
        return login_page(request)
    form = await CSRF.checked_form(request)
    if form is None:
        return login_page(request, 403, refused="error.csrf")

    async with tx(services) as ctx:  # committed before the password is checked
        held = await staff.login_reserve(ctx, str(form.get("email", "")),
                                         client_ip(request))

    async def attempt(passwords: PasswordChecks) -> staff.LoginOutcome:
        assert held is not None
        async with tx(services, passwords) as ctx:
            return await staff.login(ctx, str(form.get("email", "")),
                                     str(form.get("password", "")), client_ip(request),
                                     held)

    outcome = (staff.LoginOutcome(refused="throttled") if held is None
               else await run_checking_passwords(attempt))  # argon2, no transaction open
    if outcome.token is None:
        throttled = outcome.refused == "throttled"
        return login_page(request, 429 if throttled else 401,
                          refused="login.throttled" if throttled else "staff.login.failed",
                          email=form.get("email", ""))
    resp = RedirectResponse("/staff/", 303)
    resp.set_cookie(SESSION_COOKIE, outcome.token, httponly=True, samesite="strict",
                    secure=secure_cookies(request, services), path="/staff")
    return resp


Handler = Callable[[Request, staff.Staff, Any], Awaitable[Response]]


def staff_route(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        services = services_of(request)
        async with tx(services) as ctx:
            who = await staff.session(ctx, request.cookies.get(SESSION_COOKIE))
        if who is None:
            return RedirectResponse("/staff/login", 303)
        form = None
        if request.method == "POST":
            form = await request.form()
            if not secrets.compare_digest(str(form.get("csrf", "")).encode(),
                                          who.csrf_token.encode()):
                return render(request, "staff/forbidden.html", 403, staff=who,
                              csrf=who.csrf_token)
        return await handler(request, who, form)

    return measured_page("staff", handler.__name__, endpoint)


def page(request: Request, who: staff.Staff, name: str, status_code: int = 200,
         **context: Any) -> Response:
    return render(request, name, status_code, staff=who, csrf=who.csrf_token, **context)


@staff_route
async def queue(request: Request, who: staff.Staff, _form: Any) -> Response:
    services = services_of(request)
    async with tx(services) as ctx:
        waiting = await documents.queue(ctx)
    return page(request, who, "staff/queue.html", documents=waiting)


async def _document(request: Request) -> Any:
    services = services_of(request)
    doc_id = form_int(request.path_params["id"])
    if doc_id is None:
        return None
    async with tx(services) as ctx:
        try:
            return await documents.load(ctx, doc_id)
        except EppError:
            return None


@staff_route
async def one(request: Request, who: staff.Staff, _form: Any) -> Response:
    doc = await _document(request)
    return page(request, who, "staff/document.html", 200 if doc else 404, doc=doc, errors={})


@staff_route
async def file(request: Request, who: staff.Staff, _form: Any) -> Response:
    services = services_of(request)
    doc = await _document(request)
    if doc is None:
        return error_page(request, 404)
    async with tx(services) as ctx:
        await audit(ctx, "staff_document_viewed", who.email, doc.handle,
                    request=f"document={doc.id}", client_ip=client_ip(request))
    data = documents.read(services.settings, doc)
    return Response(data, media_type=doc.content_type, headers={
        "Content-Security-Policy": FILE_POLICY, "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store", "Content-Disposition": "inline"})


@staff_route
async def decide(request: Request, who: staff.Staff, form: Any) -> Response:
    services = services_of(request)
    doc_id = form_int(request.path_params["id"])
    approve = form.get("decision") == "approve"
    try:
        async with tx(services) as ctx:
            await documents.decide(ctx, doc_id or 0, approve, str(form.get("reason", "")),
                                   who.email)
            handle = (await documents.load(ctx, doc_id or 0)).handle
    except EppError as e:
        doc = await _document(request)
        # the summary links to the field at fault: the reason, or the document's state
        at = "reason" if e.reason == "reason_required" else "doc-status"
        text = translator(language_of(request))("id.err." + (e.reason or "document_decided"))
        return page(request, who, "staff/document.html", 400 if doc else 404, doc=doc,
                    errors={at: text}, decision="approve" if approve else "reject",
                    reason=str(form.get("reason", "")))
    return flash.redirect(request, "/staff/", flash.Flash(
        "staff.decided_approve" if approve else "staff.decided_reject", {"handle": handle}))


@staff_route
async def logout(request: Request, who: staff.Staff, _form: Any) -> Response:
    services = services_of(request)
    async with tx(services) as ctx:
        await staff.logout(ctx, request.cookies.get(SESSION_COOKIE, ""), who,
                           client_ip(request))
    resp = RedirectResponse("/staff/login", 303)
    resp.delete_cookie(SESSION_COOKIE, path="/staff")
    return resp


ROUTES: list[Route] = [
    Route("/staff/login", login, methods=["GET", "POST"]),
    Route("/staff/logout", logout, methods=["POST"]),
    Route("/staff/", queue, methods=["GET"]),
    Route("/staff/documents/{id}", one, methods=["GET"]),
    Route("/staff/documents/{id}/file", file, methods=["GET"]),
    Route("/staff/documents/{id}/decide", decide, methods=["POST"]),
]

"""The public NIS2 forms: ``/nis2/access-request`` (a legitimate access seeker asks for
non-public registration data) and ``/nis2/report-inaccuracy`` (anyone reports wrong
data). Danish or English by the site's language switch, as every page.

Each POST is checked against its double-submit CSRF cookie and throttled per client
address (``nis2_form_max_per_ip`` within ``nis2_form_window``, in the shared throttle
table) before anything else; a form with problems is shown again with every field's
error and writes nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg import runner
from dkreg.actions.nis2 import reports, requests
from dkreg.actions.session.throttle import reserve_event
from dkreg.model.nis2 import FIELDS, REQUESTER_TYPES, WRONG_FIELDS
from dkreg.web.double_submit import DoubleSubmit
from dkreg.web.i18n import language_of
from dkreg.web.nis2.errors import field_errors
from dkreg.web.portal.guard import client_ip
from dkreg.web.request_services import measured_page, services_of
from dkreg.web.templating import render

CSRF = DoubleSubmit("dkreg_nis2", "/nis2")
# each form has its own budget per address (the shared throttle table's kind)
THROTTLE_KINDS = {"nis2/access_request.html": "nis2_request",
                  "nis2/report_inaccuracy.html": "nis2_report"}


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, "") or "")


def _many(form: FormData, name: str) -> list[str]:
    return [str(v) for v in form.getlist(name)]


async def _admitted(request: Request, which: str) -> bool:
    """One more submission from this address within the window, counted (committed)
    whether or not the form turns out right."""
    services = services_of(request)
    s = services.settings
    ip = client_ip(request)
    async with runner.transaction(services, "web") as ctx:
        held = await reserve_event(ctx, THROTTLE_KINDS[which], f"form:{ip}", ip,
                                   s.nis2_form_max_per_ip, s.nis2_form_max_per_ip,
                                   s.nis2_form_window)
    return held is not None


def _page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    services = services_of(request)
    context.setdefault("errors", {})
    return CSRF.page(render, services, request, name, status, **context)


async def _refused(request: Request, name: str, form: FormData | None) -> Response | None:
    """The answer to a POST that may not be evaluated: stale CSRF (403) or over the
    throttle (429); None when it may."""
    if form is None:
        return _page(request, name, 403, refused="nis2.csrf", values={})
    if not await _admitted(request, name):
        return _page(request, name, 429, refused="nis2.throttled", values=dict(form))
    return None


async def access_request(request: Request) -> Response:
    """The access-request form; a right submission is recorded and acknowledged."""
    page = "nis2/access_request.html"
    options: dict[str, Any] = {"types": REQUESTER_TYPES, "fields": FIELDS}
    if request.method == "GET":
        return _page(request, page, values={}, chosen=[], **options)
    form = await CSRF.checked_form(request)
    if (refused := await _refused(request, page, form)) is not None:
        return refused
    assert form is not None
    data = requests.AccessRequestInput(
        name=_text(form, "name"), org=_text(form, "org"), email=_text(form, "email"),
        requester_type=_text(form, "requester_type"), domains=_text(form, "domains"),
        fields=_many(form, "fields"), legal_basis=_text(form, "legal_basis"),
        lang=language_of(request))
    services = services_of(request)
    row = None
    async with runner.transaction(services, "web") as ctx:
        checked = await requests.check(ctx, data)
        if not checked.problems:
            request_id = await requests.submit(ctx, data, channel="web",
                                               client_ip=client_ip(request))
            row = await requests.load(ctx, request_id)
    if row is None:
        return _page(request, page, 400, values=dict(form), chosen=data.fields,
                     errors=field_errors(checked.problems, request), **options)
    return _page(request, "nis2/received.html", 200, what="request", id=row.id,
                 due=row.due_at.strftime("%Y-%m-%d %H:%M"))


async def report_inaccuracy(request: Request) -> Response:
    """The inaccuracy report form; a right report restarts the registrant's check."""
    page = "nis2/report_inaccuracy.html"
    options: dict[str, Any] = {"wrong": WRONG_FIELDS}
    if request.method == "GET":
        return _page(request, page, values={"domain": request.query_params.get("domain", "")},
                     chosen=[], **options)
    form = await CSRF.checked_form(request)
    if (refused := await _refused(request, page, form)) is not None:
        return refused
    assert form is not None
    data = reports.ReportInput(
        domain=_text(form, "domain"), wrong_fields=_many(form, "wrong_fields"),
        description=_text(form, "description"), reporter_email=_text(form, "reporter_email"),
        lang=language_of(request))
    services = services_of(request)
    report_id = None
    async with runner.transaction(services, "web") as ctx:
        problems, dom = await reports.check(ctx, data)
        if not problems:
            report_id = await reports.submit(ctx, data, client_ip=client_ip(request))
    if report_id is None:
        return _page(request, page, 400, values=dict(form), chosen=data.wrong_fields,
                     errors=field_errors(problems, request), **options)
    return _page(request, "nis2/received.html", 200, what="report", id=report_id,
                 domain=dom.uname)


ROUTES: list[Route] = [
    Route("/nis2/access-request",
          measured_page("web", "nis2_access_request_page", access_request),
          methods=["GET", "POST"]),
    Route("/nis2/report-inaccuracy",
          measured_page("web", "nis2_report_inaccuracy_page", report_inaccuracy),
          methods=["GET", "POST"]),
]

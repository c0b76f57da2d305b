"""The staff's NIS2 pages (``/staff/nis2/...``): access requests with their deadlines
(overdue first), one request and its decision (approve with fields and a validity
window, or refuse with a reason), grants (create an authority's standing grant,
suspend, resume, revoke), inaccuracy reports with their state, and the statistics.

Login, session, CSRF and measuring are the staff door's (``web.staff.pages``); every
decision is audited by its action, door "staff", actor the staff user's e-mail.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.nis2 import grants, reports, requests
from dkreg.actions.nis2.statistics import statistics
from dkreg.errors import EppError
from dkreg.identity import staff
from dkreg.model.nis2 import AUTHORITY_TYPES, FIELDS, REQUESTER_TYPES, words
from dkreg.web import flash
from dkreg.web.error_pages import error_page
from dkreg.web.i18n import language_of, translator
from dkreg.web.nis2.errors import field_errors
from dkreg.web.portal.guard import form_int
from dkreg.web.request_services import services_of
from dkreg.web.staff.pages import page, staff_route, tx

GRANT_OPS = ("suspend", "resume", "revoke")


def parse_utc(text: str) -> datetime | None:
    """``YYYY-MM-DDTHH:MM`` (or a date alone, midnight) as UTC; None when malformed."""
    text = text.strip()
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _state(row: Any, now: datetime) -> str:
    if row.decision:
        return str(row.decision)
    return "overdue" if now >= row.due_at else "open"


def grant_state(row: Any, now: datetime) -> str:
    return grants.refusal(row, now, None) or "live"


@staff_route
async def request_list(request: Request, who: staff.Staff, _form: Any) -> Response:
    services = services_of(request)
    async with tx(services) as ctx:
        rows = await requests.listing(ctx)
        late = await requests.overdue(ctx)
        now = ctx.now
    return page(request, who, "staff/nis2_requests.html", rows=rows, overdue=late,
                state=lambda r: _state(r, now), words=words)


async def _one(request: Request) -> Any:
    request_id = form_int(request.path_params["id"])
    if request_id is None:
        return None
    async with tx(services_of(request)) as ctx:
        try:
            return await requests.load(ctx, request_id)
        except EppError:
            return None


async def _request_page(request: Request, who: staff.Staff, row: Any, status: int = 200,
                        **context: Any) -> Response:
    services = services_of(request)
    context.setdefault("errors", {})
    context.setdefault("values", {})
    given: list[Any] = []
    if row is not None:
        async with tx(services) as ctx:
            given = await grants.listing(ctx, request_id=row.id)
    now = services.clock.now()
    return page(request, who, "staff/nis2_request.html", status if row else 404, req=row,
                words=words, state=_state(row, now) if row else None, grants=given,
                grant_state=lambda g: grant_state(g, now),
                days=services.settings.nis2_access_grant_days, **context)


@staff_route
async def request_one(request: Request, who: staff.Staff, _form: Any) -> Response:
    row = await _one(request)
    return await _request_page(request, who, row, chosen=words(row.fields) if row else [])


@staff_route
async def decide(request: Request, who: staff.Staff, form: Any) -> Response:
    row = await _one(request)
    if row is None:
        return error_page(request, 404)
    decision = str(form.get("decision", ""))
    chosen = [str(v) for v in form.getlist("fields")]
    values = {"reason": str(form.get("reason", "")), "valid_until": str(
        form.get("valid_until", ""))}
    t = translator(language_of(request))
    if decision not in ("approve", "refuse"):
        return await _request_page(request, who, row, 400, chosen=chosen, values=values,
                                   errors={"decision": t("nis2.err.nis2_bad_choice")})
    until = None
    if decision == "approve" and values["valid_until"].strip():
        until = parse_utc(values["valid_until"])
        if until is None:
            return await _request_page(request, who, row, 400, chosen=chosen,
                                       values=values, decision=decision,
                                       errors={"valid_until": t("nis2.err.bad_time")})
    try:
        async with tx(services_of(request)) as ctx:
            if decision == "approve":
                await requests.approve(ctx, row.id, staff_id=who.id, staff_email=who.email,
                                       fields=chosen, valid_until=until)
            else:
                await requests.refuse(ctx, row.id, staff_id=who.id, staff_email=who.email,
                                      reason=values["reason"])
    except EppError as e:
        row = await _one(request)
        return await _request_page(request, who, row, 400, chosen=chosen, values=values,
                                   decision=decision, errors=field_errors([e], request))
    return flash.redirect(request, f"/staff/nis2/requests/{row.id}",
                          flash.Flash("nis2.decided", {}))


async def _grant_page(request: Request, who: staff.Staff, status: int = 200,
                      **context: Any) -> Response:
    services = services_of(request)
    async with tx(services) as ctx:
        rows = await grants.listing(ctx)
        now = ctx.now
    context.setdefault("errors", {})
    context.setdefault("values", {})
    context.setdefault("chosen", [])
    return page(request, who, "staff/nis2_grants.html", status, rows=rows, words=words,
                state=lambda r: grant_state(r, now), fields=FIELDS,
                types=sorted(AUTHORITY_TYPES), **context)


@staff_route
async def grant_list(request: Request, who: staff.Staff, _form: Any) -> Response:
    return await _grant_page(request, who)


@staff_route
async def grant_create(request: Request, who: staff.Staff, form: Any) -> Response:
    t = translator(language_of(request))
    values = {k: str(form.get(k, "")) for k in ("name", "org", "email", "requester_type",
                                                "valid_until")}
    chosen = [str(v) for v in form.getlist("fields")]
    until = parse_utc(values["valid_until"])
    if until is None:
        return await _grant_page(request, who, 400, values=values, chosen=chosen,
                                 errors={"valid_until": t("nis2.err.bad_time")})
    try:
        async with tx(services_of(request)) as ctx:
            await grants.create_standing(
                ctx, staff_id=who.id, staff_email=who.email, name=values["name"],
                org=values["org"], email=values["email"],
                requester_type=values["requester_type"], fields=chosen, valid_from=None,
                valid_until=until, lang=language_of(request))
    except EppError as e:
        return await _grant_page(request, who, 400, values=values, chosen=chosen,
                                 errors=field_errors([e], request))
    return flash.redirect(request, "/staff/nis2/grants",
                          flash.Flash("nis2.grant.created", {"email": values["email"]}))


@staff_route
async def grant_change(request: Request, who: staff.Staff, _form: Any) -> Response:
    grant_id = form_int(request.path_params["id"])
    op = request.path_params["op"]
    if grant_id is None or op not in GRANT_OPS:
        return error_page(request, 404)
    action = {"suspend": grants.suspend, "resume": grants.resume,
              "revoke": grants.revoke}[op]
    try:
        async with tx(services_of(request)) as ctx:
            await action(ctx, grant_id, staff_id=who.id, staff_email=who.email)
    except EppError as e:
        return await _grant_page(request, who, 404 if e.code == 2303 else 400,
                                 errors=field_errors([e], request))
    return flash.redirect(request, "/staff/nis2/grants",
                          flash.Flash("nis2.grant.changed", {"id": str(grant_id)}))


@staff_route
async def report_list(request: Request, who: staff.Staff, _form: Any) -> Response:
    async with tx(services_of(request)) as ctx:
        rows = await reports.listing(ctx)
    return page(request, who, "staff/nis2_reports.html", rows=rows, words=words)


@staff_route
async def statistics_page(request: Request, who: staff.Staff, _form: Any) -> Response:
    services = services_of(request)
    now = services.clock.now()
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    q = request.query_params
    raw = {"from": q.get("from", first.strftime("%Y-%m-%d")),
           "to": q.get("to", now.strftime("%Y-%m-%d"))}
    start, end = parse_utc(raw["from"]), parse_utc(raw["to"])
    errors: dict[str, str] = {}
    t = translator(language_of(request))
    for key, value in (("from", start), ("to", end)):
        if value is None:
            errors[key] = t("nis2.stats.bad_date")
    stats = None
    if not errors:
        assert start is not None and end is not None
        async with tx(services) as ctx:
            stats = await statistics(ctx, start, end + timedelta(days=1))
    return page(request, who, "staff/nis2_statistics.html", 400 if errors else 200,
                stats=stats, values=raw, errors=errors, types=REQUESTER_TYPES)


ROUTES: list[Route] = [
    Route("/staff/nis2/", request_list, methods=["GET"]),
    Route("/staff/nis2/requests/{id}", request_one, methods=["GET"]),
    Route("/staff/nis2/requests/{id}/decide", decide, methods=["POST"]),
    Route("/staff/nis2/grants", grant_list, methods=["GET"]),
    Route("/staff/nis2/grants/new", grant_create, methods=["POST"]),
    Route("/staff/nis2/grants/{id}/{op}", grant_change, methods=["POST"]),
    Route("/staff/nis2/reports", report_list, methods=["GET"]),
    Route("/staff/nis2/statistics", statistics_page, methods=["GET"]),
]

"""The staff's status page (``/staff/status``): every component with its state to set,
the open incidents and maintenance (drafts of the automatic checks among them) with an
update form each and, for a draft, publish; a form to open an incident and one to
schedule maintenance. Every change is audited by ``actions.status.staff``; a refusal
shows on the page, naming the field."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.status import staff as status_staff
from dkreg.actions.status.components import Board, components
from dkreg.actions.status.incidents import incidents
from dkreg.errors import EppError
from dkreg.identity import staff
from dkreg.model.status import (
    COMPONENT_STATES,
    IMPACTS,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
)
from dkreg.web import flash
from dkreg.web.error_pages import error_page
from dkreg.web.nis2.errors import field_errors
from dkreg.web.nis2.staff import parse_utc
from dkreg.web.portal.guard import form_int
from dkreg.web.request_services import services_of
from dkreg.web.staff.pages import page, staff_route, tx

HOME = "/staff/status"


async def _page(request: Request, who: staff.Staff, status: int = 200,
                **context: Any) -> Response:
    async with tx(services_of(request)) as ctx:
        items = await components(ctx)
        found = await incidents(ctx, open_only=True, drafts=True, limit=100)
    context.setdefault("errors", {})
    context.setdefault("values", {})
    return page(request, who, "staff/status.html", status, items=items,
                leaves=Board.of(items).leaves,
                open_items=found, states=COMPONENT_STATES, impacts=IMPACTS,
                incident_statuses=INCIDENT_STATUSES,
                maintenance_statuses=MAINTENANCE_STATUSES, **context)


@staff_route
async def status_home(request: Request, who: staff.Staff, _form: Any) -> Response:
    return await _page(request, who)


# the maintenance form's names for the fields its action names
MAINTENANCE_FIELDS = {"scheduled_until": "until", "scheduled_for": "from"}


async def _done(request: Request, who: staff.Staff, work: Any, values: dict[str, str],
                prefix: str = "", rename: dict[str, str] | None = None) -> Response:
    """Run ``work``; a refusal shows on the page at its field (the form's own name for
    it: ``prefix`` + the action's field, renamed by ``rename``)."""
    try:
        async with tx(services_of(request)) as ctx:
            await work(ctx)
    except EppError as e:
        names = rename or {}
        errors = {(prefix + names.get(k, k) if k != "form" else k): v
                  for k, v in field_errors([e], request).items()}
        return await _page(request, who, 404 if e.code == 2303 else 400, values=values,
                           errors=errors)
    return flash.redirect(request, HOME, flash.Flash("status.staff.saved", {}))


@staff_route
async def set_component(request: Request, who: staff.Staff, form: Any) -> Response:
    key = request.path_params["key"]
    state = str(form.get("state", ""))
    return await _done(request, who, lambda ctx: status_staff.set_component(
        ctx, who.email, key, state), {})


def _texts(form: Any, prefix: str = "") -> dict[str, str]:
    return {k: str(form.get(prefix + k, "")) for k in ("name_da", "name_en", "body_da",
                                                       "body_en")}


@staff_route
async def open_incident(request: Request, who: staff.Staff, form: Any) -> Response:
    async with tx(services_of(request)) as ctx:
        keys = [c.key for c in await components(ctx)]
    chosen = {k: str(form.get(f"c-{k}", "")) for k in keys if str(form.get(f"c-{k}", ""))}
    texts = _texts(form)
    impact = str(form.get("impact", ""))
    return await _done(request, who, lambda ctx: status_staff.open_incident(
        ctx, who.email, impact=impact, components=chosen, **texts),
        {**texts, "impact": impact})


@staff_route
async def post_update(request: Request, who: staff.Staff, form: Any) -> Response:
    incident_id = form_int(request.path_params["id"])
    if incident_id is None:
        return error_page(request, 404)
    status = str(form.get("status", ""))
    return await _done(request, who, lambda ctx: status_staff.post_update(
        ctx, who.email, incident_id, status, str(form.get("body_da", "")),
        str(form.get("body_en", ""))), {})


@staff_route
async def publish(request: Request, who: staff.Staff, _form: Any) -> Response:
    incident_id = form_int(request.path_params["id"])
    if incident_id is None:
        return error_page(request, 404)
    return await _done(request, who, lambda ctx: status_staff.publish(
        ctx, who.email, incident_id), {})


@staff_route
async def schedule(request: Request, who: staff.Staff, form: Any) -> Response:
    texts = _texts(form, "m_")
    values = {**{f"m_{k}": v for k, v in texts.items()},
              "m_from": str(form.get("m_from", "")), "m_until": str(form.get("m_until", ""))}
    start, end = parse_utc(values["m_from"]), parse_utc(values["m_until"])
    if start is None or end is None:
        return await _page(request, who, 400, values=values, errors={
            "m_from" if start is None else "m_until": "YYYY-MM-DDTHH:MM (UTC)"})
    chosen = [str(v) for v in form.getlist("m_components")]
    return await _done(request, who, lambda ctx: status_staff.schedule_maintenance(
        ctx, who.email, scheduled_for=start, scheduled_until=end, components_=chosen,
        **texts), values, prefix="m_", rename=MAINTENANCE_FIELDS)


ROUTES: list[Route] = [
    Route(HOME, status_home, methods=["GET"]),
    Route(HOME + "/components/{key}", set_component, methods=["POST"]),
    Route(HOME + "/incidents", open_incident, methods=["POST"]),
    Route(HOME + "/incidents/{id}/update", post_update, methods=["POST"]),
    Route(HOME + "/incidents/{id}/publish", publish, methods=["POST"]),
    Route(HOME + "/maintenance", schedule, methods=["POST"]),
]

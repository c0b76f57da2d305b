"""The status page's JSON API in Atlassian Statuspage's form (``/api/v2/...``).

Punktum's status page is a hosted Statuspage, and the registrars' tools, dashboards and
exporters read its public API: the same paths and field names here let them read
dkreg's unchanged — ``summary.json``, ``status.json``, ``components.json``,
``incidents.json``, ``incidents/unresolved.json``, ``scheduled-maintenances.json`` and
its ``upcoming.json`` and ``active.json``.

Ids are strings, as Statuspage's: a component's is its key (``epp``, ``rdap``), stable
across installations; an incident's its number. Times are ISO 8601 in the page's time
zone (Europe/Copenhagen) with milliseconds, as Statuspage writes them. Names and texts
are English; ``?lang=da`` gives the Danish ones. Drafts (an automatic check's incident
not yet confirmed by staff) are never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dkreg.actions.status.components import Board, Component, components
from dkreg.actions.status.incidents import CLOSED, Incident, incidents
from dkreg.clock import COPENHAGEN
from dkreg.model.status import indicator_description
from dkreg.runner import reading
from dkreg.web.i18n import translator
from dkreg.web.request_services import services_of

PAGE_ID = "dkreg"


def stamp(moment: datetime | None) -> str | None:
    """Statuspage's time form: ``2024-08-01T10:00:00.000+02:00``."""
    if moment is None:
        return None
    local = moment.astimezone(COPENHAGEN)
    return local.isoformat(timespec="milliseconds")


def _lang(request: Request) -> str:
    return "da" if request.query_params.get("lang") == "da" else "en"


def _page(request: Request, updated: datetime | None) -> dict[str, Any]:
    services = services_of(request)
    t = translator(_lang(request))
    base = services.settings.public_base_url.rstrip("/")
    return {"id": PAGE_ID, "name": t("status.page_name"), "url": f"{base}/status",
            "time_zone": "Europe/Copenhagen", "updated_at": stamp(updated)}


def component_objects(board: Board, lang: str) -> list[dict[str, Any]]:
    t = translator(lang)
    out = []
    for c in board.items:
        group = board.is_group(c)
        obj: dict[str, Any] = {
            "id": c.key, "name": t(f"status.component.{c.key}"), "status": board.state(c),
            "created_at": stamp(c.created_at), "updated_at": stamp(board.updated(c)),
            "position": c.position, "description": None, "showcase": False,
            "start_date": None, "group_id": c.group_key, "page_id": PAGE_ID,
            "group": group, "only_show_if_degraded": False}
        if group:
            obj["components"] = [m.key for m in board.members[c.key]]
        out.append(obj)
    return out


def incident_object(i: Incident, by_key: dict[str, dict[str, Any]], lang: str,
                    base: str) -> dict[str, Any]:
    name = i.name_da if lang == "da" else i.name_en
    obj: dict[str, Any] = {
        "id": str(i.id), "name": name, "status": i.status, "created_at": stamp(i.created_at),
        "updated_at": stamp(i.updated_at), "monitoring_at": stamp(i.monitoring_at),
        "resolved_at": stamp(i.resolved_at), "impact": i.impact,
        "shortlink": f"{base}/status/history#incident-{i.id}", "started_at": stamp(
            i.started_at or i.scheduled_for or i.created_at),
        "page_id": PAGE_ID,
        "incident_updates": [{
            "id": str(u.id), "status": u.status,
            "body": u.body_da if lang == "da" else u.body_en, "incident_id": str(i.id),
            "created_at": stamp(u.created_at), "updated_at": stamp(u.created_at),
            "display_at": stamp(u.created_at), "affected_components": [
                {"code": key, "name": by_key[key]["name"], "old_status": "operational",
                 "new_status": state}
                for key, state in i.components.items() if key in by_key],
            "deliver_notifications": True, "custom_tweet": None, "tweet_id": None}
            for u in i.updates],
        "components": [by_key[key] for key in i.components if key in by_key]}
    if i.kind == "maintenance":
        obj["scheduled_for"] = stamp(i.scheduled_for)
        obj["scheduled_until"] = stamp(i.scheduled_until)
    return obj


async def _read(request: Request) -> tuple[list[Component], list[Incident]]:
    async with reading(services_of(request), "status") as ctx:
        return await components(ctx), await incidents(ctx, limit=50)


def _answer(body: dict[str, Any]) -> Response:
    # public and cheap to cache, as Statuspage's; a minute at most, an outage must show
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=30",
                                       "Access-Control-Allow-Origin": "*"})


class _View:
    """One read of components and incidents, in the shapes every endpoint takes."""

    def __init__(self, request: Request, items: list[Component], found: list[Incident]):
        self.lang = _lang(request)
        base = services_of(request).settings.public_base_url.rstrip("/")
        self.board = Board.of(items)
        self.components = component_objects(self.board, self.lang)
        by_key = {c["id"]: c for c in self.components}
        self.incidents = [incident_object(i, by_key, self.lang, base)
                          for i in found if i.kind == "incident"]
        self.maintenances = [incident_object(i, by_key, self.lang, base)
                             for i in found if i.kind == "maintenance"]
        self.open_impacts = [i.impact for i in found
                             if i.kind == "incident" and i.status not in CLOSED]
        moments = [c.state_since for c in items] + [i.updated_at for i in found]
        self.page = _page(request, max(moments) if moments else None)

    def status(self) -> dict[str, str]:
        value = self.board.level(self.open_impacts)
        return {"indicator": value, "description": indicator_description(value)}

    def unresolved(self) -> list[dict[str, Any]]:
        return [i for i in self.incidents if i["status"] not in CLOSED]

    def upcoming(self) -> list[dict[str, Any]]:
        return [m for m in self.maintenances if m["status"] == "scheduled"]

    def active(self) -> list[dict[str, Any]]:
        return [m for m in self.maintenances if m["status"] in ("in_progress", "verifying")]


async def _view(request: Request) -> _View:
    items, found = await _read(request)
    return _View(request, items, found)


# each endpoint's body beside the page: Statuspage's paths and keys
BODIES: dict[str, Callable[[_View], dict[str, Any]]] = {
    "summary.json": lambda v: {"components": v.components, "incidents": v.unresolved(),
                               "scheduled_maintenances": v.upcoming() + v.active(),
                               "status": v.status()},
    "status.json": lambda v: {"status": v.status()},
    "components.json": lambda v: {"components": v.components},
    "incidents.json": lambda v: {"incidents": v.incidents},
    "incidents/unresolved.json": lambda v: {"incidents": v.unresolved()},
    "scheduled-maintenances.json": lambda v: {"scheduled_maintenances": v.maintenances},
    "scheduled-maintenances/upcoming.json": lambda v: {
        "scheduled_maintenances": v.upcoming()},
    "scheduled-maintenances/active.json": lambda v: {"scheduled_maintenances": v.active()},
}
PREFIX = "/api/v2/"


async def endpoint(request: Request) -> Response:
    """Any of ``BODIES``, by the request's path."""
    v = await _view(request)
    return _answer({"page": v.page, **BODIES[request.url.path.removeprefix(PREFIX)](v)})


ROUTES: list[Route] = [Route(PREFIX + name, endpoint, methods=["GET"]) for name in BODIES]

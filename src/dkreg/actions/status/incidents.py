"""Incidents and scheduled maintenance on the status page.

An incident goes investigating → identified → monitoring → resolved, each step an update
with its text in Danish and English; it names the components it affects and the state
it gives them. A draft (an automatic check's) changes no component and is not public
until staff publish it. A scheduled maintenance starts and ends on its own
(``advance_maintenances``, a lifecycle step): in progress, its components are under
maintenance; completed, they return to what the other open incidents say, or
operational. Closing is final; a postmortem may follow a resolved incident.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select, update

from dkreg.actions.status.components import check_state, component, set_state
from dkreg.errors import err
from dkreg.model.status import IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES, worst
from dkreg.store.context import Ctx
from dkreg.store.schema import (
    status_components,
    status_incident_components,
    status_incident_updates,
    status_incidents,
)

I = status_incidents.c  # noqa: E741
CLOSED = ("resolved", "postmortem", "completed")
MAX_NAME = 255
MAX_BODY = 10_000

# the texts of the updates a maintenance writes itself
STARTED = ("Vedligeholdelsen er i gang.", "The maintenance is in progress.")
COMPLETED = ("Vedligeholdelsen er afsluttet.", "The maintenance has been completed.")


@dataclass(frozen=True)
class IncidentUpdate:
    id: int
    status: str
    body_da: str
    body_en: str
    created_at: datetime


@dataclass(frozen=True)
class Incident:
    id: int
    kind: str  # incident | maintenance
    name_da: str
    name_en: str
    status: str
    impact: str
    draft: bool
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    monitoring_at: datetime | None
    resolved_at: datetime | None
    scheduled_for: datetime | None
    scheduled_until: datetime | None
    updates: tuple[IncidentUpdate, ...] = ()  # newest first, as Statuspage lists them
    components: Mapping[str, str] = field(default_factory=dict)  # key -> state it gives


def _text(value: str, name: str, most: int) -> str:
    value = (value or "").strip()
    if not value:
        raise err(2003, "status_required", field=name)
    if len(value) > most:
        raise err(2005, "status_bad_value", field=name)
    return value


async def _affect(ctx: Ctx, incident_id: int, states: Mapping[str, str]) -> None:
    for key, state in states.items():
        check_state(state, f"components.{key}")
        found = await component(ctx, key)
        await ctx.conn.execute(insert(status_incident_components).values(
            incident_id=incident_id, component_id=found.id, state=state))


async def _update(ctx: Ctx, incident_id: int, status: str, body_da: str, body_en: str
                  ) -> None:
    await ctx.conn.execute(insert(status_incident_updates).values(
        incident_id=incident_id, status=status, body_da=body_da, body_en=body_en,
        created_at=ctx.now))


async def open_incident(ctx: Ctx, *, name_da: str, name_en: str, impact: str,
                        body_da: str, body_en: str, components: Mapping[str, str],
                        status: str = "investigating", draft: bool = False) -> int:
    """A new incident with its first update; its components take the states given
    (unless it is a draft)."""
    names = _text(name_da, "name_da", MAX_NAME), _text(name_en, "name_en", MAX_NAME)
    bodies = _text(body_da, "body_da", MAX_BODY), _text(body_en, "body_en", MAX_BODY)
    if impact not in IMPACTS:
        raise err(2005, "status_bad_value", field="impact")
    if status not in INCIDENT_STATUSES or status in CLOSED:
        raise err(2005, "status_bad_value", field="status")
    iid = (await ctx.conn.execute(insert(status_incidents).values(
        kind="incident", name_da=names[0], name_en=names[1], status=status, impact=impact,
        draft=draft, created_at=ctx.now, updated_at=ctx.now, started_at=ctx.now,
        monitoring_at=ctx.now if status == "monitoring" else None)
        .returning(I.id))).scalar_one()
    await _affect(ctx, iid, components)
    await _update(ctx, iid, status, *bodies)
    if not draft:
        await _reconcile(ctx, components, "incident")
    return iid


async def publish(ctx: Ctx, incident_id: int) -> None:
    """A draft (an automatic check's) becomes public, and its components take its
    states."""
    found = await incident(ctx, incident_id)
    if not found.draft:
        return
    await ctx.conn.execute(update(status_incidents).where(I.id == incident_id)
                           .values(draft=False, updated_at=ctx.now))
    if found.status not in CLOSED:
        await _reconcile(ctx, found.components, "incident")


async def post_update(ctx: Ctx, incident_id: int, status: str, body_da: str,
                      body_en: str) -> None:
    """The next step of the timeline. Closing (resolved, completed) gives the components
    back; after that only a postmortem of a resolved incident may follow."""
    found = await incident(ctx, incident_id)
    allowed = INCIDENT_STATUSES if found.kind == "incident" else MAINTENANCE_STATUSES
    if status not in allowed:
        raise err(2005, "status_bad_value", field="status")
    if found.status in CLOSED and status != "postmortem":
        raise err(2304, "status_incident_closed", field="status")
    bodies = _text(body_da, "body_da", MAX_BODY), _text(body_en, "body_en", MAX_BODY)
    values: dict[str, object] = {"status": status, "updated_at": ctx.now}
    if status == "monitoring":
        values["monitoring_at"] = ctx.now
    if status == "in_progress" and found.started_at is None:
        values["started_at"] = ctx.now
    closing = status in CLOSED and found.status not in CLOSED
    if closing:
        values["resolved_at"] = ctx.now
    await ctx.conn.execute(update(status_incidents).where(I.id == incident_id)
                           .values(**values))
    await _update(ctx, incident_id, status, *bodies)
    if found.draft:
        return
    source = "incident" if found.kind == "incident" else "maintenance"
    if closing or (found.kind == "maintenance" and status == "in_progress"):
        await _reconcile(ctx, found.components, source)


async def schedule_maintenance(ctx: Ctx, *, name_da: str, name_en: str,
                               scheduled_for: datetime, scheduled_until: datetime,
                               components: Sequence[str], body_da: str,
                               body_en: str) -> int:
    """A maintenance window in the future (or under way now): its components are under
    maintenance while it runs."""
    names = _text(name_da, "name_da", MAX_NAME), _text(name_en, "name_en", MAX_NAME)
    bodies = _text(body_da, "body_da", MAX_BODY), _text(body_en, "body_en", MAX_BODY)
    if scheduled_until <= scheduled_for or scheduled_until <= ctx.now:
        raise err(2306, "status_bad_window", field="scheduled_until")
    if not components:
        raise err(2003, "status_required", field="components")
    mid = (await ctx.conn.execute(insert(status_incidents).values(
        kind="maintenance", name_da=names[0], name_en=names[1], status="scheduled",
        impact="maintenance", draft=False, created_at=ctx.now, updated_at=ctx.now,
        scheduled_for=scheduled_for, scheduled_until=scheduled_until)
        .returning(I.id))).scalar_one()
    await _affect(ctx, mid, {key: "under_maintenance" for key in components})
    await _update(ctx, mid, "scheduled", *bodies)
    return mid


def maintenance_due(now: datetime) -> Any:
    """The maintenances whose window has begun and that have not started, or whose
    window has ended and that are not completed."""
    return and_(I.kind == "maintenance", or_(
        and_(I.status == "scheduled", I.scheduled_for <= now, I.scheduled_until > now),
        and_(I.status.in_(("scheduled", "in_progress", "verifying")),
             I.scheduled_until <= now)))


async def advance_maintenances(ctx: Ctx, ids: Sequence[int]) -> int:
    """Start the maintenances ``ids`` whose window has begun, complete those whose
    window has ended; how many changed."""
    changed = 0
    for found in await incidents(ctx, ids=list(ids), drafts=True):
        if found.kind != "maintenance" or found.status in CLOSED:
            continue
        assert found.scheduled_for is not None and found.scheduled_until is not None
        if found.scheduled_until <= ctx.now:
            await post_update(ctx, found.id, "completed", *COMPLETED)
        elif found.status == "scheduled" and found.scheduled_for <= ctx.now:
            await post_update(ctx, found.id, "in_progress", *STARTED)
        else:
            continue
        changed += 1
    return changed


async def _reconcile(ctx: Ctx, keys: Iterable[str], source: str) -> None:
    """Each of the components ``keys`` in the state the open incidents and running
    maintenances give it now (operational when none does)."""
    for key in list(keys):
        await set_state(ctx, key, await held_state(ctx, key), source)


async def held_state(ctx: Ctx, key: str) -> str:
    """What the open, public incidents and running maintenances together give the
    component: the worst of their states, or operational."""
    rows = await ctx.conn.execute(
        select(status_incident_components.c.state)
        .join(status_incidents, status_incidents.c.id == status_incident_components.c.incident_id)
        .join(status_components,
              status_components.c.id == status_incident_components.c.component_id)
        .where(status_components.c.key == key, I.draft.is_(False),
               I.status.not_in((*CLOSED, "scheduled"))))
    return worst(r.state for r in rows)


async def incident(ctx: Ctx, incident_id: int) -> Incident:
    found = await incidents(ctx, ids=[incident_id], drafts=True)
    if not found:
        raise err(2303, "status_incident_not_found", field="incident")
    return found[0]


async def incidents(ctx: Ctx, *, kind: str | None = None, open_only: bool = False,
                    ids: Sequence[int] | None = None, drafts: bool = False,
                    limit: int = 50) -> list[Incident]:
    """Newest first, with their updates and components."""
    q = select(status_incidents)
    if kind is not None:
        q = q.where(I.kind == kind)
    if open_only:
        q = q.where(I.status.not_in(CLOSED))
    if ids is not None:
        q = q.where(I.id.in_(list(ids)))
    if not drafts:
        q = q.where(I.draft.is_(False))
    rows = list(await ctx.conn.execute(q.order_by(I.created_at.desc(), I.id.desc())
                                       .limit(limit)))
    if not rows:
        return []
    wanted = [r.id for r in rows]
    updates: dict[int, list[IncidentUpdate]] = {}
    for u in await ctx.conn.execute(
            select(status_incident_updates)
            .where(status_incident_updates.c.incident_id.in_(wanted))
            .order_by(status_incident_updates.c.created_at.desc(),
                      status_incident_updates.c.id.desc())):
        updates.setdefault(u.incident_id, []).append(
            IncidentUpdate(u.id, u.status, u.body_da, u.body_en, u.created_at))
    affected: dict[int, dict[str, str]] = {}
    for a in await ctx.conn.execute(
            select(status_incident_components.c.incident_id, status_components.c.key,
                   status_incident_components.c.state)
            .join(status_components,
                  status_components.c.id == status_incident_components.c.component_id)
            .where(status_incident_components.c.incident_id.in_(wanted))
            .order_by(status_components.c.position)):
        affected.setdefault(a.incident_id, {})[a.key] = a.state
    return [Incident(r.id, r.kind, r.name_da, r.name_en, r.status, r.impact, r.draft,
                     r.created_at, r.updated_at, r.started_at, r.monitoring_at,
                     r.resolved_at, r.scheduled_for, r.scheduled_until,
                     tuple(updates.get(r.id, ())), affected.get(r.id, {}))
            for r in rows]

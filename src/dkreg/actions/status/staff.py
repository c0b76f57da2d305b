"""What staff do on the status page, each audited (door ``staff``, actor the staff user's
e-mail): set a component's state, open an incident, post an update, publish a draft,
schedule maintenance. The work is the status actions'; this adds the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dkreg.actions.status import components, incidents
from dkreg.store.audit import write_facts
from dkreg.store.context import Ctx


async def set_component(ctx: Ctx, actor: str, key: str, state: str) -> bool:
    changed = await components.set_state(ctx, key, state, "staff")
    await write_facts(ctx, "status_component_set", actor, f"component:{key}", state=state,
                 changed=changed)
    return changed


async def open_incident(ctx: Ctx, actor: str, **fields: Any) -> int:
    iid = await incidents.open_incident(ctx, **fields)
    await write_facts(ctx, "status_incident_opened", actor, f"incident:{iid}",
                 impact=fields.get("impact"), components=dict(fields.get("components", {})))
    return iid


async def post_update(ctx: Ctx, actor: str, incident_id: int, status: str, body_da: str,
                      body_en: str) -> None:
    await incidents.post_update(ctx, incident_id, status, body_da, body_en)
    await write_facts(ctx, "status_incident_updated", actor, f"incident:{incident_id}",
                 status=status)


async def publish(ctx: Ctx, actor: str, incident_id: int) -> None:
    await incidents.publish(ctx, incident_id)
    await write_facts(ctx, "status_incident_published", actor, f"incident:{incident_id}")


async def schedule_maintenance(ctx: Ctx, actor: str, *, name_da: str, name_en: str,
                               scheduled_for: datetime, scheduled_until: datetime,
                               components_: Sequence[str], body_da: str,
                               body_en: str) -> int:
    mid = await incidents.schedule_maintenance(
        ctx, name_da=name_da, name_en=name_en, scheduled_for=scheduled_for,
        scheduled_until=scheduled_until, components=components_, body_da=body_da,
        body_en=body_en)
    await write_facts(ctx, "status_maintenance_scheduled", actor, f"incident:{mid}",
                 scheduled_for=scheduled_for, scheduled_until=scheduled_until,
                 components=list(components_))
    return mid

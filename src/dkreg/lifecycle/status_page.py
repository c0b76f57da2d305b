"""The status page's scheduled maintenance starts and ends on its own: in progress when
its window begins (its components under maintenance), completed when it ends (they
return to what the open incidents say, or operational)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from dkreg.actions.status.incidents import advance_maintenances, maintenance_due
from dkreg.lifecycle.runner import Run, Step
from dkreg.store.context import Ctx
from dkreg.store.schema import status_incidents

I = status_incidents.c  # noqa: E741


async def due(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(I.id).where(maintenance_due(ctx.now), run.ready(I.id))
        .order_by(I.id).limit(limit)))).all())


async def advance(ctx: Ctx, rows: list[Any]) -> int:
    return await advance_maintenances(ctx, [r.id for r in rows])


async def oldest(ctx: Ctx) -> datetime | None:
    """Since the window began (or ended, for one to complete)."""
    found = (await ctx.conn.execute(select(func.min(I.scheduled_for))
                                    .where(maintenance_due(ctx.now)))).scalar()
    return found if isinstance(found, datetime) else None


MAINTENANCE = Step("status_maintenance", due, advance, oldest,
                   lambda row: f"maintenance {row.id}")

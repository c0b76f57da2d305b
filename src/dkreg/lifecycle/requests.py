"""Requests nobody answered by their deadline expire (``actions.pending``): the step's
due query and its oldest due request, for the runner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from dkreg.actions import pending
from dkreg.lifecycle.runner import Run, Step
from dkreg.store.context import Ctx
from dkreg.store.schema import pending_requests


def _overdue(now: datetime) -> list[Any]:
    return [pending_requests.c.state == "pending", pending_requests.c.due_at <= now]


async def due_requests(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(pending_requests).where(*_overdue(ctx.now), run.ready(pending_requests.c.id))
        .order_by(pending_requests.c.id).limit(limit)))).all())


async def oldest_request(ctx: Ctx) -> datetime | None:
    return (await ctx.conn.execute(select(func.min(pending_requests.c.due_at))
                                   .where(*_overdue(ctx.now)))).scalar()


EXPIRE_REQUESTS = Step("pending_requests", due_requests, pending.expire_due, oldest_request,
                       lambda row: f"request {row.id} ({row.kind})")

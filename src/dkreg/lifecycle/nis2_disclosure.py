"""NIS2 disclosure deadlines: the 48-hour alarm to staff about an access request still
undecided (once per request), and telling inaccuracy reporters the outcome of the
re-verification their report started.

Each step takes its rows with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL and leaves them
no longer due (``alarm_sent_at`` set; the report's state and outcome recorded), so a
second run, or a second worker, does nothing more.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from dkreg.actions.nis2 import reports, requests
from dkreg.lifecycle.runner import Run, Step
from dkreg.store.context import Ctx
from dkreg.store.schema import nis2_access_requests, nis2_inaccuracy_reports

R = nis2_access_requests.c


async def due_alarms(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(nis2_access_requests).where(*requests.alarm_query(ctx.now), run.ready(R.id))
        .order_by(R.alarm_at, R.id).limit(limit)))).all())


async def oldest_alarm(ctx: Ctx) -> datetime | None:
    return (await ctx.conn.execute(select(func.min(R.alarm_at))
                                   .where(*requests.alarm_query(ctx.now)))).scalar()


async def due_outcomes(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    return await reports.outcomes_due(ctx, limit, run.ready(nis2_inaccuracy_reports.c.id))


ACCESS_ALARMS = Step("nis2_access_alarms", due_alarms, requests.send_alarms, oldest_alarm,
                     lambda row: f"access request {row.id}")
INACCURACY_OUTCOMES = Step("nis2_inaccuracy_outcomes", due_outcomes, reports.tell_outcomes,
                           reports.oldest_outcome, lambda row: f"inaccuracy report {row.id}")

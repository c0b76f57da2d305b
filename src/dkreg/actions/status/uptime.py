"""The 90-day uptime bar of a component, from the recorded changes of its state.

As Statuspage counts it: time in a major outage counts fully against the day, time in a
partial outage at 30 %; degraded performance and maintenance do not count. A day before
the component existed has no value. Days are Copenhagen days, the page's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select

from dkreg.clock import COPENHAGEN
from dkreg.model.status import worst
from dkreg.store.context import Ctx
from dkreg.store.schema import status_component_events, status_components

WEIGHT = {"major_outage": 1.0, "partial_outage": 0.3}


@dataclass(frozen=True)
class Day:
    day: date
    uptime: float | None  # 0..1; None before the component existed
    worst: str  # the worst state seen that day


def _day_start(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=COPENHAGEN)


def bar(events: Sequence[tuple[datetime, str]], created: datetime, now: datetime,
        days: int = 90) -> list[Day]:
    """The days ending today for one component whose state changed at ``events``
    (time-ordered, the first at its creation)."""
    today = now.astimezone(COPENHAGEN).date()
    out = []
    for n in range(days - 1, -1, -1):
        d = today - timedelta(days=n)
        start, end = _day_start(d), min(_day_start(d + timedelta(days=1)), now)
        if end <= created or end <= start:
            out.append(Day(d, None, "operational"))
            continue
        start = max(start, created)
        state = "operational"
        for at, s in events:  # the state in force at the day's start
            if at <= start:
                state = s
        lost, seen, cursor = 0.0, {state}, start
        # a change at the window's end (a state taken just now) shows in the day's worst
        for at, s in [(a, s) for a, s in events if start < a <= end] + [(end, state)]:
            lost += WEIGHT.get(state, 0.0) * max(0.0, (at - cursor).total_seconds())
            cursor, state = max(cursor, at), s
            seen.add(s)
        span = (end - start).total_seconds()
        out.append(Day(d, max(0.0, 1.0 - lost / span) if span > 0 else 1.0, worst(seen)))
    return out


async def uptime_bars(ctx: Ctx, days: int = 90) -> dict[str, list[Day]]:
    """Every component's bar, by key."""
    since = ctx.now - timedelta(days=days + 1)
    comps = list(await ctx.conn.execute(select(status_components.c.id,
                                               status_components.c.key,
                                               status_components.c.created_at)))
    e = status_component_events.c
    events: dict[int, list[tuple[datetime, str]]] = {c.id: [] for c in comps}
    # the last change before the window (the state it began in), then every change in it
    last_before = (select(e.component_id, func.max(e.at).label("at"))
                   .where(e.at <= since).group_by(e.component_id).subquery())
    for r in await ctx.conn.execute(
            select(e.component_id, e.at, e.state)
            .join(last_before, and_(last_before.c.component_id == e.component_id,
                                    last_before.c.at == e.at))
            .order_by(e.component_id, e.id)):
        events.setdefault(r.component_id, [])[:] = [(r.at, r.state)]
    for r in await ctx.conn.execute(select(e.component_id, e.at, e.state)
                                    .where(e.at > since).order_by(e.component_id, e.at, e.id)):
        events.setdefault(r.component_id, []).append((r.at, r.state))
    return {c.key: bar(events.get(c.id, []), c.created_at, ctx.now, days) for c in comps}


def overall(days: Sequence[Day]) -> float | None:
    """The bar's uptime over the days it has values for."""
    values = [d.uptime for d in days if d.uptime is not None]
    return sum(values) / len(values) if values else None

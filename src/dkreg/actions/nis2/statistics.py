"""The figures the registry must be able to give about access requests (Art. 28(5),
PLATFORM.md N10): for a period of receipt, how many requests came in, how many were
answered within their deadline, how many refused — in all and by requester type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from dkreg.model.nis2 import REQUESTER_TYPES
from dkreg.store.context import Ctx
from dkreg.store.schema import nis2_access_requests

R = nis2_access_requests.c


@dataclass
class Counts:
    received: int = 0
    answered: int = 0
    answered_in_time: int = 0
    approved: int = 0
    refused: int = 0
    open: int = 0
    overdue: int = 0  # open past the deadline, or answered late


@dataclass
class Statistics:
    start: datetime
    end: datetime
    total: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=dict)


async def statistics(ctx: Ctx, start: datetime, end: datetime) -> Statistics:
    """Requests received in ``[start, end)``, as they stand at ``ctx.now``."""
    stats = Statistics(start, end, by_type={t: Counts() for t in REQUESTER_TYPES})
    rows = (await ctx.conn.execute(
        select(R.requester_type, R.due_at, R.decided_at, R.decision)
        .where(R.received_at >= start, R.received_at < end))).all()
    for row in rows:
        for counts in (stats.total, stats.by_type.setdefault(row.requester_type, Counts())):
            counts.received += 1
            if row.decided_at is None:
                counts.open += 1
                counts.overdue += ctx.now >= row.due_at
                continue
            counts.answered += 1
            in_time = row.decided_at <= row.due_at
            counts.answered_in_time += in_time
            counts.overdue += not in_time
            counts.approved += row.decision == "approved"
            counts.refused += row.decision == "refused"
    return stats

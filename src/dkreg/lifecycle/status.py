"""Is the lifecycle keeping up? What ``dkreg lifecycle status`` prints and ``/healthz``
answers.

Per step: when its oldest due item became due (the step's ``oldest_due``) and how many
of its items are failing (``lifecycle_failures``). The mail outbox counts as one more
step: its oldest due mail, and the mails waiting to be retried. Degraded, with the
step named, when an item has failed for longer than ``lifecycle_failure_alert_after``
or a step's oldest due item is older than ``lifecycle_lag_alert_after``: a stalled
step shows up within minutes, not eleven months later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from dkreg.store.context import Ctx
from dkreg.store.schema import lifecycle_failures, mail_outbox

OUTBOX = "mail_outbox"


@dataclass(frozen=True)
class Failure:
    step: str
    item: str
    error_kind: str
    message: str
    first_failed_at: datetime
    last_failed_at: datetime | None
    attempts: int
    next_attempt_at: datetime


@dataclass(frozen=True)
class StepState:
    name: str
    oldest_due: datetime | None
    failing: int


@dataclass
class Status:
    now: datetime
    steps: list[StepState]
    failures: list[Failure]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (step, why)

    @property
    def degraded(self) -> bool:
        return bool(self.problems)


def age(now: datetime, then: datetime) -> str:
    """A short human age: 45 s, 12 min, 3 h 5 min, 11 d 2 h."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


async def _outbox(ctx: Ctx) -> tuple[datetime | None, list[Failure]]:
    oldest = (await ctx.conn.execute(select(func.min(mail_outbox.c.next_attempt_at)).where(
        mail_outbox.c.status == "queued", mail_outbox.c.next_attempt_at <= ctx.now))).scalar()
    rows = (await ctx.conn.execute(
        select(mail_outbox).where(mail_outbox.c.status == "queued", mail_outbox.c.attempts > 0)
        .order_by(mail_outbox.c.created_at).limit(100))).all()
    return oldest, [Failure(OUTBOX, f"mail {r.id} ({r.kind} to {r.to_addr})",
                            (r.last_error or "").split(":", 1)[0], r.last_error or "",
                            r.created_at, None, r.attempts, r.next_attempt_at) for r in rows]


async def lifecycle_status(ctx: Ctx) -> Status:
    from dkreg.lifecycle.tick import STEPS

    f = lifecycle_failures.c
    failures = [Failure(r.step, r.item, r.error_kind, r.message, r.first_failed_at,
                        r.last_failed_at, r.attempts, r.next_attempt_at)
                for r in (await ctx.conn.execute(
                    select(lifecycle_failures).order_by(f.first_failed_at, f.id).limit(500)))]
    counts: dict[str, int] = dict((await ctx.conn.execute(
        select(f.step, func.count()).group_by(f.step))).all())
    steps = [StepState(step.name, await step.oldest_due(ctx), counts.get(step.name, 0))
             for step in STEPS]
    outbox_oldest, outbox_failures = await _outbox(ctx)
    steps.append(StepState(OUTBOX, outbox_oldest, len(outbox_failures)))
    status = Status(ctx.now, steps, failures + outbox_failures)
    s = ctx.settings
    failed_before = ctx.now - timedelta(seconds=s.lifecycle_failure_alert_after)
    lag_before = ctx.now - timedelta(seconds=s.lifecycle_lag_alert_after)
    for failure in status.failures:
        if failure.first_failed_at <= failed_before and \
                failure.step not in {p[0] for p in status.problems}:
            status.problems.append((failure.step, f"{failure.item} has failed for "
                                    f"{age(ctx.now, failure.first_failed_at)}"))
    for state in steps:
        if state.oldest_due is not None and state.oldest_due <= lag_before:
            status.problems.append((state.name, "its oldest due item has waited "
                                    f"{age(ctx.now, state.oldest_due)}"))
    return status

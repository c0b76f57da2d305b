"""The per-item loop every lifecycle step runs in: one failing item never holds back
another.

A step says three things (``Step``): which items are due (a locked batch, ``FOR UPDATE
SKIP LOCKED`` on PostgreSQL so several workers share the work), how to handle a list of
them, and when its oldest due item became due (for ``dkreg lifecycle status`` and
``/healthz``). ``run_batch`` handles the whole batch inside one savepoint — the cheap
path, one round of batched writes when the step batches them; should that raise, it
rolls the savepoint back and handles the items again one by one, each in its own
savepoint. An item that raises then is rolled back alone and recorded in
``lifecycle_failures`` (step, item, error kind and message, first and last failure,
attempts, next retry); the rest of the batch is committed, and the tick goes on with
the step's next batch and every later step.

A recorded item is left out of its step's due query (``Run.ready``) until its retry
time, which doubles from 30 s per attempt up to ``lifecycle_retry_max_delay``; it is
not retried every second. When it succeeds, its record is deleted. A step whose due
query itself raises is recorded the same way as item 0 and skipped until its retry.

The traceback is logged once per item and kind of failure (a new record, or a
different exception class); later attempts that fail the same way log one line.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from dkreg.errors import EppError
from dkreg.mail.sender import backoff  # the outbox's: 30 s doubling, capped
from dkreg.store.context import Ctx
from dkreg.store.schema import lifecycle_failures

log = logging.getLogger("dkreg.lifecycle")

STEP_ITEM = 0  # the item id of a failure of the step itself (its due query)


@dataclass(frozen=True)
class Run:
    """What a step's due query needs to know about its failed items."""

    step: str
    now: datetime

    def _ids(self) -> Any:
        return select(lifecycle_failures.c.item_id).where(lifecycle_failures.c.step == self.step)

    def ready(self, column: Any) -> Any:
        """``column`` (the item's id) is not waiting for its retry time."""
        return column.not_in(self._ids().where(lifecycle_failures.c.next_attempt_at > self.now))

    def retrying(self, column: Any) -> Any:
        """``column`` is a failed item whose retry time has come (for a step that does
        not find its items again by their state alone)."""
        return column.in_(self.retrying_ids())

    def retrying_ids(self) -> Any:
        """The ids of the failed items whose retry time has come, as a select."""
        return self._ids().where(lifecycle_failures.c.next_attempt_at <= self.now)


Due = Callable[[Ctx, Run, int], Awaitable[Sequence[Any]]]
Handle = Callable[[Ctx, list[Any]], Awaitable[int]]
Oldest = Callable[[Ctx], Awaitable[datetime | None]]


@dataclass(frozen=True)
class Step:
    """A lifecycle step. ``handle`` gets due rows and returns how many it changed;
    ``label`` names an item for people (``dkreg lifecycle status``)."""

    name: str
    due: Due
    handle: Handle
    oldest_due: Oldest
    label: Callable[[Any], str]
    limit: int = 200
    # seconds the server's loop lets a step that found nothing rest before asking again,
    # unless some step got work done since (``tick.Pacing``); 0: asked every tick
    rest: float = 0.0


@dataclass
class BatchResult:
    done: int = 0
    failed: int = 0
    step_failed: bool = False  # the due query raised: the step stops for this tick


def error_kind(exc: BaseException) -> str:
    if isinstance(exc, EppError):
        return f"EppError {exc.code}"
    return type(exc).__name__


async def run_batch(ctx: Ctx, step: Step, has_failures: bool) -> BatchResult:
    """One batch of ``step`` in the caller's transaction. ``has_failures``: the step has
    failure records (only then are records of succeeded items looked for)."""
    result = BatchResult()
    try:
        async with ctx.conn.begin_nested():
            rows = list(await step.due(ctx, Run(step.name, ctx.now), step.limit))
    except Exception as exc:
        await record_failure(ctx, step.name, STEP_ITEM, "the step's due query", exc)
        result.failed, result.step_failed = 1, True
        return result
    succeeded = [STEP_ITEM]
    if rows:
        try:
            async with ctx.conn.begin_nested():
                result.done = await step.handle(ctx, rows)
            succeeded += [row.id for row in rows]
        except Exception:
            for row in rows:
                try:
                    async with ctx.conn.begin_nested():
                        result.done += await step.handle(ctx, [row])
                except Exception as exc:
                    await record_failure(ctx, step.name, row.id, step.label(row), exc)
                    result.failed += 1
                else:
                    succeeded.append(row.id)
    if has_failures:
        await ctx.conn.execute(delete(lifecycle_failures).where(
            lifecycle_failures.c.step == step.name,
            lifecycle_failures.c.item_id.in_(succeeded)))
    return result


async def record_failure(ctx: Ctx, step: str, item_id: int, item: str,
                         exc: BaseException) -> None:
    """Record (or count again) a failed item and set its retry time; log the traceback
    when the item is new to failing or fails in a new way."""
    kind = error_kind(exc)
    message = str(exc)[:2000] or kind
    cap = ctx.settings.lifecycle_retry_max_delay
    row = (await ctx.conn.execute(select(lifecycle_failures).where(
        lifecycle_failures.c.step == step, lifecycle_failures.c.item_id == item_id))).first()
    attempts = (row.attempts if row is not None else 0) + 1
    retry = ctx.now + backoff(attempts, cap)
    values = dict(item=item[:255], error_kind=kind[:128], message=message,
                  last_failed_at=ctx.now, attempts=attempts, next_attempt_at=retry)
    if row is None:
        try:  # two workers can fail on a step's own query at once: one inserts
            async with ctx.conn.begin_nested():
                await ctx.conn.execute(insert(lifecycle_failures).values(
                    step=step, item_id=item_id, first_failed_at=ctx.now, **values))
        except IntegrityError:
            return  # the other worker recorded it just now
    else:
        await ctx.conn.execute(update(lifecycle_failures)
                               .where(lifecycle_failures.c.id == row.id).values(**values))
    if row is None or row.error_kind != kind:
        log.error("lifecycle step %s failed on %s (%s); it is skipped until %s, the rest "
                  "goes on", step, item, kind, retry.isoformat(), exc_info=exc)
    else:
        log.info("lifecycle step %s still fails on %s (%s, attempt %d); next retry %s",
                 step, item, kind, attempts, retry.isoformat())


async def failing_steps(ctx: Ctx) -> tuple[set[str], set[str]]:
    """(steps with any failure record, steps whose own failure waits for its retry)."""
    f = lifecycle_failures.c
    failing = set((await ctx.conn.execute(select(f.step).distinct())).scalars())
    waiting = set((await ctx.conn.execute(select(f.step).where(
        f.item_id == STEP_ITEM, f.next_attempt_at > ctx.now))).scalars()) if failing else set()
    return failing, waiting

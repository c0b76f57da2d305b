"""Run all due lifecycle work for a moment in registry time.

``tick`` is what ``dkreg tick``, the server's background loop and the tests call. Each
step commits its own batches, so a crash loses at most the batch in progress, which
is simply redone next time. An item that fails is recorded and skipped until its retry
(``runner``): the rest of its step and every later step go on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg import runner
from dkreg.config import Settings
from dkreg.lifecycle import (
    applications,
    balance_alerts,
    contacts,
    domains,
    invoicing,
    nis2_disclosure,
    requests,
    status_page,
    verification,
)
from dkreg.lifecycle.runner import Step, failing_steps, run_batch
from dkreg.policy import DEFAULT_POLICY, Policy
from dkreg.store.audit import AuditEvent, write
from dkreg.store.context import Ctx
from dkreg.store.db import Database

if TYPE_CHECKING:
    from dkreg.metrics import Metrics

log = logging.getLogger("dkreg.lifecycle")

STEPS: tuple[Step, ...] = (
    applications.FLOW2_TIMEOUT,
    applications.PROCESS_APPLICATIONS,
    # expiry: auto-renew or redemption; scheduled deletions; release after redemption
    domains.SCHEDULED_DELETIONS,
    # the registry invoices renewals of registrant-managed domains ahead of expiry; an
    # unpaid one blocks the renewal at expiry (before domain_expiry, so it is seen there)
    invoicing.RENEWAL_INVOICES,
    domains.EXPIRY,
    domains.RELEASE,
    invoicing.RENEWAL_INVOICES_CANCEL,
    # registrant changes, NSA roles, host approvals, e-mail changes nobody answered
    # (AuthInfo tokens need no step: they are simply not live after their expiry)
    requests.EXPIRE_REQUESTS,
    # NIS2: checks start, are cancelled when no longer needed, expire, suspend; unused
    # contacts are deleted
    verification.START_CHECKS,
    verification.CANCEL_CHECKS,
    verification.EXPIRE_CHECKS,
    verification.SUSPEND_DOMAINS,
    contacts.AUTODELETE,
    # NIS2 disclosure: staff alarmed about access requests undecided at 48 h; inaccuracy
    # reporters told the outcome (after the checks expired and domains were suspended,
    # and after releases, so the outcome is the tick's)
    nis2_disclosure.ACCESS_ALARMS,
    nis2_disclosure.INACCURACY_OUTCOMES,
    # prepaid accounts that fell to a low-balance threshold get a mail
    balance_alerts.LOW_BALANCE_ALERTS,
    # the registrars' monthly invoices for last month's prepaid charges (the 1st)
    invoicing.MONTHLY_INVOICES,
    # the status page's scheduled maintenance starts and ends on its own
    status_page.MAINTENANCE,
)


class Pacing:
    """Which resting steps (``Step.rest``) the server's loop may leave out of a tick.

    A step with a ``rest`` that found nothing is not asked again for that many seconds
    (monotonic time: the sandbox clock may jump) — unless some step got work done in the
    meantime (its work may be the resting step's input) or the loop was woken. Only the
    server's loop paces; ``dkreg tick`` and the tests ask every step every time."""

    def __init__(self) -> None:
        self._found_nothing: dict[str, float] = {}

    def resting(self, step: Step, at: float) -> bool:
        since = self._found_nothing.get(step.name)
        return step.rest > 0 and since is not None and at - since < step.rest

    def found_nothing(self, step: Step, at: float) -> None:
        """``step`` was asked at ``at`` and had nothing to do: it rests from then."""
        if step.rest > 0:
            self._found_nothing[step.name] = at

    def work_done(self) -> None:
        """Something changed: every resting step is asked again."""
        self._found_nothing.clear()


@dataclass
class TickReport:
    done: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)  # items that failed in this tick

    @property
    def total(self) -> int:
        return sum(self.done.values())


async def tick(db: Database, settings: Settings, now: datetime,
               policy: Policy = DEFAULT_POLICY, metrics: Metrics | None = None,
               pacing: Pacing | None = None) -> TickReport:
    """``metrics``: where each step's batches are measured and its failed items counted
    (the server's; ``dkreg tick`` has none); ``pacing``: the server loop's, which lets
    resting steps be left out."""
    report = TickReport()

    def context(conn: AsyncConnection) -> Ctx:
        return runner.context(conn, now=now, settings=settings, policy=policy,
                              is_sqlite=db.is_sqlite, door="lifecycle")

    async with db.read() as conn:
        failing, waiting = await failing_steps(context(conn))
    for step in STEPS:
        report.done[step.name] = report.failed[step.name] = 0
        if step.name in waiting:
            continue  # the step itself failed; skipped until its retry time
        at = time.monotonic()
        if pacing is not None and pacing.resting(step, at):
            continue
        try:
            await _run_step(db, context, step, step.name in failing, report, metrics)
        except Exception:  # e.g. the commit failed: the next step still runs
            log.exception("lifecycle step %s could not commit; it runs again next tick",
                          step.name)
        if pacing is not None:
            if report.done[step.name] or report.failed[step.name]:
                pacing.work_done()
            else:
                pacing.found_nothing(step, at)
    return report


async def _run_step(db: Database, context: Callable[[AsyncConnection], Ctx], step: Step,
                    has_failures: bool, report: TickReport,
                    metrics: Metrics | None) -> None:
    """Batches of ``step`` while they get work done (failed items wait for their retry)."""
    while True:
        with runner.measure(metrics, "lifecycle", step.name) as codes:
            async with db.begin() as conn:
                ctx = context(conn)
                result = await run_batch(ctx, step, has_failures)
                if result.done:
                    await write(conn, AuditEvent(at=ctx.now, door="lifecycle",
                                                 command=step.name, result_code=1000,
                                                 object=f"{result.done} item(s)"))
            if result.step_failed or (result.failed and not result.done):
                codes[0] = 2400
        if metrics is not None:
            metrics.lifecycle_failed(step.name, result.failed)
        report.done[step.name] += result.done
        report.failed[step.name] += result.failed
        has_failures = has_failures or result.failed > 0
        if result.step_failed or result.done == 0:
            return  # nothing left, or nothing but failures: the next tick goes on

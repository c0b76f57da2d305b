"""Run all due lifecycle work for a moment in registry time.

``tick`` is what ``dkreg tick``, the server's background loop and the tests call. Each
step commits its own batches, so a crash loses at most the batch in progress, which
is simply redone next time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from dkreg.actions import pending
from dkreg.actions.audit import AuditEvent, write
from dkreg.actions.context import Ctx
from dkreg.billing import invoices
from dkreg.config import Settings
from dkreg.lifecycle import applications, balance_alerts, contacts, domains, verification
from dkreg.policy import DEFAULT_POLICY, Policy
from dkreg.store.db import Database

Step = Callable[[Ctx], Awaitable[int]]

STEPS: tuple[tuple[str, Step], ...] = (
    ("flow2_timeout", applications.expire_flow2),
    ("process_applications", applications.process_due),
    # expiry: auto-renew or redemption; scheduled deletions; release after redemption
    ("domain_scheduled_deletions", domains.start_scheduled_deletions),
    # the registry invoices renewals of registrant-managed domains ahead of expiry; an
    # unpaid one blocks the renewal at expiry (before domain_expiry, so it is seen there)
    ("renewal_invoices", invoices.issue_renewal_invoices),
    ("domain_expiry", domains.expire_due),
    ("domain_release", domains.release_due),
    ("renewal_invoices_cancel", invoices.cancel_stale_renewals),
    # registrant changes, NSA roles, host approvals, e-mail changes nobody answered
    # (AuthInfo tokens need no step: they are simply not live after their expiry)
    ("pending_requests", pending.expire_due),
    # NIS2: checks start, are cancelled when no longer needed, expire, suspend; unused
    # contacts are deleted
    ("nis2_start_checks", verification.start_checks),
    ("nis2_cancel_checks", verification.cancel_unneeded),
    ("nis2_expire_checks", verification.expire_checks),
    ("nis2_suspend_domains", verification.suspend_unverified),
    ("contact_autodelete", contacts.delete_unused),
    # prepaid accounts that fell to a low-balance threshold get a mail
    ("low_balance_alerts", balance_alerts.announce_low_balances),
    # the registrars' monthly invoices for last month's prepaid charges (the 1st)
    ("monthly_invoices", invoices.issue_monthly_invoices),
)


@dataclass
class TickReport:
    done: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.done.values())


async def tick(db: Database, settings: Settings, now: datetime,
               policy: Policy = DEFAULT_POLICY) -> TickReport:
    report = TickReport()
    for name, step in STEPS:
        while True:
            async with db.begin() as conn:
                ctx = Ctx(conn=conn, now=now, settings=settings, policy=policy,
                          is_sqlite=db.is_sqlite, door="lifecycle")
                n = await step(ctx)
                if n:
                    await write(conn, AuditEvent(at=now, door="lifecycle", command=name,
                                                 result_code=1000, object=f"{n} item(s)"))
            report.done[name] = report.done.get(name, 0) + n
            if n == 0:
                break
    return report

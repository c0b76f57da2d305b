"""NIS2 deadlines: start checks for new registrants, expire those not completed in time,
suspend the domains of registrants whose check expired or was rejected, and cancel
checks that are no longer needed because the contact holds no domain any more.

Three small steps rather than one, so that each selects exactly the rows it changes
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and leaves them no longer due: running a
step again, or in several workers at once, changes nothing more. None of them does
anything before the policy timeline's NIS2 date. The per-item loop and its failure
isolation are ``runner``'s.

E-mail change deadlines (48 h) are pending requests, expired by ``pending.expire_due``
through ``actions/contact/email.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select, update

from dkreg.actions.contact import verification
from dkreg.actions.poll.queue import enqueue_text
from dkreg.actions.poll.snapshots import contact_snapshot
from dkreg.lifecycle.runner import Run, Step
from dkreg.model.verification import check_kind
from dkreg.store.context import Ctx
from dkreg.store.schema import (
    CHECK_BLOCKING,
    CHECK_WAITING,
    contacts,
    domains,
    pending_requests,
)

BATCH = 200


def _unstarted() -> list[Any]:
    return [CHECK_WAITING, contacts.c.verification_started_at.is_(None),
            contacts.c.deleted_at.is_(None)]


def _needed() -> ColumnElement[bool]:
    """The contact is registrant of a live domain or application, or a change of
    registrant to it waits."""
    return or_(exists().where(domains.c.registrant_id == contacts.c.id,
                              domains.c.released_at.is_(None)),
               exists().where(pending_requests.c.contact_id == contacts.c.id,
                              pending_requests.c.kind == "registrant_change",
                              pending_requests.c.state == "pending"))


async def due_start(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    if not ctx.policy.nis2(ctx.now):
        return []
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(contacts.c.id, contacts.c.handle, contacts.c.id_status, contacts.c.email_status)
        .where(*_unstarted(), _needed(), run.ready(contacts.c.id))
        .order_by(contacts.c.id).limit(limit), of=contacts))).all())


async def start_checks(ctx: Ctx, rows: list[Any]) -> int:
    """A contact whose check is required becomes registrant (its domain was applied for,
    or a change of registrant to it waits): the deadline starts now and its sponsor is
    told."""
    for row in rows:
        await verification.start(ctx, row.handle, check_kind(
            row.id_status == "pending", row.email_status == "pending"))
    return len(rows)


async def oldest_start(ctx: Ctx) -> datetime | None:
    """Since the first domain or registrant change that made a check due."""
    if not ctx.policy.nis2(ctx.now):
        return None
    by_domain = (await ctx.conn.execute(
        select(func.min(domains.c.created_at)).join(contacts,
                                                    contacts.c.id == domains.c.registrant_id)
        .where(*_unstarted(), domains.c.released_at.is_(None)))).scalar()
    by_request = (await ctx.conn.execute(
        select(func.min(pending_requests.c.created_at))
        .join(contacts, contacts.c.id == pending_requests.c.contact_id)
        .where(*_unstarted(), pending_requests.c.kind == "registrant_change",
               pending_requests.c.state == "pending"))).scalar()
    return min((t for t in (by_domain, by_request) if t is not None), default=None)


def _unneeded() -> list[Any]:
    return [CHECK_WAITING, contacts.c.verification_started_at.is_not(None),
            contacts.c.deleted_at.is_(None), ~_needed()]


async def due_cancel(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    if not ctx.policy.nis2(ctx.now):
        return []
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(contacts.c.id, contacts.c.handle).where(*_unneeded(), run.ready(contacts.c.id))
        .order_by(contacts.c.id).limit(limit), of=contacts))).all())


async def cancel_unneeded(ctx: Ctx, rows: list[Any]) -> int:
    """A started check whose contact lost its last domain (deleted, transferred away,
    registrant changed) is cancelled rather than left to expire."""
    for row in rows:
        await verification.cancel(ctx, row.handle)
    return len(rows)


async def oldest_cancel(ctx: Ctx) -> datetime | None:
    if not ctx.policy.nis2(ctx.now):
        return None
    return (await ctx.conn.execute(select(func.min(func.coalesce(
        contacts.c.unlinked_at, contacts.c.updated_at, contacts.c.verification_started_at)))
        .where(*_unneeded()))).scalar()


def _overdue(now: datetime) -> list[Any]:
    return [CHECK_WAITING, contacts.c.verification_started_at.is_not(None),
            contacts.c.verification_due <= now, contacts.c.deleted_at.is_(None)]


async def due_expire(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    if not ctx.policy.nis2(ctx.now):
        return []
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(contacts).where(*_overdue(ctx.now), run.ready(contacts.c.id))
        .order_by(contacts.c.id).limit(limit)))).all())


async def expire_checks(ctx: Ctx, rows: list[Any]) -> int:
    """Started checks not completed by their deadline expire; the sponsor is told.
    Suspending the registrant's domains is the next step's work."""
    for row in rows:
        id_part, email_part = row.id_status == "pending", row.email_status == "pending"
        await ctx.conn.execute(update(contacts).where(contacts.c.id == row.id).values(
            id_status="expired" if id_part else row.id_status,
            email_status="expired" if email_part else row.email_status,
            verification_due=None, verification_started_at=None, updated_at=ctx.now,
            updated_by=ctx.actor.registrar_handle))
        if row.sponsor_id is not None:
            await enqueue_text(ctx, row.sponsor_id,
                               f"verification_expired_{check_kind(id_part, email_part)}",
                               await contact_snapshot(ctx, row.handle), handle=row.handle,
                               responsible=row.verification_responsible)
    return len(rows)


async def oldest_expire(ctx: Ctx) -> datetime | None:
    if not ctx.policy.nis2(ctx.now):
        return None
    return (await ctx.conn.execute(select(func.min(contacts.c.verification_due))
                                   .where(*_overdue(ctx.now)))).scalar()


async def due_suspend(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    if not ctx.policy.nis2(ctx.now):
        return []
    # from the blocked registrants to their domains: materialized, so that PostgreSQL
    # cannot walk all of ``domains`` in id order looking for them (at 1.4 M domains that
    # plan took 0.8 s, every lifecycle interval, to find none)
    blocked = select(contacts.c.id).where(CHECK_BLOCKING).cte("blocked") \
        .prefix_with("MATERIALIZED")
    return list((await ctx.conn.execute(ctx.skip_locked(
        verification.suspendable_query().where(
            domains.c.registrant_id.in_(select(blocked.c.id)), run.ready(domains.c.id))
        .order_by(domains.c.id).limit(limit), of=domains))).all())


async def suspend_unverified(ctx: Ctx, rows: list[Any]) -> int:
    """Active domains whose registrant's check expired or was rejected: serverHold, and
    deletion when the suspension period ends (unless the check is completed first)."""
    await verification.suspend_domains(ctx, rows)
    return len(rows)


async def oldest_suspend(ctx: Ctx) -> datetime | None:
    """Since the registrant's check expired or was rejected (its last update)."""
    if not ctx.policy.nis2(ctx.now):
        return None
    holds = verification.suspendable_query().where(domains.c.registrant_id == contacts.c.id)
    return (await ctx.conn.execute(
        select(func.min(func.coalesce(contacts.c.updated_at, contacts.c.created_at)))
        .where(CHECK_BLOCKING, holds.exists()))).scalar()


def _contact(row: Any) -> str:
    return f"contact {row.id} ({row.handle})"


def _domain(row: Any) -> str:
    return f"domain {row.id} ({row.uname})"


START_CHECKS = Step("nis2_start_checks", due_start, start_checks, oldest_start, _contact)
CANCEL_CHECKS = Step("nis2_cancel_checks", due_cancel, cancel_unneeded, oldest_cancel,
                     _contact)
EXPIRE_CHECKS = Step("nis2_expire_checks", due_expire, expire_checks, oldest_expire,
                     _contact)
# Its due query probes the domains of every registrant whose check expired or was
# rejected — most of them long since suspended: about 50 ms at .dk's size, which every
# second cost the public lookups beside it their latency target (bench/README.md). New
# work for it comes from the checks expiring (the step before it, whose work ends the
# rest) or from a domain of such a registrant coming back (restored, activated), which a
# suspension a minute later handles as well as one a second later.
SUSPEND_DOMAINS = Step("nis2_suspend_domains", due_suspend, suspend_unverified,
                       oldest_suspend, _domain, rest=60.0)

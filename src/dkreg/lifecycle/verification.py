"""NIS2 deadlines: start checks for new registrants, expire those not completed in time,
suspend the domains of registrants whose check expired or was rejected, and cancel
checks that are no longer needed because the contact holds no domain any more.

Three small steps rather than one, so that each selects exactly the rows it changes
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and leaves them no longer due: running a
step again, or in several workers at once, changes nothing more. None of them does
anything before the policy timeline's NIS2 date.

E-mail change deadlines (48 h) are pending requests, expired by ``pending.expire_due``
through ``actions/contact_email.py``.
"""

from __future__ import annotations

from sqlalchemy import exists, or_, select, update

from dkreg.actions import contact_verification as verification
from dkreg.actions.context import Ctx
from dkreg.actions.poll_queue import enqueue_text
from dkreg.actions.snapshots import contact_snapshot
from dkreg.model.verification import check_kind
from dkreg.store.schema import (
    CHECK_BLOCKING,
    CHECK_WAITING,
    contacts,
    domains,
    pending_requests,
)

BATCH = 200


async def start_checks(ctx: Ctx, limit: int = BATCH) -> int:
    """A contact whose check is required becomes registrant (its domain was applied for,
    or a change of registrant to it waits): the deadline starts now and its sponsor is
    told."""
    if not ctx.policy.nis2(ctx.now):
        return 0
    rows = (await ctx.conn.execute(ctx.skip_locked(
        select(contacts.c.handle, contacts.c.id_status, contacts.c.email_status)
        .where(CHECK_WAITING, contacts.c.verification_started_at.is_(None),
               contacts.c.deleted_at.is_(None),
               or_(exists().where(domains.c.registrant_id == contacts.c.id,
                                  domains.c.released_at.is_(None)),
                   exists().where(pending_requests.c.contact_id == contacts.c.id,
                                  pending_requests.c.kind == "registrant_change",
                                  pending_requests.c.state == "pending")))
        .order_by(contacts.c.id).limit(limit), of=contacts))).all()
    for row in rows:
        await verification.start(ctx, row.handle, check_kind(
            row.id_status == "pending", row.email_status == "pending"))
    return len(rows)


def _needed():  # type: ignore[no-untyped-def]
    """The contact is registrant of a live domain or application, or a change of
    registrant to it waits."""
    return or_(exists().where(domains.c.registrant_id == contacts.c.id,
                              domains.c.released_at.is_(None)),
               exists().where(pending_requests.c.contact_id == contacts.c.id,
                              pending_requests.c.kind == "registrant_change",
                              pending_requests.c.state == "pending"))


async def cancel_unneeded(ctx: Ctx, limit: int = BATCH) -> int:
    """A started check whose contact lost its last domain (deleted, transferred away,
    registrant changed) is cancelled rather than left to expire."""
    if not ctx.policy.nis2(ctx.now):
        return 0
    rows = (await ctx.conn.execute(ctx.skip_locked(
        select(contacts.c.handle)
        .where(CHECK_WAITING, contacts.c.verification_started_at.is_not(None),
               contacts.c.deleted_at.is_(None), ~_needed())
        .order_by(contacts.c.id).limit(limit), of=contacts))).all()
    for row in rows:
        await verification.cancel(ctx, row.handle)
    return len(rows)


async def expire_checks(ctx: Ctx, limit: int = BATCH) -> int:
    """Started checks not completed by their deadline expire; the sponsor is told.
    Suspending the registrant's domains is the next step's work."""
    if not ctx.policy.nis2(ctx.now):
        return 0
    rows = (await ctx.conn.execute(ctx.skip_locked(
        select(contacts).where(CHECK_WAITING, contacts.c.verification_started_at.is_not(None),
                               contacts.c.verification_due <= ctx.now,
                               contacts.c.deleted_at.is_(None))
        .order_by(contacts.c.id).limit(limit)))).all()
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


async def suspend_unverified(ctx: Ctx, limit: int = BATCH) -> int:
    """Active domains whose registrant's check expired or was rejected: serverHold, and
    deletion when the suspension period ends (unless the check is completed first)."""
    if not ctx.policy.nis2(ctx.now):
        return 0
    blocked = select(contacts.c.id).where(CHECK_BLOCKING)
    rows = (await ctx.conn.execute(ctx.skip_locked(
        verification.suspendable_query().where(domains.c.registrant_id.in_(blocked))
        .order_by(domains.c.id).limit(limit), of=domains))).all()
    await verification.suspend_domains(ctx, list(rows))
    return len(rows)

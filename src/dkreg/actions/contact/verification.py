"""NIS2 verification of a contact: start, complete or reject its ID and data check.

These are the entry points of whoever decides a check — the registry's ID control
(CPR/CVR/MitID, later), a registrar that is responsible for verification and asserts
``verified_id``/``verified_email`` in update contact, the sandbox CLI and the tests —
so that every door has the same consequences, in the caller's transaction:

- starting a check gives it a deadline (``nis2_verification_days``) and tells the
  contact's sponsor once with "has to complete the mandatory … check";
- completing it tells the sponsor, lifts the NIS2 suspension of the registrant's
  domains (and activates those that were never activated because of the check) and
  accepts the changes of registrant that waited for it;
- rejecting it (and expiry, ``lifecycle/verification.py``) suspends the registrant's
  active domains: serverHold for ``nis2_suspension_days``, after which the domain is
  deleted, not restorable by EPP (redemption cause ``nis2``).

A check is *required* before it is *started*: a contact created without a verified
claim is ``pending`` with a provisional deadline; the check starts (with a fresh
deadline, ``verification_started_at``) when the contact becomes registrant of a domain
or the new registrant of one — the registry checks registrants, not address books — and
only started checks expire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, exists, or_, select, update

from dkreg.actions import pending
from dkreg.actions.poll.queue import enqueue_text
from dkreg.actions.poll.snapshots import contact_snapshot, domain_snapshot
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.verification import (
    VALIDATED,
    check_kind,
    is_validated,
    may_activate,
    parts,
)
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domains, pending_requests

NIS2_CAUSE = "nis2"
HOLD = "serverHold"


@dataclass(frozen=True)
class VerificationResult:
    handle: str
    changed: bool  # False: the contact was already in that state; nothing was done
    domains: list[str]  # domains activated (complete) or suspended (reject)


async def load(ctx: Ctx, handle: str) -> Any:
    """The live contact row, locked for the rest of the transaction; 2303 if unknown."""
    wanted = handle.strip().upper()
    row = (await ctx.conn.execute(ctx.for_update(select(contacts).where(
        contacts.c.handle == wanted, contacts.c.deleted_at.is_(None))))).first()
    if row is None:
        raise err(2303, "contact_not_found", field="contact:id",
                  detail=Detail("does_not_exist_2", wanted=wanted))
    return row


async def is_registrant(ctx: Ctx, contact_id: int) -> bool:
    """Registrant of a live domain or application."""
    return bool((await ctx.conn.execute(select(exists().where(
        domains.c.registrant_id == contact_id, domains.c.released_at.is_(None))))).scalar())


async def _tell_sponsor(ctx: Ctx, row: Any, key: str) -> None:
    if row.sponsor_id is not None:
        await enqueue_text(ctx, row.sponsor_id, key, await contact_snapshot(ctx, row.handle),
                           handle=row.handle, responsible=row.verification_responsible)


async def _set(ctx: Ctx, row: Any, **values: Any) -> None:
    await ctx.conn.execute(update(contacts).where(contacts.c.id == row.id).values(
        updated_at=ctx.now, updated_by=ctx.actor.registrar_handle, **values))


# -- start / require ------------------------------------------------------------------


async def start(ctx: Ctx, handle: str, what: str = "id_data") -> bool:
    """Start the check now: the concerned statuses become ``pending`` with a deadline
    and the sponsor is told once. False when that check is already running."""
    row = await load(ctx, handle)
    return await _start(ctx, row, what)


async def _start(ctx: Ctx, row: Any, what: str) -> bool:
    id_part, email_part = parts(what)
    new_id = "pending" if id_part else row.id_status
    new_email = "pending" if email_part else row.email_status
    if (new_id, new_email) == (row.id_status, row.email_status) and \
            row.verification_started_at is not None:
        return False
    await _set(ctx, row, id_status=new_id, email_status=new_email, verification_started_at=ctx.now,
               verification_due=ctx.now + timedelta(days=ctx.settings.nis2_verification_days))
    kind = check_kind(new_id == "pending", new_email == "pending")
    await _tell_sponsor(ctx, row, f"verification_required_{kind}")
    if new_email == "pending":
        # the data check's e-mail part: the contact confirms its address by a mailed link
        from dkreg.actions.contact import email_link

        await email_link.send(ctx, await load(ctx, row.handle))
    return True


async def require(ctx: Ctx, row: Any, what: str) -> bool:
    """A check is needed (e.g. changed identity data): started at once for a registrant,
    otherwise ``pending`` with a provisional deadline until the contact gets a domain.
    Statuses that already wait, expired or were rejected are left alone."""
    id_part, email_part = parts(what)
    id_part = id_part and is_validated(row.id_status)
    email_part = email_part and is_validated(row.email_status)
    if not (id_part or email_part):
        return False
    if await is_registrant(ctx, row.id):
        return await _start(ctx, row, check_kind(id_part, email_part))
    await _set(ctx, row, id_status="pending" if id_part else row.id_status,
               email_status="pending" if email_part else row.email_status,
               verification_due=ctx.now + timedelta(days=ctx.settings.nis2_verification_days))
    return True


async def cancel(ctx: Ctx, handle: str) -> bool:
    """The started check is no longer needed (the contact holds no domain and no change of
    registrant waits for it): it stops, the deadline with it, and the sponsor is told.
    The statuses stay ``pending``: should the contact become registrant again, a new
    check starts then. False when no check was running."""
    row = await load(ctx, handle)
    if row.verification_started_at is None or "pending" not in (row.id_status,
                                                                row.email_status):
        return False
    await _set(ctx, row, verification_started_at=None, verification_due=None)
    kind = check_kind(row.id_status == "pending", row.email_status == "pending")
    await _tell_sponsor(ctx, row, f"verification_cancelled_{kind}")
    return True


# -- complete ---------------------------------------------------------------------------


async def complete(ctx: Ctx, handle: str, what: str = "id_data", *,
                   by_registrar: bool = False) -> VerificationResult:
    """The check (or part of it) is done.

    Done by the registry, an ID check matched the data to the CPR/CVR register, so a
    Danish contact's name, address, country, user type, CVR and EAN become read-only.
    ``by_registrar``: a registrar responsible for verification vouches for the contact
    (update contact); that locks nothing and cannot overturn the registry's rejection.
    """
    row = await load(ctx, handle)
    id_part, email_part = parts(what)
    keep = VALIDATED | {"rejected"} if by_registrar else VALIDATED
    new_id = "completed" if id_part and row.id_status not in keep else row.id_status
    new_email = "completed" if email_part and row.email_status not in keep \
        else row.email_status
    lock = not by_registrar and new_id != row.id_status and row.cc == "DK"
    if (new_id, new_email) == (row.id_status, row.email_status):
        return VerificationResult(row.handle, False, [])
    await _set(ctx, row, id_status=new_id, email_status=new_email,
               register_locked=row.register_locked or lock,
               **_deadline(row, "pending" in (new_id, new_email)))
    done = check_kind(new_id != row.id_status, new_email != row.email_status)
    await _tell_sponsor(ctx, row, f"verification_completed_{done}")
    activated: list[str] = []
    if may_activate(new_id, new_email):
        activated = await reactivate_domains(ctx, row.id)
    if is_validated(new_id):
        await _settle_registrant_changes(ctx, row, "accepted")
    return VerificationResult(row.handle, True, activated)


async def reactivate_domains(ctx: Ctx, contact_id: int) -> list[str]:
    """Lift the NIS2 suspension of the registrant's live domains, and activate those held
    since application processing because the check was pending."""
    rows = (await ctx.conn.execute(ctx.for_update(
        select(domains.c.id, domains.c.uname, domains.c.statuses, domains.c.redemption_cause,
               domains.c.sponsor_id, domains.c.billing_registrar_id)
        .where(domains.c.registrant_id == contact_id, domains.c.released_at.is_(None),
               domains.c.state == "active",
               or_(domains.c.redemption_cause == NIS2_CAUSE,
                   domains.c.redemption_cause.is_(None) & domains.c.statuses.contains(HOLD)))
        .order_by(domains.c.id)))).all()
    names = []
    for d in rows:
        values: dict[str, Any] = {"statuses": without_hold(d.statuses), "suspended_at": None}
        if d.redemption_cause == NIS2_CAUSE:
            values.update(redemption_cause=None, redemption_until=None)
        await ctx.conn.execute(update(domains).where(domains.c.id == d.id).values(
            updated_at=ctx.now, updated_by=ctx.actor.registrar_handle, **values))
        await _tell_domain_registrar(ctx, d, "domain_activated")
        names.append(d.uname)
    return names


# -- reject / suspend -------------------------------------------------------------------


async def reject(ctx: Ctx, handle: str) -> VerificationResult:
    """The ID check failed: the contact cannot become registrant again (create domain
    answers 2201) and its domains are suspended now."""
    row = await load(ctx, handle)
    if row.id_status == "rejected":
        return VerificationResult(row.handle, False, [])
    await _set(ctx, row, id_status="rejected",
               **_deadline(row, row.email_status == "pending"))
    await _tell_sponsor(ctx, row, "verification_rejected_id")
    suspended = await suspend_domains(ctx, await _suspendable(ctx, [row.id]))
    await _settle_registrant_changes(ctx, row, "rejected")
    return VerificationResult(row.handle, True, suspended)


def suspendable_query() -> Select[Any]:
    """Live, active domains not yet suspended or on their way out for another cause."""
    return (select(domains.c.id, domains.c.uname, domains.c.statuses, domains.c.sponsor_id,
                   domains.c.billing_registrar_id)
            .where(domains.c.released_at.is_(None), domains.c.state == "active",
                   domains.c.suspended_at.is_(None), domains.c.redemption_cause.is_(None)))


async def _suspendable(ctx: Ctx, contact_ids: list[int]) -> list[Any]:
    return list((await ctx.conn.execute(ctx.for_update(
        suspendable_query().where(domains.c.registrant_id.in_(contact_ids))
        .order_by(domains.c.id)))).all())


async def suspend_domains(ctx: Ctx, rows: list[Any]) -> list[str]:
    """serverHold for ``nis2_suspension_days``; then the domain is deleted (lifecycle of
    redemption). Only under the NIS2 rules of the policy timeline."""
    if not ctx.policy.nis2(ctx.now):
        return []
    until = ctx.now + timedelta(days=ctx.settings.nis2_suspension_days)
    names = []
    for d in rows:
        await ctx.conn.execute(update(domains).where(domains.c.id == d.id).values(
            statuses=with_hold(d.statuses), suspended_at=ctx.now, redemption_cause=NIS2_CAUSE,
            redemption_until=until, updated_at=ctx.now, updated_by=ctx.actor.registrar_handle))
        await _tell_domain_registrar(ctx, d, "domain_updated")
        names.append(d.uname)
    return names


# -- helpers ----------------------------------------------------------------------------


def _deadline(row: Any, still_pending: bool) -> dict[str, Any]:
    """A check that no longer waits for anything has no deadline and is not running."""
    if still_pending:
        return {}
    return {"verification_due": None, "verification_started_at": None}


def with_hold(statuses: str) -> str:
    kept = [s for s in statuses.split() if s not in ("ok", HOLD)]
    return " ".join([*kept, HOLD])


def without_hold(statuses: str) -> str:
    kept = [s for s in statuses.split() if s not in ("ok", HOLD)]
    return " ".join(kept) or "ok"


async def _tell_domain_registrar(ctx: Ctx, d: Any, key: str) -> None:
    """The sponsor of a registrar-managed domain; for a registrant-managed one the
    registrar that pays for it, if any."""
    registrar_id = d.sponsor_id or d.billing_registrar_id
    if registrar_id is not None:
        await enqueue_text(ctx, registrar_id, key, await domain_snapshot(ctx, d.uname),
                           name=d.uname)


async def _settle_registrant_changes(ctx: Ctx, row: Any, outcome: str) -> None:
    """Changes of registrant to this contact that waited for its check."""
    waiting = (await ctx.conn.execute(
        select(pending_requests.c.id).where(
            pending_requests.c.kind == "registrant_change",
            pending_requests.c.state == "pending", pending_requests.c.due_at > ctx.now,
            or_(pending_requests.c.contact_id == row.id,
                pending_requests.c.target == row.handle))
        .order_by(pending_requests.c.id))).scalars().all()
    for request_id in waiting:
        await pending.decide(ctx, request_id, outcome)

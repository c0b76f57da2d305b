"""A changed e-mail address waits for the contact to confirm it.

update contact answers 1001 "Pending e-mail-address verification." and the new address
waits in ``contacts.pending_email`` (or ``pending_secondary_email``) beside a pending
request (kind ``email_change`` / ``secondary_email_change``) that expires after
``nis2_email_change_hours``. The contact confirms by following the registry's mail
(self-service; the sandbox CLI ``dkreg request accept``); then the address applies.
Nobody confirming, or a rejection, keeps the old address — it never suspends anything.
The sponsor hears of each step by poll.

A second change before the first is answered replaces it: the first is closed as
rejected (its sponsor is told it was not confirmed) and the new one waits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from dkreg.actions import contact_verification, pending
from dkreg.actions.contact_create import rekey, stored_contact
from dkreg.actions.context import Ctx
from dkreg.actions.poll_queue import enqueue_text, pan_data
from dkreg.actions.snapshots import contact_snapshot
from dkreg.store.schema import contacts


@dataclass(frozen=True)
class Which:
    """The two addresses a contact has, and what differs between them."""

    kind: str  # the pending request kind
    column: str  # contacts column holding the address in use
    pending: str  # contacts column holding the address waiting for confirmation
    due: str  # its deadline column
    poll: str  # prefix of the poll_texts keys


PRIMARY = Which("email_change", "email", "pending_email", "pending_email_due", "email")
SECONDARY = Which("secondary_email_change", "secondary_email", "pending_secondary_email",
                  "pending_secondary_email_due", "secondary_email")
BY_KIND = {w.kind: w for w in (PRIMARY, SECONDARY)}


async def request_change(ctx: Ctx, row: Any, which: Which, address: str) -> int:
    """Let ``address`` wait for confirmation; returns the pending request's id. The same
    address sent again while it waits changes nothing."""
    waiting = await pending.open_requests(ctx, kind=which.kind, contact_id=row.id)
    for old in waiting:
        if old.due_at > ctx.now and old.target == address:
            return int(old.id)
        if old.due_at > ctx.now:
            await pending.decide(ctx, old.id, "rejected")
    due = ctx.now + timedelta(hours=ctx.settings.nis2_email_change_hours)
    await ctx.conn.execute(update(contacts).where(contacts.c.id == row.id).values(
        {which.pending: address, which.due: due}))
    request_id = await pending.create(ctx, pending.NewRequest(
        kind=which.kind, registrar_id=row.sponsor_id, due_at=due, contact_id=row.id,
        target=address, data={"handle": row.handle}))
    if row.sponsor_id is not None:
        await enqueue_text(ctx, row.sponsor_id, f"{which.poll}_confirm_required",
                           await contact_snapshot(ctx, row.handle), handle=row.handle,
                           email=address, responsible=row.verification_responsible)
    return request_id


async def on_decision(ctx: Ctx, request: Any, outcome: str) -> None:
    """accepted: the address applies; rejected / expired: the old one is kept."""
    which = BY_KIND[request.kind]
    row = (await ctx.conn.execute(ctx.for_update(
        select(contacts).where(contacts.c.id == request.contact_id)))).first()
    if row is None or getattr(row, which.pending) != request.target:
        return  # replaced by a newer change (already told) or the contact is gone
    values: dict[str, Any] = {which.pending: None, which.due: None}
    if outcome == "accepted":
        values.update({which.column: request.target, "updated_at": ctx.now,
                       "updated_by": ctx.actor.registrar_handle})
        if which is PRIMARY:
            values["match_key"] = rekey(row, replace(stored_contact(row), email=request.target))
    await ctx.conn.execute(update(contacts).where(contacts.c.id == row.id).values(values))
    if row.sponsor_id is not None and row.deleted_at is None:
        key = f"{which.poll}_confirmed" if outcome == "accepted" else \
            f"{which.poll}_not_confirmed"
        await enqueue_text(ctx, row.sponsor_id, key,
                           pan_data(ctx, row.handle, outcome == "accepted", request.cl_trid,
                                    request.sv_trid, contact=True),
                           handle=row.handle, email=request.target,
                           responsible=row.verification_responsible)
    if outcome == "accepted" and which is PRIMARY and row.deleted_at is None and \
            row.email_status in ("pending", "expired"):
        # confirming the new address is the data check the registry waited for
        await contact_verification.complete(ctx, row.handle, "data")

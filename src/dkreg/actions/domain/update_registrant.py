"""update domain, change of registrant (registrar-managed domains, within one portfolio).

The new registrant must be a contact the same registrar manages, never have failed its
ID check, and accept Punktum dk's terms (``dkhm:orderconfirmationToken``, checked by the
caller). A validated new registrant takes over at once (1000). Otherwise the change
waits for its ID and/or data check (1001), which starts now if it is not already
running: a ``registrant_change`` pending request that NIS2 verification
(``contact_verification``, or the sandbox CLI) answers through ``pending.decide``, or
that expires at the contact's verification deadline. Until then the domain shows
``pendingUpdate`` and the registrar gets exactly one panData poll message with the
outcome (SPEC-DIGEST §5.7, §8).

The change-of-registrant fee is debited when the command is accepted, so an account
that cannot pay gets 2104 at once rather than a change that silently fails later; it is
refunded when a pending change does not happen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from dkreg.actions import pending
from dkreg.actions.contact import verification as contact_verification
from dkreg.actions.domain.update_contacts import mark_unlinked_if_unused
from dkreg.actions.domain.update_target import (
    Target,
    require_sponsor,
    with_status,
    without_status,
)
from dkreg.actions.poll.queue import enqueue_text, pan_data
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.verification import check_kind, is_validated
from dkreg.store.context import Ctx
from dkreg.store.ledger import debit, post_ledger
from dkreg.store.schema import contacts, domains

KIND = "registrant_change"
PENDING = "pendingUpdate"

NOT_CHANGED = {"accepted": "registrant_not_changed",  # accepted, but no longer possible
               "rejected": "registrant_not_changed_rejected",
               "expired": "registrant_not_changed_in_time"}


@dataclass(frozen=True)
class Changed:
    """What a change of registrant did: whether it waits for the new registrant's check,
    and what it debited the sponsor (the fee, charged when asked, refunded if refused)."""

    pending: bool
    debited_ore: int


async def change(ctx: Ctx, dom: Target, raw_handle: str) -> Changed:
    """Change the registrant now, or ask for it (``pending``)."""
    require_sponsor(ctx, dom, "update_no_privilege_registrant", "proxy",
                    what=Detail("to_change_registrant"), field="domain:registrant")
    if dom.has_status(PENDING) or await pending.open_requests(ctx, domain_id=dom.id,
                                                               kind=KIND):
        raise err(2304, "update_status", field="domain:registrant",
                  detail=Detail("change_registrant_already_waiting_new", uname=dom.uname))
    handle = raw_handle.strip().upper()
    if handle.startswith("REG-"):
        raise err(2304, "update_registrant_registrar", field="domain:registrant",
                  detail=Detail("registrar_not_contact", handle=handle))
    new = (await ctx.conn.execute(
        select(contacts.c.id, contacts.c.sponsor_id, contacts.c.management,
               contacts.c.id_status, contacts.c.email_status)
        .where(contacts.c.handle == handle, contacts.c.deleted_at.is_(None)))).first()
    if new is None:
        raise err(2303, "contact_not_found", field="domain:registrant",
                  detail=Detail("contact_does_not_exist", handle=handle))
    if new.management != "registrar" or new.sponsor_id != dom.sponsor_id:
        raise err(2305, "management_mismatch_registrar", field="domain:registrant",
                  detail=Detail("must_registrar_managed_contact_2", handle=handle,
                                sponsor_handle=dom.sponsor_handle))
    if new.id_status == "rejected":
        raise err(2201, "registrant_failed_id", field="domain:registrant")
    if new.id == dom.registrant_id:
        raise err(2306, "update_parameter", f"{handle} is already the registrant",
                  field="domain:registrant")
    fee = ctx.settings.registrant_change_fee_ore
    debited = fee if fee > 0 and dom.sponsor_id is not None else 0
    if debited and dom.sponsor_id is not None:
        await debit(ctx, dom.sponsor_id, debited, "registrant_change", f"{dom.uname} {handle}",
                    reason="update_billing_failure")
    if is_validated(new.id_status):
        await apply(ctx, dom.id, dom.registrant_id, new.id)
        return Changed(False, debited)
    due = await _check_started(ctx, new, handle)
    await pending.create(ctx, pending.NewRequest(
        kind=KIND, registrar_id=dom.sponsor_id, due_at=due, domain_id=dom.id,
        contact_id=new.id, target=handle, data={"fee_ore": fee if dom.sponsor_id else 0}))
    await ctx.conn.execute(update(domains).where(domains.c.id == dom.id)
                           .values(statuses=with_status(dom.statuses, PENDING)))
    return Changed(True, debited)


async def _check_started(ctx: Ctx, new: Any, handle: str) -> datetime:
    """The deadline of the new registrant's check, starting the check unless it is
    already running (NIS2 verification decides that): a contact is checked when it is
    about to become registrant, and the change waits exactly as long as the check may
    take."""
    await contact_verification.start(
        ctx, handle, check_kind(True, not is_validated(new.email_status)))
    due = (await ctx.conn.execute(select(contacts.c.verification_due)
                                  .where(contacts.c.id == new.id))).scalar()
    return due or ctx.now + timedelta(days=ctx.settings.nis2_verification_days)


async def apply(ctx: Ctx, domain_id: int, old_id: int, new_id: int) -> None:
    await ctx.conn.execute(update(domains).where(domains.c.id == domain_id).values(
        registrant_id=new_id, updated_at=ctx.now, updated_by=ctx.actor.registrar_handle))
    await mark_unlinked_if_unused(ctx, old_id)


async def on_decision(ctx: Ctx, row: Any, outcome: str) -> None:
    """The new registrant's check finished (accepted / rejected) or ran out of time."""
    dom = (await ctx.conn.execute(ctx.for_update(
        select(domains.c.id, domains.c.uname, domains.c.statuses, domains.c.sponsor_id,
               domains.c.registrant_id, domains.c.released_at)
        .where(domains.c.id == row.domain_id)))).first()
    new = (await ctx.conn.execute(
        select(contacts.c.id_status, contacts.c.deleted_at)
        .where(contacts.c.id == row.contact_id))).first()
    live = dom is not None and dom.released_at is None
    if live and dom is not None:
        await ctx.conn.execute(update(domains).where(domains.c.id == dom.id)
                               .values(statuses=without_status(dom.statuses, PENDING)))
    # still possible: the domain is live and in the same portfolio, the contact usable
    possible = (live and dom is not None and dom.sponsor_id == row.registrar_id
                and new is not None and new.deleted_at is None and new.id_status != "rejected")
    changed = outcome == "accepted" and possible
    if changed and dom is not None:
        await apply(ctx, dom.id, dom.registrant_id, row.contact_id)
    else:
        fee = int(json.loads(row.data or "{}").get("fee_ore", 0))
        if fee > 0 and row.registrar_id is not None:
            await post_ledger(ctx, row.registrar_id, fee, "registrant_change_refund",
                              f"{dom.uname if dom else row.domain_id} {row.target}")
    if row.registrar_id is None or dom is None:
        return
    await enqueue_text(ctx, row.registrar_id,
                       "registrant_changed" if changed else NOT_CHANGED[outcome],
                       pan_data(ctx, dom.uname, changed, row.cl_trid, row.sv_trid),
                       name=dom.uname, handle=row.target)

"""A changed e-mail address waits until the new address proves itself.

update contact answers 1001 "Pending e-mail-address verification." and the new address
waits in ``contacts.pending_email`` (or ``pending_secondary_email``) beside a pending
request (kind ``email_change`` / ``secondary_email_change``) that expires after
``nis2_email_change_hours``. In the same transaction the registry mails

* the NEW address a one-time confirmation link (``/selfservice/email-change/<token>``;
  the token is kept as its SHA-256 in ``pending_requests.token_hash`` and is single use
  because the request settles once). Its page works without a login; a GET only shows
  the button (mail scanners fetch links), the POST confirms, and only then the address
  applies — whoever holds the old address cannot complete the change;
* the OLD address a notice that a change was requested (and, when it completes, that it
  did), so a change nobody asked for is seen where it can still be cancelled.

Nobody confirming, a rejection (the contact cancelling in self-service, the sandbox CLI),
or a permanent delivery failure of the confirmation mail (:func:`on_bounce`, called by
the outbox sender for a 5xx from the relay) keeps the old address — it never suspends
anything. The sponsor hears of each step by poll, a bounce with the registry's "email
bounce" text as well.

A second change before the first is answered replaces it: the first is closed as
rejected (its sponsor is told it was not confirmed; its link stops working) and the new
one waits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from dkreg.actions import pending
from dkreg.actions.contact import verification as contact_verification
from dkreg.actions.contact.create import rekey, stored_contact
from dkreg.actions.poll.queue import enqueue_text, pan_data
from dkreg.actions.poll.snapshots import contact_snapshot
from dkreg.mail.language import contact_language
from dkreg.mail.links import public_link
from dkreg.mail.outbox import queue_mail
from dkreg.model.secret_tokens import new_token, token_hash
from dkreg.store.audit import AuditEvent, write
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, pending_requests

# the page the confirmation link opens (self-service, no login needed)
PATH = "/selfservice/email-change/"
CONFIRM_MAIL = "email_change_confirm"  # to the new address, with the link
NOTICE_MAIL = "email_change_notice"  # to the old address: a change was requested
DONE_MAIL = "email_change_done"  # to the old address: the change is complete
# the registry's bounce reasons are antispam | bad_checksum | config | failed | unknown;
# a relay's permanent refusal of the recipient is a failed delivery
BOUNCE_REASON = "failed"


@dataclass(frozen=True)
class Which:
    """The two addresses a contact has, and what differs between them."""

    kind: str  # the pending request kind
    column: str  # contacts column holding the address in use
    pending: str  # contacts column holding the address waiting for confirmation
    due: str  # its deadline column
    poll: str  # prefix of the poll_texts keys
    bounce: str  # poll_texts key of a bounce of this address


PRIMARY = Which("email_change", "email", "pending_email", "pending_email_due", "email",
                "email_bounce_primary")
SECONDARY = Which("secondary_email_change", "secondary_email", "pending_secondary_email",
                  "pending_secondary_email_due", "secondary_email", "email_bounce_secondary")
BY_KIND = {w.kind: w for w in (PRIMARY, SECONDARY)}


def _told(row: Any, which: Which) -> str:
    """The address that hears of a change: the one being replaced, or — a first
    secondary address replaces none — the primary one."""
    return str(getattr(row, which.column) or row.email)


def _mail_context(ctx: Ctx, row: Any, which: Which, address: str) -> dict[str, Any]:
    return {"handle": row.handle, "name": row.name or row.org or row.handle,
            "new_email": address, "secondary": which is SECONDARY,
            "hours": ctx.settings.nis2_email_change_hours,
            "registrar": ctx.actor.registrar_handle}


async def request_change(ctx: Ctx, row: Any, which: Which, address: str) -> int:
    """Let ``address`` wait for confirmation and mail it the link (and the old address
    the notice); returns the pending request's id. The same address sent again while it
    waits changes nothing."""
    waiting = await pending.open_requests(ctx, kind=which.kind, contact_id=row.id)
    for old in waiting:
        if old.due_at > ctx.now and old.target == address:
            return int(old.id)
        if old.due_at > ctx.now:
            await pending.decide(ctx, old.id, "rejected")
    due = ctx.now + timedelta(hours=ctx.settings.nis2_email_change_hours)
    await ctx.conn.execute(update(contacts).where(contacts.c.id == row.id).values(
        {which.pending: address, which.due: due}))
    token = new_token()
    lang = contact_language(row.cc)
    context = _mail_context(ctx, row, which, address)
    mail_id = await queue_mail(ctx, kind=CONFIRM_MAIL, to=address, lang=lang,
                               context=context,
                               links={"link": public_link(ctx.settings, PATH + token)})
    await queue_mail(ctx, kind=NOTICE_MAIL, to=_told(row, which), lang=lang, context=context)
    request_id = await pending.create(ctx, pending.NewRequest(
        kind=which.kind, registrar_id=row.sponsor_id, due_at=due, contact_id=row.id,
        target=address, data={"handle": row.handle}, token_hash=token_hash(token),
        mail_id=mail_id))
    if row.sponsor_id is not None:
        await enqueue_text(ctx, row.sponsor_id, f"{which.poll}_confirm_required",
                           await contact_snapshot(ctx, row.handle), handle=row.handle,
                           email=address, responsible=row.verification_responsible)
    return request_id


@dataclass(frozen=True)
class Link:
    """What a confirmation link stands for. ``state``: ``open`` (it can be confirmed),
    ``confirmed`` (by this very request), ``used`` (earlier; the address applies),
    ``closed`` (expired, replaced by a newer change, cancelled, bounced, or the contact
    is gone)."""

    state: str
    request_id: int
    handle: str
    email: str
    secondary: bool


async def find(ctx: Ctx, token: str | None) -> Link | None:
    """The e-mail change ``token`` confirms; None for a token that was never handed out."""
    if not token or len(token) > 128:
        return None
    r = (await ctx.conn.execute(
        select(pending_requests, contacts.c.handle, contacts.c.deleted_at,
               contacts.c.pending_email.label("c_pending"),
               contacts.c.pending_secondary_email.label("c_pending_secondary"))
        .join(contacts, contacts.c.id == pending_requests.c.contact_id)
        .where(pending_requests.c.token_hash == token_hash(token),
               pending_requests.c.kind.in_(list(BY_KIND))))).first()
    if r is None:
        return None
    which = BY_KIND[r.kind]
    waiting = r.c_pending if which is PRIMARY else r.c_pending_secondary
    if r.state == "accepted":
        state = "used"
    elif r.state == "pending" and r.due_at > ctx.now and r.deleted_at is None and \
            waiting == r.target:
        state = "open"
    else:
        state = "closed"
    return Link(state, int(r.id), r.handle, r.target, which is SECONDARY)


async def confirm(ctx: Ctx, token: str | None, client_ip: str | None = None) -> Link | None:
    """The new address followed its link and pressed the button: the change applies.
    Returns the link (state ``confirmed`` when this call confirmed it), or None for an
    unknown one; a link that is not ``open`` changes nothing. Either way the attempt is
    audited."""
    link = await find(ctx, token)
    if link is not None and link.state == "open":
        await pending.decide(ctx, link.request_id, "accepted")
        link = replace(link, state="confirmed")
        code = 1000
    else:
        code = 2304 if link is not None else 2303
    await write(ctx.conn, AuditEvent(
        at=ctx.now, door=ctx.door, command="email_change_confirm", result_code=code,
        actor="link", object=link.handle if link else None, client_ip=client_ip,
        request=json.dumps({"request": link.request_id, "state": link.state})
        if link else None))
    return link


async def on_bounce(ctx: Ctx, mail: Any, reason: str) -> None:
    """The outbox sender gave up on ``mail`` for good (the relay refused the recipient):
    if it was a change's confirmation mail and the change still waits, the old address
    is kept and the sponsor is told of the bounce (then, as for any unconfirmed change,
    that it was not confirmed)."""
    request = (await ctx.conn.execute(select(pending_requests).where(
        pending_requests.c.mail_id == mail.id, pending_requests.c.state == "pending"))).first()
    if request is None or request.kind not in BY_KIND:
        return
    which = BY_KIND[request.kind]
    row = (await ctx.conn.execute(select(contacts).where(
        contacts.c.id == request.contact_id))).first()
    if row is not None and row.sponsor_id is not None and row.deleted_at is None:
        await enqueue_text(ctx, row.sponsor_id, which.bounce,
                           await contact_snapshot(ctx, row.handle), handle=row.handle,
                           email=request.target, reason=BOUNCE_REASON)
    await write(ctx.conn, AuditEvent(
        at=ctx.now, door="mail", command="email_change_bounced", result_code=2400,
        actor="mail", object=row.handle if row is not None else None,
        request=json.dumps({"request": request.id, "mail": mail.id,
                            "reason": reason[:500]})))
    if ctx.now < request.due_at:  # else its time ran out: lifecycle's expiry settles it
        await pending.decide(ctx, request.id, "rejected")


async def on_decision(ctx: Ctx, request: Any, outcome: str) -> None:
    """accepted: the address applies (and the old one is told); rejected / expired: the
    old one is kept."""
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
    if outcome == "accepted" and row.deleted_at is None:
        await queue_mail(ctx, kind=DONE_MAIL, to=_told(row, which),
                         lang=contact_language(row.cc),
                         context=_mail_context(ctx, row, which, request.target))
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
        # the new address proved itself: that is the data check the registry waited for
        await contact_verification.complete(ctx, row.handle, "data")


# the mails whose bounce this module answers, for ``mail.sender.MailSender(bounces=...)``
BOUNCES = {CONFIRM_MAIL: on_bounce}

"""E-mail address verification by link (the NIS2 data check's e-mail part).

When a contact's check starts with the e-mail part pending, the registry mails the
contact a one-time link (kind ``email_verification``) in the same transaction. The link
opens a page that only *shows* a button: a GET never uses the token (mail scanners fetch
links), the page's POST does. No login and no password are asked. The token is stored as
its SHA-256, bound to the contact and the address it went to, single use, expiring
(``email_verification_hours``); a newer link replaces older unused ones. Confirming
completes the data check through ``contact_verification.complete``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update

from dkreg.actions.contact import verification as contact_verification
from dkreg.actions.contact.verification_checks import CheckOutcome, audit, record
from dkreg.mail.language import contact_language
from dkreg.mail.links import public_link
from dkreg.mail.outbox import queue_mail
from dkreg.model.secret_tokens import new_token, token_hash
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, email_verification_tokens

PATH = "/selfservice/verification/email/"
KIND = "email_verification"


async def send(ctx: Ctx, contact: Any) -> None:
    """Mail the contact a fresh link (older unused ones stop working)."""
    await ctx.conn.execute(delete(email_verification_tokens).where(
        email_verification_tokens.c.contact_id == contact.id,
        email_verification_tokens.c.used_at.is_(None)))
    token = new_token()
    hours = ctx.settings.email_verification_hours
    await ctx.conn.execute(insert(email_verification_tokens).values(
        contact_id=contact.id, email=contact.email, token_hash=token_hash(token),
        created_at=ctx.now, expires_at=ctx.now + timedelta(hours=hours)))
    await queue_mail(ctx, kind=KIND, to=contact.email, lang=contact_language(contact.cc),
                     links={"link": public_link(ctx.settings, PATH + token)},
                     context={"handle": contact.handle, "hours": hours,
                              "name": contact.name or contact.org or contact.handle})
    await audit(ctx, "email_verification_sent", ctx.actor.login, contact.handle)


@dataclass(frozen=True)
class Pending:
    token_id: int
    contact_id: int
    handle: str
    email: str


async def find(ctx: Ctx, token: str | None) -> Pending | None:
    """The unused, unexpired link ``token`` is, if its contact still has that address."""
    if not token or len(token) > 128:
        return None
    row = (await ctx.conn.execute(
        select(email_verification_tokens.c.id, email_verification_tokens.c.contact_id,
               email_verification_tokens.c.email, contacts.c.handle)
        .join(contacts, contacts.c.id == email_verification_tokens.c.contact_id)
        .where(email_verification_tokens.c.token_hash == token_hash(token),
               email_verification_tokens.c.used_at.is_(None),
               email_verification_tokens.c.expires_at > ctx.now,
               contacts.c.deleted_at.is_(None),
               contacts.c.email == email_verification_tokens.c.email))).first()
    return None if row is None else Pending(row.id, row.contact_id, row.handle, row.email)


async def confirm(ctx: Ctx, token: str | None, client_ip: str | None = None) -> str | None:
    """Use the link: the e-mail part of the check is complete. Returns the handle, or
    None when the link is unknown, used, expired or the address changed meanwhile."""
    found = await find(ctx, token)
    if found is None:
        await audit(ctx, "email_verification_refused", "link", None, 2200,
                    client_ip=client_ip)
        return None
    done = await ctx.conn.execute(update(email_verification_tokens).where(
        email_verification_tokens.c.id == found.token_id,
        email_verification_tokens.c.used_at.is_(None)).values(used_at=ctx.now))
    if done.rowcount != 1:
        return None
    contact = await contact_verification.load(ctx, found.handle)
    await record(ctx, contact, CheckOutcome("email", "matched"), found.email, client_ip,
                 what="data")
    return found.handle

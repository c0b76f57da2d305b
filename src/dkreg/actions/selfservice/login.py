"""Self-service login: a handle's password (by handle, or by e-mail for every contact with
that address whose password matches), or a login link mailed to an address.

Enumeration safety: an unknown address or handle gets the same outcome, the same page
and comparable work as a known one — the link request issues and stores a token either
way (one for an address without contacts opens nothing and is never sent) and only the
mail is skipped; a password login verifies against a dummy hash when there is nothing to
verify. Link requests and failed logins are throttled per submitted address/handle and
per client address; a password login reserves its attempt before the password is
checked (``actions.throttle``), so parallel guesses cannot all pass one count. Every
request, use and failed use is audited (door "selfservice").

The link's token is ``secrets.token_urlsafe(32)`` (256 bits from the OS's CSPRNG), stored
only as its SHA-256, bound to one address, single use, short-lived; a newer link for the
same address invalidates older unused ones. Opening it (GET) only shows a confirmation
page; the POST from that page uses it, so a mail scanner's fetch does not.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, delete, func, insert, select, update

from dkreg.actions.selfservice.session import (
    Registrant,
    selfservice_audit,
    start_session,
)
from dkreg.actions.session.throttle import Reservation, release, reserve_event
from dkreg.errors import err
from dkreg.mail.links import public_link
from dkreg.mail.outbox import queue_mail
from dkreg.model.passwords import check_password_rule, hash_password
from dkreg.model.secret_tokens import new_token, token_hash
from dkreg.store.context import Ctx
from dkreg.store.schema import (
    contacts,
    selfservice_credentials,
    selfservice_links,
)

LINK_PATH = "/selfservice/link/"


def normalise(login: str) -> str:
    """Handles and addresses compare case-insensitively, without outer spaces."""
    return login.strip().lower()[:254]


@dataclass(frozen=True)
class LoginOutcome:
    token: str | None = None  # the session cookie value
    refused: str | None = None  # "failed" | "throttled"


async def _reserve(ctx: Ctx, kind: str, key: str, client_ip: str, per_key: int,
                   per_ip: int) -> Reservation | None:
    """Reserve one ``kind`` event for ``key`` and the client address, unless either
    reached its limit within the window (``actions.throttle``: counted and noted under a
    lock, so parallel requests each see the others'); a refusal is audited."""
    held = await reserve_event(ctx, kind, key, client_ip, per_key, per_ip,
                               ctx.settings.selfservice_window)
    if held is None:
        await selfservice_audit(ctx, f"selfservice_{kind}_throttled", key, key,
                                result_code=2502, client_ip=client_ip)
    return held


def _by_email(email: str) -> tuple[ColumnElement[bool], ...]:
    """Contacts by address, case-insensitively (served by ix_contacts_email_lower)."""
    return (func.lower(contacts.c.email) == email, contacts.c.deleted_at.is_(None))


# -- login links ------------------------------------------------------------------------

async def request_login_link(ctx: Ctx, email: str, lang: str, client_ip: str) -> bool:
    """Issue a link for ``email`` and mail it when the address belongs to a contact. The
    caller answers the same for every address; False only when throttled."""
    email = normalise(email)
    s = ctx.settings
    if await _reserve(ctx, "link", email, client_ip, s.selfservice_link_max_per_email,
                      s.selfservice_link_max_per_ip) is None:
        return False
    await ctx.conn.execute(delete(selfservice_links).where(
        selfservice_links.c.email == email, selfservice_links.c.used_at.is_(None)))
    token = new_token()
    await ctx.conn.execute(insert(selfservice_links).values(
        token_hash=token_hash(token), email=email, created_at=ctx.now,
        expires_at=ctx.now + timedelta(minutes=s.selfservice_link_minutes)))
    handles = (await ctx.conn.execute(select(contacts.c.handle).where(*_by_email(email))
                                      .order_by(contacts.c.handle))).scalars().all()
    if handles:
        await queue_mail(ctx, kind="selfservice_login_link", to=email, lang=lang,
                         links={"link": public_link(s, LINK_PATH + token)}, context={
            "email": email,
            "handles": ", ".join(handles), "minutes": s.selfservice_link_minutes})
    await selfservice_audit(ctx, "selfservice_link_requested", email, email,
                            client_ip=client_ip,
                            request="mailed" if handles else "no contact")
    return True


async def _live_link(ctx: Ctx, token: str | None) -> Row[Any] | None:
    if not token or len(token) > 128:
        return None
    return (await ctx.conn.execute(select(selfservice_links).where(
        selfservice_links.c.token_hash == token_hash(token),
        selfservice_links.c.used_at.is_(None),
        selfservice_links.c.expires_at > ctx.now))).first()


async def _link_failed(ctx: Ctx, client_ip: str, why: str) -> None:
    await selfservice_audit(ctx, "selfservice_link_failed", "anonymous", result_code=2303,
                            client_ip=client_ip, request=why)


async def check_login_link(ctx: Ctx, token: str, client_ip: str) -> str | None:
    """The address a usable link is for, without using it; an unusable one is audited."""
    row = await _live_link(ctx, token)
    if row is None:
        await _link_failed(ctx, client_ip, "opened: unknown, used or expired")
        return None
    return row.email


async def use_login_link(ctx: Ctx, token: str, client_ip: str) -> LoginOutcome:
    """The confirmation POST: spend the link and log in as every non-deleted contact with
    its address. Refused (and audited) when unknown, used, expired or without contacts."""
    row = await _live_link(ctx, token)
    if row is None:
        await _link_failed(ctx, client_ip, "used: unknown, used or expired")
        return LoginOutcome(refused="failed")
    spent = await ctx.conn.execute(update(selfservice_links).where(
        selfservice_links.c.id == row.id, selfservice_links.c.used_at.is_(None))
        .values(used_at=ctx.now))
    ids = (await ctx.conn.execute(select(contacts.c.id).where(*_by_email(row.email))
                                  )).scalars().all()
    if spent.rowcount != 1 or not ids:
        await _link_failed(ctx, client_ip, "used: raced or no contact")
        return LoginOutcome(refused="failed")
    token = await start_session(ctx, list(ids), row.email, client_ip)
    await selfservice_audit(ctx, "selfservice_login", row.email, row.email,
                            client_ip=client_ip, request="via=link")
    return LoginOutcome(token=token)


# -- passwords --------------------------------------------------------------------------

async def password_login_reserve(ctx: Ctx, login: str, client_ip: str) -> Reservation | None:
    """The first step of a password login, in a short transaction of its own committed
    before the password is checked: the attempt counts as a failure from now on (so
    parallel guesses see it) until a success gives it back. None: throttled (audited)."""
    s = ctx.settings
    return await _reserve(ctx, "login", normalise(login), client_ip,
                          s.selfservice_login_max_failures_account,
                          s.selfservice_login_max_failures_ip)


async def password_login(ctx: Ctx, login: str, password: str, client_ip: str,
                         attempt: Reservation) -> LoginOutcome:
    """Log in by handle (that contact) or by e-mail (every contact with that address
    whose own password matches), for an ``attempt`` reserved by
    ``password_login_reserve``. Unknown, deleted, without a password, or wrong: the same
    failure, throttled per submitted login and per client address."""
    key = normalise(login)
    # handles are registry-assigned in capitals: compared as such, the unique index serves
    where = (_by_email(key) if "@" in key else
             (contacts.c.handle == key.upper(), contacts.c.deleted_at.is_(None)))
    rows = (await ctx.conn.execute(
        select(contacts.c.id, selfservice_credentials.c.password_hash)
        .join(selfservice_credentials, selfservice_credentials.c.contact_id == contacts.c.id)
        .where(*where))).all()
    # an unknown login is checked against a dummy hash (None), costing what a known one does
    stored = [r.password_hash for r in rows] or [None]
    ok = await ctx.passwords.matches_each(stored, password)
    matched = [r.id for r, good in zip(rows, ok, strict=False) if good]
    if not matched:  # the attempt's reservation stays: it is the failure's row
        await selfservice_audit(ctx, "selfservice_login_failed", key, key, result_code=2200,
                                client_ip=client_ip)
        return LoginOutcome(refused="failed")
    await release(ctx, attempt)
    token = await start_session(ctx, matched, None, client_ip)
    await selfservice_audit(ctx, "selfservice_login", key, key, client_ip=client_ip,
                            request="via=password")
    return LoginOutcome(token=token)


async def set_password(ctx: Ctx, registrant: Registrant, contact_id: int, password: str,
                       client_ip: str) -> str:
    """Set the self-service password of one contact the person holds (the registry's
    password rule); returns its handle."""
    if not registrant.holds_id(contact_id):
        raise err(2201, "unauthorized", field="handle")
    check_password_rule(password, field="password")
    handle = (await ctx.conn.execute(select(contacts.c.handle).where(
        contacts.c.id == contact_id))).scalar_one()
    new_hash = await asyncio.to_thread(hash_password, password)
    changed = await ctx.conn.execute(update(selfservice_credentials).where(
        selfservice_credentials.c.contact_id == contact_id)
        .values(password_hash=new_hash, changed_at=ctx.now))
    if changed.rowcount == 0:
        await ctx.conn.execute(insert(selfservice_credentials).values(
            contact_id=contact_id, password_hash=new_hash, changed_at=ctx.now))
    await selfservice_audit(ctx, "selfservice_password_set", registrant.name(), handle,
                            client_ip=client_ip)
    return handle

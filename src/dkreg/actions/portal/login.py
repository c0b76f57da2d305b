"""Portal login (password, then a TOTP code when the user has one), sessions, logout, and
the one-time links that set a password (invitation and reset).

A failed login is an outcome, not an exception: the failure row that throttles the
next guess and its audit event must commit. Unknown e-mail, wrong password, a disabled
or a still-invited user give the same outcome and cost the same hash, so the answer does
not tell which e-mail addresses have accounts. Throttling counts per *submitted* e-mail
(whether or not it exists) and per client address; a wrong TOTP code counts as a failed
login. A password login reserves its attempt (``portal_login_reserve``) in a transaction
of its own before the password is checked, so parallel guesses cannot all pass one count;
a success gives the reservation back. A password-reset request is answered the same way
for every address and throttled the same way.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.tokens import TokenHolder, find_token, issue_token, use_token
from dkreg.actions.session.throttle import Limit, Reservation, release, reserve
from dkreg.actions.session.web_sessions import live_session
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.mail.links import public_link
from dkreg.mail.outbox import queue_mail
from dkreg.model import totp
from dkreg.model.passwords import check_password_rule, hash_password
from dkreg.model.secret_tokens import new_token, token_hash
from dkreg.store.audit import AuditEvent, write
from dkreg.store.context import Ctx
from dkreg.store.schema import (
    portal_login_failures,
    portal_reset_requests,
    portal_sessions,
    portal_users,
    registrars,
)

# A password-checked login waits this long for its TOTP code.
CODE_STEP_MINUTES = 5
LINK_PURPOSES = ("invite", "reset")


def normalise_email(email: str) -> str:
    """E-mail is the login name: compared case-insensitively, without outer spaces."""
    return email.strip().lower()


@dataclass(frozen=True)
class LoginOutcome:
    """``token`` is the session cookie value (only the browser keeps it); ``pending`` the
    value of the cookie that carries a password-checked login to its TOTP code page."""

    user: PortalUser | None = None
    token: str | None = None
    pending: str | None = None
    refused: str | None = None  # "failed" | "throttled" | "expired"


@dataclass(frozen=True)
class Session:
    user: PortalUser
    csrf_token: str


async def portal_audit(ctx: Ctx, command: str, actor: str, registrar_id: int | None,
                       client_ip: str | None, obj: str | None = None,
                       result_code: int = 1000, request: str | None = None) -> None:
    """An audit event of the portal door, written in the caller's transaction."""
    await write(ctx.conn, AuditEvent(
        at=ctx.now, door="portal", command=command, result_code=result_code,
        registrar_id=registrar_id, actor=actor[:255], object=obj, client_ip=client_ip,
        request=request))


async def _reserve(ctx: Ctx, table: Table, command: str, email: str, client_ip: str,
                   per_email: int, per_ip: int) -> Reservation | None:
    """Reserve one row of ``table`` (e-mail, address, time) for this attempt, unless the
    e-mail or the address already has too many within the window (``actions.throttle``:
    counted and noted under a lock, so parallel requests each see the others'); a refusal
    is audited as ``command``."""
    held = await reserve(
        ctx, table.name, table,
        [Limit(table.c.email, email, per_email), Limit(table.c.client_ip, client_ip[:64], per_ip)],
        [{"email": email, "client_ip": client_ip[:64], "at": ctx.now}],
        ctx.settings.portal_login_window)
    if held is None:
        await portal_audit(ctx, command, email, None, client_ip, result_code=2502)
    return held


async def portal_login_reserve(ctx: Ctx, email: str, client_ip: str) -> Reservation | None:
    """The first step of a password login, in a short transaction of its own committed
    before the password is checked: the attempt counts as a failure from now on (so
    parallel guesses see it) until a success gives it back. None: throttled (audited)."""
    s = ctx.settings
    return await _reserve(ctx, portal_login_failures, "portal_login_throttled",
                          normalise_email(email)[:254], client_ip,
                          s.portal_login_max_failures_account, s.portal_login_max_failures_ip)


async def _login_failed(ctx: Ctx, command: str, email: str, registrar_id: int | None,
                        client_ip: str) -> LoginOutcome:
    """The failure's row is the attempt's reservation, already noted."""
    await portal_audit(ctx, command, email, registrar_id, client_ip, result_code=2200)
    return LoginOutcome(refused="failed")


def _user_query() -> Select[Any]:
    return (select(portal_users.c.id, portal_users.c.email, portal_users.c.password_hash,
                   portal_users.c.disabled, portal_users.c.invited,
                   portal_users.c.privilege_group, portal_users.c.totp_secret,
                   portal_users.c.totp_enabled_at, portal_users.c.totp_last_step,
                   registrars.c.id.label("rid"), registrars.c.handle)
            .join(registrars, registrars.c.id == portal_users.c.registrar_id))


async def _start_session(ctx: Ctx, row: Any, client_ip: str) -> LoginOutcome:
    token = new_token()
    await ctx.conn.execute(insert(portal_sessions).values(
        id_hash=token_hash(token), portal_user_id=row.id,
        csrf_token=new_token(), created_at=ctx.now, last_seen_at=ctx.now,
        client_ip=client_ip[:64]))
    user = PortalUser(id=row.id, email=row.email, group=row.privilege_group,
                      registrar_id=row.rid, registrar_handle=row.handle)
    await portal_audit(ctx, "portal_login", row.email, row.rid, client_ip)
    return LoginOutcome(user=user, token=token)


async def portal_login(ctx: Ctx, email: str, password: str, client_ip: str,
                       attempt: Reservation) -> LoginOutcome:
    """The password step, for an ``attempt`` reserved by ``portal_login_reserve``. With
    TOTP on, the outcome is ``pending`` (no session yet)."""
    email = normalise_email(email)[:254]
    # the address's active user; its invitations (at most one per registrar) never log in
    row = (await ctx.conn.execute(_user_query().where(
        portal_users.c.email == email, portal_users.c.invited.is_(False)))).first()
    ok = await ctx.passwords.matches(row.password_hash if row is not None else None, password)
    if row is None or row.disabled or not ok:
        return await _login_failed(ctx, "portal_login_failed", email,
                                   row.rid if row is not None else None, client_ip)
    await release(ctx, attempt)
    if row.totp_enabled_at is not None:
        pending = await issue_token(ctx, row.id, "login", timedelta(minutes=CODE_STEP_MINUTES))
        await portal_audit(ctx, "portal_login_password_ok", email, row.rid, client_ip)
        return LoginOutcome(pending=pending)
    return await _start_session(ctx, row, client_ip)


async def portal_login_code(ctx: Ctx, pending: str | None, code: str,
                            client_ip: str) -> LoginOutcome:
    """The TOTP step: the session exists only once a fresh code matches. A code's time
    step is stored, so the same code (or an older one) does not work twice."""
    holder = await find_token(ctx, pending, "login")
    if holder is None:
        return LoginOutcome(refused="expired")
    held = await portal_login_reserve(ctx, holder.email, client_ip)
    if held is None:
        return LoginOutcome(refused="throttled")
    row = (await ctx.conn.execute(ctx.for_update(
        _user_query().where(portal_users.c.id == holder.user_id)))).one()
    step = (totp.verify(row.totp_secret, code, ctx.now, row.totp_last_step)
            if row.totp_secret and row.totp_enabled_at is not None else None)
    if step is None:
        return await _login_failed(ctx, "portal_login_code_failed", holder.email, row.rid,
                                   client_ip)
    await release(ctx, held)  # the code was right: not a failure
    if not await use_token(ctx, holder):
        return LoginOutcome(refused="expired")
    await ctx.conn.execute(update(portal_users).where(portal_users.c.id == row.id)
                           .values(totp_last_step=step))
    return await _start_session(ctx, row, client_ip)


async def portal_session(ctx: Ctx, token: str | None) -> Session | None:
    """The live session for a cookie value, touched; None when unknown or idle too long.
    The user's group is read here on every request, so a change applies at once."""
    if not token:
        return None
    key = token_hash(token)
    row = await live_session(ctx, portal_sessions, key, (
        select(portal_sessions.c.csrf_token, portal_sessions.c.last_seen_at,
               portal_users.c.id, portal_users.c.email, portal_users.c.privilege_group,
               portal_users.c.disabled, registrars.c.id.label("rid"), registrars.c.handle)
        .join(portal_users, portal_users.c.id == portal_sessions.c.portal_user_id)
        .join(registrars, registrars.c.id == portal_users.c.registrar_id)
        .where(portal_sessions.c.id_hash == key)), ctx.settings.portal_session_idle)
    if row is None:
        return None
    user = PortalUser(id=row.id, email=row.email, group=row.privilege_group,
                      registrar_id=row.rid, registrar_handle=row.handle)
    return Session(user=user, csrf_token=row.csrf_token)


async def end_sessions(ctx: Ctx, user_id: int) -> None:
    """Log the user out everywhere (disabled, password reset)."""
    await ctx.conn.execute(delete(portal_sessions)
                           .where(portal_sessions.c.portal_user_id == user_id))


async def portal_logout(ctx: Ctx, token: str, user: PortalUser, client_ip: str | None) -> None:
    await ctx.conn.execute(delete(portal_sessions)
                           .where(portal_sessions.c.id_hash == token_hash(token)))
    await portal_audit(ctx, "portal_logout", user.email, user.registrar_id, client_ip)


# -- one-time links: invitation and password reset -------------------------------------

async def queue_link_mail(ctx: Ctx, kind: str, to: str, lang: str, path: str,
                          registrar_id: int, **context: Any) -> None:
    """Queue a mail whose ``link`` opens ``path`` on the public site (same transaction)."""
    await queue_mail(ctx, kind=kind, to=to, lang=lang, registrar_id=registrar_id,
                     context=context, links={"link": public_link(ctx.settings, path)})


async def portal_reset_request(ctx: Ctx, email: str, lang: str, client_ip: str) -> bool:
    """Mail a reset link if ``email`` is an active user. The caller answers the same for
    every address; False only when the e-mail or the address asked too often."""
    email = normalise_email(email)[:254]
    s = ctx.settings
    if await _reserve(ctx, portal_reset_requests, "portal_password_reset_throttled", email,
                      client_ip, s.portal_reset_max_per_email, s.portal_reset_max_per_ip
                      ) is None:
        return False
    row = (await ctx.conn.execute(_user_query().where(
        portal_users.c.email == email, portal_users.c.disabled.is_(False),
        portal_users.c.invited.is_(False)))).first()
    if row is not None:
        token = await issue_token(ctx, row.id, "reset",
                                  timedelta(minutes=s.portal_reset_minutes))
        await queue_link_mail(ctx, "portal_password_reset", email, lang,
                              "/portal/reset/" + token, row.rid, email=email,
                              registrar=row.handle, minutes=s.portal_reset_minutes)
    await portal_audit(ctx, "portal_password_reset_requested", email,
                       row.rid if row is not None else None, client_ip, obj=email,
                       request="mailed" if row is not None else "no active user")
    return True


async def is_active_user(ctx: Ctx, email: str) -> bool:
    """Whether ``email`` is the login of an active (not only invited) user, of any
    registrar: then no invitation to it can be used any more."""
    return (await ctx.conn.execute(select(portal_users.c.id).where(
        portal_users.c.email == email, portal_users.c.invited.is_(False)))).first() is not None


def _address_taken(email: str) -> EppError:
    return err(2302, "object_exists", field="email",
               detail=Detail("already_active_portal_user", email=email))


async def portal_link_check(ctx: Ctx, token: str, purpose: str,
                            client_ip: str) -> TokenHolder | None:
    """Whom a link is for, without using it; an unusable link is audited."""
    holder = await find_token(ctx, token, purpose)
    if holder is None:
        await portal_audit(ctx, "portal_link_invalid", "anonymous", None, client_ip,
                           result_code=2303, request=f"purpose={purpose}")
    return holder


async def portal_link_set_password(ctx: Ctx, token: str, purpose: str, password: str,
                                   client_ip: str) -> TokenHolder | None:
    """Use the link: set the password (the registry's rule), activate an invited user,
    end every session the user had. None when the link is not valid (nothing changed).
    A password against the rule raises before the link is used, so it can be retried.
    An invitation to an address that meanwhile is an active user (of any registrar: the
    first invitation used wins) raises ``object_exists`` on ``email``, and nothing is
    written: the caller's transaction rolls back."""
    if purpose not in LINK_PURPOSES:
        raise ValueError(f"not a link purpose: {purpose!r}")
    holder = await portal_link_check(ctx, token, purpose, client_ip)
    if holder is None:
        return None
    if purpose == "invite" and await is_active_user(ctx, holder.email):
        raise _address_taken(holder.email)
    check_password_rule(password, field="password")
    if not await use_token(ctx, holder):
        await portal_audit(ctx, "portal_link_invalid", "anonymous", None, client_ip,
                           result_code=2303, request=f"purpose={purpose}")
        return None
    new_hash = await asyncio.to_thread(hash_password, password)
    try:
        await ctx.conn.execute(update(portal_users).where(portal_users.c.id == holder.user_id)
                               .values(password_hash=new_hash, password_changed_at=ctx.now,
                                       invited=False))
    except IntegrityError:
        # another invitation to the address was used at the same moment and committed
        # first; the partial unique index over active users is the final guard
        raise _address_taken(holder.email) from None
    await end_sessions(ctx, holder.user_id)
    await portal_audit(ctx, "portal_password_set", holder.email, holder.registrar_id,
                       client_ip, obj=holder.email, request=f"via={purpose}")
    return holder

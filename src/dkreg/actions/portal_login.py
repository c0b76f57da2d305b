"""Portal login, sessions and logout.

A failed login is an outcome, not an exception: the failure row that throttles the
next guess and its audit event must commit. Unknown e-mail, wrong password and a
disabled user give the same outcome and cost the same hash, so the answer does not
tell which e-mail addresses have accounts. Throttling counts per *submitted* e-mail
(whether or not it exists) and per client address.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, insert, select, update

from dkreg.actions.audit import AuditEvent, write
from dkreg.actions.context import Ctx
from dkreg.actions.portal_access import PortalUser
from dkreg.actions.portal_users import normalise_email
from dkreg.model.passwords import hash_password, verify_password
from dkreg.store.schema import portal_login_failures, portal_sessions, portal_users, registrars

_DUMMY_HASH = hash_password("dummy-Password-1")


@dataclass(frozen=True)
class LoginOutcome:
    """``token`` is the session cookie value (only the browser keeps it)."""

    user: PortalUser | None = None
    token: str | None = None
    refused: str | None = None  # "failed" | "throttled"


@dataclass(frozen=True)
class Session:
    user: PortalUser
    csrf_token: str


def session_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def portal_audit(ctx: Ctx, command: str, actor: str, registrar_id: int | None,
                       client_ip: str | None, obj: str | None = None,
                       result_code: int = 1000, request: str | None = None) -> None:
    """An audit event of the portal door, written in the caller's transaction."""
    await write(ctx.conn, AuditEvent(
        at=ctx.now, door="portal", command=command, result_code=result_code,
        registrar_id=registrar_id, actor=actor[:255], object=obj, client_ip=client_ip,
        request=request))


async def _failures_since(ctx: Ctx, column, value: str) -> int:  # type: ignore[no-untyped-def]
    since = ctx.now - timedelta(seconds=ctx.settings.portal_login_window)
    return (await ctx.conn.execute(
        select(func.count()).select_from(portal_login_failures)
        .where(column == value, portal_login_failures.c.at >= since))).scalar_one()


async def portal_login(ctx: Ctx, email: str, password: str, client_ip: str) -> LoginOutcome:
    email = normalise_email(email)[:254]
    s = ctx.settings
    if (await _failures_since(ctx, portal_login_failures.c.email, email)
            >= s.portal_login_max_failures_account
            or await _failures_since(ctx, portal_login_failures.c.client_ip, client_ip)
            >= s.portal_login_max_failures_ip):
        await portal_audit(ctx, "portal_login_throttled", email, None, client_ip,
                           result_code=2502)
        return LoginOutcome(refused="throttled")
    row = (await ctx.conn.execute(
        select(portal_users.c.id, portal_users.c.password_hash, portal_users.c.disabled,
               portal_users.c.privilege_group, registrars.c.id.label("rid"),
               registrars.c.handle)
        .join(registrars, registrars.c.id == portal_users.c.registrar_id)
        .where(portal_users.c.email == email))).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    ok = await asyncio.to_thread(verify_password, stored, password)
    if row is None or row.disabled or not ok:
        cutoff = ctx.now - timedelta(seconds=s.portal_login_window)
        await ctx.conn.execute(delete(portal_login_failures)
                               .where(portal_login_failures.c.at < cutoff))
        await ctx.conn.execute(insert(portal_login_failures).values(
            email=email, client_ip=client_ip[:64], at=ctx.now))
        await portal_audit(ctx, "portal_login_failed", email,
                           row.rid if row is not None else None, client_ip, result_code=2200)
        return LoginOutcome(refused="failed")
    token = secrets.token_urlsafe(32)
    await ctx.conn.execute(insert(portal_sessions).values(
        id_hash=session_hash(token), portal_user_id=row.id,
        csrf_token=secrets.token_urlsafe(32), created_at=ctx.now, last_seen_at=ctx.now,
        client_ip=client_ip[:64]))
    user = PortalUser(id=row.id, email=email, group=row.privilege_group,
                      registrar_id=row.rid, registrar_handle=row.handle)
    await portal_audit(ctx, "portal_login", email, row.rid, client_ip)
    return LoginOutcome(user=user, token=token)


async def portal_session(ctx: Ctx, token: str | None) -> Session | None:
    """The live session for a cookie value, touched; None when unknown or idle too long."""
    if not token:
        return None
    key = session_hash(token)
    row = (await ctx.conn.execute(
        select(portal_sessions.c.csrf_token, portal_sessions.c.last_seen_at,
               portal_users.c.id, portal_users.c.email, portal_users.c.privilege_group,
               portal_users.c.disabled, registrars.c.id.label("rid"), registrars.c.handle)
        .join(portal_users, portal_users.c.id == portal_sessions.c.portal_user_id)
        .join(registrars, registrars.c.id == portal_users.c.registrar_id)
        .where(portal_sessions.c.id_hash == key))).first()
    if row is None:
        return None
    idle = timedelta(seconds=ctx.settings.portal_session_idle)
    if row.disabled or ctx.now - row.last_seen_at > idle:
        await ctx.conn.execute(delete(portal_sessions).where(portal_sessions.c.id_hash == key))
        return None
    await ctx.conn.execute(update(portal_sessions).where(portal_sessions.c.id_hash == key)
                           .values(last_seen_at=ctx.now))
    user = PortalUser(id=row.id, email=row.email, group=row.privilege_group,
                      registrar_id=row.rid, registrar_handle=row.handle)
    return Session(user=user, csrf_token=row.csrf_token)


async def portal_logout(ctx: Ctx, token: str, user: PortalUser, client_ip: str | None) -> None:
    await ctx.conn.execute(delete(portal_sessions)
                           .where(portal_sessions.c.id_hash == session_hash(token)))
    await portal_audit(ctx, "portal_logout", user.email, user.registrar_id, client_ip)

"""Registry staff: the people who review identity documents (``/staff``).

Minimal on purpose: staff users by e-mail with an argon2id password (created with
``dkreg staff-user create``), a session whose cookie value is kept only as SHA-256 and a
CSRF token bound to it. A failed login costs the same hash whether or not the e-mail
exists, gets the same answer, and is audited (door "staff") like every decision. Failed
logins are throttled like the portal's (its ``portal_login_*`` limits and window), per
submitted e-mail — whether or not it exists — and per client address, counted in the
shared throttle table (``actions.throttle``); the attempt is reserved before the password
is checked, so parallel guesses cannot all pass one count.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from dkreg.actions.contact.verification_checks import audit
from dkreg.actions.session.throttle import Reservation, release, reserve_event
from dkreg.actions.session.web_sessions import live_session
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.passwords import check_password_rule, hash_password
from dkreg.model.secret_tokens import new_token, token_hash
from dkreg.store.context import Ctx
from dkreg.store.schema import staff_sessions, staff_users

THROTTLE_KIND = "staff_login"


@dataclass(frozen=True)
class Staff:
    id: int
    email: str
    csrf_token: str


@dataclass(frozen=True)
class LoginOutcome:
    token: str | None = None  # the session cookie value
    refused: str | None = None  # "failed" (unknown, disabled or wrong) | "throttled"




async def create(ctx: Ctx, email: str, password: str) -> int:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise err(2005, "invalid_email", field="email",
                  detail=Detail("staff_email_given", email=email))
    check_password_rule(password, "password")
    exists = (await ctx.conn.execute(select(staff_users.c.id)
                                     .where(staff_users.c.email == email))).first()
    if exists is not None:
        raise err(2302, "staff_user_exists", field="email",
                  detail=Detail("staff_email_given", email=email))
    hashed = await asyncio.to_thread(hash_password, password)
    return int((await ctx.conn.execute(insert(staff_users).values(
        email=email, password_hash=hashed, created_at=ctx.now)
        .returning(staff_users.c.id))).scalar_one())


async def login_reserve(ctx: Ctx, email: str, client_ip: str) -> Reservation | None:
    """The first step of a login, in a short transaction of its own committed before
    the password is checked: the attempt counts as a failure from now on (so parallel
    guesses see it) until a success gives it back. None: throttled (audited)."""
    email = email.strip().lower()[:254]
    s = ctx.settings
    held = await reserve_event(ctx, THROTTLE_KIND, email, client_ip,
                               s.portal_login_max_failures_account,
                               s.portal_login_max_failures_ip, s.portal_login_window)
    if held is None:
        await audit(ctx, "staff_login_throttled", email, None, 2502, client_ip=client_ip)
    return held


async def login(ctx: Ctx, email: str, password: str, client_ip: str,
                attempt: Reservation) -> LoginOutcome:
    """A session token, or a refusal: "failed" the same for every failure. ``attempt``
    is the reservation of ``login_reserve`` (throttled there, before any hash)."""
    email = email.strip().lower()[:254]
    row = (await ctx.conn.execute(select(staff_users).where(
        staff_users.c.email == email))).first()
    ok = await ctx.passwords.matches(row.password_hash if row else None, password)
    if row is None or row.disabled or not ok:  # the reservation stays: the failure's row
        await audit(ctx, "staff_login_failed", email, None, 2200, client_ip=client_ip)
        return LoginOutcome(refused="failed")
    await release(ctx, attempt)
    token = new_token()
    await ctx.conn.execute(insert(staff_sessions).values(
        id_hash=token_hash(token), staff_user_id=row.id,
        csrf_token=new_token(),
        created_at=ctx.now, last_seen_at=ctx.now, client_ip=client_ip[:64]))
    await audit(ctx, "staff_login", email, None, client_ip=client_ip)
    return LoginOutcome(token=token)


async def session(ctx: Ctx, token: str | None) -> Staff | None:
    """The live session, touched; None when unknown, idle too long or disabled."""
    if not token or len(token) > 128:
        return None
    key = token_hash(token)
    row = await live_session(ctx, staff_sessions, key, (
        select(staff_sessions.c.csrf_token, staff_sessions.c.last_seen_at, staff_users.c.id,
               staff_users.c.email, staff_users.c.disabled)
        .join(staff_users, staff_users.c.id == staff_sessions.c.staff_user_id)
        .where(staff_sessions.c.id_hash == key)), ctx.settings.portal_session_idle)
    if row is None:
        return None
    return Staff(row.id, row.email, row.csrf_token)


async def logout(ctx: Ctx, token: str, who: Staff, client_ip: str) -> None:
    await ctx.conn.execute(delete(staff_sessions)
                           .where(staff_sessions.c.id_hash == token_hash(token)))
    await audit(ctx, "staff_logout", who.email, None, client_ip=client_ip)

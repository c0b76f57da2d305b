"""The EPP login throttle: growing delays, then a lockout, per login name and per address.

Without it a guesser could try passwords as fast as argon2 answers (201 in 3.8 s from one
address), and reconnecting undid the only brake (three errors close the session). So every
EPP login attempt is counted under two keys, the clID the client sent and the client's
address, in ``epp_login_throttle``, which every server process shares:

* the first ``epp_login_free_failures`` failures of a key are answered at once; each
  further attempt waits ``epp_login_delay`` seconds, doubling up to ``epp_login_delay_max``
  (the session waits asynchronously, with no transaction open and nothing else held);
* at ``epp_login_lockout_failures`` failures of a login (``…_address_lockout_failures`` of
  an address) the key is locked for ``epp_login_lockout_seconds``: every attempt is refused
  without checking the password at all (no argon2 work, the same "2200 Login failed" as a
  wrong password, so a right password cannot be told during the lockout either), and the
  registrar's administrators get one mail;
* a successful login resets its login's count; counts are forgotten after
  ``epp_login_failure_window`` seconds without an attempt, and a lockout ends by itself or
  when an administrator lifts it in the portal (Administration > EPP service users).

An attempt is counted *before* its password is checked, in one conditional
``INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING``: the row lock that statement takes
(PostgreSQL) or the write lock (SQLite) makes the count atomic, so N parallel attempts
cannot get more than the limit's worth of password checks. An attempt that turns out not
to be a guess (it succeeds, or fails before the password is looked at) gives its count
back.

Login names are counted whether or not such a service user exists, and a name that does
not exist is delayed and locked exactly like one that does: the throttle tells nobody which
logins exist. Only the portal and the administrators' mail, which belong to the registrar
whose user it is, say more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, null, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from dkreg.actions.audit import AuditEvent, write
from dkreg.actions.context import Ctx
from dkreg.actions.portal_access import PortalUser, require
from dkreg.actions.portal_login import portal_audit
from dkreg.errors import err
from dkreg.mail.outbox import queue_mail
from dkreg.store.schema import audit, portal_users, registrars, users
from dkreg.store.schema import epp_login_throttle as t

LOGIN, ADDRESS = "login", "address"


@dataclass(frozen=True)
class Admission:
    """Whether an attempt may check its password, and after how long a wait."""

    admitted: bool
    delay: float = 0.0
    refusal: str | None = None  # why it was refused, for the audit (never for the client)


@dataclass(frozen=True)
class Lockout:
    """A locked key, as the portal shows it."""

    kind: str
    key: str
    attempts: int
    locked_until: datetime


def _keys(ctx: Ctx, login: str, client_ip: str | None) -> list[tuple[str, str, int, int]]:
    """(kind, key, free failures, lockout limit) of an attempt."""
    s = ctx.settings
    keys = [(LOGIN, login[:64], s.epp_login_free_failures, s.epp_login_lockout_failures)]
    if client_ip:
        keys.append((ADDRESS, client_ip[:64], s.epp_login_address_free_failures,
                     s.epp_login_address_lockout_failures))
    return keys


def delay_after(settings: Any, failures: int, free: int) -> float:
    """The wait before an attempt that follows ``failures`` failures of its key, the first
    ``free`` of which cost nothing."""
    over = failures - free
    if over < 0:
        return 0.0
    return float(min(settings.epp_login_delay * 2 ** min(over, 30), settings.epp_login_delay_max))


async def admit(ctx: Ctx, login: str, client_ip: str | None) -> Admission:
    """Count an attempt of ``login`` from ``client_ip`` under both keys, or refuse it: a
    key locked, or already at its limit with attempts in flight. One statement per key."""
    window = timedelta(seconds=ctx.settings.epp_login_failure_window)
    dialect = sqlite if ctx.is_sqlite else postgresql
    delay = 0.0
    counted: list[tuple[str, str]] = []
    for kind, key, free, limit in _keys(ctx, login, client_ip):
        # a row whose count is forgotten: quiet for the window, or its lockout over
        stale = or_(t.c.last_at < ctx.now - window,
                    and_(t.c.locked_until.is_not(None), t.c.locked_until <= ctx.now))
        stmt = dialect.insert(t).values(kind=kind, key=key, attempts=1, last_at=ctx.now)
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.c.kind, t.c.key],
            set_={"attempts": case((stale, 1), else_=t.c.attempts + 1),
                  "locked_until": case((stale, null()), else_=t.c.locked_until),
                  "last_at": ctx.now},
            where=or_(stale, and_(t.c.locked_until.is_(None), t.c.attempts < limit)),
        ).returning(t.c.attempts)
        attempts = (await ctx.conn.execute(stmt)).scalar()
        if attempts is None:
            row = (await ctx.conn.execute(select(t.c.attempts, t.c.locked_until).where(
                t.c.kind == kind, t.c.key == key))).one()
            what = f"service user {key}" if kind == LOGIN else f"client address {key}"
            if row.locked_until is not None:
                why = (f"{what} is locked out until {row.locked_until:%Y-%m-%d %H:%M:%S} UTC "
                       f"after {row.attempts} failed logins; the password was not checked")
            else:
                why = (f"{what} has reached {limit} failed or unfinished logins; the "
                       "password was not checked")
            for earlier in counted:  # a refused attempt is counted under no key
                await _give_back(ctx, *earlier)
            return Admission(False, refusal=why)
        counted.append((kind, key))
        delay = max(delay, delay_after(ctx.settings, attempts - 1, free))
    return Admission(True, delay)


async def _registrar_of(ctx: Ctx, login: str) -> Any:
    return (await ctx.conn.execute(
        select(registrars.c.id, registrars.c.handle, registrars.c.name, registrars.c.email)
        .join(users, users.c.registrar_id == registrars.c.id)
        .where(users.c.login == login, users.c.service == "epp"))).first()


async def registrar_id_of(ctx: Ctx, login: str) -> int | None:
    """The registrar whose EPP service user ``login`` is (for the audit), or None."""
    registrar = await _registrar_of(ctx, login)
    return registrar.id if registrar is not None else None


async def failed(ctx: Ctx, login: str, client_ip: str | None) -> list[str]:
    """After a failed login (its attempt already counted by ``admit``): lock every key
    that has reached its limit and is not locked yet. The conditional UPDATE is true for
    one attempt only, so the lockout is audited and mailed once. Returns the kinds locked."""
    registrar = await _registrar_of(ctx, login)
    rid = registrar.id if registrar is not None else None
    until = ctx.now + timedelta(seconds=ctx.settings.epp_login_lockout_seconds)
    locked = []
    for kind, key, _free, limit in _keys(ctx, login, client_ip):
        row = (await ctx.conn.execute(
            update(t).where(t.c.kind == kind, t.c.key == key, t.c.attempts >= limit,
                            t.c.locked_until.is_(None))
            .values(locked_until=until, registrar_id=rid).returning(t.c.attempts))).first()
        if row is None:
            if rid is not None:  # the registrar whose user was tried last, for the portal
                await ctx.conn.execute(update(t).where(t.c.kind == kind, t.c.key == key)
                                       .values(registrar_id=rid))
            continue
        locked.append(kind)
        what = f"service user {key}" if kind == LOGIN else f"client address {key}"
        await write(ctx.conn, AuditEvent(
            at=ctx.now, door="epp", command="login_lockout", result_code=2200,
            registrar_id=rid, actor=login[:255], object=key, client_ip=client_ip,
            request=f"{what} locked out until {until:%Y-%m-%d %H:%M:%S} UTC after "
                    f"{row.attempts} failed logins"))
        if registrar is not None:
            await _mail_administrators(ctx, registrar, kind, key, login, client_ip,
                                       row.attempts, until)
    return locked


async def _mail_administrators(ctx: Ctx, registrar: Any, kind: str, key: str, login: str,
                               client_ip: str | None, attempts: int, until: datetime) -> None:
    admins = list((await ctx.conn.execute(
        select(portal_users.c.email).where(
            portal_users.c.registrar_id == registrar.id,
            portal_users.c.privilege_group == "administration",
            portal_users.c.disabled.is_(False), portal_users.c.invited.is_(False))
        .order_by(portal_users.c.email))).scalars())
    for to in admins or [registrar.email]:
        await queue_mail(ctx, kind="epp_login_lockout", to=to,
                         lang=ctx.settings.mail_default_lang, registrar_id=registrar.id,
                         context={"registrar": registrar.name, "handle": registrar.handle,
                                  "kind": kind, "key": key, "login": login,
                                  "client_ip": client_ip or "?", "attempts": attempts,
                                  "until": f"{until:%Y-%m-%d %H:%M} UTC"})


async def succeeded(ctx: Ctx, login: str, client_ip: str | None) -> None:
    """A successful login: its login's count starts again (and a lockout that other
    attempts, in flight alongside it, set meanwhile ends); the address gives back the one
    attempt (a registrar's own logins must not wear its address down)."""
    await ctx.conn.execute(update(t).where(t.c.kind == LOGIN, t.c.key == login[:64])
                           .values(attempts=0, locked_until=None))
    if client_ip:
        await _give_back(ctx, ADDRESS, client_ip[:64])


async def not_a_guess(ctx: Ctx, login: str, client_ip: str | None) -> None:
    """An attempt that ended before its password was looked at (a syntax error, a new
    password against the rule): both keys get their count back."""
    await _give_back(ctx, LOGIN, login[:64])
    if client_ip:
        await _give_back(ctx, ADDRESS, client_ip[:64])


async def _give_back(ctx: Ctx, kind: str, key: str) -> None:
    await ctx.conn.execute(update(t).where(t.c.kind == kind, t.c.key == key, t.c.attempts > 0,
                                           t.c.locked_until.is_(None))
                           .values(attempts=t.c.attempts - 1))


# -- the portal ---------------------------------------------------------------------------

async def lockouts(ctx: Ctx, user: PortalUser) -> list[Lockout]:
    """The registrar's current lockouts: its service users' logins, and the addresses
    last seen trying one of them."""
    require(user, "service_users")
    own_logins = select(users.c.login).where(users.c.registrar_id == user.registrar_id,
                                             users.c.service == "epp")
    rows = await ctx.conn.execute(
        select(t.c.kind, t.c.key, t.c.attempts, t.c.locked_until).where(
            t.c.locked_until > ctx.now,
            or_(and_(t.c.kind == LOGIN, t.c.key.in_(own_logins)),
                and_(t.c.kind == ADDRESS, t.c.registrar_id == user.registrar_id)))
        .order_by(t.c.kind, t.c.key))
    return [Lockout(r.kind, r.key, r.attempts, r.locked_until) for r in rows]


@dataclass(frozen=True)
class RefusedLogin:
    """An EPP login refused without its password being compared, with the reason the
    client was not told (audit rows ``login_address_refused``, ``login_throttled``,
    ``login_lockout``)."""

    at: datetime
    login: str | None
    client_ip: str | None
    reason: str | None


REFUSAL_COMMANDS = ("login_address_refused", "login_throttled", "login_lockout")


async def refused_logins(ctx: Ctx, user: PortalUser, limit: int = 20) -> list[RefusedLogin]:
    """The registrar's latest refused EPP logins, newest first."""
    require(user, "service_users")
    rows = await ctx.conn.execute(
        select(audit.c.at, audit.c.actor, audit.c.client_ip, audit.c.request)
        .where(audit.c.registrar_id == user.registrar_id, audit.c.door == "epp",
               audit.c.command.in_(REFUSAL_COMMANDS))
        .order_by(audit.c.at.desc(), audit.c.id.desc()).limit(limit))
    return [RefusedLogin(r.at, r.actor, r.client_ip, r.request) for r in rows]


async def lift(ctx: Ctx, user: PortalUser, kind: str, key: str,
               client_ip: str | None = None) -> str:
    """Lift a lockout the registrar can see (``lockouts``): the key starts from nothing."""
    require(user, "service_users")
    if kind == LOGIN:
        mine = (await ctx.conn.execute(select(users.c.id).where(
            users.c.login == key, users.c.registrar_id == user.registrar_id,
            users.c.service == "epp"))).scalar() is not None
    elif kind == ADDRESS:
        mine = (await ctx.conn.execute(select(t.c.key).where(
            t.c.kind == ADDRESS, t.c.key == key,
            t.c.registrar_id == user.registrar_id))).scalar() is not None
    else:
        mine = False
    if not mine:
        raise err(2303, "object_not_exist", field="key", detail=f"no lockout of {key}")
    await ctx.conn.execute(delete(t).where(t.c.kind == kind, t.c.key == key))
    await portal_audit(ctx, "epp_login_lockout_lift", user.email, user.registrar_id, client_ip,
                       obj=key, request=f"kind={kind}")
    return key


__all__ = [
    "ADDRESS",
    "LOGIN",
    "Admission",
    "Lockout",
    "RefusedLogin",
    "admit",
    "delay_after",
    "failed",
    "lift",
    "lockouts",
    "not_a_guess",
    "refused_logins",
    "registrar_id_of",
    "succeeded",
]

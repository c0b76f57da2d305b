"""The EPP login throttle: growing delays, then a lockout, per login name and per address.

Without it a guesser could try passwords as fast as argon2 answers (201 in 3.8 s from one
address), and reconnecting undid the only brake (three errors close the session). So every
EPP login attempt is counted under two keys, the clID the client sent and the client's
address, in ``epp_login_throttle``, which every server process shares. Each key has two
counters: ``failures``, the completed failed logins, and ``in_flight``, the attempts
admitted whose password check has not finished.

* the first ``epp_login_free_failures`` failures of a key are answered at once; each
  further attempt waits ``epp_login_delay`` seconds, doubling up to ``epp_login_delay_max``
  (the session waits asynchronously, with no transaction open and nothing else held). The
  delay is decided by ``failures`` alone: an attempt in flight is not a failure;
* at ``epp_login_lockout_failures`` failures of a login (``…_address_lockout_failures`` of
  an address) the key is locked for ``epp_login_lockout_seconds``: every attempt is refused
  without checking the password at all (no argon2 work, the same "2200 Login failed" as a
  wrong password, so a right password cannot be told during the lockout either), and the
  registrar's administrators get one mail;
* a successful login resets its login's failures; counts are forgotten after
  ``epp_login_failure_window`` seconds without an attempt, and a lockout ends by itself or
  when an administrator lifts it in the portal (Administration > EPP service users).

An attempt is admitted to its password check in one conditional ``INSERT … ON CONFLICT DO
UPDATE … WHERE … RETURNING`` per key, which adds it to ``in_flight`` only if the key is not
locked and ``failures + in_flight`` is below the limit: the row lock that statement takes
(PostgreSQL) or the write lock (SQLite) makes it atomic, so however many attempts run in
parallel, at most the limit's worth of passwords is ever checked before the lockout. An
attempt refused only because the others are still in flight (not locked, failures below
the limit) is not a guess yet: its session waits, with no transaction open, and asks again
every 50–100 ms for up to ``epp_login_queue_wait`` seconds before it answers the throttled
2200. So a registrar's connection pool opening 30 sessions of one service user at once is
served, merely queued behind argon2, while parallel guesses are still capped. When the
check is done, the attempt leaves ``in_flight``: a failure moves it to ``failures`` (and
locks the key at the limit), a success resets the login's failures, and an attempt that
ended before its password was looked at simply leaves.

``in_flight`` heals itself: a server process that dies mid-login never takes its attempts
out again, so ``in_flight_since`` notes when the key's current run of attempts in flight
began (the admission that found none), and a count whose run is older than
``IN_FLIGHT_BOUND`` seconds past ``epp_login_delay_max`` (far longer than any login takes)
is taken as 0 at the next admission. The price is bounded: only a key that had attempts in
flight without a break for that long can be admitted past its limit, and its failures
still lock it.

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

from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.login import portal_audit
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.mail.outbox import queue_mail
from dkreg.store.audit import AuditEvent, write
from dkreg.store.context import Ctx
from dkreg.store.schema import audit, portal_users, registrars, users
from dkreg.store.schema import epp_login_throttle as t

LOGIN, ADDRESS = "login", "address"

# seconds, on top of the longest delay, after which a run of attempts in flight is taken
# as left by a process that died mid-login
IN_FLIGHT_BOUND = 60.0


@dataclass(frozen=True)
class Admission:
    """Whether an attempt may check its password, and after how long a wait."""

    admitted: bool
    delay: float = 0.0
    refusal: str | None = None  # why it was refused, for the audit (never for the client)
    busy: bool = False  # refused only for the attempts in flight: ask again soon


@dataclass(frozen=True)
class Lockout:
    """A locked key, as the portal shows it."""

    kind: str
    key: str
    failures: int
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


def _in_flight(ctx: Ctx) -> Any:
    """The key's attempts in flight, 0 for a run older than the bound (see the module)."""
    bound = timedelta(seconds=ctx.settings.epp_login_delay_max + IN_FLIGHT_BOUND)
    return case((or_(t.c.in_flight_since.is_(None), t.c.in_flight_since < ctx.now - bound), 0),
                else_=t.c.in_flight)


async def admit(ctx: Ctx, login: str, client_ip: str | None) -> Admission:
    """Admit an attempt of ``login`` from ``client_ip`` to its password check under both
    keys, or refuse it: a key locked (or at its limit of failures), or — ``busy`` — at its
    limit only with the attempts in flight. One statement per key."""
    window = timedelta(seconds=ctx.settings.epp_login_failure_window)
    dialect = sqlite if ctx.is_sqlite else postgresql
    in_flight = _in_flight(ctx)
    # a row whose failures are forgotten: quiet for the window, or its lockout over
    stale = or_(t.c.last_at < ctx.now - window,
                and_(t.c.locked_until.is_not(None), t.c.locked_until <= ctx.now))
    failures = case((stale, 0), else_=t.c.failures)
    delay = 0.0
    counted: list[tuple[str, str]] = []
    for kind, key, free, limit in _keys(ctx, login, client_ip):
        stmt = dialect.insert(t).values(kind=kind, key=key, failures=0, in_flight=1,
                                        in_flight_since=ctx.now, last_at=ctx.now)
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.c.kind, t.c.key],
            set_={"failures": failures,
                  "locked_until": case((stale, null()), else_=t.c.locked_until),
                  "in_flight": in_flight + 1,
                  "in_flight_since": case((in_flight == 0, ctx.now),
                                          else_=t.c.in_flight_since),
                  "last_at": ctx.now},
            where=and_(or_(stale, t.c.locked_until.is_(None)), failures + in_flight < limit),
        ).returning(t.c.failures)
        done = (await ctx.conn.execute(stmt)).scalar()
        if done is None:
            row = (await ctx.conn.execute(select(
                failures.label("failures"), in_flight.label("in_flight"),
                case((stale, null()), else_=t.c.locked_until).label("locked_until"))
                .where(t.c.kind == kind, t.c.key == key))).one()
            for earlier in counted:  # a refused attempt is counted under no key
                await _leave(ctx, *earlier)
            what = f"service user {key}" if kind == LOGIN else f"client address {key}"
            if row.locked_until is not None:
                return Admission(False, refusal=(
                    f"{what} is locked out until {row.locked_until:%Y-%m-%d %H:%M:%S} UTC "
                    f"after {row.failures} failed logins; the password was not checked"))
            if row.failures >= limit:
                return Admission(False, refusal=(
                    f"{what} has reached {limit} failed logins; the password was not "
                    "checked"))
            return Admission(False, busy=True, refusal=(
                f"{what} had {row.in_flight} logins in flight after {row.failures} failed "
                f"ones (limit {limit}) for longer than the "
                f"{ctx.settings.epp_login_queue_wait:g} s an attempt waits for its turn; "
                "the password was not checked"))
        counted.append((kind, key))
        delay = max(delay, delay_after(ctx.settings, done, free))
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
    """After a failed login (admitted by ``admit``): each key's attempt leaves
    ``in_flight`` for ``failures``, and every key that has reached its limit and is not
    locked yet is locked. The conditional UPDATE is true for one attempt only, so the
    lockout is audited and mailed once. Returns the kinds locked."""
    registrar = await _registrar_of(ctx, login)
    rid = registrar.id if registrar is not None else None
    until = ctx.now + timedelta(seconds=ctx.settings.epp_login_lockout_seconds)
    in_flight = _in_flight(ctx)
    locked = []
    for kind, key, _free, limit in _keys(ctx, login, client_ip):
        values: dict[str, Any] = {"failures": t.c.failures + 1,
                                  "in_flight": case((in_flight > 0, in_flight - 1), else_=0)}
        if rid is not None:  # the registrar whose user was tried last, for the portal
            values["registrar_id"] = rid
        await ctx.conn.execute(update(t).where(t.c.kind == kind, t.c.key == key)
                               .values(values))
        row = (await ctx.conn.execute(
            update(t).where(t.c.kind == kind, t.c.key == key, t.c.failures >= limit,
                            t.c.locked_until.is_(None))
            .values(locked_until=until, registrar_id=rid).returning(t.c.failures))).first()
        if row is None:
            continue
        locked.append(kind)
        what = f"service user {key}" if kind == LOGIN else f"client address {key}"
        await write(ctx.conn, AuditEvent(
            at=ctx.now, door="epp", command="login_lockout", result_code=2200,
            registrar_id=rid, actor=login[:255], object=key, client_ip=client_ip,
            request=f"{what} locked out until {until:%Y-%m-%d %H:%M:%S} UTC after "
                    f"{row.failures} failed logins"))
        if registrar is not None:
            await _mail_administrators(ctx, registrar, kind, key, login, client_ip,
                                       row.failures, until)
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
    """A successful login leaves ``in_flight`` under both keys, and its login's failures
    start again (unless guesses in flight alongside it locked the login meanwhile: that
    lockout stands). The address's failures stay: a success there adds none and
    forgives none, and a registrar's own logins never wear its address down."""
    await ctx.conn.execute(update(t).where(t.c.kind == LOGIN, t.c.key == login[:64],
                                           t.c.locked_until.is_(None))
                           .values(failures=0))
    await not_a_guess(ctx, login, client_ip)


async def not_a_guess(ctx: Ctx, login: str, client_ip: str | None) -> None:
    """An attempt that ended before its password was looked at (a syntax error, a new
    password against the rule, a closed connection): it leaves ``in_flight`` under both
    keys and counts as nothing."""
    await _leave(ctx, LOGIN, login[:64])
    if client_ip:
        await _leave(ctx, ADDRESS, client_ip[:64])


async def _leave(ctx: Ctx, kind: str, key: str) -> None:
    in_flight = _in_flight(ctx)
    await ctx.conn.execute(update(t).where(t.c.kind == kind, t.c.key == key)
                           .values(in_flight=case((in_flight > 0, in_flight - 1), else_=0)))


# -- the portal ---------------------------------------------------------------------------

async def lockouts(ctx: Ctx, user: PortalUser) -> list[Lockout]:
    """The registrar's current lockouts: its service users' logins, and the addresses
    last seen trying one of them."""
    require(user, "service_users")
    own_logins = select(users.c.login).where(users.c.registrar_id == user.registrar_id,
                                             users.c.service == "epp")
    rows = await ctx.conn.execute(
        select(t.c.kind, t.c.key, t.c.failures, t.c.locked_until).where(
            t.c.locked_until > ctx.now,
            or_(and_(t.c.kind == LOGIN, t.c.key.in_(own_logins)),
                and_(t.c.kind == ADDRESS, t.c.registrar_id == user.registrar_id)))
        .order_by(t.c.kind, t.c.key))
    return [Lockout(r.kind, r.key, r.failures, r.locked_until) for r in rows]


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
        raise err(2303, "object_not_exist", field="key", detail=Detail("no_lockout", key=key))
    await ctx.conn.execute(delete(t).where(t.c.kind == kind, t.c.key == key))
    await portal_audit(ctx, "epp_login_lockout_lift", user.email, user.registrar_id, client_ip,
                       obj=key, request=f"kind={kind}")
    return key


__all__ = [
    "ADDRESS",
    "IN_FLIGHT_BOUND",
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

"""The lockout of DAS's and DSU's service-user logins: a user-id locked for 24 hours after
too many failed logins, and an address blocked as long when its failures go on or spread
over several user-ids (the DAS specification's rule, reference OTHER-SERVICES.md "DAS";
DSU, whose password travels in every request, gets the same).

Every row lives in the shared throttle table (``selfservice_throttle``, ``throttle.py``),
under kinds named by the service (``das_…``, ``dsu_…``) so the two services and the other
doors never count each other's events:

* ``<service>_try`` and ``<service>_fail``: an attempt is *reserved* — a ``try`` row under
  the user-id it named and one under ``ip:<address>``, counted together with the ``fail``
  rows under a lock (``throttle.reserve``) — before its password is compared, so however
  many guesses arrive at once at most the limit's worth is ever compared. A failure turns
  its ``try`` rows into ``fail`` rows, a success deletes them. Only ``fail`` rows lock: a
  burst of correct logins in flight (a cache expiring under thousands of requests a
  second, several server processes) is never taken for guessing; an attempt that finds
  the limit taken by attempts in flight waits for its turn instead (``Attempt.busy``).
  A ``try`` row left by a process that died mid-check stops counting after
  ``TRY_BOUND`` seconds;
* ``<service>_pair`` (key ``<address>|<user-id>``) and ``<service>_spread`` (key
  ``ip:<address>``): the first failure of a user-id from an address within the window adds
  one spread row, so the spread rows of an address count the distinct user-ids it failed
  for — one exact-match lookup each, on the table's (kind, key, at) index;
* ``<service>_lock``: a lockout of a user-id or an address, ``at`` the moment it began;
  locked while ``at`` is within ``service_lockout_seconds``. It ends by itself.

User-ids are counted whether or not such a service user exists, so the lockout tells
nobody which ones do. A lockout is decided before any password is compared: a locked
user-id is refused with the right password too, so a guesser cannot go on guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, exists, func, insert, literal, select, update

from dkreg.actions.session.throttle import Limit, Reservation, ip_key, release, reserve
from dkreg.store.audit import AuditEvent, write
from dkreg.store.context import Ctx
from dkreg.store.schema import registrars, users
from dkreg.store.schema import selfservice_throttle as t

LOGIN, ADDRESS = "login", "address"
# seconds after which an attempt still "in flight" is taken as left by a dead process
TRY_BOUND = 60.0


def kind(service: str, what: str) -> str:
    return f"{service}_{what}"


@dataclass(frozen=True)
class ServiceUserRow:
    """What a service login needs of the user it names (read once per request)."""

    login: str
    password_hash: str
    service: str
    disabled: bool
    roles: frozenset[str]
    registrar_id: int
    registrar_handle: str


async def service_user(ctx: Ctx, login: str) -> ServiceUserRow | None:
    row = (await ctx.conn.execute(
        select(users.c.login, users.c.password_hash, users.c.service, users.c.disabled,
               users.c.roles, registrars.c.id.label("rid"), registrars.c.handle)
        .join(registrars, registrars.c.id == users.c.registrar_id)
        .where(users.c.login == login))).first()
    if row is None:
        return None
    return ServiceUserRow(row.login, row.password_hash, row.service, row.disabled,
                          frozenset(row.roles.split()), row.rid, row.handle)


def _lock_of(key: str) -> Any:
    return exists().where(t.c.kind == bindparam("lock_kind"), t.c.key == bindparam(key),
                          t.c.at > bindparam("since"))


# built once: DAS asks it on every request, and composing it cost more than running it
_LOGIN_STATE = (
    select(_lock_of("address_key").label("address_locked"),
           _lock_of("user_key").label("login_locked"), users.c.login,
           users.c.password_hash, users.c.service, users.c.disabled, users.c.roles,
           registrars.c.id.label("rid"), registrars.c.handle)
    .select_from(select(literal(1).label("one")).subquery()
                 .outerjoin(users, users.c.login == bindparam("login"))
                 .outerjoin(registrars, registrars.c.id == users.c.registrar_id)))


async def login_state(ctx: Ctx, service: str, login: str,
                      client_ip: str | None) -> tuple[str | None, ServiceUserRow | None]:
    """``locked`` and ``service_user`` in one statement (DAS asks it on every request):
    the lockout's two keys as scalar subqueries beside the user's row, outer-joined to a
    one-row select so that an unknown user-id still answers."""
    user_key, address_key = _keys(login, client_ip)
    since = ctx.now - timedelta(seconds=ctx.settings.service_lockout_seconds)
    row = (await ctx.conn.execute(_LOGIN_STATE, {
        "lock_kind": kind(service, "lock"), "address_key": address_key or "",
        "user_key": user_key, "since": since, "login": login})).one()
    if address_key and row.address_locked:
        return ADDRESS, None
    if row.login_locked:
        return LOGIN, None
    if row.login is None:
        return None, None
    return None, ServiceUserRow(row.login, row.password_hash, row.service, row.disabled,
                                frozenset(row.roles.split()), row.rid, row.handle)


def _keys(login: str, client_ip: str | None) -> tuple[str, str | None]:
    return login[:255], ip_key(client_ip) if client_ip else None


async def locked(ctx: Ctx, service: str, login: str, client_ip: str | None) -> str | None:
    """``address`` or ``login`` when that is locked now (the address first), else None."""
    user_key, address_key = _keys(login, client_ip)
    since = ctx.now - timedelta(seconds=ctx.settings.service_lockout_seconds)
    wanted = [user_key] + ([address_key] if address_key else [])
    found = set((await ctx.conn.execute(select(t.c.key).where(
        t.c.kind == kind(service, "lock"), t.c.key.in_(wanted), t.c.at > since))).scalars())
    if address_key in found:
        return ADDRESS
    return LOGIN if user_key in found else None


@dataclass(frozen=True)
class Attempt:
    """A reservation (``held``), or why there is none: ``locked`` (a key reached its
    limit of failures and is locked now) or, when neither, busy — the limit is taken by
    attempts whose passwords are being compared; ask again shortly."""

    held: Reservation | None
    locked: bool = False

    @property
    def busy(self) -> bool:
        return self.held is None and not self.locked


async def reserve_attempt(ctx: Ctx, service: str, login: str,
                          client_ip: str | None) -> Attempt:
    """Reserve an attempt before its password is compared (see the module)."""
    s = ctx.settings
    user_key, address_key = _keys(login, client_ip)
    trying, fail = kind(service, "try"), kind(service, "fail")
    stale = select(t.c.id).where(t.c.kind == trying,
                                 t.c.at < ctx.now - timedelta(seconds=TRY_BOUND))
    await ctx.conn.execute(delete(t).where(t.c.id.in_(ctx.skip_locked(stale))))
    limits = [Limit(t.c.key, user_key, s.service_lockout_failures)]
    rows: list[dict[str, Any]] = [{"kind": trying, "key": user_key, "at": ctx.now}]
    if address_key:
        limits.append(Limit(t.c.key, address_key, s.service_address_failures))
        rows.append({"kind": trying, "key": address_key, "at": ctx.now})
    held = await reserve(ctx, f"{t.name}|{fail}", t, limits, rows, s.service_failure_window,
                         scope=[t.c.kind.in_([trying, fail])])
    if held is not None:
        return Attempt(held)
    return Attempt(None, locked=bool(await _lock_reached(ctx, service, login, client_ip))
                   or await locked(ctx, service, login, client_ip) is not None)


async def succeeded(ctx: Ctx, attempt: Attempt) -> None:
    """The password was right: the attempt was no failure."""
    if attempt.held is not None:
        await release(ctx, attempt.held)


async def failed(ctx: Ctx, service: str, login: str, client_ip: str | None,
                 attempt: Attempt) -> list[str]:
    """After a failed login: its reserved rows become failures, the user-id is noted among
    the address's, and what reached its limit is locked. Returns the kinds locked now
    (``login``, ``address``)."""
    s = ctx.settings
    if attempt.held is not None:
        await ctx.conn.execute(update(t).where(t.c.id.in_(attempt.held.ids))
                               .values(kind=kind(service, "fail")))
    since = ctx.now - timedelta(seconds=s.service_failure_window)
    pair_kind, spread_kind = kind(service, "pair"), kind(service, "spread")
    old = select(t.c.id).where(t.c.kind.in_([pair_kind, spread_kind]), t.c.at < since)
    await ctx.conn.execute(delete(t).where(t.c.id.in_(ctx.skip_locked(old))))
    _user_key, address_key = _keys(login, client_ip)
    if address_key and client_ip:
        pair = f"{client_ip}|{login}"[:255]
        seen = (await ctx.conn.execute(select(t.c.id).where(
            t.c.kind == pair_kind, t.c.key == pair, t.c.at >= since).limit(1))).first()
        if seen is None:
            await ctx.conn.execute(insert(t), [
                {"kind": pair_kind, "key": pair, "at": ctx.now},
                {"kind": spread_kind, "key": address_key, "at": ctx.now}])
    return await _lock_reached(ctx, service, login, client_ip)


async def refused_while_locked(ctx: Ctx, service: str, login: str,
                               client_ip: str | None) -> list[str]:
    """An attempt at a locked user-id (its password not compared): the address's failures
    go on, and at its limit the address is blocked too."""
    _user_key, address_key = _keys(login, client_ip)
    if not address_key:
        return []
    await ctx.conn.execute(insert(t).values(kind=kind(service, "fail"), key=address_key,
                                            at=ctx.now))
    return await _lock_reached(ctx, service, login, client_ip, login_too=False)


async def _count(ctx: Ctx, what: str, key: str, since: Any) -> int:
    return int((await ctx.conn.execute(select(func.count()).select_from(t).where(
        t.c.kind == what, t.c.key == key, t.c.at >= since))).scalar_one())


async def _lock_reached(ctx: Ctx, service: str, login: str, client_ip: str | None,
                        login_too: bool = True) -> list[str]:
    """Lock the user-id and the address where their counts reached the limits (once: a
    key already locked is left as it is); each new lockout is audited."""
    s = ctx.settings
    since = ctx.now - timedelta(seconds=s.service_failure_window)
    user_key, address_key = _keys(login, client_ip)
    fail = kind(service, "fail")
    reached: list[tuple[str, str, str]] = []
    if login_too:
        failures = await _count(ctx, fail, user_key, since)
        if failures >= s.service_lockout_failures:
            reached.append((LOGIN, user_key, f"{failures} failed logins"))
    if address_key:
        failures = await _count(ctx, fail, address_key, since)
        spread = await _count(ctx, kind(service, "spread"), address_key, since)
        if failures >= s.service_address_failures:
            reached.append((ADDRESS, address_key, f"{failures} failed logins"))
        elif spread >= s.service_address_logins:
            reached.append((ADDRESS, address_key, f"failed logins for {spread} user-ids"))
    if not reached:
        return []
    lock_kind = kind(service, "lock")
    lock_since = ctx.now - timedelta(seconds=s.service_lockout_seconds)
    await ctx.conn.execute(delete(t).where(t.c.id.in_(ctx.skip_locked(
        select(t.c.id).where(t.c.kind == lock_kind, t.c.at <= lock_since)))))
    until = ctx.now + timedelta(seconds=s.service_lockout_seconds)
    done = []
    for what, key, why in reached:
        current = (await ctx.conn.execute(select(t.c.id).where(
            t.c.kind == lock_kind, t.c.key == key, t.c.at > lock_since).limit(1))).first()
        if current is not None:
            continue
        await ctx.conn.execute(insert(t).values(kind=lock_kind, key=key, at=ctx.now))
        done.append(what)
        shown = f"user-id {login}" if what == LOGIN else f"client address {client_ip}"
        await write(ctx.conn, AuditEvent(
            at=ctx.now, door=service, command="login_lockout", result_code=2200,
            actor=login[:255], object=key, client_ip=client_ip,
            request=f"{shown} locked until {until:%Y-%m-%d %H:%M:%S} UTC after {why}"))
    return done


@dataclass(frozen=True)
class LockedUser:
    """A DAS or DSU service user of the registrar whose user-id is locked now."""

    login: str
    service: str
    locked_until: datetime


async def locked_users(ctx: Ctx, registrar_id: int) -> list[LockedUser]:
    """The registrar's DAS and DSU service users locked now (the portal shows them; the
    lockout ends by itself, as the DAS specification has it)."""
    s = ctx.settings
    since = ctx.now - timedelta(seconds=s.service_lockout_seconds)
    found: dict[str, LockedUser] = {}
    for service in ("das", "dsu"):
        rows = await ctx.conn.execute(
            select(t.c.key, func.max(t.c.at).label("at"))
            .where(t.c.kind == kind(service, "lock"), t.c.at > since,
                   t.c.key.in_(select(users.c.login).where(
                       users.c.registrar_id == registrar_id, users.c.service == service)))
            .group_by(t.c.key))
        for r in rows:
            found[r.key] = LockedUser(r.key, service, r.at + timedelta(
                seconds=s.service_lockout_seconds))
    return sorted(found.values(), key=lambda u: u.login)


__all__ = ["ADDRESS", "LOGIN", "TRY_BOUND", "Attempt", "LockedUser", "ServiceUserRow",
           "failed", "kind", "locked", "locked_users", "login_state",
           "refused_while_locked", "reserve_attempt", "service_user", "succeeded"]

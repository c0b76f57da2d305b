"""A service user's login at an HTTP door (DAS's Basic credential, DSU's userid/password):
the lockout first, then the password — verified with argon2 once and then trusted for a
short while.

Why a cache: argon2 is expensive on purpose (tens of milliseconds of CPU at the production
cost). DAS sends the credential with every request, and a registrar's availability checks
come in thousands a second; hashing each one would cap DAS at a few dozen requests a second
per core and make every client that holds a valid password a CPU denial of service. So a
credential that verified is remembered, in this process's memory, for
``service_credential_cache_seconds`` (60 s): within that time the same user-id and password
are admitted without argon2. The entry is keyed by an HMAC (with a key of this process,
never stored) of the service, the user-id, the password *and the stored hash*: a password
reset or change writes a new hash, so the old password's entry can no longer match from
that request on — in every process, because each request still reads the user's row (one
indexed read, far cheaper than argon2). A disabled user, a locked user-id or address and
the user's service are likewise read every time, never cached. Only successes are cached:
a wrong password always costs its argon2 check and counts towards the lockout.

Within a process, one verification per credential runs at a time: the requests that
arrive while it runs (a cache entry expiring under a registrar's full load) wait for its
answer, so a burst costs one argon2 check and one reservation, never a lockout.

The lockout (``actions.session.service_lockout``) is decided before any password is
compared: a locked user-id or a blocked address is refused without argon2 work. Reads go
through ``runner.reading`` (the replica when configured); the lockout's few writes go to
the primary, each in a short transaction of its own with no argon2 work inside.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import random
import secrets
from dataclasses import dataclass

from dkreg import runner
from dkreg.actions.session import service_lockout
from dkreg.actions.session.service_lockout import ServiceUserRow
from dkreg.model.passwords import dummy_hash, verify_password
from dkreg.runner import Services
from dkreg.store.audit import AuditEvent
from dkreg.store.context import Actor, Ctx

# the most entries the cache keeps; past it, expired ones go, then all (a new start)
CACHE_MOST = 10_000
# seconds an attempt waits for a turn while the lockout's limit is taken by attempts in
# flight (other processes checking the same user-id) before it is refused as busy
BUSY_WAIT = 2.0


@dataclass(frozen=True)
class Verdict:
    """How a login went. ``refusal``: None (admitted), ``locked`` (``locked`` says what),
    ``busy`` (no turn to compare the password in time), ``unknown`` (no such user-id),
    ``wrong`` (password), ``disabled``, ``other_service`` (the right password of a user
    of another service)."""

    refusal: str | None
    actor: Actor | None = None
    locked: str | None = None
    user: ServiceUserRow | None = None


@dataclass(frozen=True)
class Unsettled:
    """A login the first read could not decide (see ``ServiceLogin.first``)."""

    login: str
    password: str
    client_ip: str | None
    lock: str | None
    row: ServiceUserRow | None
    key: bytes
    now: float


class ServiceLogin:
    """The logins of one service (``das`` or ``dsu``), with this process's cache."""

    def __init__(self, service: str) -> None:
        self.service = service
        self._secret = secrets.token_bytes(32)
        self._cache: dict[bytes, float] = {}  # key -> trusted until (registry clock, epoch s)
        self._pending: dict[bytes, asyncio.Future[bool | str]] = {}

    def _key(self, login: str, password: str, stored: str) -> bytes:
        data = "\x00".join((self.service, login, password, stored)).encode("utf-8",
                                                                           "surrogatepass")
        return hmac.new(self._secret, data, hashlib.sha256).digest()

    def _remember(self, key: bytes, until: float, now: float) -> None:
        if len(self._cache) >= CACHE_MOST:
            self._cache = {k: v for k, v in self._cache.items() if v > now}
            if len(self._cache) >= CACHE_MOST:
                self._cache.clear()
        self._cache[key] = until

    def forget(self) -> None:
        """Drop every remembered credential (an operator's or a test's reset)."""
        self._cache.clear()

    async def check(self, services: Services, login: str, password: str,
                    client_ip: str | None) -> Verdict:
        """The whole login: ``first`` on a read connection of its own, then ``settle``."""
        async with runner.reading(services, self.service) as ctx:
            seen = await self.first(ctx, login, password, client_ip)
        return seen if isinstance(seen, Verdict) else await self.settle(services, seen)

    async def first(self, ctx: Ctx, login: str, password: str,
                    client_ip: str | None) -> Verdict | Unsettled:
        """What one read tells (on the caller's read connection, so that DAS answers a
        request on one): a lockout, or a credential still trusted — else what
        ``settle`` needs to finish the login without that connection."""
        lock, row = await service_lockout.login_state(ctx, self.service, login, client_ip)
        now = ctx.now.timestamp()
        key = self._key(login, password, row.password_hash if row is not None else "")
        if lock is None and row is not None and self._cache.get(key, 0.0) > now:
            return self._verdict(row)
        return Unsettled(login, password, client_ip, lock, row, key, now)

    async def settle(self, services: Services, seen: Unsettled) -> Verdict:
        """The rest of a login ``first`` could not decide, with no connection held while
        argon2 works: a lockout's bookkeeping, or the verification."""
        service, login, password, client_ip = self.service, seen.login, seen.password, \
            seen.client_ip
        lock, row, key, now = seen.lock, seen.row, seen.key, seen.now
        if lock is not None:
            if lock == service_lockout.LOGIN:
                async with runner.transaction(services, service) as ctx:
                    await service_lockout.refused_while_locked(ctx, service, login, client_ip)
            return Verdict("locked", locked=lock)
        # one verification per credential at a time in this process: a burst of requests
        # arriving as the entry expires waits for the first one's answer
        pending = self._pending.get(key)
        if pending is not None:
            outcome = await asyncio.shield(pending)
        else:
            pending = asyncio.get_running_loop().create_future()
            self._pending[key] = pending
            try:
                outcome = await self._verify(services, login, password, client_ip, row)
                pending.set_result(outcome)
            except BaseException as e:
                pending.set_exception(e)
                pending.exception()  # retrieved: the followers re-raise it
                raise
            finally:
                del self._pending[key]
        if outcome is not True:
            return Verdict(outcome or ("unknown" if row is None else "wrong"))
        seconds = services.settings.service_credential_cache_seconds
        if seconds > 0:
            self._remember(key, now + seconds, now)
        return self._verdict(row)

    async def _verify(self, services: Services, login: str, password: str,
                      client_ip: str | None, row: ServiceUserRow | None) -> bool | str:
        """True, False (a wrong password or an unknown user-id), or ``locked`` / ``busy``
        when the lockout refused the attempt before its password was compared."""
        service = self.service
        waited = 0.0
        while True:
            async with runner.transaction(services, service) as ctx:
                attempt = await service_lockout.reserve_attempt(ctx, service, login,
                                                                client_ip)
            if not attempt.busy:
                break
            if waited >= BUSY_WAIT:
                return "busy"
            pause = random.uniform(0.05, 0.1)
            await asyncio.sleep(pause)
            waited += pause
        if attempt.locked:
            return "locked"
        stored = row.password_hash if row is not None else dummy_hash()
        ok = await asyncio.to_thread(verify_password, stored, password) and row is not None
        async with runner.transaction(services, service) as ctx:
            if ok:
                await service_lockout.succeeded(ctx, attempt)
            else:
                await service_lockout.failed(ctx, service, login, client_ip, attempt)
        if not ok:
            self._audit(services, login, client_ip, "unknown user-id" if row is None
                        else "wrong password")
        return ok

    def _verdict(self, row: ServiceUserRow | None) -> Verdict:
        assert row is not None
        if row.disabled:
            return Verdict("disabled", user=row)
        if row.service != self.service:
            return Verdict("other_service", user=row)
        return Verdict(None, actor=Actor(registrar_id=row.registrar_id,
                                         registrar_handle=row.registrar_handle,
                                         login=row.login, roles=row.roles), user=row)

    def _audit(self, services: Services, login: str, client_ip: str | None,
               why: str) -> None:
        """A failed login to the audit buffer (no commit of its own)."""
        if services.audit is not None:
            services.audit.add(AuditEvent(
                at=services.clock.now(), door=self.service, command="login", result_code=2200,
                actor=login[:255], client_ip=client_ip, request=why))


__all__ = ["BUSY_WAIT", "CACHE_MOST", "ServiceLogin", "Unsettled", "Verdict"]

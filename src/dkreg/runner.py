"""One way for every door (EPP, portal, self-service, staff, pay, lifecycle, CLI) to run a
command: its context, its transaction, its audit event, its svTRID, its lifecycle wake-up,
its measurement and its log line.

Doors used to each build these themselves, and drifted: one door forgot the wake-up, one
the policy, none measured. Here a command is a ``Command`` (``start``): it names the door,
the command and the actor, carries the audit event and the svTRID, and builds each ``Ctx``
the same way (``ctx``). ``execute`` runs an action in a transaction, writes the audit event
in that transaction for a mutation (so neither exists without the other) or queues it in
the audit buffer for a read or a PostgreSQL single-statement write (a commit saved per
command), and wakes the lifecycle when the action asks (``ctx.notes["wake_lifecycle"]``).
``finish`` is the single place a command is measured and logged, with the result code the
door answered.

Doors that need no audit event (a session lookup, a page read) take a plain
``transaction``; background work without a door's services (the lifecycle tick, the CLI)
builds its contexts with ``context`` and measures with ``measure``.

The runner sits below the doors: it imports actions and store, never epp or web.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from dkreg.errors import EppError
from dkreg.store.audit import AuditEvent, scrub
from dkreg.store.audit import write as write_audit
from dkreg.store.context import REGISTRY_ACTOR, Actor, Ctx
from dkreg.store.lazy_connection import lazy_connection
from dkreg.store.password_check import PasswordChecks, run_checking_passwords

if TYPE_CHECKING:
    import asyncio

    from dkreg.clock import Clock
    from dkreg.config import Settings
    from dkreg.metrics import Metrics
    from dkreg.policy import Policy
    from dkreg.store.db import Database
    from dkreg.store.domains import DomainStore

log = logging.getLogger("dkreg.command")

T = TypeVar("T")
# who acts in a command before anyone has logged in (an EPP login itself)
NOBODY = Actor(None, "-", "-")


class AuditQueue(Protocol):
    def add(self, event: AuditEvent) -> None: ...


class Services(Protocol):
    """What the runner needs of a door's shared services (``epp.services.Services``);
    read-only, so any container with these attributes will do."""

    @property
    def db(self) -> Database: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def policy(self) -> Policy: ...
    @property
    def audit(self) -> AuditQueue | None: ...
    @property
    def lifecycle_wakeup(self) -> asyncio.Event: ...
    @property
    def metrics(self) -> Metrics | None: ...
    @property
    def domains(self) -> DomainStore: ...
    @property
    def reader(self) -> Database: ...


@asynccontextmanager
async def reading(services: Services, door: str) -> AsyncIterator[Ctx]:
    """A read-only context on the public doors' database (the replica when one is
    configured): a lookup never takes a connection EPP's writes need. The connection is
    lazy: a lookup the domain store answers in one asyncpg statement checks out no
    SQLAlchemy connection at all (``store.lazy_connection``)."""
    db = services.reader
    async with lazy_connection(db, write=False) as conn:
        yield context(conn, now=services.clock.now(), settings=services.settings,
                      is_sqlite=db.is_sqlite, door=door, policy=services.policy,
                      domains=services.domains)


def new_sv_trid() -> str:
    """The server transaction id: one per command, whatever the door, so an audit row,
    a poll message and a log line name the same command."""
    return str(uuid.uuid4()).upper()


def context(conn: Any, *, now: datetime, settings: Settings, is_sqlite: bool, door: str,
            policy: Policy | None = None, actor: Actor | None = None,
            passwords: PasswordChecks | None = None, **kw: Any) -> Ctx:
    """A ``Ctx`` built the one way: every door gets its clock reading, policy and settings
    from here."""
    if policy is not None:
        kw["policy"] = policy
    if actor is not None:
        kw["actor"] = actor
    if passwords is not None:
        kw["passwords"] = passwords
    return Ctx(conn=conn, now=now, settings=settings, is_sqlite=is_sqlite, door=door, **kw)


@asynccontextmanager
async def transaction(services: Services, door: str, *, actor: Actor | None = None,
                      passwords: PasswordChecks | None = None) -> AsyncIterator[Ctx]:
    """A write transaction with its context, for a door's own bookkeeping (session
    lookups, pages), committed on leaving; woken lifecycle as ``execute`` does."""
    async with services.db.begin() as conn:
        ctx = context(conn, now=services.clock.now(), settings=services.settings,
                      is_sqlite=services.db.is_sqlite, door=door, policy=services.policy,
                      actor=actor, passwords=passwords, domains=services.domains)
        yield ctx
    if ctx.notes.get("wake_lifecycle"):
        services.lifecycle_wakeup.set()


@dataclass
class Command:
    """One command of one door, from its start to its answer."""

    services: Services
    door: str
    command: str
    actor: Actor
    event: AuditEvent
    sv_trid: str
    cl_trid: str | None = None
    started: float = field(default_factory=time.perf_counter)
    finished: bool = False

    def ctx(self, conn: Any, *, audit: bool = True,
            passwords: PasswordChecks | None = None) -> Ctx:
        s = self.services
        self.event.at = now = s.clock.now()
        return context(conn, now=now, settings=s.settings, is_sqlite=s.db.is_sqlite,
                       door=self.door, policy=s.policy, actor=self.actor, passwords=passwords,
                       domains=s.domains, cl_trid=self.cl_trid, sv_trid=self.sv_trid,
                       audit=self.event if audit else None)

    def renamed(self, command: str, cl_trid: str | None) -> None:
        """The command's name and clTRID, once the request is decoded."""
        self.command = self.event.command = command
        self.cl_trid = self.event.cl_trid = cl_trid

    def acting(self, actor: Actor, who: str | None = None) -> None:
        """The actor, once known (an EPP login names it during the command)."""
        self.actor = actor
        self.event.registrar_id = actor.registrar_id
        self.event.actor = (who or actor.login)[:255]

    def queue_audit(self, code: int) -> None:
        """The audit event of a read or a refused command, to the audit buffer (written in
        batches: no commit of its own). Without a buffer it is not written."""
        self.event.result_code = code
        if self.services.audit is not None:
            self.services.audit.add(self.event)

    async def audit_apart(self, code: int) -> None:
        """The audit event in a transaction of its own (a refused portal action: its change
        was rolled back, its attempt is recorded)."""
        self.event.result_code = code
        async with self.services.db.begin() as conn:
            await write_audit(conn, self.event)

    async def execute(self, action: Callable[[Ctx], Awaitable[T]], *,
                      code: int | Callable[[T], int] = 1000, mutates: bool = True,
                      lazy: bool = False, check_passwords: bool = False,
                      audit_failure: bool = True,
                      on_result: Callable[[T], None] | None = None) -> T:
        """Run ``action`` in its transaction and audit it.

        ``mutates``: a write transaction, and the event written in it; otherwise a
        read-only unit of work and the event queued. ``lazy``: the connection is checked out
        at its first statement (``store/lazy_connection.py``), so a command the domain store
        serves on its own pooled connection takes none.
        ``check_passwords``: argon2 work is done between passes with no transaction open
        (``run_checking_passwords``). ``audit_failure``: a refused action (``EppError``)
        is audited here in a transaction of its own; EPP audits its refusals itself, with
        those raised before an action runs. An action that wrote the event itself sets
        ``ctx.audit`` to None, and nothing more is written.
        """
        db = self.services.db
        opener: Callable[[], AbstractAsyncContextManager[Any]]
        if lazy:
            opener = partial(lazy_connection, db, write=mutates)
        else:
            opener = db.begin if mutates else db.read
        event = self.event

        async def attempt(passwords: PasswordChecks) -> tuple[T, Ctx]:
            async with opener() as conn:
                ctx = self.ctx(conn, audit=mutates, passwords=passwords)
                result = await action(ctx)
                if ctx.audit is not None or not mutates:  # not yet written by the action
                    if on_result is not None:
                        on_result(result)
                    event.result_code = code if isinstance(code, int) else code(result)
                    if "object" in ctx.notes:  # named by the action (a new contact's handle)
                        event.object = str(ctx.notes["object"])
                    if mutates:  # a LazyConnection stands in for an AsyncConnection
                        await write_audit(conn, event)  # type: ignore[arg-type]
                    elif self.services.audit is not None:
                        self.services.audit.add(event)
            return result, ctx

        try:
            if check_passwords:
                result, ctx = await run_checking_passwords(attempt)
            else:
                result, ctx = await attempt(PasswordChecks(last_pass=True))
        except EppError as e:
            if audit_failure:
                await self.audit_apart(e.code)
            raise
        if ctx.notes.get("wake_lifecycle"):
            self.services.lifecycle_wakeup.set()
        return result

    def finish(self, code: int) -> None:
        """Measure and log the command, once, with the code its door answered."""
        if self.finished:
            return
        self.finished = True
        seconds = time.perf_counter() - self.started
        metrics = self.services.metrics
        if metrics is not None:
            metrics.observe(self.door, self.command, code, seconds)
        log_command(self.door, self.command, code, seconds, sv_trid=self.sv_trid,
                    cl_trid=self.cl_trid, registrar=self.event.registrar_id,
                    actor=self.event.actor)


def start(services: Services, door: str, command: str, *, actor: Actor | None = None,
          who: str | None = None, cl_trid: str | None = None, sv_trid: str | None = None,
          client_ip: str | None = None, obj: str | None = None,
          request: bytes | str | None = None, anonymous: Actor = REGISTRY_ACTOR) -> Command:
    """A command begins: its svTRID and audit event. ``who`` names the actor in the audit
    (a portal user's e-mail) where it is not the actor's login; ``actor`` None is audited
    as nobody and acts as ``anonymous`` (the registry for a payment link, ``NOBODY`` for
    an EPP session not yet logged in)."""
    sv_trid = sv_trid or new_sv_trid()
    if isinstance(request, bytes):
        request = scrub(request)
    event = AuditEvent(at=services.clock.now(), door=door, command=command, result_code=0,
                       registrar_id=actor.registrar_id if actor else None,
                       actor=(who or actor.login)[:255] if actor else None,
                       object=obj[:255] if obj else None, cl_trid=cl_trid, sv_trid=sv_trid,
                       client_ip=client_ip, request=request[:65536] if request else None)
    return Command(services, door, command, actor or anonymous, event, sv_trid,
                   cl_trid)


async def run(services: Services, door: str, command: str,
              action: Callable[[Ctx], Awaitable[T]], *, code: int | Callable[[T], int] = 1000,
              **start_kw: Any) -> T:
    """A whole audited command for a web door: start, execute (refusals audited apart),
    finish with the code the action answered or refused with."""
    cmd = start(services, door, command, **start_kw)
    answered = 2400
    try:
        result = await cmd.execute(action, code=code)
        answered = cmd.event.result_code or (code if isinstance(code, int) else 1000)
        return result
    except EppError as e:
        answered = e.code
        raise
    finally:
        cmd.finish(answered)


@contextmanager
def measure(metrics: Metrics | None, door: str, command: str,
            sv_trid: str | None = None) -> Iterator[list[int]]:
    """Measure a unit of work that is no door's command (a lifecycle step's batch, a CLI
    command): the caller may set ``codes[0]``; a refusal counts with its code, any other
    exception as 2400."""
    codes, started = [1000], time.perf_counter()
    try:
        yield codes
    except EppError as e:
        codes[0] = e.code
        raise
    except BaseException:
        codes[0] = 2400
        raise
    finally:
        seconds = time.perf_counter() - started
        if metrics is not None:
            metrics.observe(door, command, codes[0], seconds)
        log_command(door, command, codes[0], seconds, sv_trid=sv_trid)


def log_command(door: str, command: str, code: int, seconds: float, *,
                sv_trid: str | None = None, cl_trid: str | None = None,
                registrar: int | None = None, actor: str | None = None) -> None:
    """The command's log line; its fields go to the JSON log as they are (``logs.py``)."""
    if not log.isEnabledFor(logging.INFO):
        return
    fields = {"svTRID": sv_trid, "door": door, "command": command, "code": code,
              "duration_ms": round(seconds * 1000, 3), "registrar": registrar,
              "actor": actor, "clTRID": cl_trid}
    log.info("%s %s %s -> %d in %.1f ms", sv_trid or "-", door, command, code,
             seconds * 1000, extra={"dkreg": fields})


def web_code(status: int) -> int:
    """The result code a web page's HTTP status stands for, so that pages without an
    action of their own are counted in the same terms as commands."""
    if status < 400:
        return 1000
    return {400: 2005, 401: 2200, 403: 2201, 404: 2303, 410: 2303, 413: 2005, 422: 2005,
            429: 2502}.get(status, 2400)


R = TypeVar("R")


def measured_page(services: Services, door: str, name: str,
                  endpoint: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
    """A page of a door whose actions the runner does not run one by one (self-service,
    staff): measured and logged as the command ``name``, by its HTTP status."""

    async def page(*args: Any, **kwargs: Any) -> R:
        cmd = start(services, door, name)
        status = 500
        try:
            resp = await endpoint(*args, **kwargs)
            status = getattr(resp, "status_code", 200)
            return resp
        finally:
            cmd.finish(web_code(status))

    page.__name__, page.__doc__ = name, endpoint.__doc__
    return page

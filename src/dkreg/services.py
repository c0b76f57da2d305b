"""What the EPP server shares between sessions: database, clock, rules, audit writer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from dkreg.clock import Clock, OffsetClock
from dkreg.config import Settings
from dkreg.metrics import Metrics
from dkreg.policy import DEFAULT_POLICY, Policy
from dkreg.store.audit import AuditEvent, write
from dkreg.store.db import Database
from dkreg.store.domains import DomainStore, domain_store_for
from dkreg.store.state import clock_offset

log = logging.getLogger("dkreg.epp")


AUDIT_COLUMNS = ["at", "door", "command", "result_code", "registrar_id", "actor", "object",
                 "cl_trid", "sv_trid", "client_ip", "request"]


class AuditBuffer:
    """Audit rows of read-only and failed commands, written in small batches.

    A mutation writes its audit row in its own transaction; everything else (checks,
    infos, errors) would otherwise cost one extra commit per command, which is most of
    the time a check takes. Rows wait here at most ``interval`` seconds and are flushed
    on shutdown.
    """

    def __init__(self, db: Database, interval: float = 0.2, max_batch: int = 500) -> None:
        self.db = db
        self.interval = interval
        self.max_batch = max_batch
        self.pending: list[AuditEvent] = []
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False

    def add(self, event: AuditEvent) -> None:
        self.pending.append(event)
        if len(self.pending) >= self.max_batch:
            self._wake.set()

    async def flush(self) -> None:
        while self.pending:
            batch, self.pending = self.pending[: self.max_batch], self.pending[self.max_batch:]
            try:
                pool = await self.db.raw_pool()
                if pool is not None:  # PostgreSQL: COPY is far cheaper than INSERTs
                    async with pool.acquire() as raw:
                        await raw.copy_records_to_table(
                            "audit", columns=AUDIT_COLUMNS,
                            records=[tuple(e.row()[c] for c in AUDIT_COLUMNS) for e in batch])
                    continue
                async with self.db.begin() as conn:
                    await write(conn, *batch)
            except Exception:
                log.exception("audit flush failed; %d events kept for retry", len(batch))
                self.pending[:0] = batch
                return

    async def _run(self) -> None:
        while not self._stopping:
            # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation
            # that arrives as the event is set (gh-86296), and stop() would wait forever
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval):
                    await self._wake.wait()
            self._wake.clear()
            await self.flush()

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="audit-buffer")

    async def stop(self) -> None:
        """Let a flush in progress finish (cancelling it would lose its batch), then
        write what is left."""
        self._stopping = True
        self._wake.set()
        if self._task:
            await self._task
        await self.flush()


class StoredClock(OffsetClock):
    """Real time plus the sandbox offset stored in the database, refreshed in the
    background so ``dkreg clock set`` in another process reaches a running server."""

    def __init__(self, db: Database, refresh: float = 0.5) -> None:
        super().__init__(0.0)
        self.db = db
        self.refresh = refresh
        self._task: asyncio.Task[None] | None = None

    async def load(self) -> None:
        async with self.db.read() as conn:
            self.offset_seconds = await clock_offset(conn)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.refresh)
            try:
                await self.load()
            except Exception:
                log.exception("could not refresh the registry clock")

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="clock-refresh")

    async def stop(self, grace: float = 5.0) -> None:
        if self._task:
            self._task.cancel()
            # bounded, like the server's other background tasks: a stop never hangs
            done, _ = await asyncio.wait([self._task], timeout=grace)
            if not done:
                log.warning("the clock refresh did not stop within %s s of its cancel", grace)


@dataclass
class Services:
    db: Database
    settings: Settings
    clock: Clock
    policy: Policy = DEFAULT_POLICY
    audit: AuditBuffer | None = None
    lifecycle_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    # this instance's own Prometheus registry (dkreg.metrics): several servers in one
    # process (the tests) never share counts
    metrics: Metrics = field(default_factory=Metrics)
    # chosen once for the database: every door's Ctx gets this one (store/domains.py)
    domains: DomainStore = field(init=False)
    # where the read-only public doors read (``read_database_url``, a streaming
    # replica); the primary when none is configured
    read_db: Database | None = None

    def __post_init__(self) -> None:
        self.domains = domain_store_for(self.db)
        if self.read_db is None:
            self.read_db = self.db

    @property
    def reader(self) -> Database:
        return self.read_db or self.db

"""Incremental publication: the zone-change journal, sent to the name server as dynamic
updates within ``dns_publish_delay`` of the change.

A round reads the oldest journal rows (up to ``dns_publish_round`` distinct owner names),
works out what the zone holds at those names *now* (``dns.content.owner_records``, from
committed rows), sends it as UPDATE messages of ``dns_publish_batch`` names (split
further only to stay under 64 KiB, see ``dns.update``), all at once over their own
connections, and deletes exactly the journal rows of the names the server answered
NOERROR for.

Why all at once: a signing name server's cost per UPDATE grows with the zone, and
knotd spends about half the CPU per name when a round's messages arrive together rather
than one after the other (measured with ``bench/zone_publish.py``: Knot queues the
updates for a zone while it applies one, so what arrives together is applied in fewer
zone transactions).

Rows journalled while the round was in flight have higher ids that were not read, so
they stay and go out in the next round; a crash between the server's NOERROR
and the delete sends the same names again, which changes nothing (each name is deleted
and re-added whole).

Failures: when the server is away or fails as a whole the rows stay and the publisher
waits, doubling up to ``dns_retry_max_delay``; a name the server refuses on its own (or
whose stored records cannot be a DNS record) is logged, counted in ``refused_total``,
kept in the journal and held back for ``dns_refused_retry`` seconds (doubling) while
every other name goes on being published.

Why a loop that polls and not a notification from the write: the journal is written by
triggers in every process that touches the database (a second server, the CLI, a bulk
load, an operator's SQL), which the publisher cannot hear; a poll that costs one indexed
query a second is the one wake-up they all reach. ``wake()`` shortens the wait for
changes made in the same process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

from sqlalchemy import insert, select

from dkreg.clock import Clock
from dkreg.config import Settings
from dkreg.dns.content import owner_records
from dkreg.dns.resync import ResyncStats, resync
from dkreg.dns.update import Change, Outcome, Target, Unavailable, Updater, apex_owned
from dkreg.model.zone import in_bailiwick
from dkreg.store import zone_journal
from dkreg.store.db import Database
from dkreg.store.schema import zone_changes

__all__ = ["Publisher", "ResyncStats", "Target", "publication_target", "resync"]

log = logging.getLogger("dkreg.dns")

FIRST_BACKOFF = 1.0


def publication_target(settings: Settings) -> Target | None:
    """Where this installation publishes (for a command run beside ``dkreg serve``): the
    hidden primary, or the sandbox's Knot DNS in ``data_dir/dns`` (its port and TSIG key
    are kept there); None when DNS is off."""
    from dkreg.dns.serving import primary_address, zone_mode
    from dkreg.dns.tsig import tsig_key

    mode = zone_mode(settings)
    if mode == "off":
        return None
    workdir = settings.data_dir / "dns"
    if mode == "primary":
        host, port = primary_address(settings.dns_primary)
    else:
        from dkreg.dns.knot import listening_port

        host, port = settings.dns_host, listening_port(settings, workdir)
    return Target(host, port, tsig_key(settings, workdir), settings.zone_origin,
                  settings.dns_update_timeout)


@dataclass
class _Held:
    """A name the server refused alone: when to try it again."""

    failures: int
    retry_at: float  # time.monotonic()


class Publisher:
    """Publishes the journal to ``target``; one per running server."""

    def __init__(self, db: Database, settings: Settings, target: Target, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.target = target
        self.clock = clock
        self.updater = Updater(target, settings.zone_ttl)
        self.origin = target.zone.lower().rstrip(".")
        self.apex = apex_owned(settings)
        # for metrics and /healthz; times are the wall clock (as the journal's created_ms),
        # not the registry clock a sandbox can move
        self.last_success_unix: float | None = None  # the last round the server accepted
        self.last_serial: int | None = None  # the SOA serial it answered with after it
        self.published_total = 0  # owner names the server accepted
        self.failures_total = 0  # rounds that failed as a whole, and names refused alone
        self.refused_total = 0  # names refused alone (or not representable)
        self.messages_total = 0  # UPDATE messages sent
        self.last_error: str | None = None
        self.held: dict[str, _Held] = {}
        self.backoff = 0.0  # seconds the next round waits after a failed one
        self.more = False  # the last round left rows it could not take
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Publish soon (a change was made in this process)."""
        self._wake.set()

    async def publish_once(self) -> int:
        """One round; the number of owner names the server accepted."""
        prepared = await self._prepare()
        return 0 if prepared is None else await self._complete(prepared)

    async def _prepare(self, busy: frozenset[str] = frozenset()) -> _Round | None:
        """Read a round from the journal and build its changes, leaving out the rows of
        ``busy`` names (with the server in the round before: still in the journal)."""
        rows = await self._pending(busy)
        if not rows:
            return None
        names = list(dict.fromkeys(name for _id, name in rows))
        async with self.db.read() as conn:
            content = await owner_records(conn, names)
        changes: list[Change] = []
        bad: list[str] = []
        for name, records in sorted(content.records.items()):
            if (name == self.origin or name in self.apex
                    or not in_bailiwick(name, self.origin)):
                continue  # the apex is the name server's; a name outside is no business here
            try:
                changes.append(Change.build(name, records))
            except ValueError as exc:
                log.warning("dns publication: %s; retried later", exc)
                bad.append(name)
        return _Round(rows, changes, bad)

    async def _complete(self, prepared: _Round) -> int:
        """Send a prepared round and settle the journal; the names accepted."""
        rows = prepared.rows
        out, unsent, error = await self._send(prepared.changes)
        if error is not None and not out.published:
            self._failed(error)
            return 0
        self.messages_total += out.messages
        self.published_total += len(out.published)
        refused = set(out.refused) | set(prepared.bad)
        # the names of a message that failed as a whole keep their rows for the next round
        await self._settle([(i, n) for i, n in rows if n not in unsent], refused)
        if error is not None:  # a part failed as a whole: back off; the rest went out
            self._failed(error)
        elif out.published or not refused:
            self.backoff = 0.0
        if out.published or (error is None and not refused):
            self.last_success_unix = time.time()
        if out.published and out.messages:
            self.last_serial = await self.updater.serial()
        for name in out.published:
            self.held.pop(name, None)
        return len(out.published)

    async def _send(self, changes: list[Change]) -> tuple[Outcome, set[str], str | None]:
        """The round's messages, sent together: what the server did with them, the
        names of messages that failed as a whole, and that failure's text."""
        size = max(1, self.settings.dns_publish_batch)
        parts = [changes[i:i + size] for i in range(0, len(changes), size)]
        results = await asyncio.gather(*(self.updater.publish(p) for p in parts),
                                       return_exceptions=True)
        out, unsent, error = Outcome(), set[str](), None
        for part, result in zip(parts, results, strict=True):
            if isinstance(result, Unavailable):
                unsent.update(c.name for c in part)
                error = str(result)
            elif isinstance(result, BaseException):
                raise result
            else:
                out.add(result)
        return out, unsent, error

    async def _pending(self, busy: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
        """The oldest rows, up to ``dns_publish_round`` distinct names, leaving out the
        names held back after a refusal until their time comes and the ``busy`` ones
        (their rows stay for a later round)."""
        batch = max(1, self.settings.dns_publish_round)
        now = time.monotonic()
        waiting = [n for n, h in self.held.items() if h.retry_at > now]
        q = select(zone_changes.c.id, zone_changes.c.name).order_by(zone_changes.c.id)
        if waiting:
            q = q.where(zone_changes.c.name.not_in(waiting))
        limit = batch * 4 + 2 * len(busy)  # room past the busy round's own rows
        async with self.db.read() as conn:
            rows = [(r.id, r.name) for r in await conn.execute(q.limit(limit))]
        self.more = len(rows) == limit
        chosen: dict[str, None] = {}
        out = []
        for row_id, name in rows:
            if name in busy:
                self.more = True
                continue
            if name not in chosen:
                if len(chosen) == batch:
                    self.more = True
                    continue
                chosen[name] = None
            out.append((row_id, name))
        return out

    async def _settle(self, rows: list[tuple[int, str]], refused: set[str]) -> None:
        """Forget the rows read whose names went out; keep (or write, for a host that
        came along with its domain) a row for every name that did not."""
        journalled = {name for _id, name in rows}
        async with self.db.begin() as conn:
            await zone_journal.forget(conn, [i for i, n in rows if n not in refused])
            extra = sorted(refused - journalled)
            if extra:
                ms = int(self.clock.now().timestamp() * 1000)
                await conn.execute(insert(zone_changes),
                                   [{"name": n, "created_ms": ms} for n in extra])
        await self.acknowledged(rows)
        now = time.monotonic()
        base = self.settings.dns_refused_retry
        for name in refused:
            h = self.held.get(name)
            failures = (h.failures if h else 0) + 1
            delay = min(base * 10, base * 2 ** (failures - 1))
            self.held[name] = _Held(failures, now + delay)
        if refused:
            self.refused_total += len(refused)
            self.failures_total += len(refused)
            self.last_error = f"refused: {', '.join(sorted(refused)[:5])} " \
                              f"({self.updater.last_refusal or 'not a DNS record'})"

    async def acknowledged(self, rows: list[tuple[int, str]]) -> None:
        """Called after the journal rows of a round were forgotten (a seam for tests
        that look at the moment after the server's NOERROR)."""

    def _failed(self, error: str) -> None:
        self.failures_total += 1
        self.last_error = error
        cap = self.settings.dns_retry_max_delay
        self.backoff = min(cap, max(FIRST_BACKOFF, self.backoff * 2))
        log.warning("dns publication failed, next try in %.0f s: %s", self.backoff, error)

    def poll_interval(self) -> float:
        """How long an idle publisher waits: at most a quarter of the publication delay,
        and a second at most, so a change is out well within the delay."""
        return max(0.05, min(1.0, self.settings.dns_publish_delay / 4))

    async def run(self) -> None:
        """Publish until cancelled, one round with the server while the next is read
        and built: the server's time and the database's then overlap (at 1.4 million
        names each takes seconds a round). A name of the round with the server is left
        out of the next one, so two states of one name are never in flight together."""
        current: asyncio.Task[int] | None = None
        busy: frozenset[str] = frozenset()
        try:
            while True:
                prepared = None
                try:
                    prepared = await self._prepare(busy)
                    if current is not None:
                        # asyncio.wait, not ``await current``: awaiting a task hands a
                        # cancel of this loop to that task, and one that drops it
                        # (dnspython's queries use 3.11's wait_for, gh-86296) would end
                        # normally and leave this loop running after its cancel; here
                        # the cancel stays this loop's, and the finally settles the round
                        await asyncio.wait({current})
                        task, current = current, None
                        await task  # done: its result or its error, at once
                        busy = frozenset()
                        if self.backoff:
                            prepared = None  # it failed: its rows stay, the back-off first
                    if prepared is not None:
                        current = asyncio.create_task(self._complete(prepared))
                        busy = frozenset(n for _id, n in prepared.rows)
                        continue  # read the next round while this one is out
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # the database away, or a bug: log, wait, go on
                    log.exception("dns publication round failed")
                    self._failed(f"{type(exc).__name__}: {exc}")
                    if current is not None:  # settle it before its names are free again
                        await asyncio.wait({current})  # (not ``await``: as above)
                        current = None
                    busy = frozenset()
                if self.backoff:
                    await asyncio.sleep(self.backoff)
                elif not self.more:
                    # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a
                    # cancellation arriving as the event is set (gh-86296); the loop
                    # would then never stop
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.poll_interval()):
                            await self._wake.wait()
                self._wake.clear()
        finally:
            if current is not None:
                current.cancel()
                with contextlib.suppress(BaseException):
                    await current


@dataclass
class _Round:
    """A round read from the journal and ready for the server."""

    rows: list[tuple[int, str]]
    changes: list[Change]
    bad: list[str]


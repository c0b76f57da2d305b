"""The numbers an operator watches, in Prometheus' text format at ``/metrics``.

Each running registry owns its own ``CollectorRegistry`` (never the client library's
global one), so the tests can run several servers in one process without their counts
mixing, and a worker process reports only what it served.

Commands are counted where they run: the runner (``dkreg.runner``) calls ``observe``
once per command of every door. The gauges that describe state rather than events —
live EPP sessions, lifecycle lag and failing items, outbox depth, database pool use —
are read when scraped (``refresh``), so they are never stale and cost nothing between
scrapes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select

from dkreg.store.context import Ctx
from dkreg.store.schema import mail_outbox

if TYPE_CHECKING:
    from dkreg.store.db import Database


class ZoneState(Protocol):
    """What the zone gauges read (``dkreg.dns.status.ZoneState``, above this module)."""

    @property
    def depth(self) -> int: ...
    @property
    def oldest_age(self) -> float: ...
    @property
    def serial(self) -> int | None: ...
    @property
    def last_success_unix(self) -> float | None: ...
    @property
    def published_total(self) -> int: ...
    @property
    def failures_total(self) -> int: ...


class StepState(Protocol):
    """What the gauges read of a lifecycle step (``lifecycle.status.StepStatus``)."""

    @property
    def name(self) -> str: ...
    @property
    def oldest_due(self) -> datetime | None: ...
    @property
    def failing(self) -> int: ...

CONTENT_TYPE = CONTENT_TYPE_LATEST
# an EPP check answers in about a millisecond, a create with its poll message in tens,
# a login with argon2 in hundreds; a portal page is slower still
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
           10.0)


class Metrics:
    """The collectors of one registry instance."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        labels = ["door", "command", "code"]
        self.commands = Counter("dkreg_commands", "Commands run, by door, command and "
                                "result code", labels, registry=self.registry)
        self.latency = Histogram("dkreg_command_duration_seconds", "Time a command took "
                                 "from its start to its committed answer", labels,
                                 buckets=BUCKETS, registry=self.registry)
        self.epp_sessions = Gauge("dkreg_epp_sessions", "Live EPP connections of this "
                                  "process", registry=self.registry)
        self.lifecycle_lag = Gauge("dkreg_lifecycle_step_lag_seconds", "Age of the oldest "
                                   "due item of a lifecycle step (0: nothing due)", ["step"],
                                   registry=self.registry)
        self.lifecycle_failing = Gauge("dkreg_lifecycle_failing_items", "Items of a step "
                                       "recorded as failing and waiting for their retry",
                                       ["step"], registry=self.registry)
        self.lifecycle_failures = Counter("dkreg_lifecycle_item_failures", "Items a "
                                          "lifecycle step failed to handle, per attempt",
                                          ["step"], registry=self.registry)
        self.outbox_depth = Gauge("dkreg_outbox_depth", "Mails queued in the outbox and not "
                                  "yet sent", registry=self.registry)
        self.db_pool = Gauge("dkreg_db_pool_connections", "Database connections by pool "
                             "and state", ["pool", "state"], registry=self.registry)
        # the .dk zone (dkreg.dns.status): read when scraped like the gauges above
        self.zone_serial = Gauge("dkreg_zone_serial", "SOA serial the name server answered "
                                 "with after the last publication", registry=self.registry)
        self.zone_journal_depth = Gauge("dkreg_zone_journal_depth", "Zone changes journalled "
                                        "and not yet published", registry=self.registry)
        self.zone_oldest_unpublished = Gauge(
            "dkreg_zone_oldest_unpublished_seconds", "Age of the oldest unpublished zone "
            "change (0: none waits)", registry=self.registry)
        self.zone_last_publication = Gauge(
            "dkreg_zone_last_publication_timestamp_seconds", "Unix time of the last "
            "successful publication to the name server", registry=self.registry)
        self.zone_published = Counter("dkreg_zone_names_published", "Owner names published "
                                      "to the name server", registry=self.registry)
        self.zone_failures = Counter("dkreg_zone_publish_failures", "Publications the name "
                                     "server refused or did not answer", registry=self.registry)
        self._zone_seen = (0, 0)

    def observe(self, door: str, command: str, code: int, seconds: float) -> None:
        key = (door, command, code)
        children = self._children.get(key)
        if children is None:  # ``labels()`` validates and locks: once per label set
            labels = (door, command, str(code))
            children = self._children[key] = (self.commands.labels(*labels),
                                              self.latency.labels(*labels))
        children[0].inc()
        children[1].observe(seconds)

    def lifecycle_failed(self, step: str, items: int) -> None:
        if items:
            self.lifecycle_failures.labels(step).inc(items)

    async def refresh(self, db: Database, now: datetime, settings: Any,
                      steps: Callable[[Ctx], Awaitable[Iterable[StepState]]],
                      epp_sessions: int | None = None,
                      zone: Callable[[Any], Awaitable[ZoneState]] | None = None) -> None:
        """Read the state gauges: one short read-only unit of work. ``steps`` reads the
        lifecycle's steps (``lifecycle.status``, above this module: the door passes it)."""

        if epp_sessions is not None:
            self.epp_sessions.set(epp_sessions)
        self._pool(db)  # before the read below takes a connection of its own
        async with db.read() as conn:
            states = await steps(Ctx(conn=conn, now=now, settings=settings,
                                     is_sqlite=db.is_sqlite, door="metrics"))
            depth = (await conn.execute(select(func.count()).select_from(mail_outbox)
                                        .where(mail_outbox.c.status == "queued"))).scalar()
            if zone is not None:
                self._zone(await zone(conn))
        for step in states:
            lag = 0.0 if step.oldest_due is None else max(
                0.0, (now - step.oldest_due).total_seconds())
            self.lifecycle_lag.labels(step.name).set(lag)
            self.lifecycle_failing.labels(step.name).set(step.failing)
        self.outbox_depth.set(depth or 0)

    def _zone(self, state: ZoneState) -> None:
        self.zone_journal_depth.set(state.depth)
        self.zone_oldest_unpublished.set(state.oldest_age)
        if state.serial is not None:
            self.zone_serial.set(state.serial)
        if state.last_success_unix is not None:
            self.zone_last_publication.set(state.last_success_unix)
        seen_published, seen_failures = self._zone_seen
        # the publisher counts; the counters here follow its totals (a restarted publisher
        # starts again at 0, which a Prometheus counter reset expresses the same way)
        self.zone_published.inc(max(0, state.published_total - seen_published))
        self.zone_failures.inc(max(0, state.failures_total - seen_failures))
        self._zone_seen = (state.published_total, state.failures_total)

    def _pool(self, db: Database) -> None:
        pool: Any = db.engine.pool
        if hasattr(pool, "checkedout"):
            self.db_pool.labels("sqlalchemy", "in_use").set(pool.checkedout())
            self.db_pool.labels("sqlalchemy", "idle").set(pool.checkedin())
            self.db_pool.labels("sqlalchemy", "max").set(pool.size() + max(
                0, getattr(pool, "_max_overflow", 0)))
        raw = getattr(db, "_raw_pool", None)  # the asyncpg pool, once the fast paths ran
        if raw is not None:
            idle = raw.get_idle_size()
            self.db_pool.labels("asyncpg", "in_use").set(raw.get_size() - idle)
            self.db_pool.labels("asyncpg", "idle").set(idle)
            self.db_pool.labels("asyncpg", "max").set(raw.get_max_size())

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

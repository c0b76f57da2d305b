"""Write the synthetic registry into the database, in one transaction.

Why one transaction: a load that fails half-way (a full disk, Ctrl-C) leaves the
registry as empty as it was, never a registry of half-made domains whose sequences and
balances disagree.

PostgreSQL gets the rows by COPY (asyncpg's ``copy_records_to_table`` on the driver
connection under the SQLAlchemy transaction), the fastest way in, with the secondary
indexes and foreign keys set aside and rebuilt at the end (``demo/pg_bulk.py``: COPY of
100,000 domains took 55 s with them, 5 s without); SQLite by executemany in chunks. The
rows are made in a thread a few chunks ahead of the writes.

The zone-change journal's triggers (``store/zone_journal.py``) would write a row per
domain, name server and DS record, for changes no publisher needs: a fresh zone
generation (``dkreg zone generate``, or the resync) covers a bulk load. So on
PostgreSQL they are disabled for the load and enabled again before commit (``ALTER TABLE
... DISABLE TRIGGER`` is transactional: no other session ever sees them off), and on
SQLite, which cannot switch a trigger off, the rows they wrote are deleted in the same
transaction. Afterwards the id sequences stand past the ids the generator chose, so the
next ``create`` over EPP gets a fresh id, and each registrar's balance is the sum of its
ledger.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.clock import SystemClock
from dkreg.demo import pg_bulk
from dkreg.demo.generator import COLUMNS, Batch, Generator, Plan
from dkreg.model.passwords import generate_password, hash_password
from dkreg.store import schema
from dkreg.store.db import Database
from dkreg.store.schema import metadata, zone_changes
from dkreg.store.zone_journal import TRIGGERS

Progress = Callable[[int, int], None]  # (domains written, domains in all)

# a registry holding any of these is not empty
_CONTENT = (schema.registrars, schema.contacts, schema.domains, schema.hosts)
# kept by --force: the registry's clock offset and zone serial must survive a reload
_KEPT = {"registry_state"}


class RegistryNotEmpty(ValueError):
    """The database already holds a registry; ``force`` replaces it."""


@dataclass
class DemoStats:
    counts: dict[str, int]
    seconds: float
    password: str  # every demo EPP and portal user's
    registrars: list[str] = field(default_factory=list)  # handles
    logins: list[str] = field(default_factory=list)  # EPP service users, by registrar
    phases: dict[str, float] = field(default_factory=dict)  # seconds, where the time went

    @property
    def domains(self) -> int:
        return self.counts.get("domains", 0)


async def build(db: Database, domains: int, registrars: int = 60, seed: int = 1,
                progress: Progress | None = None, *, now: datetime | None = None,
                force: bool = False, chunk: int = 10_000, password: str | None = None,
                price_ore: int = 4500) -> DemoStats:
    """Load ``domains`` domains (the hosting companies' own among them) of ``registrars``
    registrars. Refuses a registry that is not empty unless ``force``, which deletes
    every row first (not the registry clock or zone serial)."""
    if domains < 1 or registrars < 1:
        raise ValueError("dkreg demo needs at least one domain and one registrar")
    started = time.perf_counter()
    password = password or generate_password(16)
    plan = Plan(domains=domains, registrars=registrars, seed=seed,
                now=now or SystemClock().now(), password_hash=hash_password(password),
                price_ore=price_ore)
    gen = Generator(plan, chunk=chunk)
    phases: dict[str, float] = {}
    clock = _Phases(phases)
    async with db.begin() as conn:
        with clock("check/empty"):
            await _refuse_or_empty(conn, force, db.is_sqlite)
        journal_before = (await conn.execute(
            select(func.coalesce(func.max(zone_changes.c.id), 0)))).scalar_one()
        if db.is_sqlite:
            with clock("rows"):
                await _load_sqlite(conn, gen, progress, domains)
            await conn.execute(zone_changes.delete().where(zone_changes.c.id > journal_before))
        else:
            await _load_postgres(conn, gen, progress, domains, clock)
        with clock("balances"):
            await conn.execute(schema.registrars.update().values(balance_ore=text(
                "(SELECT COALESCE(SUM(amount_ore), 0) FROM ledger "
                "WHERE ledger.registrar_id = registrars.id)")))
        clock.start("commit")
    clock.stop()
    if not db.is_sqlite:
        # planner statistics for the new rows (autovacuum would take its time), after
        # the commit, since ANALYZE samples what is committed
        with clock("analyze"):
            async with db.begin() as conn:
                await conn.exec_driver_sql("ANALYZE " + ", ".join(COLUMNS))
    return DemoStats(counts=dict(gen.counts), seconds=time.perf_counter() - started,
                     phases=phases,
                     password=password, registrars=list(gen.handles),
                     logins=[plan.login(i) for i in range(registrars)])


async def _refuse_or_empty(conn: AsyncConnection, force: bool, is_sqlite: bool) -> None:
    counts = {t.name: (await conn.execute(select(func.count()).select_from(t))).scalar_one()
              for t in _CONTENT}
    if not any(counts.values()):
        return
    if not force:
        held = ", ".join(f"{n} {t}" for t, n in counts.items() if n)
        raise RegistryNotEmpty(
            f"the registry is not empty ({held}): dkreg demo loads into an empty registry "
            "only; --force deletes everything in it first")
    tables = [t for t in reversed(metadata.sorted_tables) if t.name not in _KEPT]
    if is_sqlite:
        for t in tables:  # children first; the journal rows the deletes write go last
            await conn.execute(t.delete())
        await conn.execute(zone_changes.delete())
    else:
        await conn.exec_driver_sql(
            "TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE")


async def _load_sqlite(conn: AsyncConnection, gen: Generator, progress: Progress | None,
                       total: int) -> None:
    tables = metadata.tables
    async for batch in _prefetched(gen):
        cols = batch.columns
        await conn.execute(insert(tables[batch.table]), [dict(zip(cols, r, strict=True))
                                                         for r in batch.rows])
        _report(progress, batch, total)


async def _load_postgres(conn: AsyncConnection, gen: Generator, progress: Progress | None,
                         total: int, clock: _Phases) -> None:
    raw: Any = (await conn.get_raw_connection()).driver_connection
    triggers = [(table, name) for name, (table, *_rest) in TRIGGERS.items()]
    for table, name in triggers:
        await conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    restore = await pg_bulk.set_aside(conn, COLUMNS)
    with clock("rows"):
        async for batch in _prefetched(gen):
            await raw.copy_records_to_table(batch.table, records=batch.rows,
                                            columns=list(batch.columns))
            _report(progress, batch, total)
    with clock("indexes and keys"):
        await pg_bulk.put_back(conn, restore)
    for table, name in triggers:
        await conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
    for table in COLUMNS:
        if "id" in COLUMNS[table]:
            await conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), m) "
                f"FROM (SELECT max(id) AS m FROM {table}) s WHERE m IS NOT NULL")


class _Phases:
    """Wall-clock seconds per phase of the load, for the summary (where the time goes)."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into = into
        self._open: tuple[str, float] | None = None

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        self.start(name)
        try:
            yield
        finally:
            self.stop()

    def start(self, name: str) -> None:
        self._open = (name, time.perf_counter())

    def stop(self) -> None:
        if self._open is not None:
            name, t = self._open
            self.into[name] = self.into.get(name, 0.0) + time.perf_counter() - t
            self._open = None


_END = object()


async def _prefetched(gen: Generator, depth: int = 32) -> AsyncIterator[Batch]:
    """The generator's batches, made in a thread of their own a few chunks ahead: the
    rows of the next chunk are built while the database writes this one (the generator
    is pure Python, the database's time is spent outside the interpreter)."""
    q: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in gen:
                if not put(batch):
                    return
            put(_END)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)

    thread = threading.Thread(target=produce, name="dkreg-demo-generator", daemon=True)
    thread.start()
    loop = asyncio.get_running_loop()
    try:
        while True:
            item = await loop.run_in_executor(None, q.get)
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, Batch)
            yield item
    finally:
        stop.set()
        await loop.run_in_executor(None, thread.join)


def _report(progress: Progress | None, batch: Batch, total: int) -> None:
    if progress is not None and batch.table == "domains":
        progress(batch.domains_done, total)

"""Watch a login's argon2 work: while a password is hashed or checked, can another
writer use the database?

Every argon2 call goes through ``dkreg.model.passwords._HASHER``; the watch swaps in a
hasher (same cost) that, before it does its work, looks at the database from a separate
connection: on SQLite it takes the write lock itself (``BEGIN IMMEDIATE``, giving up after
a few seconds), on PostgreSQL it asks whether any connection but its own is idle inside
a transaction. A login whose transaction is open during the hash cannot pass: that
transaction waits for the hash, which waits for the watch. Brief transactions of the
server's own background work (the audit buffer) only delay the answer.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher

from dkreg.model import passwords

WAIT = 3.0  # seconds the watch waits for the database to be free


def _sqlite_free(path: str) -> bool:
    conn = sqlite3.connect(path, timeout=WAIT, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


async def _postgres_free(dsn: str) -> bool:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        deadline = time.monotonic() + WAIT
        while True:
            busy = await conn.fetchval(
                "select count(*) from pg_stat_activity where datname = current_database() "
                "and pid <> pg_backend_pid() and state like 'idle in transaction%'")
            if busy == 0:
                return True
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.02)
    finally:
        await conn.close()


class HashWatch:
    def __init__(self, url: str) -> None:
        self.url = url
        self.seen: list[tuple[str, bool]] = []  # (what, database free for another writer)

    def free(self) -> bool:
        if self.url.startswith("sqlite"):
            return _sqlite_free(self.url.split("///", 1)[1])
        dsn = self.url.replace("postgresql+asyncpg://", "postgresql://")
        # a thread of its own: the hash may run on the server's event loop thread
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _postgres_free(dsn)).result()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> HashWatch:
        watch, current = self, passwords._HASHER

        class Watching(PasswordHasher):
            def verify(self, hash: str | bytes, password: str | bytes) -> bool:
                watch.seen.append(("verify", watch.free()))
                return super().verify(hash, password)

            def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
                watch.seen.append(("hash", watch.free()))
                return super().hash(password, salt=salt)

        monkeypatch.setattr(passwords, "_HASHER", Watching(
            time_cost=current.time_cost, memory_cost=current.memory_cost,
            parallelism=current.parallelism))
        return self

    def assert_all_free(self, *, at_least: int) -> None:
        assert len(self.seen) >= at_least, self.seen
        assert all(free for _what, free in self.seen), (
            f"argon2 ran while a transaction was open: {self.seen}")


class HashCount:
    """Count the passwords argon2 checked: each ``verify`` is one password evaluated
    (a known account's hash or the dummy hash of an unknown one)."""

    def __init__(self) -> None:
        self.verified = 0
        self._lock = threading.Lock()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> HashCount:
        count, current = self, passwords._HASHER

        class Counting(PasswordHasher):
            def verify(self, hash: str | bytes, password: str | bytes) -> bool:
                with count._lock:
                    count.verified += 1
                return super().verify(hash, password)

        monkeypatch.setattr(passwords, "_HASHER", Counting(
            time_cost=current.time_cost, memory_cost=current.memory_cost,
            parallelism=current.parallelism))
        return self

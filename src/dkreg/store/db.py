"""Engine creation, transactions and schema upgrades.

SQLite is the laptop sandbox: one pooled connection and ``BEGIN IMMEDIATE`` so a write
transaction never dead-locks on lock upgrade when a second process (the CLI) writes too.
PostgreSQL is production: a normal pool, ``FOR UPDATE SKIP LOCKED`` for background work.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

if TYPE_CHECKING:
    import asyncpg
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Database:
    def __init__(self, url: str, pool_size: int = 20) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # the SQLite file, and (device, inode) of the one the pool opened last: a file
        # removed or replaced under the running server is then noticed (store.health)
        self.sqlite_path: Path | None = None
        self.file_identity: tuple[int, int] | None = None
        if self.is_sqlite:
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self.sqlite_path = Path(path)
            self.engine: AsyncEngine = create_async_engine(
                url, pool_size=1, max_overflow=0, pool_timeout=60,
                connect_args={"timeout": 30})
            self._install_sqlite_hooks()
            self.read_engine = self.engine
        else:
            self.engine = create_async_engine(
                url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=False)
            # reads: connections that stay in autocommit, so that a check or info is one
            # round trip (no BEGIN/ROLLBACK) without switching the isolation level on
            # every checkout (about a third of what SQLAlchemy adds to such a command)
            self.read_engine = create_async_engine(
                url, pool_size=pool_size, max_overflow=0, pool_pre_ping=False,
                isolation_level="AUTOCOMMIT")
        self.pool_size = pool_size
        self._raw_pool: asyncpg.Pool | None = None
        self._raw_lock = asyncio.Lock()

    def _install_sqlite_hooks(self) -> None:
        sync_engine = self.engine.sync_engine

        @event.listens_for(sync_engine, "connect")
        def _connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
            if self.sqlite_path is not None:
                st = os.stat(self.sqlite_path)
                self.file_identity = (st.st_dev, st.st_ino)

        @event.listens_for(sync_engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: committed on success, rolled back on any exception."""
        async with self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read-only unit of work.

        On PostgreSQL it runs in autocommit: a check or info is then one round trip
        instead of BEGIN, SELECT, ROLLBACK — most of what such a command costs.
        """
        async with self.read_engine.connect() as conn:
            yield conn

    async def raw_pool(self) -> asyncpg.Pool | None:
        """asyncpg pool: the PostgreSQL domain store's one-statement commands
        (``store/domains_pg.py``) and the audit buffer's COPY (``services.py``)."""
        if self.is_sqlite:
            return None
        if self._raw_pool is not None:  # every fast-path command asks: no lock once made
            return self._raw_pool
        async with self._raw_lock:
            if self._raw_pool is None:
                import asyncpg
                from sqlalchemy.engine import make_url

                dsn = make_url(self.url).set(drivername="postgresql").render_as_string(
                    hide_password=False)
                self._raw_pool = await asyncpg.create_pool(
                    dsn, min_size=1, max_size=self.pool_size, statement_cache_size=256,
                    reset=_keep_session)
        return self._raw_pool

    async def dispose(self) -> None:
        if self._raw_pool is not None:
            await self._raw_pool.close()
            self._raw_pool = None
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


async def _keep_session(_conn: asyncpg.Connection) -> None:
    """The raw pool only runs single autocommit statements and never changes session
    state, so asyncpg's reset on release (a round trip of UNLISTEN/RESET ALL per command)
    has nothing to undo."""


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_schema(url: str) -> None:
    """Bring the schema to the newest revision (``dkreg serve`` does this on start)."""
    from alembic import command

    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


async def upgrade_schema_async(url: str) -> None:
    await asyncio.to_thread(upgrade_schema, url)

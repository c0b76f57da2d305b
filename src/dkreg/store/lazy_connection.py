"""A command's database connection, checked out at its first statement.

An EPP check, info or Flow 1 create on PostgreSQL is one statement that the domain store
(``store/domains_pg.py``) runs on a pooled asyncpg connection in autocommit. Checking out
a SQLAlchemy connection for such a command anyway (pool checkout and return, and for a
write ``engine.begin``) costs about as much server CPU as the statement itself; this
connection costs nothing until something calls it. Call sites use it as they use an
``AsyncConnection`` (``ctx.conn.execute(...)``); :func:`lazy_connection` commits, rolls
back and returns the real one only if it was started.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.engine import CursorResult, ScalarResult
from sqlalchemy.engine.interfaces import PoolProxiedConnection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncResult, AsyncTransaction
from sqlalchemy.ext.asyncio.result import AsyncScalarResult

if TYPE_CHECKING:
    from collections.abc import Callable

    from dkreg.store.db import Database

Mode = Literal["read", "begin"]


class LazyConnection:
    """Stands for ``db.read()`` (mode "read") or ``db.begin()`` (mode "begin") until the
    first statement opens it; ``started`` says whether one did."""

    def __init__(self, db: Database, mode: Mode) -> None:
        self.db = db
        self.mode = mode
        self._conn: AsyncConnection | None = None
        self._conn_cm: AbstractAsyncContextManager[AsyncConnection] | None = None
        self._pooled: Any = None  # asyncpg connection, see autocommit_driver
        self._pool_cm: Any = None

    # its own context manager, not an AsyncExitStack under @asynccontextmanager: every
    # EPP command opens one, and those two layers cost as much as the rest of it
    async def __aenter__(self) -> LazyConnection:
        return self

    async def __aexit__(self, et: type[BaseException] | None, e: BaseException | None,
                        tb: TracebackType | None) -> None:
        """Commit or roll back the real connection and return it, then the pooled one
        (last opened, first closed), each only if it was opened."""
        try:
            if self._conn_cm is not None:
                cm, self._conn_cm = self._conn_cm, None
                await cm.__aexit__(et, e, tb)
        finally:
            if self._pool_cm is not None:
                cm_pool, self._pool_cm = self._pool_cm, None
                await cm_pool.__aexit__(et, e, tb)

    @property
    def started(self) -> bool:
        return self._conn is not None

    async def connection(self) -> AsyncConnection:
        """The real connection, checked out (and for "begin" a transaction begun) now if
        not yet."""
        if self._conn is None:
            cm = self.db.begin() if self.mode == "begin" else self.db.read()
            self._conn = await cm.__aenter__()
            self._conn_cm = cm
        return self._conn

    async def autocommit_driver(self) -> Any:
        """A pooled asyncpg connection in autocommit, held until the command ends.

        Only for a statement that commits on its own while this connection has not
        started: once it has, the command's statements belong in its transaction (the
        caller must use the real connection then)."""
        if self._conn is not None:
            raise RuntimeError("the command's connection has started: use it")
        if self._pooled is None:
            pool = await self.db.raw_pool()
            if pool is None:
                raise RuntimeError("no asyncpg pool: the autocommit driver is PostgreSQL's")
            cm = pool.acquire()
            self._pooled = await cm.__aenter__()
            self._pool_cm = cm
        return self._pooled

    # what the code base calls on ctx.conn
    async def execute(self, statement: Any, parameters: Any = None,
                      **kw: Any) -> CursorResult[Any]:
        return await (await self.connection()).execute(statement, parameters, **kw)

    async def exec_driver_sql(self, statement: str, parameters: Any = None,
                              **kw: Any) -> CursorResult[Any]:
        return await (await self.connection()).exec_driver_sql(statement, parameters, **kw)

    async def scalar(self, statement: Any, parameters: Any = None, **kw: Any) -> Any:
        return await (await self.connection()).scalar(statement, parameters, **kw)

    async def scalars(self, statement: Any, parameters: Any = None,
                      **kw: Any) -> ScalarResult[Any]:
        return await (await self.connection()).scalars(statement, parameters, **kw)

    async def stream(self, statement: Any, parameters: Any = None,
                     **kw: Any) -> AsyncResult[Any]:
        return await (await self.connection()).stream(statement, parameters, **kw)

    async def stream_scalars(self, statement: Any, parameters: Any = None,
                             **kw: Any) -> AsyncScalarResult[Any]:
        return await (await self.connection()).stream_scalars(statement, parameters, **kw)

    async def run_sync(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        return await (await self.connection()).run_sync(fn, *args, **kw)

    async def get_raw_connection(self) -> PoolProxiedConnection:
        return await (await self.connection()).get_raw_connection()

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[AsyncTransaction]:
        async with (await self.connection()).begin_nested() as tx:
            yield tx

    def in_transaction(self) -> bool:
        # not started: nothing has begun on the server, whatever the mode
        return self._conn is not None and self._conn.in_transaction()

    def __getattr__(self, name: str) -> Any:
        # anything else (sync_connection, dialect, ...) needs the real connection
        conn = self.__dict__.get("_conn")
        if conn is None:
            raise AttributeError(
                f"LazyConnection.{name}: not started (await .connection() first)")
        return getattr(conn, name)


def lazy_connection(db: Database, write: bool) -> LazyConnection:
    """``db.begin()`` (``write``) or ``db.read()``, opened at the first statement: on exit
    committed (or rolled back on an exception) and returned only if it was opened. Use
    it as ``async with lazy_connection(db, write) as conn``."""
    return LazyConnection(db, "begin" if write else "read")


def unstarted(conn: object) -> LazyConnection | None:
    """``conn`` if it is a lazy connection no statement has opened yet."""
    return conn if isinstance(conn, LazyConnection) and not conn.started else None


__all__: Sequence[str] = ["LazyConnection", "lazy_connection", "unstarted"]

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
from contextlib import AsyncExitStack, asynccontextmanager
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

    def __init__(self, db: Database, mode: Mode, stack: AsyncExitStack) -> None:
        self.db = db
        self.mode = mode
        self._stack = stack
        self._conn: AsyncConnection | None = None
        self._pooled: Any = None  # asyncpg connection, see autocommit_driver

    @property
    def started(self) -> bool:
        return self._conn is not None

    async def connection(self) -> AsyncConnection:
        """The real connection, checked out (and for "begin" a transaction begun) now if
        not yet."""
        if self._conn is None:
            opener = self.db.begin if self.mode == "begin" else self.db.read
            self._conn = await self._stack.enter_async_context(opener())
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
            self._pooled = await self._stack.enter_async_context(pool.acquire())
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


@asynccontextmanager
async def lazy_connection(db: Database, write: bool) -> AsyncIterator[LazyConnection]:
    """``db.begin()`` (``write``) or ``db.read()``, opened at the first statement: on exit
    committed (or rolled back on an exception) and returned only if it was opened."""
    async with AsyncExitStack() as stack:
        yield LazyConnection(db, "begin" if write else "read", stack)


def unstarted(conn: object) -> LazyConnection | None:
    """``conn`` if it is a lazy connection no statement has opened yet."""
    return conn if isinstance(conn, LazyConnection) and not conn.started else None


__all__: Sequence[str] = ["LazyConnection", "lazy_connection", "unstarted"]

"""Is the database the server uses the one the code needs? What ``/healthz`` asks first.

A pool connection that still answers ``select 1`` proves little: a database recreated
empty under a running server answered that while every EPP command failed with 2400.
So the check reads the schema revision (``alembic_version`` must be the head the code
ships — behind means not migrated, unknown means a newer release migrated it) and runs
one real query against a core table. On SQLite it also looks at the file: a server that
still has a removed or replaced file open writes into a file nobody will read again.

The shipped head and known revisions are read from the migration scripts once, at start
(``shipped_schema``); a check is then two tiny queries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.store.db import Database, alembic_config
from dkreg.store.schema import registrars

CORE_TABLE = registrars  # every EPP session starts by reading it (login)


@dataclass(frozen=True)
class ShippedSchema:
    head: str
    known: frozenset[str]


@lru_cache(maxsize=1)
def shipped_schema() -> ShippedSchema:
    """The migration scripts' head revision and every revision they know."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = scripts.get_current_head()
    assert head is not None, "the migrations have no head"
    return ShippedSchema(head, frozenset(s.revision for s in scripts.walk_revisions()))


@dataclass(frozen=True)
class Problem:
    check: str  # "schema" | "database"
    text: str


def unreachable(exc: BaseException) -> Problem:
    """The database could not be asked. Only the error's kind: its text may carry the
    host, the database or the user name."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    return Problem("database", f"the database is unreachable or failing "
                   f"({type(cause).__name__})")


def sqlite_file_problem(db: Database) -> Problem | None:
    """A SQLite file removed or replaced since the server opened it."""
    if db.sqlite_path is None or db.file_identity is None:
        return None
    try:
        st = os.stat(db.sqlite_path)
    except FileNotFoundError:
        return Problem("schema", f"no schema: the database file {db.sqlite_path} is gone "
                       f"(the code needs revision {shipped_schema().head}); the server "
                       "still writes into the removed file: restore it and restart")
    if (st.st_dev, st.st_ino) != db.file_identity:
        return Problem("schema", f"the database file {db.sqlite_path} was replaced under "
                       "the running server, which still writes into the old one: restart "
                       "it (checked at the path: " + _path_schema(db.sqlite_path) + ")")
    return None


def _path_schema(path: Path) -> str:
    """What a process opening the file at the path now finds."""
    import sqlite3

    try:
        conn = sqlite3.connect(path, timeout=1)
        try:
            row = conn.execute("select version_num from alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return f"no schema, the code needs revision {shipped_schema().head}"
    return revision_problem(row[0] if row else None) or "the schema is current"


def revision_problem(found: str | None) -> str | None:
    shipped = shipped_schema()
    if found is None:
        return f"no schema: the database is not migrated (the code needs revision " \
               f"{shipped.head})"
    if found == shipped.head:
        return None
    if found in shipped.known:
        return (f"the database schema is at revision {found}, behind the code's "
                f"{shipped.head}: migrate it (dkreg serve does on start)")
    return (f"the database schema is at revision {found}, which this code does not know "
            f"(its head is {shipped.head}): a newer release migrated it; run that release")


async def schema_problem(conn: AsyncConnection) -> Problem | None:
    """The revision, then one row of the core table; None when both are as needed."""
    try:
        found = (await conn.execute(text("select version_num from alembic_version"))).scalar()
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise
        found = None  # no alembic_version table: nothing was ever migrated here
    problem = revision_problem(found)
    if problem is not None:
        return Problem("schema", problem)
    try:
        await conn.execute(select(CORE_TABLE.c.id).limit(1))
    except SQLAlchemyError as exc:
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            raise
        return Problem("database", f"the core table {CORE_TABLE.name} cannot be read "
                       f"({type(exc.orig if isinstance(exc, DBAPIError) else exc).__name__})")
    return None


"""The suite's shared compiled-SQL cache (tests/support/engines.py): a second engine of the
same backend reuses the statements the first compiled, yet has a pool of its own."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from dkreg.store.db import Database
from dkreg.store.schema import metadata


async def test_second_engine_reuses_the_first_ones_compiled_statements(
        sqlite_template: Path, tmp_path: Path) -> None:
    import shutil

    table = metadata.sorted_tables[0]
    stmt = select(table).where(table.c[next(iter(table.c.keys()))].is_(None))

    def new_database(n: int) -> Database:
        path = tmp_path / f"{n}.sqlite3"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite+aiosqlite:///{path}")
        dbs.append(db)
        return db

    dbs: list[Database] = []
    try:
        first = new_database(1)
        async with first.read() as conn:
            await conn.execute(stmt)
        second = new_database(2)
        cache = first.engine.sync_engine._compiled_cache
        assert cache is not None
        size = len(cache)
        async with second.read() as conn:
            await conn.execute(stmt)
        assert second.engine.sync_engine._compiled_cache is cache
        assert len(cache) == size, "the second engine compiled the statement again"
        assert second.engine.sync_engine.pool is not first.engine.sync_engine.pool
    finally:
        for db in dbs:
            await db.dispose()

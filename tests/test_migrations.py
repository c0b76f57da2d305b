"""The migrations build exactly the schema ``store/schema.py`` declares (both backends),
so a model change without its migration (or the reverse) fails here."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from dkreg.store.db import Database
from dkreg.store.schema import metadata


def _diff(sync_conn) -> list:  # type: ignore[no-untyped-def,type-arg]
    ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True,
                                                      "compare_server_default": False})
    return [d for d in compare_metadata(ctx, metadata)
            if not (isinstance(d, tuple) and d[0] == "remove_table"
                    and d[1].name == "alembic_version")]


def test_upgrade_head_matches_the_declared_schema(db_url: str) -> None:
    async def run() -> list:  # type: ignore[type-arg]
        db = Database(db_url)
        try:
            async with db.engine.connect() as conn:
                return await conn.run_sync(_diff)
        finally:
            await db.dispose()

    assert asyncio.run(run()) == []
    version = asyncio.run(_version(db_url))
    assert version == "0007"


async def _version(url: str) -> str:
    from sqlalchemy import text

    db = Database(url)
    try:
        async with db.read() as conn:
            return (await conn.execute(text("select version_num from alembic_version"))
                    ).scalar_one()
    finally:
        await db.dispose()

"""The migrations build exactly the schema ``store/schema.py`` declares (both backends),
so a model change without its migration (or the reverse) fails here."""

from __future__ import annotations

import asyncio

import pytest
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


# SQLite cannot reflect expression indexes; test_expression_indexes_exist checks them
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning",
                            "ignore:.*expression-based index")
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
    assert version == "0014"


async def _version(url: str) -> str:
    from sqlalchemy import text

    db = Database(url)
    try:
        async with db.read() as conn:
            return (await conn.execute(text("select version_num from alembic_version"))
                    ).scalar_one()
    finally:
        await db.dispose()


def test_expression_indexes_exist(db_url: str) -> None:
    """Alembic cannot compare expression indexes on SQLite; check them by name."""
    from sqlalchemy import text

    async def names() -> set[str]:
        db = Database(db_url)
        try:
            async with db.read() as conn:
                sql = ("select name from sqlite_master where type = 'index'" if db.is_sqlite
                       else "select indexname from pg_indexes")
                return {r[0] for r in await conn.execute(text(sql))}
        finally:
            await db.dispose()

    assert "ix_contacts_email_lower" in asyncio.run(names())

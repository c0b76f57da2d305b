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
    from dkreg.store.health import shipped_schema

    assert version == shipped_schema().head  # one head: the scripts form a single chain


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


def test_0016_keeps_existing_portal_users_and_goes_down_and_up(db_url: str) -> None:
    """0016 on rows made under 0015 (unique by e-mail): they stay; afterwards one address
    may be invited by several registrars but be active at one only; down and up again."""
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from dkreg.store.db import alembic_config

    cfg = alembic_config(db_url)
    at = "'2026-12-01 00:00:00+00:00'"

    async def sql(*statements: str) -> None:
        db = Database(db_url)
        try:
            async with db.engine.begin() as conn:
                for s in statements:
                    await conn.execute(text(s))
        finally:
            await db.dispose()

    def user(rid: int, email: str, invited: bool) -> str:
        return ("insert into portal_users (registrar_id, email, privilege_group, "
                f"password_hash, invited, created_at) values ({rid}, '{email}', "
                f"'portfolio', 'x', {'true' if invited else 'false'}, {at})")

    command.downgrade(cfg, "0015")
    asyncio.run(sql(*[f"insert into registrars (id, handle, name, email, created_at) "
                      f"values ({i}, 'M{i}', 'M', 'm@example.dk', {at})" for i in (1, 2, 3)],
                    user(1, "a@example.dk", False), user(2, "b@example.dk", True)))
    command.upgrade(cfg, "0016")
    asyncio.run(sql(user(2, "a@example.dk", True), user(1, "b@example.dk", True)))
    # twice in one registrar, or active twice: refused
    for duplicate in (user(2, "b@example.dk", True), user(3, "a@example.dk", False)):
        with pytest.raises(IntegrityError):
            asyncio.run(sql(duplicate))
    asyncio.run(sql("delete from portal_users where (registrar_id = 2 and email = 'a@example.dk')"
                    " or (registrar_id = 1 and email = 'b@example.dk')"))
    command.downgrade(cfg, "0015")
    command.upgrade(cfg, "0016")
    assert asyncio.run(_version(db_url)) == "0016"
    command.upgrade(cfg, "head")

"""``/healthz`` answers for the database the server really uses (both backends): the
schema must be at the revision the code ships and a core table must answer. A database
recreated empty under the running server, one stamped at an older revision or at one the
code does not know, and an unreachable one each give 503 naming what is wrong; put back,
200. Each test has a database of its own (it drops and recreates it)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
from alembic import command
from sqlalchemy import text

from dkreg.app import Running
from dkreg.store.db import alembic_config, upgrade_schema
from dkreg.store.health import shipped_schema
from dkreg.web.asgi import build_app
from support.pg import PG_ADMIN, pg_url

HEAD = shipped_schema().head


async def _pg_admin(*statements: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


class Own:
    """A database of the test's own on ``backend``: made, emptied, migrated, dropped."""

    def __init__(self, backend: str, tmp_path: Path) -> None:
        self.backend = backend
        self.path = tmp_path / "own.sqlite3"
        self.name = f"dkreg_health_{os.getpid()}"
        self.url = (f"sqlite+aiosqlite:///{self.path}" if backend == "sqlite"
                    else pg_url(self.name))

    async def recreate_empty(self) -> None:
        """What an operator's "drop and create the database" leaves: nothing at all."""
        if self.backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            sqlite3.connect(self.path).close()
        else:
            await _pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
                            f'CREATE DATABASE "{self.name}"')

    async def drop(self) -> None:
        if self.backend == "postgres":
            await _pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    async def migrate(self, revision: str = "head") -> None:
        await asyncio.to_thread(command.upgrade, alembic_config(self.url), revision)

    async def stamp(self, revision: str) -> None:
        await asyncio.to_thread(command.stamp, alembic_config(self.url), revision, purge=True)


@pytest_asyncio.fixture
async def own(backend: str, tmp_path: Path, registry_on) -> AsyncIterator[tuple[Own, Any]]:  # type: ignore[no-untyped-def]
    db = Own(backend, tmp_path)
    await db.recreate_empty()
    await asyncio.to_thread(upgrade_schema, db.url)
    try:
        async with registry_on(db.url, tmp_path / "data") as registry:
            yield db, registry
    finally:
        await db.drop()


async def healthz(registry: Any) -> httpx.Response:
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=str(registry.ca_file))
    transport = httpx.ASGITransport(app=build_app(running))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
        return await web.get("/healthz")


async def test_healthz_checks_the_schema_of_the_database_in_use(own) -> None:  # type: ignore[no-untyped-def]
    db, registry = own
    r = await healthz(registry)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ok" and r.json()["schema"] == HEAD

    # recreated empty under the running server
    await db.recreate_empty()
    r = await healthz(registry)
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["status"] == "error" and body["check"] == "schema", body
    assert "no schema" in body["problem"] and HEAD in body["problem"], body
    if registry.db.is_sqlite:
        # the server still has the removed file open: it says so until it reopens
        assert "replaced" in body["problem"], body
        await registry.db.engine.dispose()  # what a restart does
        r = await healthz(registry)
        assert r.status_code == 503 and r.json()["check"] == "schema", r.text
        assert "no schema" in r.json()["problem"]

    # migrated, but only to an older revision: behind the code
    await db.migrate("0012")
    r = await healthz(registry)
    assert r.status_code == 503, r.text
    assert r.json()["check"] == "schema"
    assert r.json()["problem"] == (f"the database schema is at revision 0012, behind the "
                                   f"code's {HEAD}: migrate it (dkreg serve does on start)")
    # fully migrated, then stamped old: still behind
    await db.migrate()
    assert (await healthz(registry)).status_code == 200
    await db.stamp("0011")
    r = await healthz(registry)
    assert r.status_code == 503 and "at revision 0011, behind" in r.json()["problem"]

    # a revision this code does not know: a newer release migrated it
    async with registry.db.begin() as conn:
                await conn.execute(text("update alembic_version set version_num = '9999'"))
    r = await healthz(registry)
    assert r.status_code == 503
    assert "revision 9999, which this code does not know" in r.json()["problem"]

    # the revision is right but a core table is gone
    await db.stamp("head")
    assert (await healthz(registry)).status_code == 200
    async with registry.db.begin() as conn:
                await conn.execute(text("alter table registrars rename to registrars_gone"))
    r = await healthz(registry)
    assert r.status_code == 503 and r.json()["check"] == "database", r.text
    assert "registrars" in r.json()["problem"]
    async with registry.db.begin() as conn:
                await conn.execute(text("alter table registrars_gone rename to registrars"))
    r = await healthz(registry)
    assert r.status_code == 200 and r.json()["status"] == "ok", r.text


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_healthz_answers_503_when_the_database_is_unreachable(own) -> None:  # type: ignore[no-untyped-def]
    db, registry = own
    assert (await healthz(registry)).status_code == 200
    await db.drop()
    r = await healthz(registry)
    assert r.status_code == 503, r.text
    assert r.json()["check"] == "database" and "unreachable" in r.json()["problem"], r.text
    assert db.name not in r.text and "postgres@" not in r.text  # no connection details
    await db.recreate_empty()
    await db.migrate()
    r = await healthz(registry)
    assert r.status_code == 200, r.text

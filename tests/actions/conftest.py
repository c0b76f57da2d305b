"""Action-level fixtures: the actions run against a migrated SQLite store, without an EPP
server, TLS or XML.

Rule matrices (token, name servers, period, contact fields) have many cases and each
one over the wire pays a TLS session, a login, frames and schema validation. Here a case
is one action call. Each test gets a copy of the session's migrated template file
(``sqlite_template`` in tests/conftest.py): measured at 2 ms a copy, where building the
tables in a ``:memory:`` database takes 0.5 s (and skips the migrations' own SQL), and
running the migrations 4 s.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from actions.world import NS, START, World
from dkreg.actions.account.registrars import registrar_create
from dkreg.clock import FixedClock
from dkreg.config import Settings
from dkreg.store.context import Actor, Ctx
from dkreg.store.db import Database


async def _world(db_file: Path, data_dir: Path, **settings: object) -> AsyncIterator[World]:
    s = Settings(data_dir=data_dir, database_url=f"sqlite+aiosqlite:///{db_file}", epp_port=0,
                 lifecycle_interval=3600)
    for key, value in settings.items():
        setattr(s, key, value)
    db = Database(s.url)
    clock = FixedClock(START)
    try:
        async with db.begin() as conn:
            ctx = Ctx(conn=conn, now=clock.now(), settings=s, is_sqlite=True, door="cli")
            rid = await registrar_create(ctx, "REG-700001", "Action Registrar",
                                         "action@example.dk", 10_000_00)
        yield World(db, s, clock, Actor(registrar_id=rid, registrar_handle="REG-700001",
                                        login="action-epp"))
    finally:
        await db.dispose()


@pytest.fixture
def world_file(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "dkreg.sqlite3"
    shutil.copy(sqlite_template, path)
    return path


@pytest_asyncio.fixture
async def world(world_file: Path, tmp_path: Path) -> AsyncIterator[World]:
    async for w in _world(world_file, tmp_path):
        yield w


@pytest.fixture
def world_with(world_file: Path, tmp_path: Path) -> Callable[..., Any]:
    """For settings other than the defaults: ``async with world_with(max_ns=3) as w``."""

    @contextlib.asynccontextmanager
    async def make(**settings: object) -> AsyncIterator[World]:
        gen = _world(world_file, tmp_path, **settings)
        w = await gen.__anext__()
        try:
            yield w
        finally:
            await gen.aclose()

    return make


@pytest_asyncio.fixture
async def registrant(world: World) -> str:
    """A verified registrar-managed registrant and the two name-server hosts."""
    handle = await world.contact()
    await world.hosts(*NS)
    return handle

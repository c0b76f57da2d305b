"""The server's lifecycle loop: a tick that cannot run at all (no schema, no database)
is logged once per kind of failure, its recovery once, and the loop stops when told."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from dkreg.app import lifecycle_loop
from dkreg.clock import OffsetClock
from dkreg.config import Settings
from dkreg.services import Services
from dkreg.store.db import Database, upgrade_schema_async


async def _until(predicate, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


async def test_a_tick_that_keeps_failing_is_logged_once_and_its_recovery_once(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="dkreg")
    url = f"sqlite+aiosqlite:///{tmp_path / 'registry.db'}"
    db = Database(url)  # no schema yet: every tick fails before any step can run
    services = Services(db=db, settings=Settings(data_dir=tmp_path, database_url=url,
                                                 lifecycle_interval=0.01),
                        clock=OffsetClock(0.0))
    loop = asyncio.create_task(lifecycle_loop(services))
    try:
        def records(level: int, text: str) -> list[logging.LogRecord]:
            return [r for r in caplog.records
                    if r.name == "dkreg" and r.levelno == level and text in r.getMessage()]

        await _until(lambda: len(records(logging.DEBUG, "still fails")) >= 5)
        failed = records(logging.ERROR, "lifecycle tick failed")
        assert len(failed) == 1 and failed[0].exc_info is not None

        # the schema arrives while the loop runs (the loop's connection sees it; the
        # engine is not disposed under it, which would strand a tick mid-query)
        await upgrade_schema_async(url)
        await _until(lambda: bool(records(logging.WARNING, "runs again")))
        assert len(records(logging.ERROR, "lifecycle tick failed")) == 1
        assert len(records(logging.WARNING, "runs again")) == 1
    finally:
        loop.cancel()
        done, _ = await asyncio.wait([loop], timeout=5)
        assert done, "the lifecycle loop did not stop when cancelled"
        await db.dispose()

"""What every ``dkreg`` command module shares: one registry context per command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from dkreg import runner
from dkreg.config import Settings
from dkreg.store.context import REGISTRY_ACTOR, Actor, Ctx


async def with_ctx(settings: Settings, fn: Callable[[Ctx], Awaitable[Any]],
                   actor: Actor = REGISTRY_ACTOR) -> Any:
    """Run ``fn`` in one transaction on an upgraded schema, at registry time (the
    sandbox's moved clock included), audited and measured as a CLI command."""
    from dkreg.services import StoredClock
    from dkreg.store.db import Database, upgrade_schema_async

    await upgrade_schema_async(settings.url)
    db = Database(settings.url)
    try:
        clock = StoredClock(db)
        if settings.sandbox:  # production ignores any offset left from sandbox days
            await clock.load()
        name = getattr(fn, "__qualname__", "command").split(".<locals>")[0]
        with runner.measure(None, "cli", name.removeprefix("cmd_")):
            async with db.begin() as conn:
                ctx = runner.context(conn, now=clock.now(), settings=settings, actor=actor,
                                     is_sqlite=db.is_sqlite, door="cli")
                return await fn(ctx)
    finally:
        await db.dispose()

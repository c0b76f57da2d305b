"""One compiled-SQL cache per backend for the whole test process.

SQLAlchemy caches each statement's compiled form per engine, keyed by the engine's
dialect object. The suite makes a new engine for every test (every registry fixture, every
server a test starts), so each test compiled every statement it ran afresh: about a sixth
of the suite's CPU in py-spy samples. Production has one engine per process and never pays
this.

``share_compiled_sql`` makes every engine the process creates after the first one (of the
same dialect and driver) use that first engine's dialect object and cache. Each test still
gets its own engine, pool and connections; only the compiled statements are shared. They
depend on the dialect alone (not on the database file or the data), which is why
SQLAlchemy can cache them at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import LRUCache

from dkreg.store import db as db_module

# big enough that the whole suite's statements stay compiled (the per-engine default of
# 500 would evict some in a full run)
CACHE_SIZE = 20_000

_shared: dict[tuple[str, str], tuple[Dialect, LRUCache[Any, Any]]] = {}


def _initialised(dialect: Dialect) -> bool:
    """A dialect learns the server's version and features on its first connection; a
    dialect that has not connected yet must not be handed on (it would compile for
    defaults)."""
    return dialect.server_version_info is not None


def _sharing(create: Any) -> Any:
    def create_async_engine(url: Any, **kw: Any) -> AsyncEngine:
        engine: AsyncEngine = create(url, **kw)
        sync = engine.sync_engine
        key = (sync.dialect.name, sync.dialect.driver)
        found = _shared.get(key)
        if found is not None and _initialised(found[0]):
            sync.dialect, sync._compiled_cache = found
        else:
            cache: LRUCache[Any, Any] = LRUCache(CACHE_SIZE)
            sync._compiled_cache = cache
            _shared[key] = (sync.dialect, cache)
        return engine

    create_async_engine.shares_compiled_sql = True  # type: ignore[attr-defined]
    return create_async_engine


def share_compiled_sql() -> None:
    """Install the sharing factory where dkreg makes its engines (idempotent)."""
    current = db_module.create_async_engine
    if not getattr(current, "shares_compiled_sql", False):
        db_module.create_async_engine = _sharing(current)  # type: ignore[assignment]


def shared_cache_sizes() -> dict[str, int]:
    """How many compiled statements each backend holds (for the self-test)."""
    return {f"{name}+{driver}": len(cache) for (name, driver), (_d, cache) in _shared.items()}

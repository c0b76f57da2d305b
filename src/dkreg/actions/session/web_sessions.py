"""What the web doors' server-side sessions share (portal, staff page; self-service keeps
the same cookie hashing): the browser holds a random token, the table only its SHA-256,
and a session ends when it is idle too long or its user is disabled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Select, Table, delete, update

from dkreg.store.context import Ctx


async def live_session(ctx: Ctx, table: Table, key: str, query: Select[Any],
                       idle_seconds: float) -> Any:
    """The row ``query`` finds for the session ``key`` (it selects ``last_seen_at`` and the
    user's ``disabled``), touched; None — and the session deleted — when it is idle too
    long or the user is disabled, or when there is none."""
    row = (await ctx.conn.execute(query)).first()
    if row is None:
        return None
    if row.disabled or ctx.now - row.last_seen_at > timedelta(seconds=idle_seconds):
        await ctx.conn.execute(delete(table).where(table.c.id_hash == key))
        return None
    await ctx.conn.execute(update(table).where(table.c.id_hash == key)
                           .values(last_seen_at=ctx.now))
    return row

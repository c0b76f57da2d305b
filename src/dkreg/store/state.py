"""Small registry-wide settings kept with the data (the sandbox clock offset)."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.store.schema import registry_state

CLOCK_OFFSET = "clock_offset_seconds"


async def get_value(conn: AsyncConnection, key: str) -> str | None:
    return (await conn.execute(
        select(registry_state.c.value).where(registry_state.c.key == key))).scalar()


async def set_value(conn: AsyncConnection, key: str, value: str | None) -> None:
    if value is None:
        await conn.execute(delete(registry_state).where(registry_state.c.key == key))
        return
    result = await conn.execute(
        update(registry_state).where(registry_state.c.key == key).values(value=value))
    if result.rowcount == 0:
        await conn.execute(insert(registry_state).values(key=key, value=value))


async def clock_offset(conn: AsyncConnection) -> float:
    value = await get_value(conn, CLOCK_OFFSET)
    return float(value) if value else 0.0

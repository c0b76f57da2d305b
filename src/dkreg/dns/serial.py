"""The .dk zone's SOA serial: Unix time, never going backwards.

Why Unix time and not the common ``YYYYMMDDnn``: the date form allows 100 serials a day,
and a registry that publishes every minute (issue 14: changes reach the name servers
within 60 s) would run out of them before noon and then have to run ahead of the date.
A Unix-time serial increases on every change (``max(now, last + 1)``), is monotonic
whatever the clock does (a clock set back, or the sandbox's clock reset, only makes the
serial count on by one), can still be read as a time (``date -d @SERIAL``), and is what
Knot DNS itself writes with ``serial-policy: unixtime`` (its ``increment`` policy only
ever adds one, so the two agree on the direction). It stays inside RFC 1982's 32-bit
serial space until 2106.

The last serial handed out is kept in ``registry_state`` (key ``zone_serial``), read
with a row lock on PostgreSQL, so two generations in parallel cannot take the same one;
it is written in the caller's transaction and so only counts if that commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.store import state
from dkreg.store.schema import registry_state

KEY = "zone_serial"
MAX = 2**32 - 1  # RFC 1982: SERIAL_BITS = 32


async def current(conn: AsyncConnection) -> int | None:
    """The last serial handed out, or None before the first generation."""
    value = await state.get_value(conn, KEY)
    return int(value) if value else None


async def next_serial(conn: AsyncConnection, now_unix: int) -> int:
    """A serial above every earlier one: ``now_unix``, or the last one plus one when the
    clock has not moved past it (two generations in one second, or a clock set back)."""
    value = (await conn.execute(select(registry_state.c.value)
                                .where(registry_state.c.key == KEY)
                                .with_for_update())).scalar()
    last = int(value) if value else 0
    serial = max(int(now_unix), last + 1)
    if serial > MAX:
        raise ValueError(f"zone serial {serial} is beyond 32 bits (RFC 1982)")
    await state.set_value(conn, KEY, str(serial))
    return serial


async def raise_to(conn: AsyncConnection, serial: int) -> None:
    """Remember a serial the name server reached on its own (its serial policy counts
    on at each dynamic update), so the next generated zone starts above it."""
    value = (await conn.execute(select(registry_state.c.value)
                                .where(registry_state.c.key == KEY)
                                .with_for_update())).scalar()
    if value is None or int(value) < serial:
        await state.set_value(conn, KEY, str(serial))

"""Web throttles: an attempt is *reserved* — counted and noted in one step, under a lock —
before it is evaluated, so a limit of N admits at most N evaluations however many requests
arrive at once.

Counting first and noting later (after the password was checked) let parallel requests
all count the same few rows: 40 wrong passwords sent at once were all hashed against a
limit of 5, because each saw none of the others' failures. Now each attempt takes a
transaction-scoped lock per counted value (the submitted key, the client address),
counts the rows within the window, and inserts its own row before the lock goes; the next
request for the same key or address waits for that commit and counts it. On SQLite every
write transaction is ``BEGIN IMMEDIATE``, one writer at a time, which serialises the same
way; on PostgreSQL (read committed: each statement sees what committed before it) the
lock is an advisory transaction lock. A password login reserves in a short transaction
of its own, committed before the argon2 work starts (``actions.password_check``); a
success gives its reservation back (``release``), so only failures keep counting, as
before. Link and reset requests reserve in the transaction that serves them.

Rows are counted per *submitted* key (a handle or e-mail, whether or not it exists, so
the limit tells nothing about which accounts exist) and per client address. One table
(``selfservice_throttle``: kind, key, time) serves every door without a table of its own:
self-service login-link requests ("link") and failed logins ("login"), failed staff
logins ("staff_login"), each event noted under its key and under ``ip:<address>``. The
portal keeps its own tables (one row of e-mail and address per event) and reserves
through ``reserve`` as well. Rows older than the window are deleted on the way, skipping
rows another transaction is deleting (no waiting, no dead-lock between two clean-ups).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, delete, func, insert, select, text

from dkreg.store.context import Ctx
from dkreg.store.schema import selfservice_throttle


def ip_key(client_ip: str) -> str:
    return ("ip:" + client_ip)[:255]


@dataclass(frozen=True)
class Limit:
    """At most ``most`` rows with ``column == value`` within the window."""

    column: Column[Any]
    value: str
    most: int


@dataclass(frozen=True)
class Reservation:
    """The rows an admitted attempt noted, so that a success can give them back."""

    table: Table
    ids: tuple[int, ...]


def _lock_id(name: str) -> int:
    """A stable signed 64-bit advisory-lock id for ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


async def serialise(ctx: Ctx, names: Sequence[str]) -> None:
    """Hold a lock per name until the transaction ends. Taken in one order (of the ids),
    so two transactions locking overlapping names never wait on each other crosswise.
    SQLite needs none: its writers already run one at a time."""
    if ctx.is_sqlite:
        return
    for lock in sorted({_lock_id(n) for n in names}):
        await ctx.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})


async def reserve(ctx: Ctx, name: str, table: Table, limits: Sequence[Limit],
                  rows: Sequence[dict[str, Any]], window: float,
                  scope: Sequence[ColumnElement[bool]] = ()) -> Reservation | None:
    """Note ``rows`` (each with its ``at``) unless a limit is already reached within the
    last ``window`` seconds; None then, and nothing is noted. ``scope`` narrows what is
    counted (a kind), ``name`` says what is counted (it names the locks). The caller
    audits a refusal in its own door."""
    since = ctx.now - timedelta(seconds=window)
    await serialise(ctx, [f"{name}|{lim.column.name}|{lim.value}" for lim in limits])
    old = select(table.c.id).where(*scope, table.c.at < since)
    await ctx.conn.execute(delete(table).where(table.c.id.in_(ctx.skip_locked(old))))
    for lim in limits:
        n = (await ctx.conn.execute(select(func.count()).select_from(table).where(
            *scope, lim.column == lim.value, table.c.at >= since))).scalar_one()
        if n >= lim.most:
            return None
    ids = [int((await ctx.conn.execute(insert(table).values(**row).returning(table.c.id)
                                       )).scalar_one()) for row in rows]
    return Reservation(table, tuple(ids))


async def release(ctx: Ctx, reservation: Reservation) -> None:
    """Give a reservation back: the attempt succeeded, it does not count."""
    t = reservation.table
    await ctx.conn.execute(delete(t).where(t.c.id.in_(reservation.ids)))


async def reserve_event(ctx: Ctx, kind: str, key: str, client_ip: str, per_key: int,
                        per_ip: int, window: float) -> Reservation | None:
    """Reserve one ``kind`` event for ``key`` and for the client address in the shared
    table; None when either reached its limit within ``window`` seconds."""
    t = selfservice_throttle
    key, ip = key[:255], ip_key(client_ip)
    return await reserve(
        ctx, f"{t.name}|{kind}", t, [Limit(t.c.key, key, per_key), Limit(t.c.key, ip, per_ip)],
        [{"kind": kind, "key": key, "at": ctx.now}, {"kind": kind, "key": ip, "at": ctx.now}],
        window, scope=[t.c.kind == kind])

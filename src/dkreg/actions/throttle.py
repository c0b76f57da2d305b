"""Counting recent events per submitted key and per client address, for throttles.

One table (``selfservice_throttle``: kind, key, time) serves every door that limits
guesses without a table of its own: self-service login-link requests ("link") and
failed logins ("login"), failed staff logins ("staff_login"). Each event is noted twice,
under its key (a submitted handle or e-mail, whether or not it exists, so the limit
tells nothing about which accounts exist) and under ``ip:<address>``. A kind's rows
older than its window are deleted when it is next checked.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, insert, select

from dkreg.actions.context import Ctx
from dkreg.store.schema import selfservice_throttle


def ip_key(client_ip: str) -> str:
    return ("ip:" + client_ip)[:255]


async def over_limit(ctx: Ctx, kind: str, key: str, client_ip: str, per_key: int,
                     per_ip: int, window: float) -> bool:
    """Whether ``kind`` events for ``key`` or for the client address reached their limit
    within the last ``window`` seconds. The caller audits a refusal in its own door."""
    since = ctx.now - timedelta(seconds=window)
    t = selfservice_throttle
    await ctx.conn.execute(delete(t).where(t.c.kind == kind, t.c.at < since))

    async def count(value: str) -> int:
        return (await ctx.conn.execute(select(func.count()).select_from(t).where(
            t.c.kind == kind, t.c.key == value, t.c.at >= since))).scalar_one()

    return await count(key) >= per_key or await count(ip_key(client_ip)) >= per_ip


async def note(ctx: Ctx, kind: str, key: str, client_ip: str) -> None:
    """One more ``kind`` event for ``key`` and for the client address."""
    await ctx.conn.execute(insert(selfservice_throttle), [
        {"kind": kind, "key": key[:255], "at": ctx.now},
        {"kind": kind, "key": ip_key(client_ip), "at": ctx.now}])

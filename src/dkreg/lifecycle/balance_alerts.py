"""Low-balance mails: tell a registrar when its prepaid balance falls to a threshold.

Watching the balance here, rather than in each debit, covers every way money leaves
the account (the PostgreSQL create path debits inside one SQL statement) and costs the
hot path nothing. ``low_balance_alert_ore`` remembers the lowest threshold announced,
so each threshold is mailed once per fall; a top-up above it re-arms it. The mail is
queued in the same transaction that records the announcement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update

from dkreg.billing.recipients import recipients
from dkreg.lifecycle.runner import Run, Step
from dkreg.mail.outbox import queue_mail
from dkreg.store.context import Ctx
from dkreg.store.schema import ledger, registrars


def level_of(balance_ore: int, thresholds_ore: list[int]) -> int | None:
    """The lowest threshold the balance is at or below (None: above them all)."""
    reached = [t for t in thresholds_ore if balance_ore <= t]
    return min(reached) if reached else None


_COLUMNS = (registrars.c.id, registrars.c.handle, registrars.c.name, registrars.c.email,
            registrars.c.balance_ore, registrars.c.low_balance_alert_ore)


async def _changed(ctx: Ctx, run: Run | None = None) -> list[int]:
    """Registrars whose level differs from the one announced, read without locks: this
    runs every tick, and EPP debits on the account rows must never wait for it."""
    thresholds = ctx.settings.low_balance_thresholds_ore
    if not thresholds:
        return []
    query = select(*_COLUMNS).where(or_(registrars.c.balance_ore <= max(thresholds),
                                        registrars.c.low_balance_alert_ore.is_not(None)))
    if run is not None:
        query = query.where(run.ready(registrars.c.id))
    return [r.id for r in await ctx.conn.execute(query)
            if level_of(r.balance_ore, thresholds) != r.low_balance_alert_ore]


async def due_low_balances(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    """Lock only the few registrars whose level changed."""
    due = (await _changed(ctx, run))[:limit]
    if not due:
        return []
    query = select(*_COLUMNS).where(registrars.c.id.in_(due)).order_by(registrars.c.id)
    return list(await ctx.conn.execute(ctx.skip_locked(query)))


async def announce_low_balances(ctx: Ctx, rows: list[Any]) -> int:
    thresholds = ctx.settings.low_balance_thresholds_ore
    changed = 0
    for row in rows:
        level = level_of(row.balance_ore, thresholds)
        alerted = row.low_balance_alert_ore
        if level == alerted:  # settled meanwhile
            continue
        if level is not None and (alerted is None or level < alerted):
            for to in await recipients(ctx, row.id, row.email):
                await queue_mail(ctx, kind="low_balance", to=to,
                                 lang=ctx.settings.mail_default_lang, registrar_id=row.id,
                                 context={"registrar": row.name, "handle": row.handle,
                                          "balance_ore": row.balance_ore,
                                          "threshold_ore": level})
        await ctx.conn.execute(update(registrars).where(registrars.c.id == row.id)
                               .values(low_balance_alert_ore=level))
        changed += 1
    return changed


async def oldest_low_balance(ctx: Ctx) -> datetime | None:
    """Since the latest account movement of the longest-waiting changed registrar."""
    due = await _changed(ctx)
    if not due:
        return None
    latest = (select(func.max(ledger.c.created_at).label("at")).where(
        ledger.c.registrar_id.in_(due)).group_by(ledger.c.registrar_id).subquery())
    return (await ctx.conn.execute(select(func.min(latest.c.at)))).scalar()


LOW_BALANCE_ALERTS = Step("low_balance_alerts", due_low_balances, announce_low_balances,
                          oldest_low_balance, lambda row: f"registrar {row.id} ({row.handle})")

"""The prepaid account as the portal shows it: balance and the ledger, newest first, paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from dkreg.actions.context import Ctx
from dkreg.actions.ledger import balance
from dkreg.actions.portal_access import PortalUser, require
from dkreg.store.schema import ledger

PAGE_SIZE = 25


@dataclass(frozen=True)
class LedgerLine:
    at: datetime
    kind: str
    reference: str | None
    amount_ore: int
    balance_after_ore: int


@dataclass(frozen=True)
class Statement:
    balance_ore: int
    lines: list[LedgerLine]
    page: int
    pages: int


async def account_statement(ctx: Ctx, user: PortalUser, page: int = 1,
                            page_size: int = PAGE_SIZE) -> Statement:
    require(user, "account_view")
    rid = user.registrar_id
    total = (await ctx.conn.execute(select(func.count()).select_from(ledger)
                                    .where(ledger.c.registrar_id == rid))).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = await ctx.conn.execute(
        select(ledger).where(ledger.c.registrar_id == rid)
        .order_by(ledger.c.id.desc()).limit(page_size).offset((page - 1) * page_size))
    lines = [LedgerLine(r.created_at, r.kind, r.reference, r.amount_ore, r.balance_after_ore)
             for r in rows]
    return Statement(await balance(ctx, rid), lines, page, pages)

"""The prepaid account as the portal shows it: balance and the ledger, newest first, paged."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from dkreg.actions.portal.access import PortalUser, require
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.money import ore_to_dkk
from dkreg.store.context import Ctx
from dkreg.store.ledger import balance
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


# --- monthly statement (download) ------------------------------------------------------
# Months are Copenhagen calendar months: a registrar's books follow Danish time, so a
# transaction at 23:30 UTC on 31 May is in June's statement.

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class MonthStatement:
    registrar_handle: str
    month: str  # YYYY-MM
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    opening_ore: int
    closing_ore: int
    lines: list[LedgerLine]


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The UTC interval of a Copenhagen calendar month ``YYYY-MM``."""
    match = _MONTH.fullmatch(month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 9999:
        raise err(2005, "value_syntax", field="month", detail=Detail("month_written_yyyy_mm"))
    year, mon = int(match.group(1)), int(match.group(2))
    nxt = (year + 1, 1) if mon == 12 else (year, mon + 1)
    start = datetime(year, mon, 1, tzinfo=COPENHAGEN).astimezone(UTC)
    end = datetime(nxt[0], nxt[1], 1, tzinfo=COPENHAGEN).astimezone(UTC)
    return start, end


def statement_months(created_at: datetime, now: datetime) -> list[str]:
    """Every month from the account's first to the current one, newest first."""
    first, last = created_at.astimezone(COPENHAGEN), now.astimezone(COPENHAGEN)
    months, y, m = [], last.year, last.month
    while (y, m) >= (first.year, first.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return months


async def monthly_statement(ctx: Ctx, user: PortalUser, month: str) -> MonthStatement:
    require(user, "account_view")
    start, end = month_bounds(month)
    rid = user.registrar_id
    before = (await ctx.conn.execute(
        select(ledger.c.balance_after_ore).where(ledger.c.registrar_id == rid,
                                                 ledger.c.created_at < start)
        .order_by(ledger.c.id.desc()).limit(1))).scalar()
    rows = await ctx.conn.execute(
        select(ledger).where(ledger.c.registrar_id == rid, ledger.c.created_at >= start,
                             ledger.c.created_at < end).order_by(ledger.c.id))
    lines = [LedgerLine(r.created_at, r.kind, r.reference, r.amount_ore, r.balance_after_ore)
             for r in rows]
    opening = before or 0
    closing = lines[-1].balance_after_ore if lines else opening
    return MonthStatement(user.registrar_handle, month.strip(), start, end, opening, closing,
                          lines)


def statement_csv(statement: MonthStatement) -> str:
    """RFC 4180 CSV, amounts in DKK with '.' as decimal separator, times in UTC (ISO 8601).
    The opening and closing balances are rows of their own so a spreadsheet can check
    that opening + sum(amounts) = closing."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["time_utc", "kind", "reference", "amount_dkk", "balance_after_dkk"])
    w.writerow([statement.start.strftime("%Y-%m-%dT%H:%M:%SZ"), "opening_balance",
                f"{statement.registrar_handle} {statement.month}", "",
                ore_to_dkk(statement.opening_ore)])
    for line in statement.lines:
        w.writerow([line.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), line.kind,
                    _cell(line.reference or ""), ore_to_dkk(line.amount_ore),
                    ore_to_dkk(line.balance_after_ore)])
    w.writerow([statement.end.strftime("%Y-%m-%dT%H:%M:%SZ"), "closing_balance",
                f"{statement.registrar_handle} {statement.month}", "",
                ore_to_dkk(statement.closing_ore)])
    return out.getvalue()


def _cell(text: str) -> str:
    """A spreadsheet must not run a reference as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

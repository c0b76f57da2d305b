"""The prepaid account: append-only ledger with the running balance beside it.

A debit is one conditional UPDATE (balance >= price) so that concurrent creates can
never overdraw the account nor be debited twice, and the row lock it takes is held
only from that statement to commit.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.ledger_kinds import check_kind
from dkreg.store.context import Ctx
from dkreg.store.schema import ledger, registrars


async def post_ledger(ctx: Ctx, registrar_id: int, amount_ore: int, kind: str,
                      reference: str) -> int:
    check_kind(kind)
    new_balance = (await ctx.conn.execute(
        update(registrars).where(registrars.c.id == registrar_id)
        .values(balance_ore=registrars.c.balance_ore + amount_ore)
        .returning(registrars.c.balance_ore))).scalar_one()
    await ctx.conn.execute(insert(ledger).values(
        registrar_id=registrar_id, amount_ore=amount_ore, balance_after_ore=new_balance,
        kind=kind, reference=reference, created_at=ctx.now))
    return new_balance


async def debit(ctx: Ctx, registrar_id: int, amount_ore: int, kind: str, reference: str,
                reason: str = "insufficient_credit") -> int:
    check_kind(kind)
    new_balance = (await ctx.conn.execute(
        update(registrars)
        .where(registrars.c.id == registrar_id, registrars.c.balance_ore >= amount_ore)
        .values(balance_ore=registrars.c.balance_ore - amount_ore)
        .returning(registrars.c.balance_ore))).scalar()
    if new_balance is None:
        raise err(2104, reason, detail=Detail("price_dkk", value=amount_ore / 100))
    await ctx.conn.execute(insert(ledger).values(
        registrar_id=registrar_id, amount_ore=-amount_ore, balance_after_ore=new_balance,
        kind=kind, reference=reference, created_at=ctx.now))
    return new_balance


async def balance(ctx: Ctx, registrar_id: int) -> int:
    return (await ctx.conn.execute(
        select(registrars.c.balance_ore).where(registrars.c.id == registrar_id))).scalar_one()


async def verify_all(ctx: Ctx) -> list[tuple[str, int, int]]:
    """Registrars whose running balance disagrees with the sum of their ledger."""
    from sqlalchemy import func

    sums = (select(ledger.c.registrar_id, func.coalesce(func.sum(ledger.c.amount_ore), 0)
                   .label("total")).group_by(ledger.c.registrar_id).subquery())
    rows = await ctx.conn.execute(
        select(registrars.c.handle, registrars.c.balance_ore,
               func.coalesce(sums.c.total, 0).label("total"))
        .outerjoin(sums, sums.c.registrar_id == registrars.c.id))
    return [(r.handle, r.balance_ore, int(r.total)) for r in rows
            if r.balance_ore != int(r.total)]

"""info balance: the prepaid account, for service users with the Payer meta-role."""

from __future__ import annotations

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.ledger import balance


async def balance_info(ctx: Ctx) -> int:
    if ctx.actor.registrar_id is None or "payer" not in ctx.actor.roles:
        raise err(2201, "unauthorized", detail=Detail("payer_meta_role_needed_see"))
    return await balance(ctx, ctx.actor.registrar_id)

"""Sandbox top-up of the prepaid account from the portal.

Production money arrives through the payment provider (the self-service issue brings
its adapter and payment links); until then a sandbox lets a registrar's developer put
play money on the account. Each form carries a one-time key: a resubmitted or
double-clicked form credits once. The registrar row is locked first, so two
submissions of the same key cannot both see it unused.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from dkreg.actions.portal.access import PortalUser, require
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model import money
from dkreg.store.context import Ctx
from dkreg.store.ledger import post_ledger
from dkreg.store.schema import ledger, registrars

MAX_TOPUP_ORE = 1_000_000_00  # DKK 1,000,000 in one go
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
KIND = "topup"


def parse_amount(text: str) -> int:
    """A top-up's amount as typed, in either language's form (``5.000,50``, ``5,000.50``,
    ``5000,50``, ``5000.50``, with or without ``kr.``/``DKK``): a Danish registrar pasting
    an English figure, or the other way round, is read the same. What cannot be read
    unambiguously is refused with the forms that can."""
    try:
        ore = money.parse_amount(text[:64])
    except ValueError:
        raise err(2005, "value_syntax", field="amount",
                  detail=Detail("amount_dkk_with_at_most")) from None
    if not 100 <= ore <= MAX_TOPUP_ORE:
        raise err(2004, "value_range", field="amount",
                  detail=Detail("top_up_between_dkk_1"))
    return ore


async def sandbox_topup(ctx: Ctx, user: PortalUser, amount_text: str, key: str) -> int:
    """Credit the account; returns the new balance. Refused outside sandbox mode."""
    require(user, "account_topup")
    if not ctx.settings.sandbox:
        raise err(2101, "unimplemented", field="amount",
                  detail=Detail("top_ups_production_go_through"))
    if not _KEY.fullmatch(key):
        raise err(2005, "value_syntax", field="key", detail=Detail("form_s_one_time_key"))
    amount = parse_amount(amount_text)
    reference = f"sandbox top-up {key} by {user.email}"[:255]
    query = select(registrars.c.balance_ore).where(registrars.c.id == user.registrar_id)
    if not ctx.is_sqlite:
        query = query.with_for_update()
    current = (await ctx.conn.execute(query)).scalar_one()
    done = (await ctx.conn.execute(
        select(ledger.c.id).where(ledger.c.registrar_id == user.registrar_id,
                                  ledger.c.kind == KIND,
                                  ledger.c.reference.like(f"sandbox top-up {key} %")))).first()
    if done is not None:
        return int(current)  # this form was already credited
    return await post_ledger(ctx, user.registrar_id, amount, KIND, reference)

"""Availability in DAS's vocabulary (reference OTHER-SERVICES.md, DAS): one rule for DAS,
the public lookup page and unikpånettet.dk.

* ``available``: no live domain or application, not reserved, not offered;
* ``enqueued``: an application for the name is being processed;
* ``available-on-waiting-list``: released and offered to the first on its waiting list;
* ``unavailable``: a domain holds it, or the registry has reserved it.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select

from dkreg.model.names import DomainName
from dkreg.store.context import Ctx
from dkreg.store.schema import domains, reserved_names, waiting_list_offers

Availability = Literal["available", "unavailable", "enqueued", "available-on-waiting-list"]


async def availability(ctx: Ctx, name: DomainName) -> Availability:
    """One indexed read per table at most (DAS answers thousands a second)."""
    state = (await ctx.conn.execute(select(domains.c.state).where(
        domains.c.name == name.alabel, domains.c.released_at.is_(None)))).scalar()
    if state is not None:
        return "unavailable" if state == "active" else "enqueued"
    if (await ctx.conn.execute(select(reserved_names.c.id).where(
            reserved_names.c.name == name.alabel))).first() is not None:
        return "unavailable"
    if (await ctx.conn.execute(select(waiting_list_offers.c.id).where(
            waiting_list_offers.c.name == name.alabel,
            waiting_list_offers.c.offered_until > ctx.now))).first() is not None:
        return "available-on-waiting-list"
    return "available"

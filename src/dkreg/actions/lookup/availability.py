"""Availability in DAS's vocabulary (reference OTHER-SERVICES.md, DAS): one rule for DAS,
the public lookup page and unikpånettet.dk.

* ``available``: no live domain or application, not reserved, not offered;
* ``enqueued``: an application for the name is being processed;
* ``available-on-waiting-list``: released and offered to the first on its waiting list;
* ``unavailable``: a domain holds it, or the registry has reserved it.
"""

from __future__ import annotations

from typing import Literal

from dkreg.model.names import DomainName
from dkreg.store.context import Ctx

Availability = Literal["available", "unavailable", "enqueued", "available-on-waiting-list"]


async def availability(ctx: Ctx, name: DomainName) -> Availability:
    """The name's availability, from the domain store's one statement (DAS answers
    thousands a second)."""
    found = await ctx.domains.name_state(ctx, name.alabel)
    if found.state is not None:
        return "unavailable" if found.state == "active" else "enqueued"
    if found.reserved:
        return "unavailable"
    if found.offered:
        return "available-on-waiting-list"
    return "available"

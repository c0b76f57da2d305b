"""Availability in DAS's vocabulary (reference OTHER-SERVICES.md, DAS): one rule for DAS,
the public lookup page and unikpånettet.dk.

* ``available``: no live domain or application, not reserved, not offered;
* ``enqueued``: an application for the name is being processed;
* ``available-on-waiting-list``: released and offered to the first on its waiting list;
* ``unavailable``: a domain holds it, or the registry has reserved it.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import bindparam, exists, select

from dkreg.model.names import DomainName
from dkreg.store.context import Ctx
from dkreg.store.schema import domains, reserved_names, waiting_list_offers

Availability = Literal["available", "unavailable", "enqueued", "available-on-waiting-list"]


# one statement for the three answers, built once (DAS answers thousands a second)
_STATE = select(
    select(domains.c.state).where(domains.c.name == bindparam("name"),
                                  domains.c.released_at.is_(None))
    .scalar_subquery().label("state"),
    exists().where(reserved_names.c.name == bindparam("name")).label("reserved"),
    exists().where(waiting_list_offers.c.name == bindparam("name"),
                   waiting_list_offers.c.offered_until > bindparam("now")).label("offered"))


async def availability(ctx: Ctx, name: DomainName) -> Availability:
    row = (await ctx.conn.execute(_STATE, {"name": name.alabel, "now": ctx.now})).one()
    if row.state is not None:
        return "unavailable" if row.state == "active" else "enqueued"
    if row.reserved:
        return "unavailable"
    if row.offered:
        return "available-on-waiting-list"
    return "available"

"""The live domain a command acts on, locked for the rest of its transaction.

Every changing domain command starts the same way — parse the name, find the live row,
lock it so a concurrent command on the same domain waits and then sees this one's
result — and answers an unknown or unparsable name with 2303 in the command's own words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_domain_name
from dkreg.store.context import Ctx
from dkreg.store.schema import domains


async def lock_live_domain(ctx: Ctx, raw_name: str, not_found: str = "domain_not_found"
                           ) -> Any:
    """The live ``domains`` row (FOR UPDATE on PostgreSQL); 2303 ``not_found`` otherwise."""
    try:
        name = parse_domain_name(raw_name)
    except EppError as e:
        raise err(2303, not_found, field="domain:name", detail=e.detail) from None
    row = (await ctx.conn.execute(ctx.for_update(
        select(domains).where(domains.c.name == name.alabel,
                              domains.c.released_at.is_(None))))).first()
    if row is None:
        raise err(2303, not_found, field="domain:name",
                  detail=Detail("not_registered", ulabel=name.ulabel))
    return row

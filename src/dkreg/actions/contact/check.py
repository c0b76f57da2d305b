"""check contact: is a handle in use (handles are registry-assigned, so this mostly
tells a registrar whether a handle it holds still exists)."""

from __future__ import annotations

from sqlalchemy import select

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts


async def contact_check(ctx: Ctx, handles: list[str]) -> list[tuple[str, bool, str | None]]:
    if len(handles) > 100:
        raise err(2306, "policy", field="contact:id", detail=Detail("at_most_100_ids_per"))
    wanted = [h.strip().upper() for h in handles]
    used = {r.handle for r in await ctx.conn.execute(
        select(contacts.c.handle).where(contacts.c.handle.in_(wanted)))}
    return [(h, h not in used, "In use" if h in used else None) for h in wanted]

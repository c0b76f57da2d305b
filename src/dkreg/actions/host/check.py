"""check host."""

from __future__ import annotations

from sqlalchemy import select

from dkreg.details import Detail, render_detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_host_name
from dkreg.store.context import Ctx
from dkreg.store.schema import hosts


async def host_check(ctx: Ctx, names: list[str]) -> list[tuple[str, bool, str | None]]:
    if len(names) > 100:
        raise err(2306, "policy", field="host:name", detail=Detail("at_most_100_names_per"))
    parsed: list[tuple[str, str | None, str | None]] = []
    for raw in names:
        try:
            parsed.append((parse_host_name(raw), None, None))
        except EppError as e:
            parsed.append((raw.strip(), "invalid", render_detail(e.detail)))
    valid = [n for n, bad, _ in parsed if bad is None]
    used = {r.name for r in await ctx.conn.execute(
        select(hosts.c.name).where(hosts.c.name.in_(valid)))} if valid else set()
    out: list[tuple[str, bool, str | None]] = []
    for n, bad, _why in parsed:
        if bad:
            out.append((n, False, "Invalid host name"))  # the schema allows 32 characters
        else:
            out.append((n, n not in used, "In use" if n in used else None))
    return out

"""The operator's lists of names that are not domains but are not free either: reserved
names (unavailable, WHOIS ``Reserved``) and waiting-list offers (DAS
``available-on-waiting-list``, WHOIS ``Offered to waiting list``). Every change is
audited; a name that is a live domain cannot be reserved or offered (the registry would
show two answers for one name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select

from dkreg.errors import err
from dkreg.model.names import DomainName
from dkreg.store.audit import AuditEvent, write
from dkreg.store.context import Ctx
from dkreg.store.schema import domains, reserved_names, waiting_list_offers


@dataclass(frozen=True)
class ListedName:
    name: str  # U-label
    kind: str  # "reserved" | "waiting_list"
    note: str  # the reason, or until when it is offered
    since: datetime


async def _refuse_live(ctx: Ctx, name: DomainName) -> None:
    live = (await ctx.conn.execute(select(domains.c.id).where(
        domains.c.name == name.alabel, domains.c.released_at.is_(None)))).first()
    if live is not None:
        raise err(2302, "object_exists", field="name")


async def _audit(ctx: Ctx, command: str, name: DomainName, note: str) -> None:
    await write(ctx.conn, AuditEvent(at=ctx.now, door=ctx.door, command=command,
                                     result_code=1000, actor=ctx.actor.login,
                                     object=name.ulabel, request=note[:1000]))


async def reserve(ctx: Ctx, name: DomainName, reason: str) -> None:
    await _refuse_live(ctx, name)
    await ctx.conn.execute(delete(reserved_names).where(reserved_names.c.name == name.alabel))
    await ctx.conn.execute(insert(reserved_names).values(
        name=name.alabel, uname=name.ulabel, reason=reason.strip() or "reserved",
        created_at=ctx.now))
    await _audit(ctx, "name_reserve", name, reason)


async def offer(ctx: Ctx, name: DomainName, until: datetime) -> None:
    await _refuse_live(ctx, name)
    if until <= ctx.now:
        raise err(2004, "value_range", field="until")
    await ctx.conn.execute(delete(waiting_list_offers).where(
        waiting_list_offers.c.name == name.alabel))
    await ctx.conn.execute(insert(waiting_list_offers).values(
        name=name.alabel, uname=name.ulabel, offered_at=ctx.now, offered_until=until))
    await _audit(ctx, "name_offer", name, until.isoformat())


async def release(ctx: Ctx, name: DomainName) -> bool:
    """Take the name off both lists; False when it was on neither."""
    gone = 0
    for table in (reserved_names, waiting_list_offers):
        gone += (await ctx.conn.execute(delete(table).where(
            table.c.name == name.alabel))).rowcount or 0
    if gone:
        await _audit(ctx, "name_release", name, "")
    return bool(gone)


async def listed(ctx: Ctx) -> list[ListedName]:
    out = [ListedName(r.uname, "reserved", r.reason, r.created_at)
           for r in await ctx.conn.execute(select(reserved_names).order_by(reserved_names.c.name))]
    out += [ListedName(r.uname, "waiting_list", f"offered until {r.offered_until.isoformat()}",
                       r.offered_at)
            for r in await ctx.conn.execute(
                select(waiting_list_offers).order_by(waiting_list_offers.c.name))]
    return out

"""info host. Host data is public (it is in the DNS); the NS administrator is only
named to related registrars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select

from dkreg.actions.context import Ctx
from dkreg.errors import EppError, err
from dkreg.model.names import parse_host_name
from dkreg.store.schema import domain_ns, host_addrs, hosts, registrars


@dataclass(frozen=True)
class HostInfo:
    name: str
    roid: str
    statuses: list[str]
    addrs: list[tuple[str, str]]
    cl_id: str
    cr_id: str
    cr_date: datetime
    up_id: str | None
    up_date: datetime | None


def host_roid(name: str) -> str:
    return name.upper().replace(".", "_").replace("-", "_") + "-DK"


async def host_info(ctx: Ctx, raw: str) -> HostInfo:
    try:
        name = parse_host_name(raw)
    except EppError as e:
        raise err(2303, "host_not_found", field="host:name", detail=e.detail) from None
    row = (await ctx.conn.execute(
        select(hosts, registrars.c.handle.label("sponsor_handle"))
        .outerjoin(registrars, registrars.c.id == hosts.c.sponsor_id)
        .where(hosts.c.name == name))).first()
    if row is None:
        raise err(2303, "host_not_found", field="host:name", detail=f"{name} does not exist")
    linked = (await ctx.conn.execute(select(exists().where(domain_ns.c.host_id == row.id)))
              ).scalar()
    statuses = [s for s in row.statuses.split() if s != "ok"]
    if linked:
        statuses = ["linked", "serverDeleteProhibited", *statuses]
    addrs = [(r.ip, r.version) for r in await ctx.conn.execute(
        select(host_addrs.c.ip, host_addrs.c.version).where(host_addrs.c.host_id == row.id)
        .order_by(host_addrs.c.id))]
    return HostInfo(name=row.name, roid=host_roid(row.name), statuses=statuses or ["ok"],
                    addrs=addrs, cl_id=row.sponsor_handle or "DKHM1-DK", cr_id=row.created_by,
                    cr_date=row.created_at, up_id=row.updated_by, up_date=row.updated_at)

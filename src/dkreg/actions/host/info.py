"""info host. Host data is public (it is in the DNS); the NS administrator is only
named to related registrars [SPEC §Host Info: "only … if the requesting user has a
relationship …, either via a domain role or registrar group"].

Related here means: the registry itself, the host's sponsor, its name-server
administrator, or the registrar of a live domain that uses the host as a name server.

Statuses are those stored on the host (``pendingCreate`` while a registrant or a
requested administrator has not answered, ``pendingUpdate`` while an administrator
change waits) plus two the registry derives when asked, so they can never be stale:
``linked`` + ``serverDeleteProhibited`` while a live domain uses the host, and
``pendingDelete`` + ``serverUpdateProhibited`` while its superordinate domain is being
deleted (SPEC-DIGEST §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_host_name
from dkreg.store.context import Ctx
from dkreg.store.schema import domain_ns, domains, host_addrs, hosts, registrars


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
    nsa: str | None = None  # name-server administrator, only for related registrars


def host_roid(name: str) -> str:
    return name.upper().replace(".", "_").replace("-", "_") + "-DK"


def host_statuses(stored: str, *, linked: bool, domain_statuses: str | None) -> list[str]:
    """The EPP statuses of a host: stored ones plus those derived from its domains."""
    out = [s for s in stored.split() if s != "ok"]
    if domain_statuses and "pendingDelete" in domain_statuses.split():
        out += [s for s in ("pendingDelete", "serverUpdateProhibited") if s not in out]
    if linked:
        out = ["linked", "serverDeleteProhibited",
               *[s for s in out if s not in ("linked", "serverDeleteProhibited")]]
    return out or ["ok"]


def linked_clause(host_id: Any) -> Any:
    """EXISTS: a live domain uses the host as a name server."""
    return exists().where(domain_ns.c.host_id == host_id,
                          domain_ns.c.domain_id == domains.c.id,
                          domains.c.released_at.is_(None))


async def host_info(ctx: Ctx, raw: str) -> HostInfo:
    try:
        name = parse_host_name(raw)
    except EppError as e:
        raise err(2303, "host_not_found", field="host:name", detail=e.detail) from None
    sponsor = aliased(registrars)
    nsa = aliased(registrars)
    sup = aliased(domains)
    row = (await ctx.conn.execute(
        select(hosts, sponsor.c.handle.label("sponsor_handle"),
               nsa.c.handle.label("nsa_handle"), sup.c.statuses.label("domain_statuses"))
        .outerjoin(sponsor, sponsor.c.id == hosts.c.sponsor_id)
        .outerjoin(nsa, nsa.c.id == hosts.c.nsa_id)
        .outerjoin(sup, sup.c.id == hosts.c.domain_id)
        .where(hosts.c.name == name))).first()
    if row is None:
        raise err(2303, "host_not_found", field="host:name", detail=Detail("does_not_exist_3",
                                                                           name=name))
    linked = bool((await ctx.conn.execute(select(linked_clause(row.id)))).scalar())
    addrs = [(r.ip, r.version) for r in await ctx.conn.execute(
        select(host_addrs.c.ip, host_addrs.c.version).where(host_addrs.c.host_id == row.id)
        .order_by(host_addrs.c.id))]
    shown_nsa = row.nsa_handle if await _related(ctx, row) else None
    return HostInfo(name=row.name, roid=host_roid(row.name),
                    statuses=host_statuses(row.statuses, linked=linked,
                                           domain_statuses=row.domain_statuses),
                    addrs=addrs, cl_id=row.sponsor_handle or "DKHM1-DK", cr_id=row.created_by,
                    cr_date=row.created_at, up_id=row.updated_by, up_date=row.updated_at,
                    nsa=shown_nsa)


async def _related(ctx: Ctx, row: Any) -> bool:
    me = ctx.actor.registrar_id
    if me is None or me in (row.sponsor_id, row.nsa_id):
        return True
    return bool((await ctx.conn.execute(select(exists().where(
        domain_ns.c.host_id == row.id, domain_ns.c.domain_id == domains.c.id,
        domains.c.released_at.is_(None), domains.c.sponsor_id == me)))).scalar())

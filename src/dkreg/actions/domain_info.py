"""info domain, with the .dk visibility rules.

Everyone may see a domain's registrant, name servers, status and dates (public
registration data under NIS2). Sponsor-only data (auto-renew setting, subordinate
hosts) is shown to the sponsoring registrar alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dkreg.actions.context import Ctx
from dkreg.errors import EppError, err
from dkreg.model.names import DomainName, parse_domain_name
from dkreg.model.verification import is_validated
from dkreg.store.schema import contacts, domain_ns, domains, hosts, registrars


@dataclass(frozen=True)
class DomainInfo:
    name: str
    roid: str
    statuses: list[str]
    registrant: str
    ns: list[str]
    hosts: list[str] | None  # subordinate hosts, sponsor only
    cl_id: str
    cr_id: str
    cr_date: datetime
    up_id: str | None
    up_date: datetime | None
    ex_date: datetime | None
    registrant_validated: bool
    autorenew: bool | None  # sponsor only
    related: bool


async def domain_info(ctx: Ctx, raw_name: str) -> DomainInfo:
    try:
        name = parse_domain_name(raw_name)
    except EppError as e:
        raise err(2303, "domain_not_found", field="domain:name", detail=e.detail) from None
    if ctx.raw is not None:
        return await _info_pg(ctx, name)
    row = (await ctx.conn.execute(
        select(domains, contacts.c.handle.label("registrant_handle"),
               contacts.c.id_status, registrars.c.handle.label("sponsor_handle"))
        .join(contacts, contacts.c.id == domains.c.registrant_id)
        .outerjoin(registrars, registrars.c.id == domains.c.sponsor_id)
        .where(domains.c.name == name.alabel, domains.c.released_at.is_(None)))).first()
    if row is None:
        raise err(2303, "domain_not_found", field="domain:name",
                  detail=f"{name.ulabel} is not registered")
    related = ctx.actor.is_registry or (row.sponsor_id is not None
                                        and row.sponsor_id == ctx.actor.registrar_id)
    ns = [r.name for r in await ctx.conn.execute(
        select(hosts.c.name).join(domain_ns, domain_ns.c.host_id == hosts.c.id)
        .where(domain_ns.c.domain_id == row.id).order_by(domain_ns.c.position))]
    subordinate = None
    if related:
        subordinate = [r.name for r in await ctx.conn.execute(
            select(hosts.c.name).where(hosts.c.domain_id == row.id).order_by(hosts.c.name))]
    return DomainInfo(
        name=row.uname, roid=row.roid, statuses=row.statuses.split(),
        registrant=row.registrant_handle, ns=ns, hosts=subordinate,
        cl_id=row.sponsor_handle or "DKHM1-DK", cr_id=row.created_by, cr_date=row.created_at,
        up_id=row.updated_by, up_date=row.updated_at, ex_date=row.expires_at,
        registrant_validated=is_validated(row.id_status),
        autorenew=row.autorenew if related else None, related=related)


# One statement instead of three for the asyncpg fast path (see Database.raw_pool).
_INFO_SQL = """
SELECT d.id, d.uname, d.roid, d.statuses, d.sponsor_id, d.created_by, d.created_at,
       d.updated_by, d.updated_at, d.expires_at, d.autorenew,
       c.handle AS registrant_handle, c.id_status, r.handle AS sponsor_handle,
       ARRAY(SELECT h.name FROM domain_ns dn JOIN hosts h ON h.id = dn.host_id
             WHERE dn.domain_id = d.id ORDER BY dn.position) AS ns,
       ARRAY(SELECT h.name FROM hosts h WHERE h.domain_id = d.id ORDER BY h.name) AS subs
FROM domains d JOIN contacts c ON c.id = d.registrant_id
LEFT JOIN registrars r ON r.id = d.sponsor_id
WHERE d.name = $1 AND d.released_at IS NULL
"""


async def _info_pg(ctx: Ctx, name: DomainName) -> DomainInfo:
    row = await ctx.raw.fetchrow(_INFO_SQL, name.alabel)
    if row is None:
        raise err(2303, "domain_not_found", field="domain:name",
                  detail=f"{name.ulabel} is not registered")
    related = ctx.actor.is_registry or (row["sponsor_id"] is not None
                                        and row["sponsor_id"] == ctx.actor.registrar_id)
    return DomainInfo(
        name=row["uname"], roid=row["roid"], statuses=row["statuses"].split(),
        registrant=row["registrant_handle"], ns=list(row["ns"]),
        hosts=list(row["subs"]) if related else None,
        cl_id=row["sponsor_handle"] or "DKHM1-DK", cr_id=row["created_by"],
        cr_date=row["created_at"], up_id=row["updated_by"], up_date=row["updated_at"],
        ex_date=row["expires_at"], registrant_validated=is_validated(row["id_status"]),
        autorenew=row["autorenew"] if related else None, related=related)

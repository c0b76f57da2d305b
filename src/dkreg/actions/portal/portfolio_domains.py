"""The portal's domain list: a registrar's portfolio, searched, sorted and paged.

A registrar's domains are those it sponsors (registrar management), those it is the
billing registrar of, and those it applied for (registrant management: no sponsor).
Details come from ``domain_info`` (the EPP view), not from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select

from dkreg.actions.portal.access import PortalUser, require
from dkreg.store.context import Ctx
from dkreg.store.schema import applications, domains

PAGE_SIZE = 50
SORTS = ("name", "expiry")


@dataclass(frozen=True)
class DomainRow:
    name: str  # U-label
    statuses: list[str]
    expires_at: datetime | None


@dataclass(frozen=True)
class DomainPage:
    rows: list[DomainRow]
    total: int
    page: int
    pages: int
    query: str
    sort: str


def in_portfolio(registrar_id: int) -> ColumnElement[bool]:
    """Live or not, the registrar's domains: sponsored, billed, or applied for while
    nobody sponsors it (registrant management). An application made long ago does not
    keep a domain another registrar now sponsors (after a transfer) in the list."""
    applied = select(applications.c.domain_id).where(
        applications.c.registrar_id == registrar_id)
    return or_(domains.c.sponsor_id == registrar_id,
               domains.c.billing_registrar_id == registrar_id,
               and_(domains.c.sponsor_id.is_(None), domains.c.id.in_(applied)))


async def portfolio_domains(ctx: Ctx, user: PortalUser, query: str = "", sort: str = "name",
                            page: int = 1) -> DomainPage:
    require(user, "domains")
    rid = user.registrar_id
    query = query.strip().lower()[:255]
    sort = sort if sort in SORTS else "name"
    where = [domains.c.released_at.is_(None), in_portfolio(rid)]
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(or_(domains.c.uname.like(f"%{escaped}%", escape="\\"),
                         domains.c.name.like(f"%{escaped}%", escape="\\")))
    total = (await ctx.conn.execute(
        select(func.count()).select_from(domains).where(*where))).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    order = ([domains.c.expires_at.is_(None), domains.c.expires_at, domains.c.uname]
             if sort == "expiry" else [domains.c.uname])
    result = await ctx.conn.execute(
        select(domains.c.uname, domains.c.statuses, domains.c.expires_at).where(*where)
        .order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    rows = [DomainRow(r.uname, r.statuses.split(), r.expires_at) for r in result]
    return DomainPage(rows, total, page, pages, query, sort)

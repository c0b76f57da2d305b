"""The portal's domain list: a registrar's portfolio, searched, filtered, sorted and paged,
and the same rows in chunks for the CSV export.

A registrar's domains are those it sponsors (registrar management), those it is the
billing registrar of, and those it applied for (registrant management: no sponsor).
Details come from ``domain_info`` (the EPP view), not from here. The filters (status,
expiry, registrant) are ``portfolio_filter``'s, applied in the same query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select

from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.portfolio_filter import DomainFilter, where
from dkreg.store.context import Ctx
from dkreg.store.schema import applications, contacts, domains

PAGE_SIZE = 50
SORTS = ("name", "expiry")


@dataclass(frozen=True)
class DomainRow:
    name: str  # U-label
    statuses: list[str]
    expires_at: datetime | None
    registrant: str = ""  # the registrant's kontakt-ID


@dataclass(frozen=True)
class DomainPage:
    rows: list[DomainRow]
    total: int
    page: int
    pages: int
    query: str
    sort: str
    filters: DomainFilter = field(default_factory=DomainFilter)


@dataclass(frozen=True)
class ExportRow:
    """A domain as the CSV export writes it."""

    name: str  # U-label
    alabel: str
    statuses: list[str]
    expires_at: datetime | None
    created_at: datetime
    registrant: str  # kontakt-ID
    registrant_name: str


def in_portfolio(registrar_id: int) -> ColumnElement[bool]:
    """Live or not, the registrar's domains: sponsored, billed, or applied for while
    nobody sponsors it (registrant management). An application made long ago does not
    keep a domain another registrar now sponsors (after a transfer) in the list."""
    applied = select(applications.c.domain_id).where(
        applications.c.registrar_id == registrar_id)
    return or_(domains.c.sponsor_id == registrar_id,
               domains.c.billing_registrar_id == registrar_id,
               and_(domains.c.sponsor_id.is_(None), domains.c.id.in_(applied)))


def _conditions(ctx: Ctx, user: PortalUser, query: str, filters: DomainFilter
                ) -> list[ColumnElement[bool]]:
    """The portfolio, searched by name and filtered: one list of conditions for the page,
    its count and the export."""
    conditions = [domains.c.released_at.is_(None), in_portfolio(user.registrar_id)]
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(or_(domains.c.uname.like(f"%{escaped}%", escape="\\"),
                              domains.c.name.like(f"%{escaped}%", escape="\\")))
    return conditions + where(filters, ctx.now)


def _query(text: str) -> str:
    return text.strip().lower()[:255]


async def portfolio_domains(ctx: Ctx, user: PortalUser, query: str = "", sort: str = "name",
                            page: int = 1, filters: DomainFilter | None = None) -> DomainPage:
    require(user, "domains")
    query = _query(query)
    filters = filters or DomainFilter()
    sort = sort if sort in SORTS else "name"
    conditions = _conditions(ctx, user, query, filters)
    total = (await ctx.conn.execute(
        select(func.count()).select_from(domains).where(*conditions))).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    order = ([domains.c.expires_at.is_(None), domains.c.expires_at, domains.c.uname]
             if sort == "expiry" else [domains.c.uname])
    result = await ctx.conn.execute(
        select(domains.c.uname, domains.c.statuses, domains.c.expires_at,
               contacts.c.handle)
        .join(contacts, contacts.c.id == domains.c.registrant_id).where(*conditions)
        .order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    rows = [DomainRow(r.uname, r.statuses.split(), r.expires_at, r.handle) for r in result]
    return DomainPage(rows, total, page, pages, query, sort, filters)


async def portfolio_domains_export(ctx: Ctx, user: PortalUser, query: str,
                                   filters: DomainFilter, after: str | None,
                                   limit: int) -> list[ExportRow]:
    """Up to ``limit`` domains of the searched and filtered portfolio, by name, after the
    U-label ``after``: the export reads the portfolio in chunks this way (keyset, so a
    late chunk costs what the first does, and each chunk is a short transaction)."""
    require(user, "domains")
    conditions = _conditions(ctx, user, _query(query), filters)
    if after is not None:
        conditions.append(domains.c.uname > after)
    result = await ctx.conn.execute(
        select(domains.c.uname, domains.c.name, domains.c.statuses, domains.c.expires_at,
               domains.c.created_at, contacts.c.handle, contacts.c.name.label("cname"),
               contacts.c.org)
        .join(contacts, contacts.c.id == domains.c.registrant_id).where(*conditions)
        .order_by(domains.c.uname).limit(limit))
    return [ExportRow(r.uname, r.name, r.statuses.split(), r.expires_at, r.created_at,
                      r.handle, r.org or r.cname or "") for r in result]

"""The portal's contact and host lists, and whether a domain is in a registrar's portfolio.

A registrar's contacts and hosts are those it sponsors; like the domain list
(``portfolio_domains``) they are searched, sorted and paged here, while details come
from the EPP views (``contact_info``, ``host_info``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select

from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.portfolio_domains import in_portfolio
from dkreg.errors import EppError
from dkreg.model.names import parse_domain_name
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domains, host_addrs, hosts

PAGE_SIZE = 50
CONTACT_SORTS = ("handle", "name", "created")
HOST_SORTS = ("name", "created")


@dataclass(frozen=True)
class ContactRow:
    handle: str
    name: str | None
    org: str | None
    email: str
    created_at: datetime


@dataclass(frozen=True)
class HostRow:
    name: str
    statuses: list[str]
    addrs: list[str]
    created_at: datetime


@dataclass(frozen=True)
class ObjectPage:
    rows: list[Any]  # ContactRow | HostRow
    total: int
    page: int
    pages: int
    query: str
    sort: str


@dataclass(frozen=True)
class PortfolioDomain:
    id: int
    uname: str
    in_redemption: bool


def _like(query: str, *columns: Any) -> Any:
    """Case-insensitive substring match on any of ``columns`` (same on both backends)."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(func.lower(c).like(f"%{escaped}%", escape="\\") for c in columns))


async def _paged(ctx: Ctx, columns: list[Any], where: list[Any], order: list[Any],
                 page: int) -> tuple[list[Any], int, int, int]:
    """One page of rows; returns (rows, total, page, pages) with ``page`` clamped."""
    table = columns[0].table
    total = (await ctx.conn.execute(
        select(func.count()).select_from(table).where(*where))).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = list(await ctx.conn.execute(select(*columns).where(*where).order_by(*order)
                                       .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return rows, total, page, pages


async def portfolio_contacts(ctx: Ctx, user: PortalUser, query: str = "",
                             sort: str = "handle", page: int = 1) -> ObjectPage:
    require(user, "contacts")
    query = query.strip().lower()[:255]
    sort = sort if sort in CONTACT_SORTS else "handle"
    where = [contacts.c.sponsor_id == user.registrar_id, contacts.c.deleted_at.is_(None)]
    if query:
        where.append(_like(query, contacts.c.handle, contacts.c.name, contacts.c.org,
                           contacts.c.email))
    orders: dict[str, list[Any]] = {"handle": [contacts.c.handle],
             "name": [func.lower(func.coalesce(contacts.c.name, contacts.c.org, "")),
                      contacts.c.id],
             "created": [contacts.c.created_at.desc(), contacts.c.id.desc()]}
    order = orders[sort]
    rows, total, page, pages = await _paged(
        ctx, [contacts.c.handle, contacts.c.name, contacts.c.org, contacts.c.email,
              contacts.c.created_at], where, order, page)
    return ObjectPage([ContactRow(r.handle, r.name, r.org, r.email, r.created_at)
                       for r in rows], total, page, pages, query, sort)


async def portfolio_hosts(ctx: Ctx, user: PortalUser, query: str = "", sort: str = "name",
                          page: int = 1) -> ObjectPage:
    require(user, "hosts")
    query = query.strip().lower()[:255]
    sort = sort if sort in HOST_SORTS else "name"
    where = [hosts.c.sponsor_id == user.registrar_id]
    if query:
        where.append(_like(query, hosts.c.name))
    order = ([hosts.c.created_at.desc(), hosts.c.id.desc()] if sort == "created"
             else [hosts.c.name])
    rows, total, page, pages = await _paged(
        ctx, [hosts.c.id, hosts.c.name, hosts.c.statuses, hosts.c.created_at], where, order,
        page)
    addrs: dict[int, list[str]] = {}
    if rows:
        for a in await ctx.conn.execute(
                select(host_addrs.c.host_id, host_addrs.c.ip)
                .where(host_addrs.c.host_id.in_([r.id for r in rows]))
                .order_by(host_addrs.c.host_id, host_addrs.c.id)):
            addrs.setdefault(a.host_id, []).append(a.ip)
    return ObjectPage([HostRow(r.name, r.statuses.split(), addrs.get(r.id, []), r.created_at)
                       for r in rows], total, page, pages, query, sort)


async def portfolio_domain(ctx: Ctx, user: PortalUser, raw_name: str) -> PortfolioDomain | None:
    """The live domain of that name if it is in the registrar's portfolio (``in_portfolio``),
    else None."""
    require(user, "domains")
    try:
        name = parse_domain_name(raw_name)
    except EppError:
        return None
    row = (await ctx.conn.execute(
        select(domains.c.id, domains.c.uname, domains.c.redemption_until)
        .where(domains.c.name == name.alabel, domains.c.released_at.is_(None),
               in_portfolio(user.registrar_id)))).first()
    if row is None:
        return None
    return PortfolioDomain(row.id, row.uname, row.redemption_until is not None)

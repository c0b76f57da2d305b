"""What the portal's "register a domain" form reads before it changes anything.

The registrant picker offers the registrar's own contacts (those it sponsors, as the
contact list shows them), searched by kontakt-ID, name, organisation or e-mail, a
bounded few at a time. ``preflight`` asks, with EPP's own check commands, whether the
name is free and which of the name servers do not exist yet as hosts, so the form can
report a taken name with every other field error — before it creates a registrant or a
host — and offer the missing hosts for creation in the same step.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from dkreg.actions.domain.check import domain_check
from dkreg.actions.host.check import host_check
from dkreg.actions.portal.access import PortalUser, require
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_domain_name
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts

PICKER_SIZE = 20


@dataclass(frozen=True)
class Candidate:
    handle: str
    name: str  # who the contact is: the organisation, else the person
    email: str


async def registrant_candidates(ctx: Ctx, user: PortalUser, query: str = "",
                                limit: int = PICKER_SIZE) -> list[Candidate]:
    """Up to ``limit`` of the registrar's contacts matching ``query`` (all, when empty),
    the newest first: the one just made is the likeliest registrant."""
    require(user, "domain_create")
    where = [contacts.c.sponsor_id == user.registrar_id, contacts.c.deleted_at.is_(None)]
    q = query.strip().lower()[:255]
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(or_(*(func.lower(c).like(f"%{escaped}%", escape="\\") for c in (
            contacts.c.handle, contacts.c.name, contacts.c.org, contacts.c.email))))
    rows = await ctx.conn.execute(
        select(contacts.c.handle, contacts.c.name, contacts.c.org, contacts.c.email)
        .where(*where).order_by(contacts.c.created_at.desc(), contacts.c.id.desc())
        .limit(limit))
    return [Candidate(r.handle, r.org or r.name or "", r.email) for r in rows]


@dataclass(frozen=True)
class Preflight:
    taken: EppError | None  # the name is registered or applied for (2302, as create says)
    missing_hosts: list[str]  # name servers (A-labels) that are no host object yet


async def preflight(ctx: Ctx, user: PortalUser, name: str | None,
                    ns: list[str]) -> Preflight:
    """``name`` must parse (the form checked it; None: not asked); ``ns`` as the store
    keeps names (empty: not asked)."""
    require(user, "domain_create")
    taken = None
    if name is not None:
        [checked] = await domain_check(ctx, [name])
        if not checked.avail:
            taken = err(2302, "domain_occupied", field="domain:name",
                        detail=Detail("registered_applied",
                                      ulabel=parse_domain_name(name).ulabel))
    missing = [n for n, avail, _reason in await host_check(ctx, ns) if avail] if ns else []
    return Preflight(taken, missing)

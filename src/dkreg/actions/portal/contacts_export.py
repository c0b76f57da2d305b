"""The registrar's contacts for the CSV export, read in chunks by kontakt-ID.

The same contacts as the portal's contact list (``portfolio_contacts``: sponsored by the
registrar, not deleted, searched the same way), with what a spreadsheet of them needs.
Chunks follow the kontakt-ID (keyset), so every chunk is one short indexed read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.portfolio_objects import _like
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts


@dataclass(frozen=True)
class ContactExportRow:
    handle: str
    name: str | None
    org: str | None
    email: str
    voice: str | None
    cc: str
    city: str
    created_at: datetime


async def portfolio_contacts_export(ctx: Ctx, user: PortalUser, query: str,
                                    after: str | None, limit: int) -> list[ContactExportRow]:
    """Up to ``limit`` of the registrar's contacts after kontakt-ID ``after``."""
    require(user, "contacts")
    query = query.strip().lower()[:255]
    conditions = [contacts.c.sponsor_id == user.registrar_id, contacts.c.deleted_at.is_(None)]
    if query:
        conditions.append(_like(query, contacts.c.handle, contacts.c.name, contacts.c.org,
                                contacts.c.email))
    if after is not None:
        conditions.append(contacts.c.handle > after)
    result = await ctx.conn.execute(
        select(contacts.c.handle, contacts.c.name, contacts.c.org, contacts.c.email,
               contacts.c.voice, contacts.c.cc, contacts.c.city, contacts.c.created_at)
        .where(*conditions).order_by(contacts.c.handle).limit(limit))
    return [ContactExportRow(r.handle, r.name, r.org, r.email, r.voice, r.cc, r.city,
                             r.created_at) for r in result]

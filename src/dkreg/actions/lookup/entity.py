"""A public lookup of an entity by handle (RDAP ``entity/{handle}``): a registrar
(``REG-…``), whose name and handle every registrar-managed domain's lookup shows anyway,
or the registrant contact of a live domain, as the disclosure rule lets it be seen.

A contact that is the registrant of no live domain is not found: the lookups disclose
registrants of domains, not the registry's address book (and a handle that held a domain
once tells nothing now). Whether a person's entity is shown at all is the door's choice:
the read model returns the disclosed view (country only) and the stored contact, for a
door that serves an access grant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dkreg.actions.domain.public_record import public_contact
from dkreg.actions.lookup.domain import RegistrarFacts
from dkreg.model.public_view import ORGANISATIONS, Disclosed, PublicContact, registrant_view
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domains, registrar_public_info, registrars


@dataclass(frozen=True)
class RegistrarEntity:
    registrar: RegistrarFacts
    created_at: datetime


@dataclass(frozen=True)
class ContactEntity:
    """A registrant: ``disclosed`` is what the world may see, ``contact`` the stored
    contact (for an access grant only, never shown otherwise)."""

    handle: str
    organisation: bool
    disclosed: Disclosed
    contact: PublicContact
    created_at: datetime | None
    updated_at: datetime | None


async def lookup_entity(ctx: Ctx, handle: str) -> RegistrarEntity | ContactEntity | None:
    """The entity ``handle`` names (handles are upper-case; any case is accepted), or
    None. Two indexed reads at most (the handles are unique keys)."""
    handle = handle.strip().upper()
    if not handle:
        return None
    row = (await ctx.conn.execute(
        select(registrars.c.handle, registrars.c.name, registrars.c.created_at,
               registrar_public_info.c.public_name, registrar_public_info.c.website,
               registrar_public_info.c.email, registrar_public_info.c.listed,
               registrar_public_info.c.logo_url)
        .outerjoin(registrar_public_info,
                   registrar_public_info.c.registrar_id == registrars.c.id)
        .where(registrars.c.handle == handle))).first()
    if row is not None:
        listed = bool(row.listed)
        return RegistrarEntity(
            RegistrarFacts(row.handle, row.public_name or row.name,
                           row.website if listed else None, row.email if listed else None,
                           listed, row.logo_url if listed else None),
            row.created_at)
    contact = (await ctx.conn.execute(
        select(contacts).where(contacts.c.handle == handle, contacts.c.deleted_at.is_(None))
    )).first()
    if contact is None:
        return None
    registrant = (await ctx.conn.execute(
        select(domains.c.id).where(domains.c.registrant_id == contact.id,
                                   domains.c.released_at.is_(None)).limit(1))).first()
    if registrant is None:
        return None
    stored = public_contact(contact)
    return ContactEntity(
        handle=stored.handle, organisation=stored.user_type in ORGANISATIONS,
        disclosed=registrant_view(stored, publish_org_email=ctx.policy.applies(
            "public_org_email", ctx.now)),
        contact=stored, created_at=contact.created_at, updated_at=contact.updated_at)

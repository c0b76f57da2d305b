"""info contact with the .dk visibility rules.

A registrant's data is public registration data (NIS2), so any registrar may read a
registrant contact — with the e-mail masked as ``anonymous@punktum.dk``. Everything else
needs a relation: the sponsoring registrar, or a domain of the asking registrar on
which the contact has a role. An auto-deleted contact does not exist any more (2303),
although its handle stays taken.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.verification import is_validated
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domain_contacts, domains, registrars

MASKED_EMAIL = "anonymous@punktum.dk"


@dataclass(frozen=True)
class ContactInfo:
    handle: str
    statuses: list[str]
    postal_type: str
    name: str | None
    org: str | None
    street: list[str]
    city: str
    sp: str | None
    pc: str | None
    cc: str
    voice: str | None
    fax: str | None
    email: str
    cl_id: str
    cr_id: str
    cr_date: datetime
    up_id: str | None
    up_date: datetime | None
    user_type: str
    cvr: str | None
    ean: str | None
    pnumber: str | None
    mobilephone: str | None
    secondary_email: str | None
    sole_proprietorship: bool
    validated: bool
    id_status: str
    email_status: str
    responsible: str
    verification_due: datetime | None
    related: bool
    # e-mail addresses waiting for the contact's confirmation (shown to related users)
    pending_email: str | None = None
    pending_email_due: datetime | None = None
    pending_secondary_email: str | None = None
    pending_secondary_email_due: datetime | None = None


async def contact_info(ctx: Ctx, raw: str) -> ContactInfo:
    handle = raw.strip().upper()
    row = (await ctx.conn.execute(
        select(contacts, registrars.c.handle.label("sponsor_handle"))
        .outerjoin(registrars, registrars.c.id == contacts.c.sponsor_id)
        .where(contacts.c.handle == handle, contacts.c.deleted_at.is_(None)))).first()
    if row is None:
        raise err(2303, "contact_not_found", field="contact:id",
                  detail=Detail("does_not_exist", handle=handle))
    live = domains.c.released_at.is_(None)
    is_registrant = (await ctx.conn.execute(select(exists().where(
        domains.c.registrant_id == row.id, live)))).scalar()
    has_role = (await ctx.conn.execute(select(exists().where(
        domain_contacts.c.contact_id == row.id,
        domain_contacts.c.domain_id == domains.c.id, live)))).scalar()
    rid = ctx.actor.registrar_id
    # related: the sponsor; the registrar that created a registrant-managed contact; a
    # registrar on whose domain the contact is registrant, admin or billing
    related = ctx.actor.is_registry or (rid is not None and row.sponsor_id == rid) or (
        row.sponsor_id is None and row.created_by == ctx.actor.registrar_handle)
    if not related and rid is not None:
        related = bool((await ctx.conn.execute(select(exists().where(
            domains.c.registrant_id == row.id, domains.c.sponsor_id == rid, live)))).scalar())
    if not related and rid is not None:
        related = bool((await ctx.conn.execute(select(exists().where(
            domain_contacts.c.contact_id == row.id,
            domain_contacts.c.domain_id == domains.c.id, domains.c.sponsor_id == rid,
            live)))).scalar())
    if not related and not is_registrant:
        raise err(2201, "unauthorized", field="contact:id",
                  detail=Detail("not_registrant_has_no_relation", handle=handle))
    statuses = ["serverDeleteProhibited", "serverTransferProhibited"]
    if is_registrant or has_role:
        statuses.insert(0, "linked")
    public_secondary = related or (row.user_type != "individual" and not row.sole_proprietorship)
    return ContactInfo(
        handle=row.handle, statuses=statuses, postal_type=row.postal_type, name=row.name,
        org=row.org, street=json.loads(row.street), city=row.city, sp=row.sp, pc=row.pc,
        cc=row.cc, voice=row.voice if related else None, fax=row.fax if related else None,
        email=row.email if related else MASKED_EMAIL,
        cl_id=row.sponsor_handle or "DKHM1-DK", cr_id=row.created_by, cr_date=row.created_at,
        up_id=row.updated_by, up_date=row.updated_at, user_type=row.user_type, cvr=row.cvr,
        ean=row.ean if related else None, pnumber=row.pnumber,
        mobilephone=row.mobilephone if related else None,
        secondary_email=row.secondary_email if public_secondary else None,
        sole_proprietorship=row.sole_proprietorship,
        validated=is_validated(row.id_status), id_status=row.id_status,
        email_status=row.email_status, responsible=row.verification_responsible,
        verification_due=row.verification_due, related=related,
        pending_email=row.pending_email if related else None,
        pending_email_due=row.pending_email_due if related else None,
        pending_secondary_email=row.pending_secondary_email if related else None,
        pending_secondary_email_due=row.pending_secondary_email_due if related else None)

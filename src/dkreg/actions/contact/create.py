"""create contact: the registry assigns the handle; ``auto`` re-uses an identical contact.

Handles are initials + a number + ``-DK`` (``PDA1234-DK``), as the registry makes them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text, update

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.contact_rules import ContactInput, ValidContact, initials_for, validate_contact
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, registrars


@dataclass
class ContactCreate:
    id: str
    data: ContactInput
    management: str | None = None
    verified_id: bool | None = None
    verified_email: bool | None = None


@dataclass(frozen=True)
class ContactCreateResult:
    handle: str
    created: bool  # False: an identical contact was re-used ("auto")
    cr_date: datetime


def match_key(c: ValidContact, sponsor_id: int | None, management: str,
              verified: bool | None = None) -> str:
    """The fields the registry compares for smart create (SPEC-DIGEST §4.1).

    A registrar's claim that it verified the contact (dkhm-4.5) is part of the match: an
    ``auto`` create that asserts verification must not silently re-use an unverified
    contact and lose the claim.
    """
    parts = [c.user_type, c.cvr or "", c.name or "", c.org or "", json.dumps(c.street),
             c.email.lower(), c.pc or "", c.cc, c.voice or "", str(sponsor_id), management,
             "verified" if verified else ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def stored_contact(row: Any) -> ValidContact:
    """A ``contacts`` row as the validated contact it was made from."""
    return ValidContact(
        user_type=row.user_type, name=row.name, org=row.org, street=json.loads(row.street),
        city=row.city, sp=row.sp, pc=row.pc, cc=row.cc, postal_type=row.postal_type,
        voice=row.voice, fax=row.fax, email=row.email, cvr=row.cvr, ean=row.ean,
        pnumber=row.pnumber, mobilephone=row.mobilephone, secondary_email=row.secondary_email,
        sole_proprietorship=row.sole_proprietorship)


def rekey(row: Any, new: ValidContact) -> str:
    """The match key of a contact whose data changed, so that smart create keeps finding
    it; whether it was made with a verification claim is read back from the stored key."""
    claimed = row.match_key == match_key(stored_contact(row), row.sponsor_id, row.management,
                                         True)
    return match_key(new, row.sponsor_id, row.management, claimed or None)


async def contact_create(ctx: Ctx, cmd: ContactCreate) -> ContactCreateResult:
    actor = ctx.actor
    if actor.registrar_id is None:
        raise err(2201, "no_privilege", detail=Detail("only_registrar_can_create_contacts"))
    if cmd.id not in ("auto", "force"):
        raise err(2306, "policy", field="contact:id",
                  detail=Detail("contact_id_must_auto_force"))
    valid = validate_contact(cmd.data)
    reg = (await ctx.conn.execute(
        select(registrars.c.default_management, registrars.c.verification_responsible)
        .where(registrars.c.id == actor.registrar_id))).one()
    management = cmd.management or reg.default_management
    if management not in ("registrar", "registrant"):
        raise err(2005, "value_syntax", field="dkhm:management",
                  detail=Detail("management_registrar_registrant"))
    sponsor_id = actor.registrar_id if management == "registrar" else None
    responsible = reg.verification_responsible if management == "registrar" else "registry"
    if (cmd.verified_id is None) != (cmd.verified_email is None) or \
            (cmd.verified_id is not None and cmd.verified_id != cmd.verified_email):
        raise err(2306, "verified_mismatch", field="dkhm:contact_verification",
                  detail=Detail("send_verified_id_verified_email"))
    key = match_key(valid, sponsor_id, management, cmd.verified_id)
    if cmd.id == "auto" and not ctx.is_sqlite:
        # two identical "auto" creates at once must yield one contact: serialise them on
        # the match key (SQLite serialises all writers already)
        await ctx.conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                               {"k": key})
    if cmd.id == "auto":
        existing = (await ctx.conn.execute(
            select(contacts.c.handle, contacts.c.created_at)
            .where(contacts.c.match_key == key, contacts.c.deleted_at.is_(None))
            .order_by(contacts.c.id).limit(1))).first()
        if existing is not None:
            return ContactCreateResult(existing.handle, False, existing.created_at)
    # under NIS2 a contact nobody vouched for needs the ID and data check; the deadline
    # set here is provisional: the check starts, with a fresh deadline, when the contact
    # becomes registrant (actions/contact/verification.py)
    due = None
    if cmd.verified_id:
        id_status = "completed"
    elif ctx.policy.nis2(ctx.now):
        id_status = "pending"
        due = ctx.now + timedelta(days=ctx.settings.nis2_verification_days)
    else:
        id_status = "notRequired"
    cid = (await ctx.conn.execute(insert(contacts).values(
        handle=f"NEW-{ctx.sv_trid or id(cmd)}"[:32], sponsor_id=sponsor_id,
        management=management, user_type=valid.user_type, name=valid.name, org=valid.org,
        street=json.dumps(valid.street, ensure_ascii=False), city=valid.city, sp=valid.sp,
        pc=valid.pc, cc=valid.cc, postal_type=valid.postal_type, voice=valid.voice,
        fax=valid.fax, email=valid.email, cvr=valid.cvr, ean=valid.ean, pnumber=valid.pnumber,
        mobilephone=valid.mobilephone, secondary_email=valid.secondary_email,
        sole_proprietorship=valid.sole_proprietorship, id_status=id_status,
        email_status="completed" if cmd.verified_email else id_status,
        verification_responsible=responsible, verification_due=due, match_key=key,
        created_by=actor.registrar_handle, created_at=ctx.now,
    ).returning(contacts.c.id))).scalar_one()
    handle = f"{initials_for(valid.name, valid.org)}{cid}-DK"
    await ctx.conn.execute(update(contacts).where(contacts.c.id == cid).values(handle=handle))
    return ContactCreateResult(handle, True, ctx.now)

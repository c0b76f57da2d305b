"""update contact: the sponsor maintains its contact's data (SPEC-DIGEST §4.3, §4.4).

Check the request, load the contact, merge the changes into what is stored and run the
same rules as create (``model/contact_rules.py``) over the result, refuse changes to
locked fields, write, then start what the change sets off:

- a new primary or secondary e-mail address waits for the contact's confirmation
  (``actions/contact/email.py``; the answer is 1001);
- under NIS2, changed identity data (name, organisation, address, country, user type,
  CVR) is vouched for by a registrar responsible for verification (``verified_id``
  becomes true) or, when the registry is responsible, needs a new ID check;
- a registrar responsible for verification may assert ``verified_id`` /
  ``verified_email`` (``dkhm:contact_verification``); that is an operation of its own
  and cannot be combined with changes of data in one request (2308).

Decisions where the sources are silent:

* Operation kinds for 2308: the verification assertion is one kind, everything else
  (data, e-mail addresses, extensions) is the other. Data and e-mail changes together
  are fine: the data applies at once and the answer is 1001 for the e-mail part.
* A value equal to the stored one is no change: it needs no permission and starts
  nothing, so a client may send the whole contact back.
* An element sent empty (``<contact:org/>``, ``<dkhm:EAN/>``) clears an optional field.
  ``contact:addr`` replaces the whole address; ``contact:name`` and ``contact:org`` are
  changed one by one.
* Register-locked contacts (matched to CPR/CVR by the ID check) cannot change name,
  organisation, address, country, CVR, EAN or user type; a registrant of a live domain
  (or application) cannot change name or organisation — a change of registrant is the
  way to hand a domain to someone else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import update

from dkreg.actions.contact import email as contact_email
from dkreg.actions.contact import verification as contact_verification
from dkreg.actions.contact.create import rekey, stored_contact
from dkreg.actions.poll.queue import enqueue_text
from dkreg.actions.poll.snapshots import contact_snapshot
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model import contact_rules as rules
from dkreg.model.contact_rules import ContactInput, PostalInfo, ValidContact, validate_contact
from dkreg.model.verification import check_kind
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts

# stored column -> the field a locked-field error names
REGISTER_LOCKED = {"name": rules.F_NAME, "org": rules.F_ORG, "street": rules.F_STREET,
                   "city": rules.F_CITY, "sp": rules.F_SP, "pc": rules.F_PC, "cc": rules.F_CC,
                   "cvr": rules.F_CVR, "ean": rules.F_EAN, "user_type": rules.F_USER_TYPE}
REGISTRANT_LOCKED = {"name": rules.F_NAME, "org": rules.F_ORG}
# what an ID check looks at
IDENTITY = ("name", "org", "street", "city", "sp", "pc", "cc", "user_type", "cvr")
ADDRESS_KEYS = ("street", "city", "sp", "pc", "cc")
# ContactUpdate.fields keys
FIELDS = ("voice", "fax", "email", "user_type", "cvr", "ean", "pnumber", "mobilephone",
          "secondary_email")
FIELD_NAMES = {"voice": rules.F_VOICE, "fax": rules.F_FAX, "email": rules.F_EMAIL,
               "user_type": rules.F_USER_TYPE, "cvr": rules.F_CVR, "ean": rules.F_EAN,
               "pnumber": rules.F_PNUMBER, "mobilephone": rules.F_MOBILE,
               "secondary_email": rules.F_SECONDARY_EMAIL}
F_VERIFICATION = "dkhm:contact_verification"


@dataclass
class PostalChange:
    """One ``contact:chg/contact:postalInfo``: only the keys sent (name, org, and the
    address keys all together when ``contact:addr`` was sent); None clears."""

    type: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ContactUpdate:
    id: str
    postal: list[PostalChange] = field(default_factory=list)
    fields: dict[str, str | None] = field(default_factory=dict)  # keys from FIELDS
    sole_proprietorship: bool | None = None  # None: not sent
    verified_id: bool | None = None
    verified_email: bool | None = None

    @property
    def verification(self) -> bool:
        return self.verified_id is not None or self.verified_email is not None

    def operations(self) -> list[str]:
        """The element groups sent, for the 2308 text."""
        ops = [F_VERIFICATION] if self.verification else []
        if self.postal:
            ops.append(rules.F_POSTAL)
        ops += [FIELD_NAMES[k] for k in FIELDS if k in self.fields]
        if self.sole_proprietorship is not None:
            ops.append(rules.F_SOLE)
        return ops


@dataclass(frozen=True)
class ContactUpdateResult:
    handle: str
    pending_email: bool  # an address waits for confirmation: answer 1001


async def contact_update(ctx: Ctx, cmd: ContactUpdate) -> ContactUpdateResult:
    actor = ctx.actor
    if not actor.is_registry and "proxy" not in actor.roles:
        raise err(2201, "no_privilege",
                  detail=Detail("updating_contacts_needs_proxy_meta"))
    # -- check the request on its own
    ops = cmd.operations()
    if not ops:
        raise err(2003, "missing_parameter", field="contact:chg",
                  detail=Detail("nothing_change_send_contact_chg"))
    if cmd.verification and len(ops) > 1:
        raise err(2308, "contact_multiple_operations", ", ".join(ops), field=F_VERIFICATION,
                  detail=Detail("verification_assertion_sent_its_own"))

    # -- load
    row = await contact_verification.load(ctx, cmd.id)
    if not actor.is_registry and (row.sponsor_id is None or row.sponsor_id != actor.registrar_id):
        who = "the registrant in self-service" if row.sponsor_id is None else "its sponsor"
        raise err(2201, "unauthorized", field="contact:id",
                  detail=Detail("maintained_by", handle=row.handle, who=who))

    if cmd.verification:
        await _assert_verification(ctx, row, cmd)
        return ContactUpdateResult(row.handle, False)

    # -- verify the rules on the contact as it would be
    current = stored_contact(row)
    valid = validate_contact(_merged(current, cmd))
    if cmd.sole_proprietorship is None:
        valid = replace(valid, sole_proprietorship=row.sole_proprietorship and valid.cc != "DK")
    changed = _changes(current, valid)
    locked = dict(REGISTER_LOCKED) if row.register_locked else {}
    if any(k in changed for k in REGISTRANT_LOCKED) and \
            await contact_verification.is_registrant(ctx, row.id):
        locked.update(REGISTRANT_LOCKED)
    for key in changed:
        if key in locked:
            raise err(2304, "contact_field_locked", locked[key], field=locked[key],
                      detail=Detail("this_data_locked_cpr_cvr")
                      if key in REGISTER_LOCKED and row.register_locked else
                      Detail("registrant_s_name_cannot_change"))

    # -- write
    data = {k: v for k, v in changed.items() if k not in ("email", "secondary_email")}
    if "secondary_email" in changed and valid.secondary_email is None:
        data["secondary_email"] = None  # removing an address needs no confirmation
    if data:
        await ctx.conn.execute(update(contacts).where(contacts.c.id == row.id).values(
            **{k: json.dumps(v, ensure_ascii=False) if k == "street" else v
               for k, v in data.items()},
            postal_type=valid.postal_type,
            match_key=rekey(row, replace(valid, email=current.email)),
            updated_at=ctx.now, updated_by=actor.registrar_handle))
    waits = False
    for which, address in ((contact_email.PRIMARY, valid.email),
                           (contact_email.SECONDARY, valid.secondary_email)):
        if which.column in changed and address is not None:
            await contact_email.request_change(ctx, row, which, address)
            waits = True
    if any(k in changed for k in IDENTITY) and ctx.policy.nis2(ctx.now):
        await _identity_changed(ctx, row)
    if data and (actor.is_registry or actor.registrar_id != row.sponsor_id) and \
            row.sponsor_id is not None:
        await enqueue_text(ctx, row.sponsor_id, "contact_updated",
                           await contact_snapshot(ctx, row.handle), handle=row.handle)
    return ContactUpdateResult(row.handle, waits)


async def _assert_verification(ctx: Ctx, row: Any, cmd: ContactUpdate) -> None:
    """``verified_id`` / ``verified_email`` from a registrar responsible for verification:
    true completes that part of the check (reactivating suspended domains), false
    withdraws an earlier assertion, so the check is needed again."""
    if not ctx.actor.is_registry and row.verification_responsible != "registrar":
        tag = "verified_id" if cmd.verified_id is not None else "verified_email"
        raise err(2201, "no_privilege", field=f"{F_VERIFICATION}/dkhm:{tag}",
                  detail=Detail("registry_responsible_verifying_this_contact"))
    for tag, value, status in (("verified_id", cmd.verified_id, row.id_status),
                               ("verified_email", cmd.verified_email, row.email_status)):
        if value is not None and status == "rejected":
            raise err(2304, "object_status", field=f"{F_VERIFICATION}/dkhm:{tag}",
                      detail=Detail("registry_rejected_s_check_only", handle=row.handle))
    true_parts = (cmd.verified_id is True, cmd.verified_email is True)
    false_parts = (cmd.verified_id is False, cmd.verified_email is False)
    if any(true_parts):
        await contact_verification.complete(ctx, row.handle, check_kind(*true_parts),
                                            by_registrar=True)
    if any(false_parts):
        fresh = await contact_verification.load(ctx, row.handle)
        await contact_verification.require(ctx, fresh, check_kind(*false_parts))


async def _identity_changed(ctx: Ctx, row: Any) -> None:
    """NIS2: the registrar responsible vouches for the new data; otherwise the registry
    checks it again."""
    if row.verification_responsible == "registrar" and not ctx.actor.is_registry:
        await contact_verification.complete(ctx, row.handle, "id", by_registrar=True)
    else:
        await contact_verification.require(ctx, await contact_verification.load(ctx, row.handle),
                                           "id")


def _merged(cur: ValidContact, cmd: ContactUpdate) -> ContactInput:
    """What the contact would be: stored data with the sent values over it.

    Blocks that carry an address are the candidates the registry chooses from as on create
    (loc for Denmark, int elsewhere). Blocks with only a name or organisation change those
    of the stored block, whose type stays as it is.
    """
    base = PostalInfo(type=cur.postal_type, name=cur.name, org=cur.org, street=cur.street,
                      city=cur.city, sp=cur.sp, pc=cur.pc, cc=cur.cc)
    with_addr = [c for c in cmd.postal if "city" in c.values]
    if with_addr:
        blocks = [_apply(replace(base, type=c.type), c) for c in with_addr]
    elif cmd.postal:
        same = [c for c in cmd.postal if c.type == cur.postal_type]
        blocks = [_apply(replace(base), (same or cmd.postal)[0])]
    else:
        blocks = [base]

    def pick(key: str, stored: str | None) -> str | None:
        return cmd.fields.get(key, stored)  # sent (None: cleared) or as stored

    return ContactInput(
        postal=blocks, voice=pick("voice", cur.voice), fax=pick("fax", cur.fax),
        email=pick("email", cur.email) or "", user_type=pick("user_type", cur.user_type),
        cvr=pick("cvr", cur.cvr), ean=pick("ean", cur.ean), pnumber=pick("pnumber", cur.pnumber),
        mobilephone=pick("mobilephone", cur.mobilephone),
        secondary_email=pick("secondary_email", cur.secondary_email),
        sole_proprietorship=cmd.sole_proprietorship)


def _apply(block: PostalInfo, change: PostalChange) -> PostalInfo:
    for key, value in change.values.items():
        setattr(block, key, value)
    return block


def _changes(cur: ValidContact, new: ValidContact) -> dict[str, Any]:
    out = {}
    for key in ("user_type", "name", "org", "street", "city", "sp", "pc", "cc", "voice", "fax",
                "cvr", "ean", "pnumber", "mobilephone", "sole_proprietorship"):
        if getattr(cur, key) != getattr(new, key):
            out[key] = getattr(new, key)
    if cur.email.lower() != new.email.lower():
        out["email"] = new.email
    if (cur.secondary_email or "").lower() != (new.secondary_email or "").lower():
        out["secondary_email"] = new.secondary_email
    return out

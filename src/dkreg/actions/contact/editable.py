"""What a registrar may change of a contact, and why not the rest: ``contact_update``'s
rules asked ahead, so a form can show them before anything is sent.

The update action stays the judge. A form built from this answer still goes through it,
and a field shown as open can still be refused (a domain registered to the contact in
the meantime locks its name), with the action's code and text.

A registrar never deletes a contact: .dk offers no delete contact (2101), and the
registry itself deletes one that has been unused for ``contact_autodelete_days``
(``lifecycle/contacts.py``). ``domains`` counts the live domains and applications on
which the contact has a role, which is what keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, union

from dkreg.actions.contact.update import REGISTER_LOCKED, REGISTRANT_LOCKED
from dkreg.actions.contact.verification import is_registrant
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domain_contacts, domains, registrars

REGISTER, REGISTRANT = "register", "registrant"  # why a field is locked


@dataclass(frozen=True)
class ContactEditability:
    handle: str
    # None: the asking registrar maintains the contact; else who does ("registrant" for
    # a registrant-managed contact, or the sponsoring registrar's handle)
    maintainer: str | None
    # stored column (``name``, ``street``, ``cc``, ...) -> REGISTER (matched to CPR/CVR by
    # the ID check) or REGISTRANT (registrant of a live domain or application)
    locked: dict[str, str] = field(default_factory=dict)
    domains: int = 0
    autodelete_days: int = 14

    @property
    def editable(self) -> bool:
        return self.maintainer is None


async def contact_editability(ctx: Ctx, raw: str) -> ContactEditability:
    """2303 when the contact does not exist (or was deleted)."""
    handle = raw.strip().upper()
    row = (await ctx.conn.execute(
        select(contacts.c.id, contacts.c.handle, contacts.c.sponsor_id,
               contacts.c.register_locked, registrars.c.handle.label("sponsor"))
        .outerjoin(registrars, registrars.c.id == contacts.c.sponsor_id)
        .where(contacts.c.handle == handle, contacts.c.deleted_at.is_(None)))).first()
    if row is None:
        raise err(2303, "contact_not_found", field="contact:id",
                  detail=Detail("does_not_exist", handle=handle))
    actor = ctx.actor
    maintainer = None
    if row.sponsor_id is None:
        maintainer = REGISTRANT
    elif not actor.is_registry and row.sponsor_id != actor.registrar_id:
        maintainer = row.sponsor
    locked = dict.fromkeys(REGISTER_LOCKED, REGISTER) if row.register_locked else {}
    if await is_registrant(ctx, row.id):
        locked.update({k: REGISTRANT for k in REGISTRANT_LOCKED if k not in locked})
    return ContactEditability(handle=row.handle, maintainer=maintainer, locked=locked,
                              domains=await linked_domains(ctx, row.id),
                              autodelete_days=ctx.settings.contact_autodelete_days)


async def linked_domains(ctx: Ctx, contact_id: int) -> int:
    """Live domains (and applications) the contact is registrant, admin or billing of."""
    live = domains.c.released_at.is_(None)
    ids = union(
        select(domains.c.id).where(domains.c.registrant_id == contact_id, live),
        select(domain_contacts.c.domain_id)
        .join(domains, domains.c.id == domain_contacts.c.domain_id)
        .where(domain_contacts.c.contact_id == contact_id, live)).subquery()
    return int((await ctx.conn.execute(select(func.count()).select_from(ids))).scalar_one())

"""update domain, admin and billing contacts.

Only registrant-managed domains have them; on a registrar-managed domain both roles are
implicitly the registrar (2306). On a registrant-managed domain the registrant (through
self-service, i.e. the registry's own door) chooses admin and billing; a registrar may
do exactly two things, silently: make itself the billing contact (so it pays the
renewals) and stop being it (SPEC-DIGEST §5.7, §7). Billing is one role: a registrar as
billing is ``domains.billing_registrar_id``, a contact as billing a ``domain_contacts``
row, never both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, exists, insert, select, update

from dkreg.actions.domain.update_target import Target, require_sponsor
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domain_contacts, domains, registrars

ROLES = ("admin", "billing")


@dataclass
class ContactChange:
    """Registrars that lost the billing role to someone else's command: they are told."""

    billing_removed: list[tuple[int, str]] = field(default_factory=list)  # (id, handle)


@dataclass(frozen=True)
class Holder:
    kind: str  # "registrar" | "contact"
    id: int
    handle: str


def check_allowed(ctx: Ctx, dom: Target) -> None:
    """Roles exist only on registrant-managed domains."""
    if dom.registrant_managed:
        return
    require_sponsor(ctx, dom, "update_no_privilege", what=Detail("to_change_contacts"),
                    field="domain:contact")
    raise err(2306, "contacts_registrar_managed", field="domain:contact",
              detail=Detail("admin_billing_registrar_managed_domain"))


def _registrar_may(ctx: Ctx, dom: Target, ctype: str, handle: str, position: int,
                   verb: Detail) -> None:
    actor = ctx.actor
    if actor.is_registry:
        return
    if ctype != "billing" or handle != actor.registrar_handle:
        raise err(2201, "update_no_privilege", field="domain:contact", position=position,
                  detail=Detail("registrant_managed_registrar_may_only", uname=dom.uname,
                                verb=verb, registrar_handle=actor.registrar_handle))
    if "payer" not in actor.roles:
        raise err(2201, "update_no_privilege", field="domain:contact", position=position,
                  detail=Detail("service_user_lacks_payer_meta", login=actor.login))


async def _resolve(ctx: Ctx, handle: str, position: int) -> Holder:
    if handle.startswith("REG-"):
        rid = (await ctx.conn.execute(
            select(registrars.c.id).where(registrars.c.handle == handle))).scalar()
        if rid is None:
            raise err(2303, "object_not_exist", field="domain:contact", position=position,
                      detail=Detail("registrar_does_not_exist", handle=handle))
        return Holder("registrar", rid, handle)
    cid = (await ctx.conn.execute(select(contacts.c.id).where(
        contacts.c.handle == handle, contacts.c.deleted_at.is_(None)))).scalar()
    if cid is None:
        raise err(2303, "contact_not_found", field="domain:contact", position=position,
                  detail=Detail("contact_does_not_exist", handle=handle))
    return Holder("contact", cid, handle)


async def _holders(ctx: Ctx, dom: Target, ctype: str) -> list[Holder]:
    found = [Holder("contact", r.id, r.handle) for r in await ctx.conn.execute(
        select(contacts.c.id, contacts.c.handle)
        .join(domain_contacts, domain_contacts.c.contact_id == contacts.c.id)
        .where(domain_contacts.c.domain_id == dom.id, domain_contacts.c.type == ctype))]
    if ctype == "billing":
        row = (await ctx.conn.execute(
            select(registrars.c.id, registrars.c.handle)
            .join(domains, domains.c.billing_registrar_id == registrars.c.id)
            .where(domains.c.id == dom.id))).first()
        if row is not None:
            found.append(Holder("registrar", row.id, row.handle))
    return found


async def remove(ctx: Ctx, dom: Target, ctype: str, items: list[tuple[int, str]],
                 change: ContactChange) -> None:
    """Remove role holders; the role then falls back to the registrant."""
    for position, handle in items:
        _registrar_may(ctx, dom, ctype, handle, position, Detail("verb_remove"))
        who = await _resolve(ctx, handle, position)
        if who not in await _holders(ctx, dom, ctype):
            raise err(2201, "update_repeated_remove", field="domain:contact",
                      position=position,
                      detail=Detail("not_contact_role", handle=handle, ctype=ctype,
                                    uname=dom.uname))
        if who.kind == "registrar":
            await ctx.conn.execute(update(domains).where(domains.c.id == dom.id)
                                   .values(billing_registrar_id=None))
            if ctx.actor.registrar_id != who.id:
                change.billing_removed.append((who.id, who.handle))
        else:
            await ctx.conn.execute(delete(domain_contacts).where(
                domain_contacts.c.domain_id == dom.id, domain_contacts.c.type == ctype,
                domain_contacts.c.contact_id == who.id))
            await mark_unlinked_if_unused(ctx, who.id)


async def add(ctx: Ctx, dom: Target, ctype: str, items: list[tuple[int, str]]) -> None:
    for position, handle in items:
        _registrar_may(ctx, dom, ctype, handle, position, Detail("verb_add"))
        if handle.startswith("REG-") and ctype != "billing":
            raise err(2306, "update_role_not_permitted", field="domain:contact",
                      position=position, detail=Detail("registrar_can_only_billing_contact"))
        who = await _resolve(ctx, handle, position)
        holders = await _holders(ctx, dom, ctype)
        if who in holders:
            raise err(2302, "object_exists", field="domain:contact", position=position,
                      detail=Detail("already_contact_role", handle=handle, ctype=ctype,
                                    uname=dom.uname))
        if holders:
            raise err(2004, "too_many_contacts", field="domain:contact", position=position,
                      detail=Detail("already_has_remove_it_first", uname=dom.uname, ctype=ctype,
                                    handle=holders[0].handle))
        if who.kind == "registrar":
            await ctx.conn.execute(update(domains).where(domains.c.id == dom.id)
                                   .values(billing_registrar_id=who.id))
        else:
            await ctx.conn.execute(insert(domain_contacts).values(
                domain_id=dom.id, type=ctype, contact_id=who.id))


async def mark_unlinked_if_unused(ctx: Ctx, contact_id: int) -> None:
    """Start the contact's auto-delete clock when it has just lost its last role."""
    live = domains.c.released_at.is_(None)
    as_registrant = exists().where(domains.c.registrant_id == contact_id, live)
    in_role = exists().where(domain_contacts.c.contact_id == contact_id,
                             domain_contacts.c.domain_id == domains.c.id, live)
    if not (await ctx.conn.execute(select(as_registrant | in_role))).scalar():
        await ctx.conn.execute(update(contacts).where(contacts.c.id == contact_id)
                               .values(unlinked_at=ctx.now))

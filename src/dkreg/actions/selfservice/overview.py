"""What a self-service person sees: the contact IDs held, each one's domains and roles
(registrant, admin, billing) with the sponsoring registrar and its public contact
details, each domain's situation (status in words, why, next steps:
``model.domain_situation``), and the contact's verification status with the next step.
Read-only; every door may show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, func, literal, select, union_all

from dkreg.actions.selfservice.session import Registrant
from dkreg.model.domain_situation import DomainFacts, Situation, situation
from dkreg.store.context import Ctx
from dkreg.store.schema import (
    applications,
    contacts,
    domain_contacts,
    domains,
    invoices,
    registrar_public_info,
    registrars,
)

# statuses that ask something of the person (the verification page tells what)
TODO_STATUSES = ("pending", "expired", "rejected")


@dataclass(frozen=True)
class DomainRole:
    name: str
    roles: tuple[str, ...]
    state: str
    management: str
    expires_at: datetime | None
    registrar_name: str | None
    registrar_handle: str | None
    # Flow 2: the application waiting for this registrant to accept the terms
    awaiting_tracking_no: str | None = None
    statuses: str = "ok"
    autorenew: bool = True
    redemption_cause: str | None = None
    redemption_until: datetime | None = None
    delete_at: datetime | None = None
    # the domain's registrant's checks (the person may hold another role on it)
    id_status: str = "completed"
    email_status: str = "completed"
    verification_due: datetime | None = None
    # the registrar's public contact details (Administration > Public information)
    registrar_public_name: str | None = None
    registrar_website: str | None = None
    registrar_email: str | None = None
    # the registry's open invoice for this domain, when addressed to one of the person's
    # contact IDs (its payment link is the way to pay)
    open_invoice_id: int | None = None

    @property
    def is_registrant(self) -> bool:
        return "registrant" in self.roles

    @property
    def own_managed(self) -> bool:
        """The person manages it: registrant of a registrant-managed domain."""
        return self.is_registrant and self.management == "registrant"

    @property
    def situation(self) -> Situation:
        return situation(DomainFacts(
            state=self.state, statuses=self.statuses, management=self.management,
            has_registrar=self.registrar_handle is not None,
            redemption_cause=self.redemption_cause, redemption_until=self.redemption_until,
            delete_at=self.delete_at, id_status=self.id_status,
            email_status=self.email_status, verification_due=self.verification_due,
            awaiting_terms=self.awaiting_tracking_no is not None,
            open_invoice=self.open_invoice_id is not None))


@dataclass
class HandleOverview:
    contact_id: int
    handle: str
    name: str | None
    email: str
    id_status: str
    email_status: str
    verification_due: datetime | None
    domains: list[DomainRole] = field(default_factory=list)

    @property
    def needs_action(self) -> bool:
        return self.id_status in TODO_STATUSES or self.email_status in TODO_STATUSES


async def overview(ctx: Ctx, registrant: Registrant) -> list[HandleOverview]:
    """One entry per held handle, its live domains (and applications) with roles."""
    ids = list(registrant.contact_ids)
    rows = (await ctx.conn.execute(
        select(contacts.c.id, contacts.c.handle, contacts.c.name, contacts.c.org,
               contacts.c.email, contacts.c.id_status, contacts.c.email_status,
               contacts.c.verification_due)
        .where(contacts.c.id.in_(ids)).order_by(contacts.c.handle))).all()
    out = {r.id: HandleOverview(r.id, r.handle, r.org or r.name, r.email, r.id_status,
                                r.email_status, r.verification_due) for r in rows}
    as_registrant = select(domains.c.id.label("did"), domains.c.registrant_id.label("cid"),
                           literal("registrant").label("role")).where(
        domains.c.registrant_id.in_(ids))
    as_role = select(domain_contacts.c.domain_id, domain_contacts.c.contact_id,
                     domain_contacts.c.type).where(domain_contacts.c.contact_id.in_(ids))
    held = union_all(as_registrant, as_role).subquery()
    # a registrant-managed domain has no sponsor; its paying registrar is shown instead
    sponsor = registrars.alias("sponsor")
    waiting = applications.alias("waiting")
    holder = contacts.alias("holder")
    found = (await ctx.conn.execute(
        select(held.c.cid, held.c.role, domains.c.id.label("did"), domains.c.uname,
               domains.c.state, domains.c.statuses, domains.c.autorenew,
               domains.c.redemption_cause, domains.c.redemption_until, domains.c.delete_at,
               domains.c.management, domains.c.expires_at, sponsor.c.name.label("rname"),
               sponsor.c.handle.label("rhandle"), waiting.c.tracking_no,
               holder.c.id_status, holder.c.email_status, holder.c.verification_due,
               registrar_public_info.c.public_name, registrar_public_info.c.website,
               registrar_public_info.c.email.label("remail"))
        .join(domains, domains.c.id == held.c.did)
        .join(holder, holder.c.id == domains.c.registrant_id)
        .outerjoin(sponsor, sponsor.c.id == func.coalesce(domains.c.sponsor_id,
                                                          domains.c.billing_registrar_id))
        .outerjoin(registrar_public_info, registrar_public_info.c.registrar_id == sponsor.c.id)
        .outerjoin(waiting, and_(waiting.c.domain_id == domains.c.id,
                                 waiting.c.state == "awaiting_acceptance",
                                 waiting.c.accept_deadline > ctx.now,
                                 held.c.role == "registrant"))
        .where(domains.c.released_at.is_(None))
        .order_by(domains.c.uname))).all()
    open_invoices: dict[int, int] = {r.domain_id: r.id for r in await ctx.conn.execute(
        select(invoices.c.domain_id, func.max(invoices.c.id).label("id"))
        .where(invoices.c.status == "open", invoices.c.domain_id.in_({r.did for r in found}),
               invoices.c.debtor_contact_id.in_(ids))
        .group_by(invoices.c.domain_id))} if found else {}
    roles: dict[tuple[int, str], list[str]] = {}
    first: dict[tuple[int, str], Row[*tuple[Any, ...]]] = {}
    waiting_for: dict[tuple[int, str], str] = {}
    for r in found:
        key = (r.cid, r.uname)
        roles.setdefault(key, []).append(r.role)
        first.setdefault(key, r)
        if r.tracking_no:
            waiting_for[key] = r.tracking_no
    for (cid, _name), rs in roles.items():
        r = first[(cid, _name)]
        out[cid].domains.append(DomainRole(
            r.uname, tuple(sorted(set(rs), key=ROLE_ORDER.index)), r.state,
            r.management, r.expires_at, r.rname, r.rhandle,
            waiting_for.get((cid, _name)), r.statuses, bool(r.autorenew),
            r.redemption_cause, r.redemption_until, r.delete_at, r.id_status,
            r.email_status, r.verification_due, r.public_name, r.website, r.remail,
            open_invoices.get(r.did)))
    return list(out.values())


ROLE_ORDER = ("registrant", "admin", "billing")


@dataclass(frozen=True)
class RegistrarContact:
    """A registrar as a registrant may reach it: name and handle, and what it publishes
    (Administration > Public information). Attribute names match ``DomainRole``'s, so a
    page shows either the same way."""

    registrar_name: str
    registrar_handle: str
    registrar_public_name: str | None
    registrar_website: str | None
    registrar_email: str | None


async def registrar_contact(ctx: Ctx, registrar_id: int | None) -> RegistrarContact | None:
    """The contact details of a contact's (or domain's) registrar; None without one."""
    if registrar_id is None:
        return None
    row = (await ctx.conn.execute(
        select(registrars.c.name, registrars.c.handle, registrar_public_info.c.public_name,
               registrar_public_info.c.website, registrar_public_info.c.email)
        .outerjoin(registrar_public_info,
                   registrar_public_info.c.registrar_id == registrars.c.id)
        .where(registrars.c.id == registrar_id))).first()
    return RegistrarContact(*row) if row is not None else None

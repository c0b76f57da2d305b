"""Load what ``model.public_view`` needs for one live domain and apply the disclosure
rule — the read WHOIS, RDAP and self-service's "what the public sees about me" share,
so every door discloses the same fields."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from dkreg.model.public_view import PublicContact, PublicDomain, PublicView, public_view
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domain_ns, domains, ds_records, hosts, registrars


def public_contact(row: Any) -> PublicContact:
    """A ``contacts`` row as the disclosure rule reads it."""
    street = tuple(s for s in json.loads(row.street or "[]") if s)
    return PublicContact(row.handle, row.user_type, row.name, row.org, street, row.pc,
                         row.city, row.cc, row.email, row.secondary_email, row.cvr,
                         row.voice)


async def public_record(ctx: Ctx, uname: str) -> PublicView | None:
    """What a public lookup of the live domain ``uname`` (U-label) discloses; None when
    there is no such domain."""
    dom = (await ctx.conn.execute(
        select(domains, registrars.c.name.label("rname"), registrars.c.handle.label("rhandle"))
        .outerjoin(registrars, registrars.c.id == domains.c.sponsor_id)
        .where(domains.c.uname == uname, domains.c.released_at.is_(None)))).first()
    if dom is None:
        return None
    ns = (await ctx.conn.execute(
        select(hosts.c.name).join(domain_ns, domain_ns.c.host_id == hosts.c.id)
        .where(domain_ns.c.domain_id == dom.id).order_by(domain_ns.c.position))).scalars()
    signed = (await ctx.conn.execute(select(func.count()).select_from(ds_records).where(
        ds_records.c.domain_id == dom.id))).scalar_one() > 0
    registrant = (await ctx.conn.execute(select(contacts).where(
        contacts.c.id == dom.registrant_id))).one()
    d = PublicDomain(
        uname=dom.uname, state=dom.state, statuses=dom.statuses, management=dom.management,
        created_at=dom.created_at, expires_at=dom.expires_at, period_years=dom.period_years,
        registrar=f"{dom.rname} ({dom.rhandle})" if dom.rhandle else None,
        delete_at=dom.delete_at, redemption_until=dom.redemption_until, vid=dom.vid,
        signed=signed, nameservers=tuple(ns))
    return public_view(d, public_contact(registrant),
                       publish_org_email=ctx.policy.applies("public_org_email", ctx.now))

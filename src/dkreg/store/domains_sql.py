"""The domain store on SQLAlchemy Core: every backend, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, exists, insert, literal, null, select, union_all
from sqlalchemy.exc import IntegrityError

from dkreg.store.context import Ctx
from dkreg.store.domain_applications import (
    DOMAIN_STATE,
    DOMAIN_STATUSES,
    LEDGER_KIND,
    UNUSABLE_HOST_PATTERNS,
    CreateRefs,
    MailFor,
    NewApplication,
    Registrant,
    occupied,
    tracking_number,
)
from dkreg.store.domains import InfoRow, LookupRow, NameState
from dkreg.store.ledger import debit
from dkreg.store.schema import (
    applications,
    audit,
    auth_tokens,
    contacts,
    domain_contacts,
    domain_dns_checks,
    domain_ns,
    domains,
    ds_records,
    host_addrs,
    hosts,
    mail_outbox,
    registrar_public_info,
    registrars,
    reserved_names,
    waiting_list_offers,
)

_usable = tuple(hosts.c.statuses.notlike(p) for p in UNUSABLE_HOST_PATTERNS)


async def hosts_in_use(ctx: Ctx, domain_id: int, limit: int = 4) -> list[tuple[str, str]]:
    """(host, domain) pairs: hosts under this domain that serve other live domains."""
    rows = await ctx.conn.execute(
        select(hosts.c.name, domains.c.uname)
        .join(domain_ns, domain_ns.c.host_id == hosts.c.id)
        .join(domains, domains.c.id == domain_ns.c.domain_id)
        .where(hosts.c.domain_id == domain_id, domains.c.id != domain_id,
               domains.c.released_at.is_(None))
        .order_by(hosts.c.name, domains.c.uname).limit(limit))
    return [(r.name, r.uname) for r in rows]


def _dnssec_checked() -> Any:
    """The latest name-server check's DNSSEC verdict, as a column of the domain's row."""
    return (select(domain_dns_checks.c.dnssec)
            .where(domain_dns_checks.c.domain_id == domains.c.id)
            .order_by(domain_dns_checks.c.checked_at.desc(), domain_dns_checks.c.id.desc())
            .limit(1).correlate(domains).scalar_subquery())


_CONTACT = [contacts.c.handle, contacts.c.user_type, contacts.c.name.label("c_name"),
            contacts.c.org, contacts.c.street, contacts.c.pc, contacts.c.city, contacts.c.cc,
            contacts.c.email, contacts.c.secondary_email, contacts.c.cvr, contacts.c.voice]

# one row per name server (kind "ns") and per DS record (kind "ds"): one round trip
_DELEGATION = union_all(
    select(literal("ns").label("kind"), domain_ns.c.position.label("pos"),
           hosts.c.name.label("host"), null().label("key_tag"), null().label("alg"),
           null().label("digest_type"), null().label("digest"))
    .join(hosts, hosts.c.id == domain_ns.c.host_id)
    .where(domain_ns.c.domain_id == bindparam("domain_id")),
    select(literal("ds"), ds_records.c.key_tag, null(), ds_records.c.key_tag,
           ds_records.c.alg, ds_records.c.digest_type, ds_records.c.digest)
    .where(ds_records.c.domain_id == bindparam("domain_id")),
    # its own subordinate name servers' addresses (the glue candidates); the address in
    # ``digest``
    select(literal("own"), null(), hosts.c.name, null(), null(), null(), host_addrs.c.ip)
    .select_from(domain_ns.join(hosts, and_(hosts.c.id == domain_ns.c.host_id,
                                             hosts.c.domain_id == domain_ns.c.domain_id))
                 .join(host_addrs, host_addrs.c.host_id == hosts.c.id))
    .where(domain_ns.c.domain_id == bindparam("domain_id")),
)


_LOOKUP_ROW = (
    select(domains, registrars.c.name.label("rname"), registrars.c.handle.label("rhandle"),
           registrar_public_info.c.public_name, registrar_public_info.c.website,
           registrar_public_info.c.email.label("remail"), registrar_public_info.c.listed,
           registrar_public_info.c.logo_url,
           _dnssec_checked().label("dnssec_checked"), *_CONTACT)
    .join(contacts, contacts.c.id == domains.c.registrant_id)
    .outerjoin(registrars, registrars.c.id == domains.c.sponsor_id)
    .outerjoin(registrar_public_info,
               registrar_public_info.c.registrar_id == domains.c.sponsor_id)
    .where(domains.c.name == bindparam("name"), domains.c.released_at.is_(None)))



# the three facts of a name's availability in one statement, built once
_NAME_STATE = select(
    select(domains.c.state).where(domains.c.name == bindparam("name"),
                                  domains.c.released_at.is_(None))
    .scalar_subquery().label("state"),
    exists().where(reserved_names.c.name == bindparam("name")).label("reserved"),
    exists().where(waiting_list_offers.c.name == bindparam("name"),
                   waiting_list_offers.c.offered_until > bindparam("now")).label("offered"))


class SqlDomainStore:
    async def lookup(self, ctx: Ctx, alabel: str) -> LookupRow | None:
        """Two statements: the row, then name servers and DS in one UNION ALL."""
        row = (await ctx.conn.execute(_LOOKUP_ROW, {"name": alabel})).first()
        if row is None:
            return None
        ns: list[tuple[int, str]] = []
        ds: list[tuple[int, int, int, str]] = []
        own: list[tuple[str, str]] = []
        for r in await ctx.conn.execute(_DELEGATION, {"domain_id": row.id}):
            if r.kind == "ns":
                ns.append((r.pos, r.host))
            elif r.kind == "own":
                own.append((r.host, r.digest))
            else:
                ds.append((r.key_tag, r.alg, r.digest_type, r.digest))
        return LookupRow(dict(row._mapping), [h for _p, h in sorted(ns)], ds, sorted(own))

    async def name_state(self, ctx: Ctx, alabel: str) -> NameState:
        row = (await ctx.conn.execute(_NAME_STATE, {"name": alabel, "now": ctx.now})).one()
        return NameState(row.state, bool(row.reserved), bool(row.offered))

    async def live_states(self, ctx: Ctx, alabels: list[str]) -> dict[str, str]:
        rows = await ctx.conn.execute(
            select(domains.c.name, domains.c.state)
            .where(domains.c.name.in_(alabels), domains.c.released_at.is_(None)))
        return {r.name: r.state for r in rows}

    async def info(self, ctx: Ctx, alabel: str) -> InfoRow | None:
        row = (await ctx.conn.execute(
            select(domains, contacts.c.handle.label("registrant_handle"),
                   contacts.c.id_status, contacts.c.email_status,
                   registrars.c.handle.label("sponsor_handle"))
            .join(contacts, contacts.c.id == domains.c.registrant_id)
            .outerjoin(registrars, registrars.c.id == domains.c.sponsor_id)
            .where(domains.c.name == alabel, domains.c.released_at.is_(None)))).first()
        if row is None:
            return None
        c = ctx.conn
        ns = [r.name for r in await c.execute(
            select(hosts.c.name).join(domain_ns, domain_ns.c.host_id == hosts.c.id)
            .where(domain_ns.c.domain_id == row.id).order_by(domain_ns.c.position))]
        subordinate = [r.name for r in await c.execute(
            select(hosts.c.name).where(hosts.c.domain_id == row.id).order_by(hosts.c.name))]
        roles = [(r.type, r.handle) for r in await c.execute(
            select(domain_contacts.c.type, contacts.c.handle)
            .join(contacts, contacts.c.id == domain_contacts.c.contact_id)
            .where(domain_contacts.c.domain_id == row.id)
            .order_by(domain_contacts.c.type, contacts.c.handle))]
        billing = None
        if row.billing_registrar_id is not None:
            billing = (await c.execute(select(registrars.c.handle).where(
                registrars.c.id == row.billing_registrar_id))).scalar_one()
        tokens = [(r.op, r.token, r.expires_at) for r in await c.execute(
            select(auth_tokens.c.op, auth_tokens.c.token, auth_tokens.c.expires_at).where(
                auth_tokens.c.domain_id == row.id, auth_tokens.c.used_at.is_(None),
                auth_tokens.c.retracted_at.is_(None), auth_tokens.c.expires_at > ctx.now)
            .order_by(auth_tokens.c.op))]
        ds = [(r.key_tag, r.alg, r.digest_type, r.digest) for r in await c.execute(
            select(ds_records).where(ds_records.c.domain_id == row.id)
            .order_by(ds_records.c.id))]
        return InfoRow(
            domain=dict(row._mapping), registrant_handle=row.registrant_handle,
            id_status=row.id_status, email_status=row.email_status,
            sponsor_handle=row.sponsor_handle, ns=ns, subordinate=subordinate, roles=roles,
            billing=billing, ds=ds, tokens=tokens, in_use=await hosts_in_use(ctx, row.id))

    async def create_refs(self, ctx: Ctx, registrar_id: int, handle: str,
                          ns_names: list[str], role_handles: list[str]) -> CreateRefs:
        reg = (await ctx.conn.execute(
            select(registrars.c.default_management, registrars.c.default_autorenew)
            .where(registrars.c.id == registrar_id))).one()
        row = (await ctx.conn.execute(
            select(contacts.c.id, contacts.c.sponsor_id, contacts.c.management,
                   contacts.c.id_status, contacts.c.cc, contacts.c.email)
            .where(contacts.c.handle == handle, contacts.c.deleted_at.is_(None)))).first()
        host_ids = {r.name: r.id for r in await ctx.conn.execute(
            select(hosts.c.name, hosts.c.id).where(hosts.c.name.in_(ns_names), *_usable))}
        role_ids = {r.handle: r.id for r in await ctx.conn.execute(
            select(contacts.c.handle, contacts.c.id)
            .where(contacts.c.handle.in_(role_handles), contacts.c.deleted_at.is_(None)))
        } if role_handles else {}
        return CreateRefs(reg.default_management, reg.default_autorenew,
                          Registrant(row.id, row.sponsor_id, row.management, row.id_status,
                                     row.cc, row.email) if row else None,
                          host_ids, role_ids)

    async def write_application(self, ctx: Ctx, app: NewApplication,
                                mail: MailFor | None = None) -> str:
        try:
            domain_id = (await ctx.conn.execute(insert(domains).values(
                name=app.alabel, uname=app.ulabel, roid=app.roid, state=DOMAIN_STATE,
                statuses=DOMAIN_STATUSES, registrant_id=app.registrant_id,
                sponsor_id=app.sponsor_id, management=app.management, autorenew=app.autorenew,
                period_years=app.period, created_by=app.registrar_handle, created_at=app.now,
            ).returning(domains.c.id))).scalar_one()
        except IntegrityError:
            raise occupied(app) from None
        await ctx.conn.execute(insert(domain_ns), [
            {"domain_id": domain_id, "host_id": h, "position": i}
            for i, h in enumerate(app.ns_ids)])
        if app.roles:
            await ctx.conn.execute(insert(domain_contacts), [
                {"domain_id": domain_id, "type": t, "contact_id": c} for t, c in app.roles])
        if app.ds:
            await ctx.conn.execute(insert(ds_records), [
                {"domain_id": domain_id, "key_tag": r.key_tag, "alg": r.alg,
                 "digest_type": r.digest_type, "digest": r.digest, "created_at": app.now}
                for r in app.ds])
        tn = tracking_number(app.now, domain_id)
        await ctx.conn.execute(insert(applications).values(
            tracking_no=tn, domain_id=domain_id, registrar_id=app.registrar_id,
            user_login=app.user_login, cl_trid=app.cl_trid,
            sv_trid=app.application_sv_trid(tn), flow=app.flow,
            terms_accepted_at=app.accepted_at, period_years=app.period,
            price_ore=app.price_ore, billed=app.billed, state=app.state, due_at=app.due_at,
            accept_deadline=app.accept_deadline, created_at=app.now))
        audit_row = app.audit_row(tn)
        if audit_row is not None:
            await ctx.conn.execute(insert(audit).values(**audit_row))
        if mail is not None:
            await ctx.conn.execute(insert(mail_outbox).values(**mail(tn)))
        if app.billed:
            # last statement before commit: the account row lock is held for the shortest
            await debit(ctx, app.registrar_id, app.price_ore, LEDGER_KIND,
                        app.ledger_reference(tn))
        return tn

"""info domain, with the .dk visibility rules.

Everyone may see a domain's registrant, name servers, status and dates (public
registration data under NIS2). Sponsor-only data (auto-renew setting, subordinate
hosts) is shown to the sponsoring registrar alone.

Two statuses are derived rather than stored: ``serverDeleteProhibited`` when delete
would refuse the domain (the same rule, ``domain_delete.delete_prohibited``), and the
RFC 3915 ``redemptionPeriod`` while its registrar can still restore it (the restore
action's causes) — an RGP status, not a domain-1.0 one, so the EPP door shows it in
``rgp:infData`` to sessions that announced rgp-1.0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from dkreg.actions.context import Ctx
from dkreg.actions.domain_delete import DeleteFacts, delete_prohibited, hosts_in_use
from dkreg.actions.domain_restore import RESTORABLE
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import DomainName, parse_domain_name
from dkreg.model.verification import is_validated
from dkreg.store.schema import (
    auth_tokens,
    contacts,
    domain_contacts,
    domain_ns,
    domains,
    ds_records,
    hosts,
    registrars,
)


@dataclass(frozen=True)
class DomainInfo:
    name: str
    roid: str
    statuses: list[str]
    registrant: str
    ns: list[str]
    hosts: list[str] | None  # subordinate hosts, sponsor only
    cl_id: str
    cr_id: str
    cr_date: datetime
    up_id: str | None
    up_date: datetime | None
    ex_date: datetime | None
    registrant_validated: bool
    autorenew: bool | None  # sponsor only
    related: bool
    contacts: list[tuple[str, str]] = field(default_factory=list)  # (type, handle), related
    ds: list[DsRecord] = field(default_factory=list)  # public
    auth_tokens: list[AuthToken] = field(default_factory=list)  # sponsor only
    # (advisory, date): pendingDeletionDate while a deletion is scheduled or in redemption
    advisories: list[tuple[str, datetime | None]] = field(default_factory=list)
    tr_date: datetime | None = None
    vid: bool = False
    rgp_statuses: list[str] = field(default_factory=list)  # RFC 3915 rgpStatus values


@dataclass(frozen=True)
class DsRecord:
    key_tag: int
    alg: int
    digest_type: int
    digest: str


@dataclass(frozen=True)
class AuthToken:
    op: str  # transfer | redel
    token: str
    expires_at: datetime


def _is_related(ctx: Ctx, sponsor_id: int | None, billing_registrar_id: int | None) -> bool:
    """The sponsor sees everything; a registrar that is billing contact of a
    registrant-managed domain sees its roles too."""
    rid = ctx.actor.registrar_id
    return ctx.actor.is_registry or (rid is not None and rid in (sponsor_id,
                                                                 billing_registrar_id))


def _advisories(delete_at: datetime | None, redemption_until: datetime | None
                ) -> list[tuple[str, datetime | None]]:
    when = redemption_until or delete_at
    return [("pendingDeletionDate", when)] if when else []


def _statuses(facts: DeleteFacts) -> list[str]:
    """The stored statuses, plus serverDeleteProhibited when delete would refuse."""
    out = list(facts.statuses)
    if "serverDeleteProhibited" not in out and delete_prohibited(facts) is not None:
        out = [s for s in out if s != "ok"] + ["serverDeleteProhibited"]
    return out


def _rgp_statuses(redemption_until: datetime | None, cause: str | None) -> list[str]:
    """redemptionPeriod while the registrar can restore (.dk has no other grace period,
    and restores at once: no pendingRestore)."""
    return ["redemptionPeriod"] if redemption_until is not None and cause in RESTORABLE else []


async def domain_info(ctx: Ctx, raw_name: str) -> DomainInfo:
    try:
        name = parse_domain_name(raw_name)
    except EppError as e:
        raise err(2303, "domain_not_found", field="domain:name", detail=e.detail) from None
    if ctx.raw is not None:
        return await _info_pg(ctx, name)
    row = (await ctx.conn.execute(
        select(domains, contacts.c.handle.label("registrant_handle"),
               contacts.c.id_status, contacts.c.email_status,
               registrars.c.handle.label("sponsor_handle"))
        .join(contacts, contacts.c.id == domains.c.registrant_id)
        .outerjoin(registrars, registrars.c.id == domains.c.sponsor_id)
        .where(domains.c.name == name.alabel, domains.c.released_at.is_(None)))).first()
    if row is None:
        raise err(2303, "domain_not_found", field="domain:name",
                  detail=Detail("not_registered", ulabel=name.ulabel))
    related = _is_related(ctx, row.sponsor_id, row.billing_registrar_id)
    sponsor = ctx.actor.is_registry or (
        row.sponsor_id is not None and row.sponsor_id == ctx.actor.registrar_id)
    ns = [r.name for r in await ctx.conn.execute(
        select(hosts.c.name).join(domain_ns, domain_ns.c.host_id == hosts.c.id)
        .where(domain_ns.c.domain_id == row.id).order_by(domain_ns.c.position))]
    subordinate = None
    roles: list[tuple[str, str]] = []
    tokens: list[AuthToken] = []
    if related:
        subordinate = [r.name for r in await ctx.conn.execute(
            select(hosts.c.name).where(hosts.c.domain_id == row.id).order_by(hosts.c.name))]
        roles = [(r.type, r.handle) for r in await ctx.conn.execute(
            select(domain_contacts.c.type, contacts.c.handle)
            .join(contacts, contacts.c.id == domain_contacts.c.contact_id)
            .where(domain_contacts.c.domain_id == row.id)
            .order_by(domain_contacts.c.type, contacts.c.handle))]
        if row.billing_registrar_id is not None:
            billing = (await ctx.conn.execute(select(registrars.c.handle).where(
                registrars.c.id == row.billing_registrar_id))).scalar_one()
            roles.append(("billing", billing))
    if sponsor:
        tokens = [AuthToken(r.op, r.token, r.expires_at) for r in await ctx.conn.execute(
            select(auth_tokens.c.op, auth_tokens.c.token, auth_tokens.c.expires_at).where(
                auth_tokens.c.domain_id == row.id, auth_tokens.c.used_at.is_(None),
                auth_tokens.c.retracted_at.is_(None), auth_tokens.c.expires_at > ctx.now)
            .order_by(auth_tokens.c.op))]
    ds = [DsRecord(r.key_tag, r.alg, r.digest_type, r.digest) for r in await ctx.conn.execute(
        select(ds_records).where(ds_records.c.domain_id == row.id).order_by(ds_records.c.id))]
    facts = DeleteFacts.of(row._mapping, row.id_status, row.email_status,
                           await hosts_in_use(ctx, row.id))
    return DomainInfo(
        name=row.uname, roid=row.roid, statuses=_statuses(facts),
        registrant=row.registrant_handle, ns=ns, hosts=subordinate,
        cl_id=row.sponsor_handle or "DKHM1-DK", cr_id=row.created_by, cr_date=row.created_at,
        up_id=row.updated_by, up_date=row.updated_at, ex_date=row.expires_at,
        registrant_validated=is_validated(row.id_status),
        autorenew=row.autorenew if sponsor else None, related=related,
        contacts=roles, ds=ds, auth_tokens=tokens,
        advisories=_advisories(row.delete_at, row.redemption_until),
        tr_date=row.transferred_at, vid=row.vid,
        rgp_statuses=_rgp_statuses(row.redemption_until, row.redemption_cause))


# One statement instead of three for the asyncpg fast path (see Database.raw_pool).
_INFO_SQL = """
SELECT d.id, d.uname, d.roid, d.statuses, d.sponsor_id, d.created_by, d.created_at,
       d.updated_by, d.updated_at, d.expires_at, d.autorenew, d.billing_registrar_id,
       d.delete_at, d.redemption_until, d.transferred_at, d.vid, d.state, d.suspended_at,
       d.redemption_cause, c.handle AS registrant_handle, c.id_status, c.email_status,
       r.handle AS sponsor_handle,
       ARRAY(SELECT h.name FROM domain_ns dn JOIN hosts h ON h.id = dn.host_id
             WHERE dn.domain_id = d.id ORDER BY dn.position) AS ns,
       ARRAY(SELECT h.name FROM hosts h WHERE h.domain_id = d.id ORDER BY h.name) AS subs,
       ARRAY(SELECT dc.type || ' ' || cc.handle FROM domain_contacts dc
             JOIN contacts cc ON cc.id = dc.contact_id WHERE dc.domain_id = d.id
             ORDER BY dc.type, cc.handle) AS roles,
       (SELECT br.handle FROM registrars br WHERE br.id = d.billing_registrar_id) AS billing,
       ARRAY(SELECT ROW(s.key_tag, s.alg, s.digest_type, s.digest) FROM ds_records s
             WHERE s.domain_id = d.id ORDER BY s.id) AS ds,
       ARRAY(SELECT ROW(t.op, t.token, t.expires_at) FROM auth_tokens t
             WHERE t.domain_id = d.id AND t.used_at IS NULL AND t.retracted_at IS NULL
               AND t.expires_at > $2 ORDER BY t.op) AS tokens,
       -- domain_delete.hosts_in_use: hosts under d that serve other live domains
       ARRAY(SELECT ROW(h.name, o.uname) FROM hosts h
             JOIN domain_ns dn ON dn.host_id = h.id JOIN domains o ON o.id = dn.domain_id
             WHERE h.domain_id = d.id AND o.id <> d.id AND o.released_at IS NULL
             ORDER BY h.name, o.uname LIMIT 4) AS in_use
FROM domains d JOIN contacts c ON c.id = d.registrant_id
LEFT JOIN registrars r ON r.id = d.sponsor_id
WHERE d.name = $1 AND d.released_at IS NULL
"""


async def _info_pg(ctx: Ctx, name: DomainName) -> DomainInfo:
    row = await ctx.raw.fetchrow(_INFO_SQL, name.alabel, ctx.now)
    if row is None:
        raise err(2303, "domain_not_found", field="domain:name",
                  detail=Detail("not_registered", ulabel=name.ulabel))
    related = _is_related(ctx, row["sponsor_id"], row["billing_registrar_id"])
    sponsor = ctx.actor.is_registry or (
        row["sponsor_id"] is not None and row["sponsor_id"] == ctx.actor.registrar_id)
    roles = [tuple(x.split(" ", 1)) for x in row["roles"]] if related else []
    if related and row["billing"]:
        roles.append(("billing", row["billing"]))
    facts = DeleteFacts.of(row, row["id_status"], row["email_status"],
                           [tuple(r) for r in row["in_use"]])
    return DomainInfo(
        name=row["uname"], roid=row["roid"], statuses=_statuses(facts),
        registrant=row["registrant_handle"], ns=list(row["ns"]),
        hosts=list(row["subs"]) if related else None,
        cl_id=row["sponsor_handle"] or "DKHM1-DK", cr_id=row["created_by"],
        cr_date=row["created_at"], up_id=row["updated_by"], up_date=row["updated_at"],
        ex_date=row["expires_at"], registrant_validated=is_validated(row["id_status"]),
        autorenew=row["autorenew"] if sponsor else None, related=related,
        contacts=roles,
        ds=[DsRecord(*r) for r in row["ds"]],
        auth_tokens=[AuthToken(*r) for r in row["tokens"]] if sponsor else [],
        advisories=_advisories(row["delete_at"], row["redemption_until"]),
        tr_date=row["transferred_at"], vid=row["vid"],
        rgp_statuses=_rgp_statuses(row["redemption_until"], row["redemption_cause"]))

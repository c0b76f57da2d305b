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

from dkreg.actions.domain.delete import DeleteFacts, delete_prohibited
from dkreg.actions.domain.restore import RESTORABLE
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_domain_name
from dkreg.model.verification import is_validated
from dkreg.store.context import Ctx


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
    row = await ctx.domains.info(ctx, name.alabel)
    if row is None:
        raise err(2303, "domain_not_found", field="domain:name",
                  detail=Detail("not_registered", ulabel=name.ulabel))
    d = row.domain
    related = _is_related(ctx, d["sponsor_id"], d["billing_registrar_id"])
    sponsor = ctx.actor.is_registry or (
        d["sponsor_id"] is not None and d["sponsor_id"] == ctx.actor.registrar_id)
    roles = list(row.roles) if related else []
    if related and row.billing:
        roles.append(("billing", row.billing))
    facts = DeleteFacts.of(d, row.id_status, row.email_status, row.in_use)
    return DomainInfo(
        name=d["uname"], roid=d["roid"], statuses=_statuses(facts),
        registrant=row.registrant_handle, ns=row.ns,
        hosts=row.subordinate if related else None,
        cl_id=row.sponsor_handle or "DKHM1-DK", cr_id=d["created_by"],
        cr_date=d["created_at"], up_id=d["updated_by"], up_date=d["updated_at"],
        ex_date=d["expires_at"], registrant_validated=is_validated(row.id_status),
        autorenew=d["autorenew"] if sponsor else None, related=related, contacts=roles,
        ds=[DsRecord(*r) for r in row.ds],
        auth_tokens=[AuthToken(*r) for r in row.tokens] if sponsor else [],
        advisories=_advisories(d["delete_at"], d["redemption_until"]),
        tr_date=d["transferred_at"], vid=d["vid"],
        rgp_statuses=_rgp_statuses(d["redemption_until"], d["redemption_cause"]))

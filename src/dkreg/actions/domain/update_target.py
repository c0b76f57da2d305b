"""The domain an update acts on: loading it, the states that forbid updates, and who
may change what.

Shared by the parts of update domain (``domain_update_*.py``) so that every part asks
the same question the same way: is this actor the sponsor, and does its service user
hold the meta-role the part needs (SPEC-DIGEST §7)?
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_domain_name
from dkreg.store.context import Ctx
from dkreg.store.schema import domains, registrars

ROLE_NAMES = {"proxy": Detail("role_proxy"), "nsa": Detail("role_nsa"),
              "payer": Detail("role_payer"), "registrar": Detail("role_registrar")}

# statuses under which nothing about the domain may change (SPEC-DIGEST §5.5, §5.7)
BLOCKING = ("pendingDelete", "redemptionPeriod", "serverUpdateProhibited")


@dataclass
class Target:
    id: int
    name: str  # A-label
    uname: str  # U-label, as responses and poll messages show it
    state: str
    statuses: str
    registrant_id: int
    sponsor_id: int | None  # None: registrant-managed (clID DKHM1-DK)
    sponsor_handle: str | None
    management: str
    autorenew: bool
    billing_registrar_id: int | None
    redemption_until: datetime | None

    @property
    def registrant_managed(self) -> bool:
        return self.sponsor_id is None

    def has_status(self, status: str) -> bool:
        return status in self.statuses.split()


async def load_target(ctx: Ctx, raw_name: str) -> Target:
    """The live domain, locked for the rest of the transaction (2303 when unknown)."""
    try:
        name = parse_domain_name(raw_name)
    except EppError as e:
        raise err(2303, "domain_not_found", field="domain:name", detail=e.detail) from None
    sponsor_handle = (select(registrars.c.handle)
                      .where(registrars.c.id == domains.c.sponsor_id).scalar_subquery())
    row = (await ctx.conn.execute(ctx.for_update(
        select(domains.c.id, domains.c.name, domains.c.uname, domains.c.state,
               domains.c.statuses, domains.c.registrant_id, domains.c.sponsor_id,
               domains.c.management, domains.c.autorenew, domains.c.billing_registrar_id,
               domains.c.redemption_until, sponsor_handle.label("sponsor_handle"))
        .where(domains.c.name == name.alabel, domains.c.released_at.is_(None))))).first()
    if row is None:
        raise err(2303, "domain_not_found", field="domain:name",
                  detail=Detail("not_registered", ulabel=name.ulabel))
    return Target(**row._asdict())


def check_updatable(dom: Target) -> None:
    """An application, a domain on its way out, or a locked domain cannot be updated."""
    if dom.state != "active":
        raise err(2304, "update_status", field="domain:name",
                  detail=Detail("still_being_created_pendingcreate_2", uname=dom.uname))
    for status in BLOCKING:
        if dom.has_status(status):
            raise err(2304, "update_status", field="domain:name",
                      detail=Detail("has_status_2", uname=dom.uname, status=status))
    if dom.redemption_until is not None:
        raise err(2304, "update_status", field="domain:name",
                  detail=Detail("its_redemption_period_restore_it", uname=dom.uname))


def require_sponsor(ctx: Ctx, dom: Target, reason: str, *roles: str, what: Detail,
                    field: str | None = None) -> None:
    """Only the sponsoring registrar (with one of ``roles``) or the registry itself.

    A registrant-managed domain has no sponsor: its registrant does such things in
    self-service, so a registrar is refused with the same reason. ``what`` completes
    "needed to ..." (e.g. "change name servers").
    """
    actor = ctx.actor
    if actor.is_registry:
        return
    if dom.registrant_managed:
        raise err(2201, reason, field=field,
                  detail=Detail("registrant_managed_only_its_registrant", uname=dom.uname,
                                what=what))
    if dom.sponsor_id != actor.registrar_id:
        raise err(2201, reason, field=field,
                  detail=Detail("not_portfolio", uname=dom.uname,
                                registrar_handle=actor.registrar_handle))
    if roles and not any(r in actor.roles for r in roles):
        needed: Detail | str = ROLE_NAMES.get(roles[0]) or roles[0]
        for r in roles[1:]:
            needed = Detail("roles_either", first=needed, second=ROLE_NAMES.get(r) or r)
        raise err(2201, reason, field=field,
                  detail=Detail("service_user_lacks_meta_role", login=actor.login, needed=needed,
                                what=what))


def is_sponsor_with(ctx: Ctx, dom: Target, *roles: str) -> bool:
    """Whether :func:`require_sponsor` would let the actor through, for parts that offer
    another way in (a REDEL token) to those it would not."""
    actor = ctx.actor
    if actor.is_registry:
        return True
    return (dom.sponsor_id is not None and dom.sponsor_id == actor.registrar_id
            and (not roles or any(r in actor.roles for r in roles)))


def by_sponsor(ctx: Ctx, dom: Target) -> bool:
    """Whether the sponsoring registrar made the change itself (then it needs no poll
    message: it has the command's response)."""
    return dom.sponsor_id is not None and ctx.actor.registrar_id == dom.sponsor_id


def with_status(statuses: str, status: str) -> str:
    """Add an EPP status; ``ok`` cannot be combined with any other (RFC 5731)."""
    values = [s for s in statuses.split() if s != "ok"]
    if status not in values:
        values.append(status)
    return " ".join(values)


def without_status(statuses: str, status: str) -> str:
    values = [s for s in statuses.split() if s != status]
    return " ".join(values) or "ok"

"""create domain — the newsletter's flow.

Check the request, load what it refers to, verify the rules, write the application
and the debit in one transaction, answer 1001. The application's outcome is decided by
lifecycle work (``lifecycle/applications.py``) and arrives as exactly one poll message.

Flow 1: ``dkhm:orderconfirmationToken`` present — the registrant accepted Punktum dk's
terms at the registrar at that second; billed now, processed promptly.
Flow 2 (only while the policy timeline allows it, until 2025-01-15): no token — the
registry asks the registrant to accept within 4 days; the name is held ``Enqueued``,
nothing is billed until acceptance, and the application is cancelled at the deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from dkreg.actions.context import Ctx
from dkreg.actions.ledger import debit
from dkreg.clock import local_midnight_after
from dkreg.errors import err
from dkreg.model.names import parse_domain_name
from dkreg.model.token import FIELD as TOKEN_FIELD
from dkreg.model.token import check_token
from dkreg.store.schema import (
    applications,
    contacts,
    domain_contacts,
    domain_ns,
    domains,
    hosts,
    registrars,
)

VALIDATED = ("completed", "notRequired")


@dataclass
class DomainCreate:
    name: str
    registrant: str
    ns: list[str]
    period: int | None = 1
    period_unit: str = "y"
    contacts: list[tuple[str, str]] = field(default_factory=list)  # (type, handle)
    token: str | None = None  # raw dkhm:orderconfirmationToken text
    management: str | None = None  # dkhm:management; default: the account setting
    autorenew: bool | None = None
    auth_pw: str | None = None


@dataclass(frozen=True)
class DomainCreateResult:
    name: str  # U-label
    tracking_no: str
    registrant_validated: bool
    domain_confirmed: bool
    flow: int
    accept_deadline: datetime | None


async def domain_create(ctx: Ctx, cmd: DomainCreate) -> DomainCreateResult:
    s = ctx.settings
    actor = ctx.actor
    if actor.registrar_id is None:
        raise err(2201, "no_privilege", detail="only a registrar can create domains")
    if "registrar" not in actor.roles:
        raise err(2201, "no_privilege",
                  detail="the service user lacks the Registrar meta-role needed to create")

    # -- check the request on its own
    name = parse_domain_name(cmd.name)
    if cmd.period_unit != "y":
        raise err(2005, "period_unit", field="domain:period")
    period = 1 if cmd.period is None else cmd.period
    if not 1 <= period <= 10:
        raise err(2004, "invalid_period", period, field="domain:period",
                  detail="the period must be 1 to 10 years")
    if not cmd.ns:
        raise err(2003, "missing_parameter", field="domain:ns",
                  detail=f"a .dk domain needs {s.min_ns} to {s.max_ns} name servers")
    ns_names = [h.strip().lower().rstrip(".") for h in cmd.ns]
    for i, h in enumerate(ns_names):
        if h in ns_names[:i]:
            raise err(2306, "policy", field="domain:hostObj", position=i + 1,
                      detail=f"name server {h} is listed twice")
    if not s.min_ns <= len(ns_names) <= s.max_ns:
        raise err(2308, "too_few_ns" if len(ns_names) < s.min_ns else "too_many_ns",
                  field="domain:ns",
                  detail=f"a .dk domain needs {s.min_ns} to {s.max_ns} name servers, "
                         f"got {len(ns_names)}")
    accepted_at: datetime | None = None
    if cmd.token is not None:
        accepted_at = check_token(cmd.token, ctx.now, max_future_hours=s.token_max_future_hours,
                                  max_age_days=s.token_max_age_days)
        flow = 1
    elif ctx.policy.flow2_allowed(ctx.now):
        flow = 2
    else:
        end = ctx.policy.rule("flow2").end
        raise err(2003, "token_required", field=TOKEN_FIELD,
                  detail=f"element <{TOKEN_FIELD}> is mandatory since "
                         f"{end:%Y-%m-%d} (Flow 2 has ended): send the time the registrant "
                         f"accepted Punktum dk's terms, in seconds since 1970")

    # -- load what the request refers to
    reg = (await ctx.conn.execute(
        select(registrars.c.default_management, registrars.c.default_autorenew)
        .where(registrars.c.id == actor.registrar_id))).one()
    management = cmd.management or reg.default_management
    if management not in ("registrar", "registrant"):
        raise err(2005, "value_syntax", field="dkhm:management",
                  detail="management is 'registrar' or 'registrant'")
    if management == "registrar" and cmd.contacts:
        raise err(2306, "contacts_registrar_managed", field="domain:contact",
                  detail="admin and billing are implicitly the registrar")
    handle = cmd.registrant.strip().upper()
    if handle.startswith("REG-"):
        raise err(2201, "registrant_is_registrar", field="domain:registrant")
    registrant = (await ctx.conn.execute(
        select(contacts.c.id, contacts.c.sponsor_id, contacts.c.management,
               contacts.c.id_status, contacts.c.cc)
        .where(contacts.c.handle == handle))).first()
    if registrant is None:
        raise err(2303, "object_not_exist", field="domain:registrant",
                  detail=f"contact {handle} does not exist")
    if registrant.id_status == "rejected":
        raise err(2201, "registrant_failed_id", field="domain:registrant")
    if management == "registrar":
        if registrant.management != "registrar" or registrant.sponsor_id != actor.registrar_id:
            raise err(2305, "management_mismatch_registrar", field="domain:registrant",
                      detail=f"{handle} must be a registrar-managed contact of "
                             f"{actor.registrar_handle}")
    elif registrant.management != "registrant":
        raise err(2305, "management_mismatch_registrant", field="domain:registrant")
    contact_ids: list[tuple[str, int]] = []
    for i, (ctype, chandle) in enumerate(cmd.contacts, 1):
        if ctype not in ("admin", "billing"):
            raise err(2306, "policy", field="domain:contact", position=i,
                      detail=f"contact type {ctype!r}: only admin and billing are used in .dk")
        if sum(1 for t, _ in cmd.contacts if t == ctype) > 1:
            raise err(2004, "too_many_contacts", field="domain:contact", position=i,
                      detail=f"at most one {ctype} contact")
        cid = (await ctx.conn.execute(select(contacts.c.id).where(
            contacts.c.handle == chandle.upper()))).scalar()
        if cid is None:
            raise err(2303, "object_not_exist", field="domain:contact", position=i,
                      detail=f"contact {chandle} does not exist")
        contact_ids.append((ctype, cid))
    autorenew = reg.default_autorenew if cmd.autorenew is None else cmd.autorenew
    if management == "registrant" and not autorenew:
        raise err(2004, "autorenew_registrant", field="dkhm:autoRenew")
    host_rows = {r.name: r.id for r in await ctx.conn.execute(
        select(hosts.c.name, hosts.c.id).where(hosts.c.name.in_(ns_names)))}
    for i, h in enumerate(ns_names):
        if h not in host_rows:
            raise err(2004, "invalid_nameserver", h, field="domain:hostObj", position=i + 1,
                      detail="create the host object first")

    # -- write: the unique index on live names settles races between sessions
    try:
        domain_id = (await ctx.conn.execute(insert(domains).values(
            name=name.alabel, uname=name.ulabel, roid=name.roid, state="application",
            statuses="pendingCreate", registrant_id=registrant.id,
            sponsor_id=actor.registrar_id if management == "registrar" else None,
            management=management, autorenew=autorenew, period_years=period,
            created_by=actor.registrar_handle, created_at=ctx.now,
        ).returning(domains.c.id))).scalar_one()
    except IntegrityError:
        raise err(2302, "domain_occupied", field="domain:name",
                  detail=f"{name.ulabel} is registered or applied for") from None
    await ctx.conn.execute(insert(domain_ns), [
        {"domain_id": domain_id, "host_id": host_rows[h], "position": i}
        for i, h in enumerate(ns_names)])
    if contact_ids:
        await ctx.conn.execute(insert(domain_contacts), [
            {"domain_id": domain_id, "type": t, "contact_id": c} for t, c in contact_ids])
    tracking_no = f"{ctx.now:%Y%m%d}{domain_id:05d}"
    price = s.domain_price_ore * period
    deadline = local_midnight_after(ctx.now, s.flow2_accept_days) if flow == 2 else None
    await ctx.conn.execute(insert(applications).values(
        tracking_no=tracking_no, domain_id=domain_id, registrar_id=actor.registrar_id,
        user_login=actor.login, cl_trid=ctx.cl_trid,
        sv_trid=f"{ctx.sv_trid}-{tracking_no}" if ctx.sv_trid else None,
        flow=flow, terms_accepted_at=accepted_at, period_years=period, price_ore=price,
        billed=flow == 1, state="queued" if flow == 1 else "awaiting_acceptance",
        due_at=ctx.now if flow == 1 else None, accept_deadline=deadline,
        created_at=ctx.now))
    if flow == 1:
        # last statement before commit: the account row lock is held for the shortest time
        await debit(ctx, actor.registrar_id, price, "domain_create",
                    f"{name.ulabel} {tracking_no}")
    return DomainCreateResult(
        name=name.ulabel, tracking_no=tracking_no,
        registrant_validated=registrant.id_status in VALIDATED,
        domain_confirmed=flow == 1, flow=flow, accept_deadline=deadline)

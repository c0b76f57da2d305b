"""create domain — the newsletter's flow.

Check the request, load what it refers to, verify the rules, write the application
and the debit in one transaction, answer 1001. The application's outcome is decided by
lifecycle work (``lifecycle/applications.py``) and arrives as exactly one poll message.

Flow 1: ``dkhm:orderconfirmationToken`` present — the registrant accepted Punktum dk's
terms at the registrar at that second; billed now, processed promptly.
Flow 2 (only while the policy timeline allows it, until 2025-01-15): no token — the
registry asks the registrant to accept within 4 days; the name is held ``Enqueued``,
nothing is billed until acceptance, and the application is cancelled at the deadline.

DS records (secDNS-1.1 ``create``, RFC 5910 §5.2.1) are judged by the same rules as on
update domain (``model.dnssec``) and written with the application, on the domain row the
application holds: info shows them while the create is pending, and activation (which
turns that row active) keeps them, so the delegation is signed from its first zone.
Like the name servers they are part of the create, so the Registrar meta-role suffices;
changing them afterwards is update domain's (Name Server Administrator).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dkreg.actions.selfservice.flow2 import flow2_mail
from dkreg.clock import local_midnight_after
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.dnssec import DsInput, DsRecord, check_count, check_offered, parse_list
from dkreg.model.names import parse_domain_name
from dkreg.model.nameservers import check_ns_list
from dkreg.model.token import FIELD as TOKEN_FIELD
from dkreg.model.token import check_token
from dkreg.model.verification import is_validated
from dkreg.store import domain_applications as store
from dkreg.store.context import Ctx


@dataclass
class DsCreate:
    """secDNS-1.1 ``create`` as sent; values are checked by the action."""

    records: list[DsInput] = field(default_factory=list)  # dsData
    max_sig_life: bool = False  # present: not offered
    key_data: bool = False  # the keyData interface: not offered


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
    ds: DsCreate | None = None


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
        raise err(2201, "no_privilege", detail=Detail("only_registrar_can_create_domains"))
    if "registrar" not in actor.roles:
        raise err(2201, "no_privilege",
                  detail=Detail("service_user_lacks_registrar_meta"))

    # -- check the request on its own
    name = parse_domain_name(cmd.name)
    if cmd.period_unit != "y":
        raise err(2005, "period_unit", field="domain:period")
    period = 1 if cmd.period is None else cmd.period
    if not 1 <= period <= 10:
        raise err(2004, "invalid_period", period, field="domain:period",
                  detail=Detail("period_must_1_10_years"))
    ns_names = check_ns_list(cmd.ns, s.min_ns, s.max_ns)
    ds = _ds_records(cmd.ds, s.max_ds)
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
                  detail=Detail("element_mandatory_since_flow_2", token_field=TOKEN_FIELD, end=end))

    # -- load what the request refers to
    handle = cmd.registrant.strip().upper()
    if handle.startswith("REG-"):
        raise err(2201, "registrant_is_registrar", field="domain:registrant")
    refs = await ctx.domains.create_refs(ctx, actor.registrar_id, handle, ns_names,
                                         [h.upper() for _, h in cmd.contacts])
    management = cmd.management or refs.default_management
    if management not in ("registrar", "registrant"):
        raise err(2005, "value_syntax", field="dkhm:management",
                  detail=Detail("management_registrar_registrant"))
    if management == "registrar" and cmd.contacts:
        raise err(2306, "contacts_registrar_managed", field="domain:contact",
                  detail=Detail("admin_billing_are_implicitly_registrar"))
    registrant = refs.registrant
    if registrant is None:
        raise err(2303, "object_not_exist", field="domain:registrant",
                  detail=Detail("contact_does_not_exist", handle=handle))
    if registrant.id_status == "rejected":
        raise err(2201, "registrant_failed_id", field="domain:registrant")
    if management == "registrar":
        if registrant.management != "registrar" or registrant.sponsor_id != actor.registrar_id:
            raise err(2305, "management_mismatch_registrar", field="domain:registrant",
                      detail=Detail("must_registrar_managed_contact", handle=handle,
                                    registrar_handle=actor.registrar_handle))
    elif registrant.management != "registrant":
        raise err(2305, "management_mismatch_registrant", field="domain:registrant")
    roles: list[tuple[str, int]] = []
    for i, (ctype, chandle) in enumerate(cmd.contacts, 1):
        if ctype not in ("admin", "billing"):
            raise err(2306, "policy", field="domain:contact", position=i,
                      detail=Detail("contact_type_only_admin_billing", ctype=ctype))
        if sum(1 for t, _ in cmd.contacts if t == ctype) > 1:
            raise err(2004, "too_many_contacts", field="domain:contact", position=i,
                      detail=Detail("at_most_one_contact", ctype=ctype))
        cid = refs.contacts.get(chandle.upper())
        if cid is None:
            raise err(2303, "object_not_exist", field="domain:contact", position=i,
                      detail=Detail("contact_does_not_exist_2", chandle=chandle))
        roles.append((ctype, cid))
    autorenew = refs.default_autorenew if cmd.autorenew is None else cmd.autorenew
    if management == "registrant" and not autorenew:
        raise err(2004, "autorenew_registrant", field="dkhm:autoRenew")
    for i, h in enumerate(ns_names):
        if h not in refs.hosts:
            raise err(2004, "invalid_nameserver", h, field="domain:hostObj", position=i + 1,
                      detail=Detail("create_host_object_first"))

    # -- write: the unique index on live names settles races between sessions
    deadline = local_midnight_after(ctx.now, s.flow2_accept_days) if flow == 2 else None
    new = store.NewApplication(
        alabel=name.alabel, ulabel=name.ulabel, roid=name.roid, registrant_id=registrant.id,
        sponsor_id=actor.registrar_id if management == "registrar" else None,
        management=management, autorenew=autorenew, period=period,
        registrar_id=actor.registrar_id, registrar_handle=actor.registrar_handle,
        user_login=actor.login, now=ctx.now, ns_ids=[refs.hosts[h] for h in ns_names],
        roles=roles, cl_trid=ctx.cl_trid, sv_trid=ctx.sv_trid, flow=flow,
        accepted_at=accepted_at, price_ore=s.domain_price_ore * period,
        accept_deadline=deadline, ds=ds, audit=ctx.audit)
    # Flow 2: the registrant's acceptance mail commits with the application
    mail = flow2_mail(ctx, registrant.email, name.ulabel, deadline,
                                    registrant.cc) if deadline else None
    tracking_no = await ctx.domains.write_application(ctx, new, mail)
    ctx.audit = None  # written with the application
    return DomainCreateResult(
        name=name.ulabel, tracking_no=tracking_no,
        registrant_validated=is_validated(registrant.id_status),
        domain_confirmed=flow == 1, flow=flow, accept_deadline=deadline)


def _ds_records(ds: DsCreate | None, max_ds: int) -> list[DsRecord]:
    """The DS records of a create, by update domain's rules (``model.dnssec``)."""
    if ds is None:
        return []
    check_offered(max_sig_life=ds.max_sig_life, key_data=ds.key_data)
    if not ds.records:
        raise err(2003, "missing_parameter", field="secDNS:dsData",
                  detail=Detail("secdns_create_holds_one_more"))
    records = parse_list(ds.records, "secDNS:create/dsData")
    check_count(len(records), max_ds, field="secDNS:create", result=Detail("ds_count_create_gives"))
    return records

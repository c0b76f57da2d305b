"""update domain — the .dk way (SPEC-DIGEST §5.7).

One command carries several sub-commands; the registry runs them in a fixed order, all
in one transaction, so any failure leaves the domain exactly as it was:

    change registrant → remove NS → remove admin → remove billing → add NS → add admin
    → add billing → remove DS → add DS → set authInfo → unset authInfo (→ autoRenew)

A change of registrant stands alone (2306 when combined). The answer is 1001 when a
part waits for someone else (the new registrant's ID check), else 1000. Client status
changes do not exist in .dk (the EPP door answers 2102).

An update whose add, rem and chg are present but empty is the registry's own published
skeleton: RFC 5731 §3.2.5 requires the elements, not content, so it is a no-op answered
1000 once the domain is loaded and the requester found related to it. Only an update with
none of the elements (and no extension) lacks the RFC's MUST and is 2003.

Who may do what (SPEC-DIGEST §7): on a registrar-managed domain only the sponsoring
registrar — with the Proxy meta-role for the registrant and the transfer token, the
Name Server Administrator role for name servers, DS records and the REDEL token, Proxy
or Payer for auto-renew. A REDEL token (``chg/authInfo/pw`` carrying a token rather
than a keyword) lets someone else change the name servers, and nothing else: the
registrant got it from the sponsor and handed it to a DNS operator, who must hold the
NSA meta-role and administer every name server it adds or removes (SPEC-DIGEST §5.7
rev ≤5.2, §7). On a registrant-managed domain a registrar may only make itself billing
contact and stop being it. The registry itself (CLI, later self-service) may do
everything but issue a registrar's token.

Poll messages: the sponsor is told about name-server and DS changes somebody else made
(the registry, the holder of a REDEL token, later the registrant in self-service); its
own EPP changes need no message, it has the response. A registrar removed as billing
contact by someone else is told as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import update

from dkreg.actions.domain import auth_tokens
from dkreg.actions.domain import update_contacts as contacts_part
from dkreg.actions.domain import update_dnssec as dnssec_part
from dkreg.actions.domain import update_ns as ns_part
from dkreg.actions.domain import update_registrant as registrant_part
from dkreg.actions.domain.update_dns_check import check_after_update
from dkreg.actions.domain.update_target import (
    Target,
    by_sponsor,
    check_updatable,
    is_sponsor_with,
    load_target,
    require_sponsor,
)
from dkreg.actions.poll.queue import enqueue_text
from dkreg.actions.poll.snapshots import domain_snapshot
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.dnssec import DsInput, check_offered, parse_list
from dkreg.model.token import FIELD as TOKEN_FIELD
from dkreg.model.token import check_token
from dkreg.store.context import Ctx
from dkreg.store.schema import domains

# chg/authInfo/pw keywords -> the token the registry generates; any other value is a
# REDEL token presented for a name-server change
AUTH_KEYWORDS = {"auto": "transfer", "autotransfer": "transfer", "autoredel": "redel"}


@dataclass
class DsUpdate:
    """secDNS-1.1 ``update`` as sent; values are checked by the action."""

    rem_all: bool = False
    rem: list[DsInput] = field(default_factory=list)
    add: list[DsInput] = field(default_factory=list)
    max_sig_life: bool = False  # present anywhere: not offered
    key_data: bool = False  # the keyData interface: not offered

    def __bool__(self) -> bool:
        return (self.rem_all or bool(self.rem) or bool(self.add) or self.max_sig_life
                or self.key_data)


@dataclass
class DomainUpdate:
    name: str
    add_ns: list[str] = field(default_factory=list)
    rem_ns: list[str] = field(default_factory=list)
    add_contacts: list[tuple[str, str]] = field(default_factory=list)  # (type, handle)
    rem_contacts: list[tuple[str, str]] = field(default_factory=list)
    registrant: str | None = None
    auth_pw: str | None = None  # a keyword (auto, autotransfer, autoredel) or a REDEL token
    auth_null: bool = False  # retract the live tokens
    token: str | None = None  # raw dkhm:orderconfirmationToken (change of registrant)
    autorenew: bool | None = None
    ds: DsUpdate | None = None
    # add, rem or chg (or an update extension) was sent, even if empty: without any of
    # them the request lacks RFC 5731's MUST; with only empty ones it is a no-op
    containers: bool = False

    def parts(self) -> list[str]:
        """Names of what the command asks for, for messages about combinations."""
        named = [("domain:registrant", self.registrant is not None),
                 ("domain:ns", bool(self.add_ns or self.rem_ns)),
                 ("domain:contact", bool(self.add_contacts or self.rem_contacts)),
                 ("secDNS:update", bool(self.ds)),
                 ("domain:authInfo", self.auth_pw is not None or self.auth_null),
                 ("dkhm:autoRenew", self.autorenew is not None)]
        return [name for name, present in named if present]


@dataclass(frozen=True)
class Checked:
    """What the request asks for, once judged without the database."""

    noop: bool = False  # empty add/rem/chg: nothing to change
    ds: dnssec_part.DsPlan = field(default_factory=dnssec_part.DsPlan)
    token_op: str | None = None  # a keyword: generate a token for this operation
    redel_token: str | None = None  # a presented REDEL token


@dataclass(frozen=True)
class DomainUpdateResult:
    name: str  # U-label
    pending: bool  # 1001: a part waits for someone else's answer
    debited_ore: int = 0  # what the command debited the requester (a registrant change fee)


async def domain_update(ctx: Ctx, cmd: DomainUpdate) -> DomainUpdateResult:
    # -- check the request on its own
    checked = _check_request(ctx, cmd)
    ds_plan = checked.ds

    # -- load the domain and the state it is in
    dom = await load_target(ctx, cmd.name)
    check_updatable(dom)
    if checked.noop:
        _check_related(ctx, dom)
        return DomainUpdateResult(dom.uname, False)

    # -- change registrant (alone)
    if cmd.registrant is not None:
        changed = await registrant_part.change(ctx, dom, cmd.registrant)
        return DomainUpdateResult(dom.uname, changed.pending, changed.debited_ore)

    # -- the other parts, in the registry's order
    original_ds = await dnssec_part.load(ctx, dom) if ds_plan else {}
    if cmd.add_contacts or cmd.rem_contacts:
        contacts_part.check_allowed(ctx, dom)
    if checked.redel_token is not None:
        await _accept_redel_token(ctx, dom, cmd, checked.redel_token)
    ns = await ns_part.begin(ctx, dom, cmd.add_ns, cmd.rem_ns,
                             by_token=checked.redel_token is not None)
    billing = contacts_part.ContactChange()
    if ns is not None:
        await ns_part.remove(ctx, dom, ns, cmd.rem_ns)
    for ctype in contacts_part.ROLES:
        await contacts_part.remove(ctx, dom, ctype, _of_type(cmd.rem_contacts, ctype), billing)
    if ns is not None:
        await ns_part.add(ctx, dom, ns, cmd.add_ns)
    for ctype in contacts_part.ROLES:
        await contacts_part.add(ctx, dom, ctype, _of_type(cmd.add_contacts, ctype))
    ds_changed = False
    if ds_plan:
        dnssec_part.check_privilege(ctx, dom)
        ds_changed = await dnssec_part.remove(ctx, dom, ds_plan, original_ds)
        ds_changed = await dnssec_part.add(ctx, dom, ds_plan) or ds_changed
    if checked.token_op is not None:
        await _set_token(ctx, dom, checked.token_op)
    if cmd.auth_null:
        await _unset_tokens(ctx, dom)
    if cmd.autorenew is not None:
        await _set_autorenew(ctx, dom, cmd.autorenew)
    await ctx.conn.execute(update(domains).where(domains.c.id == dom.id).values(
        updated_at=ctx.now, updated_by=ctx.actor.registrar_handle))
    # -- the registry's name-server check on what is about to be committed
    await check_after_update(ctx, dom, ns_changed=ns is not None and ns.changed,
                             ds_changed=ds_changed)

    # -- tell those who did not make the change
    notices: list[tuple[int, str, dict[str, str]]] = []
    if dom.sponsor_id is not None and not by_sponsor(ctx, dom):
        if ns is not None and ns.changed:
            notices.append((dom.sponsor_id, "ns_changed",
                            {"old": ", ".join(ns.before), "new": ", ".join(ns.after)}))
        if ds_changed or (ns is not None and ns.ds_removed):
            notices.append((dom.sponsor_id, "ds_changed", {}))
    for registrar_id, handle in billing.billing_removed:
        notices.append((registrar_id, "billing_removed", {"registrar": handle}))
    if notices:
        snapshot = await domain_snapshot(ctx, dom.uname)
        for registrar_id, key, values in notices:
            await enqueue_text(ctx, registrar_id, key, snapshot, name=dom.uname, **values)
    return DomainUpdateResult(dom.uname, False)


def _check_request(ctx: Ctx, cmd: DomainUpdate) -> Checked:
    """Everything that can be judged without the database."""
    parts = cmd.parts()
    if not parts and cmd.token is None:
        if cmd.containers:
            return Checked(noop=True)
        raise err(2003, "missing_parameter", field="domain:update",
                  detail=Detail("update_needs_at_least_one"))
    if cmd.registrant is not None and len(parts) > 1:
        raise err(2306, "update_registrant_combined", field="domain:registrant",
                  detail=Detail("send_separate_update", parts=', '.join(parts[1:])))
    if cmd.registrant is not None:
        if not cmd.registrant.strip():
            raise err(2003, "missing_parameter", field="domain:registrant",
                      detail=Detail("new_registrant_s_contact_handle"))
        if cmd.token is None:
            raise err(2003, "token_required", field=TOKEN_FIELD,
                      detail=Detail("element_mandatory_with_change_registrant",
                                    token_field=TOKEN_FIELD))
        s = ctx.settings
        check_token(cmd.token, ctx.now, max_future_hours=s.token_max_future_hours,
                    max_age_days=s.token_max_age_days)
    elif cmd.token is not None:
        raise err(2306, "update_parameter", f"{TOKEN_FIELD} belongs to a change of registrant",
                  field=TOKEN_FIELD)
    for kind, items in (("add", cmd.add_contacts), ("rem", cmd.rem_contacts)):
        for i, (ctype, handle) in enumerate(items, 1):
            if ctype not in contacts_part.ROLES:
                raise err(2306, "update_role_not_permitted", field=f"domain:{kind}/contact",
                          position=i, detail=Detail("contact_type_dk_uses_admin", ctype=ctype))
            if not handle.strip():
                raise err(2003, "missing_parameter", field=f"domain:{kind}/contact",
                          position=i, detail=Detail("contact_handle_missing"))
    token_op = redel_token = None
    if cmd.auth_pw is not None and cmd.auth_null:
        raise err(2002, "command_use", field="domain:authInfo",
                  detail=Detail("give_either_domain_pw_generate"))
    if cmd.auth_pw is not None:
        keyword = cmd.auth_pw.strip()
        if not keyword:
            raise err(2003, "update_authinfo_value", field="domain:pw",
                      detail=Detail("give_keyword_autotransfer_autoredel"))
        token_op = AUTH_KEYWORDS.get(keyword.lower())
        if token_op is None:
            redel_token = keyword
            _check_token_use(parts)
    return Checked(ds=_ds_plan(cmd.ds), token_op=token_op, redel_token=redel_token)


def _check_token_use(parts: list[str]) -> None:
    """A REDEL token authorises a name-server change and nothing more."""
    others = [p for p in parts if p not in ("domain:ns", "domain:authInfo")]
    if others or "domain:ns" not in parts:
        separately = Detail("token_send_separately", others=", ".join(others)) if others else ""
        raise err(2306, "update_token_needs_ns", field="domain:authInfo",
                  detail=Detail("token_domain_pw_not_keyword", separately=separately))


def _ds_plan(ds: DsUpdate | None) -> dnssec_part.DsPlan:
    if not ds:
        return dnssec_part.DsPlan()
    check_offered(max_sig_life=ds.max_sig_life, key_data=ds.key_data)
    if ds.rem_all and ds.rem:
        raise err(2306, "update_ds_rem_all_and_specific", field="secDNS:rem",
                  detail=Detail("use_either_secdns_all_secdns"))
    rem = parse_list(ds.rem, "secDNS:rem/dsData")
    add = parse_list(ds.add, "secDNS:add/dsData")
    return dnssec_part.DsPlan(rem_all=ds.rem_all, rem=rem, add=add)


def _of_type(items: list[tuple[str, str]], ctype: str) -> list[tuple[int, str]]:
    """(position in the request, handle) of the contacts of one type."""
    return [(i, h.strip().upper()) for i, (t, h) in enumerate(items, 1) if t == ctype]


def _check_related(ctx: Ctx, dom: Target) -> None:
    """An empty update changes nothing, but still answers only those who may update the
    domain: its sponsor, or on a registrant-managed domain its billing registrar."""
    actor = ctx.actor
    if dom.registrant_managed and actor.registrar_id is not None \
            and dom.billing_registrar_id == actor.registrar_id:
        return
    require_sponsor(ctx, dom, "update_no_privilege", what=Detail("to_update_it"),
                    field="domain:update")


async def _accept_redel_token(ctx: Ctx, dom: Target, cmd: DomainUpdate, token: str) -> None:
    """Use up a REDEL token presented for a name-server change.

    The token is checked first: it is what relates the requester to the domain, so
    without a live one the requester learns nothing about the domain's name servers.
    The sponsor (with the NSA meta-role) and the registry could change the name servers
    anyway, so for them the token is only used up; anyone else must administer every
    name server it adds or removes. A later refusal rolls the use back with the rest.
    """
    actor = ctx.actor
    entitled = is_sponsor_with(ctx, dom, "nsa")
    if not entitled and "nsa" not in actor.roles:
        raise err(2201, "update_no_privilege", field="domain:authInfo",
                  detail=Detail("service_user_lacks_name_server", login=actor.login))
    await auth_tokens.consume(ctx, dom.id, "redel", token)
    if not entitled:
        await ns_part.require_nsa_of(ctx, cmd.add_ns, cmd.rem_ns)


async def _set_token(ctx: Ctx, dom: Target, op: str) -> None:
    what = Detail("to_set_transfer_token" if op == "transfer" else "to_set_redel_token")
    if ctx.actor.is_registry:
        raise err(2201, "update_no_privilege_set_authinfo", field="domain:authInfo",
                  detail=Detail("update_domain_issues_tokens_sponsoring"))
    require_sponsor(ctx, dom, "update_no_privilege_set_authinfo",
                    "proxy" if op == "transfer" else "nsa", what=what,
                    field="domain:authInfo")
    await auth_tokens.generate(ctx, dom.id, op)


async def _unset_tokens(ctx: Ctx, dom: Target) -> None:
    require_sponsor(ctx, dom, "update_no_privilege_unset_authinfo", "proxy", "nsa",
                    what=Detail("to_retract_tokens"), field="domain:authInfo")
    await auth_tokens.retract(ctx, dom.id)


async def _set_autorenew(ctx: Ctx, dom: Target, value: bool) -> None:
    require_sponsor(ctx, dom, "update_no_privilege_autorenew", "proxy", "payer",
                    what=Detail("to_change_auto_renew"), field="dkhm:autoRenew")
    if not value and dom.registrant_managed:
        raise err(2004, "autorenew_registrant", field="dkhm:autoRenew",
                  detail=Detail("registrant_managed_domain_always_renewed"))
    await ctx.conn.execute(update(domains).where(domains.c.id == dom.id)
                           .values(autorenew=value))

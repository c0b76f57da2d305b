"""NSU: anyone may ask for a registrant-managed domain to be moved to other name servers;
the registrant (or its proxy) decides in self-service.

The NSU specification (reference OTHER-SERVICES.md, NSU; Punktum-dk/nsu-service-
specification rev 2.1) validates a request in three steps, each with its own bilingual
texts (the ``nsu_*`` reasons of ``messages``):

1. the parameters: ``id`` (52 Danish, 250 English), ``domain``, ``nameserver``,
   ``redel=true`` and ``submit`` (``bekræft``/``confirm``) — :func:`parse_form`;
2. the registry's data: the domain is registered and not deactivated, not a VID domain
   and not registrar-managed (those change name servers only through a service with
   authentication); the name server is a registered, active host;
3. DNS: the named server is asked about the domain. The NS set it serves is the set the
   registrant is asked to approve ("Resolved nameserver not registered" when it names a
   host the registry does not know), and that set must pass the check EPP's NS change
   passes (``dns.domain_check``, in the installation's mode: the sandbox's own server
   and test zones in the sandbox). A server that answers without telling its NS set (the
   sandbox without a test zone) leaves the set as named in the request (the form takes
   one or more names); with the check off the named set is taken as it is.

A request that passes is a ``pending_requests`` row (kind ``nsu_redelegation``, no
registrar: nobody's poll queue), asked of the registrant (``contact_id``) — or a proxy
(admin contact) of the domain — and mailed to the registrant with a link to
self-service. Approval replaces the name servers through ``domain_update``, the action
EPP's NS change runs (the host rules, 2–7, the name-server check again on what is about
to be committed), and deletes every DS record (the specification: "any possible
DSRECORDs will be deleted as part of the change"); the zone journal follows from the
tables' triggers. Rejection and expiry change nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import delete, select

from dkreg.actions import pending
from dkreg.actions.domain.update import DomainUpdate, domain_update
from dkreg.clock import COPENHAGEN
from dkreg.dns import domain_check
from dkreg.dns.check import DelegationCheck
from dkreg.dns.probe import PRIVATE_ADDRESS, TIMEOUT, UNRESOLVABLE
from dkreg.errors import EppError, err
from dkreg.mail.language import contact_language
from dkreg.mail.links import public_link
from dkreg.mail.outbox import queue_mail
from dkreg.model.names import parse_domain_name, parse_host_name
from dkreg.model.zone import in_zone
from dkreg.store.audit import AuditEvent
from dkreg.store.audit import write as write_audit
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domains, ds_records, hosts, pending_requests

KIND = "nsu_redelegation"
MAIL_KIND = "nsu_request"
REQUESTS_PATH = "/selfservice/requests"
IDS = {"52": "da", "250": "en"}
SUBMITS = ("bekræft", "confirm")
UNUSABLE = ("pendingCreate", "pendingDelete")
# the EPP check's reasons as NSU's texts
CHECK_REASONS = {"ns_check_timeout": "nsu_dns_timeout",
                 "ns_check_unresolvable": "nsu_dns_unresolvable",
                 "ns_check_private": "nsu_dns_private",
                 "ns_check_setup": "nsu_dns_failed"}


@dataclass(frozen=True)
class RedelegationForm:
    """The request as the form sent it, its parameters checked."""

    lang: str  # the ``id``'s language
    domain: str
    nameservers: tuple[str, ...]


@dataclass(frozen=True)
class Submitted:
    request_id: int
    domain: str  # U-label
    nameservers: tuple[str, ...]  # the set the registrant is asked to approve


def parse_form(values: Mapping[str, Sequence[str]]) -> RedelegationForm:
    """Step 1: every field present with its required value, in the specification's
    order. ``values``: each field's values as sent (a field may repeat); a
    ``nameserver`` value may also hold several names separated by spaces or commas."""
    def one(name: str) -> str:
        got = [v.strip() for v in values.get(name, ()) if v.strip()]
        return got[0] if got else ""

    ident = one("id")
    if ident not in IDS:
        raise err(2003, "nsu_id_required", field="id")
    if one("redel").lower() != "true":
        raise err(2003, "nsu_redel_required", field="redel")
    domain = one("domain")
    if not domain:
        raise err(2003, "nsu_domain_required", field="domain")
    names = [n for v in values.get("nameserver", ()) for n in v.replace(",", " ").split()]
    if not names:
        raise err(2003, "nsu_nameserver_required", field="nameserver")
    if one("submit").lower() not in SUBMITS:
        raise err(2003, "nsu_submit_required", field="submit")
    return RedelegationForm(IDS[ident], domain, tuple(dict.fromkeys(n.lower() for n in names)))


async def _domain(ctx: Ctx, text: str) -> Any:
    try:
        name = parse_domain_name(text.rstrip("."), field="domain")
    except EppError as e:
        raise err(2303, "nsu_domain_not_registered", field="domain", detail=e.detail) from e
    row = (await ctx.conn.execute(select(domains).where(
        domains.c.name == name.alabel, domains.c.released_at.is_(None)))).first()
    if row is None or row.state != "active":  # an application is not registered yet
        raise err(2303, "nsu_domain_not_registered", field="domain")
    return row


def eligible(dom: Any) -> None:
    """Step 2's rules on the domain (also checked again when the registrant approves)."""
    if not in_zone(dom.state, dom.statuses, released_at=dom.released_at,
                   suspended_at=dom.suspended_at, redemption_until=dom.redemption_until) \
            or dom.delete_at is not None:
        raise err(2304, "nsu_not_eligible", field="domain")
    if dom.vid:
        raise err(2304, "nsu_vid", field="domain")
    if dom.management != "registrant":
        raise err(2304, "nsu_registrar_handled", field="domain")


async def _usable_host(ctx: Ctx, text: str) -> str | None:
    """The host's A-label when it is registered and active, else None."""
    try:
        name = parse_host_name(text.rstrip("."), field="nameserver")
    except EppError:
        return None
    row = (await ctx.conn.execute(select(hosts.c.statuses).where(hosts.c.name == name))).first()
    if row is None or any(s in row.statuses.split() for s in UNUSABLE):
        return None
    return name


def _no_answer(check: DelegationCheck) -> str:
    outcomes = {a.outcome for a in check.answers}
    if outcomes == {TIMEOUT}:
        return "nsu_dns_timeout"
    if outcomes == {UNRESOLVABLE}:
        return "nsu_dns_unresolvable"
    if PRIVATE_ADDRESS in outcomes:
        return "nsu_dns_private"
    return "nsu_dns_failed"


async def _served_set(ctx: Ctx, dom: Any, named: list[str]) -> list[str]:
    """Step 3, first half: the NS set the named servers serve for the domain."""
    s = ctx.settings
    if not domain_check.enabled(s):
        return named
    q = replace(await domain_check.question_for(ctx.conn, s, dom.id, dom.name, named), ds=())
    asked = await domain_check.ask(s, q)
    answered = [a for a in asked.answers if a.answered]
    if not answered:
        raise err(2303, _no_answer(asked), field="nameserver", detail=asked.detail())
    served = next((list(a.ns) for a in answered if a.ns), None)
    if served is None:
        if all(a.said == "ns_answered_sandbox_default" for a in answered):
            return named  # the sandbox without a test zone: it tells no NS set
        raise err(2303, "nsu_dns_no_ns_info", field="nameserver")
    if any(n not in served for n in named):
        raise err(2303, "nsu_dns_ns_missing", field="nameserver")
    return served


async def submit_redelegation(ctx: Ctx, form: RedelegationForm,
                              client_ip: str | None = None) -> Submitted:
    """Steps 2 and 3, then the request and the registrant's mail (one transaction)."""
    dom = await _domain(ctx, form.domain)
    named = [await _usable_host(ctx, n) for n in form.nameservers]
    if any(n is None for n in named):
        raise err(2303, "nsu_nameserver_not_registered", field="nameserver")
    eligible(dom)
    served = await _served_set(ctx, dom, [n for n in named if n is not None])
    new = list(dict.fromkeys(served))
    for name in new:
        if await _usable_host(ctx, name) is None:
            raise err(2303, "nsu_dns_resolved_unregistered", field="nameserver")
    s = ctx.settings
    if len(new) < s.min_ns:
        raise err(2308, "nsu_dns_too_few", field="nameserver")
    if len(new) > s.max_ns:
        raise err(2308, "nsu_dns_too_many", field="nameserver")
    if domain_check.enabled(s):
        q = replace(await domain_check.question_for(ctx.conn, s, dom.id, dom.name, new), ds=())
        check = await domain_check.ask(s, q)
        if check.reason is not None:
            raise err(2303, CHECK_REASONS[check.reason], field="nameserver",
                      detail=check.detail())
    request_id = await pending.create(ctx, pending.NewRequest(
        kind=KIND, registrar_id=None, domain_id=dom.id, contact_id=dom.registrant_id,
        target=", ".join(new)[:255],
        data={"nameservers": new, "named": list(form.nameservers), "lang": form.lang,
              "client_ip": client_ip}))
    await _mail_registrant(ctx, dom, new, request_id)
    return Submitted(request_id, dom.uname, tuple(new))


async def _mail_registrant(ctx: Ctx, dom: Any, new: list[str], request_id: int) -> None:
    registrant = (await ctx.conn.execute(select(contacts.c.email, contacts.c.cc).where(
        contacts.c.id == dom.registrant_id))).one()
    row = (await ctx.conn.execute(select(pending_requests.c.due_at).where(
        pending_requests.c.id == request_id))).scalar_one()
    s = ctx.settings
    await queue_mail(ctx, kind=MAIL_KIND, to=registrant.email,
                     lang=contact_language(registrant.cc),
                     links={"link": public_link(s, REQUESTS_PATH)},
                     context={"name": dom.uname, "nameservers": new,
                              "deadline": f"{row.astimezone(COPENHAGEN):%Y-%m-%d %H:%M}"})


# -- the registrant's answer (pending.KINDS points here)


async def on_decision(ctx: Ctx, row: Any, outcome: str) -> None:
    if outcome != "accepted":
        return  # rejected or expired: nothing changes, and nobody is waiting for a poll
    dom = (await ctx.conn.execute(ctx.for_update(select(domains).where(
        domains.c.id == row.domain_id)))).first()
    if dom is None or dom.released_at is not None or dom.registrant_id != row.contact_id:
        raise err(2304, "nsu_not_eligible", field="request")
    eligible(dom)
    new = list(json.loads(row.data or "{}").get("nameservers") or [])
    before = await domain_check.listed_servers(ctx.conn, dom.id)
    add = [n for n in new if n not in before]
    rem = [n for n in before if n not in new]
    if add or rem:
        await domain_update(ctx, DomainUpdate(name=dom.name, add_ns=add, rem_ns=rem))
    # the specification: the DS records go with the change, whatever they were
    await ctx.conn.execute(delete(ds_records).where(ds_records.c.domain_id == dom.id))
    await write_audit(ctx.conn, AuditEvent(
        at=ctx.now, door=ctx.door, command="nsu_redelegation", result_code=1000,
        actor=ctx.actor.login[:255], object=dom.uname, sv_trid=row.sv_trid,
        request=json.dumps({"request": row.id, "before": before, "after": new})))

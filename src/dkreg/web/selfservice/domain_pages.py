"""A domain's own self-service page and what its registrant changes there.

``/selfservice/domains/<name>`` shows the domain's status in words, why it is not
simply active and what the person can do (``model.domain_situation``), its registrar's
public contact details, and — for the registrant of a registrant-managed domain — the
forms to change its name servers, turn auto-renew on or off and make or retract its
transfer token (``overførselskode``). ``/selfservice/public-data`` lists exactly what a
public WHOIS/RDAP lookup discloses about the person's domains (``model.public_view``).

Each change answers 303 back to the domain's page with a summary (Post/Redirect/Get);
a refused one shows the page again with the error summary and the form as sent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.domain.public_record import public_contact, public_record
from dkreg.actions.selfservice.domains import (
    own_tokens,
    own_transfer_retract,
    own_transfer_token,
)
from dkreg.actions.selfservice.overview import DomainRole, overview
from dkreg.actions.selfservice.own_domain import (
    current_nameservers,
    own_autorenew,
    own_nameservers,
)
from dkreg.actions.selfservice.session import selfservice_audit
from dkreg.errors import EppError
from dkreg.model.public_view import registrant_view
from dkreg.store.schema import contacts, domains
from dkreg.web import flash
from dkreg.web.error_text import error_text
from dkreg.web.selfservice.guard import SCall, selfservice_route
from dkreg.web.selfservice.pages import pay_links

BASE = "/selfservice/domains/"


def _name(call: SCall) -> str:
    return str(call.request.path_params["name"]).strip().lower()[:255]


def _field(call: SCall, name: str) -> str:
    return str(call.form.get(name, "")) if call.form is not None else ""


async def _mine(call: SCall, name: str) -> DomainRole | None:
    """The domain as the person holds it (any role), None when they hold none on it."""
    async with call.tx() as ctx:
        handles = await overview(ctx, call.registrant)
    found = [d for h in handles for d in h.domains if d.name == name]
    if not found:
        return None
    # several of the person's contact IDs may hold roles: the registrant's view first
    return next((d for d in found if d.is_registrant), found[0])


async def domain_page(call: SCall, name: str, status_code: int = 200,
                      errors: dict[str, str] | None = None,
                      sent_ns: str | None = None) -> Response:
    dom = await _mine(call, name)
    if dom is None:
        return call.page("selfservice/forbidden.html", 404)
    async with call.tx() as ctx:
        domain_id = (await ctx.conn.execute(select(domains.c.id).where(
            domains.c.uname == name, domains.c.released_at.is_(None)))).scalar_one()
        ns = await current_nameservers(ctx, domain_id)
        tokens = await own_tokens(ctx, name) if dom.own_managed else []
    links = pay_links(call, [dom])
    return call.page("selfservice/domain.html", status_code, d=dom, nameservers=ns,
                     tokens=tokens, errors=errors or {},
                     ns_value=sent_ns if sent_ns is not None else "\n".join(ns),
                     pay_link=links.get(dom.open_invoice_id or 0),
                     registry_name=call.services.settings.registry_name,
                     ns_limits=(call.services.settings.min_ns, call.services.settings.max_ns))


async def _refused(call: SCall, e: EppError, name: str) -> None:
    async with call.tx() as ctx:
        await selfservice_audit(ctx, "selfservice_refused", call.registrant.name(), name,
                                result_code=e.code, client_ip=call.ip,
                                request=f"{call.request.method} {call.request.url.path}")


def _status(e: EppError) -> int:
    return 403 if e.code == 2201 else 409 if e.code == 2304 else 400


@selfservice_route
async def domain(call: SCall) -> Response:
    return await domain_page(call, _name(call))


@selfservice_route
async def nameservers(call: SCall) -> Response:
    name = _name(call)
    sent = _field(call, "nameservers")[:4000]
    wanted = [n for line in sent.replace(",", "\n").splitlines() for n in line.split()]
    try:
        async with call.tx() as ctx:
            result = await own_nameservers(ctx, call.registrant, name, wanted[:20], call.ip)
    except EppError as e:
        await _refused(call, e, name)
        if e.code == 2201:
            return call.page("selfservice/forbidden.html", 403)
        return await domain_page(call, name, _status(e),
                                 errors={"nameservers": error_text(e, call.request)},
                                 sent_ns=sent)
    key = "ss.flash.ns_changed" if result.changed else "ss.flash.ns_unchanged"
    return flash.redirect(call.request, BASE + name, flash.Flash(
        key, {"name": result.uname, "nameservers": ", ".join(result.after)}))


@selfservice_route
async def autorenew(call: SCall) -> Response:
    name = _name(call)
    on = _field(call, "autorenew") == "on"
    try:
        async with call.tx() as ctx:
            uname = await own_autorenew(ctx, call.registrant, name, on, call.ip)
    except EppError as e:
        await _refused(call, e, name)
        if e.code == 2201:
            return call.page("selfservice/forbidden.html", 403)
        return await domain_page(call, name, _status(e),
                                 errors={"autorenew": error_text(e, call.request)})
    return flash.redirect(call.request, BASE + name, flash.Flash(
        "ss.flash.autorenew_on" if on else "ss.flash.autorenew_off", {"name": uname}))


@selfservice_route
async def transfer_token(call: SCall) -> Response:
    name = _name(call)
    retract = _field(call, "do") == "retract"
    try:
        async with call.tx() as ctx:
            if retract:
                await own_transfer_retract(ctx, call.registrant, name, call.ip)
            else:
                await own_transfer_token(ctx, call.registrant, name, call.ip)
    except EppError as e:
        await _refused(call, e, name)
        if e.code == 2201:
            return call.page("selfservice/forbidden.html", 403)
        return await domain_page(call, name, _status(e),
                                 errors={"token": error_text(e, call.request)})
    return flash.redirect(call.request, BASE + name, flash.Flash(
        "ss.notice.token_retracted" if retract else "ss.notice.token_made", {"name": name}))


@selfservice_route
async def public_data(call: SCall) -> Response:
    """What WHOIS/RDAP disclose: each domain the person is registrant of, and each of
    their contact IDs as a registrant (the same rule, ``model.public_view``)."""
    async with call.tx() as ctx:
        handles = await overview(ctx, call.registrant)
        names = sorted({d.name for h in handles for d in h.domains
                        if d.is_registrant and d.state == "active"})
        records = [(n, await public_record(ctx, n)) for n in names]
        rows = (await ctx.conn.execute(select(contacts).where(
            contacts.c.id.in_(list(call.registrant.contact_ids)))
            .order_by(contacts.c.handle))).all()
        org_email = ctx.policy.applies("public_org_email", ctx.now)
    people: list[tuple[str, Any]] = [
        (r.handle, registrant_view(public_contact(r), publish_org_email=org_email))
        for r in rows]
    return call.page("selfservice/public_data.html", records=[
        (n, v) for n, v in records if v is not None], people=people)


ROUTES: list[Route] = [
    Route("/public-data", public_data, methods=["GET"]),
    Route("/domains/{name:str}", domain, methods=["GET"]),
    Route("/domains/{name:str}/nameservers", nameservers, methods=["POST"]),
    Route("/domains/{name:str}/autorenew", autorenew, methods=["POST"]),
    Route("/domains/{name:str}/transfer-token", transfer_token, methods=["POST"]),
]

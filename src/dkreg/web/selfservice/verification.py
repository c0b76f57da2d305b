"""Self-service ID verification (``/selfservice/verification``): for each contact ID the
person holds, its NIS2 status, deadline and what to do next — MitID for a Danish
individual, a CVR look-up for a Danish company, association or public body, a document
upload for a foreign registrant (and, as the other way, for anyone) — and the result of
each attempt. An attempt that failed is never a dead end: the page says why and offers
the next steps (``model.verification_help``): try again, use another method, or ask the
contact's registrar (its public contact details) to correct the data.

Handlers translate form → identity action → page. No transaction stays open while an
outside service (or its simulator, possibly this very app) is asked: flow state is read
and spent in one transaction, the outcome recorded in the next.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg.actions.contact import email_link
from dkreg.actions.contact import verification as contact_verification
from dkreg.actions.contact.verification_checks import (
    CheckOutcome,
    contact_by_id,
    history,
    method_for,
    record,
)
from dkreg.actions.selfservice.overview import registrar_contact
from dkreg.errors import EppError
from dkreg.identity import cvr, documents, mitid
from dkreg.model.verification import is_validated
from dkreg.model.verification_help import CheckHelp, after_check
from dkreg.web.portal.guard import client_ip
from dkreg.web.request_services import services_of
from dkreg.web.selfservice.guard import SCall, selfservice_route, ss_render, transaction

BASE = "/selfservice/verification"


def next_step(contact: Any, uploaded: list[Any] | None = None) -> str:
    """The i18n key of what the person should do now (``uploaded``: the contact's
    documents; one still awaiting the registry's review means: wait)."""
    if contact.id_status == "rejected":
        return "id.next.rejected"
    if is_validated(contact.id_status):
        return "id.next.email" if contact.email_status in ("pending", "expired") \
            else "id.next.none"
    method = method_for(contact)
    if method == "document" and any(d.status == "submitted" for d in uploaded or []):
        return "id.next.document_waiting"
    return f"id.next.{method}"


def check_help(contact: Any, last: Any, uploaded: list[Any]) -> CheckHelp | None:
    """Why the latest attempt failed and what to do next (None: nothing failed)."""
    waiting = any(d.status == "submitted" for d in uploaded)
    if contact.id_status == "rejected" or waiting:
        return after_check("", "", id_status=contact.id_status, document_waiting=waiting)
    if last is None or is_validated(contact.id_status):
        return None
    return after_check(last.method, last.outcome, id_status=contact.id_status)


async def _held(call: SCall, method: str | None = None) -> Any:
    """The contact the URL names if this person holds it (and it verifies by ``method``),
    else None."""
    handle = call.request.path_params["handle"]
    if not call.registrant.holds(handle):
        return None
    async with call.tx() as ctx:
        try:
            contact = await contact_verification.load(ctx, handle)
        except EppError:
            return None
    return contact if method is None or method_for(contact) == method else None


async def _record(call: SCall, handle: str, outcome: CheckOutcome) -> Response:
    """Store the outcome (completing the check on a match) and show the result."""
    async with call.tx() as ctx:
        await record(ctx, await contact_verification.load(ctx, handle), outcome,
                     call.registrant.name(), call.ip)
    return _result(handle)


def _result(handle: str) -> Response:
    return RedirectResponse(f"{BASE}/{handle}/result", 303)


def _not_yours(call: SCall) -> Response:
    return call.page("selfservice/verification_missing.html", 404)


async def overview(call: SCall, errors: dict[str, str] | None = None,
                   status_code: int = 200) -> Response:
    settings = call.services.settings
    items = []
    async with call.tx() as ctx:
        for contact_id in call.registrant.contact_ids:
            c = await contact_by_id(ctx, contact_id)
            if c is not None:
                uploaded = await documents.for_contact(ctx, c.id)
                checks = await history(ctx, c.id, 5)
                items.append({"c": c, "method": method_for(c),
                              "next": next_step(c, uploaded), "checks": checks,
                              "help": check_help(c, checks[0] if checks else None, uploaded),
                              "registrar": await registrar_contact(ctx, c.sponsor_id),
                              "documents": uploaded})
    return call.page("selfservice/verification.html", status_code, items=items,
                     errors=errors or {}, max_bytes=settings.document_max_bytes,
                     registry_name=settings.registry_name)


@selfservice_route
async def index(call: SCall) -> Response:
    return await overview(call)


@selfservice_route
async def start_mitid(call: SCall) -> Response:
    settings = call.services.settings
    contact = await _held(call, "mitid")
    if contact is None:
        return _not_yours(call)
    async with call.tx() as ctx:
        state, flow = await mitid.begin(ctx, contact.id, mitid.redirect_uri(settings))
    try:
        url = await mitid.MitIdClient(settings).authorization_url(
            flow.redirect_uri, state, flow.nonce, flow.verifier)
    except Exception as exc:  # the broker is down: say so, record it
        return await _record(call, contact.handle, CheckOutcome(
            "mitid", "error", f"the broker could not be reached ({type(exc).__name__})"))
    return RedirectResponse(url, 303)


@selfservice_route
async def mitid_callback(call: SCall) -> Response:
    settings = call.services.settings
    q = call.request.query_params
    async with call.tx() as ctx:
        flow = await mitid.take(ctx, q.get("state"))
        contact = await contact_by_id(ctx, flow.contact_id) if flow else None
    if flow is None or contact is None or not call.registrant.holds_id(contact.id):
        return call.page("selfservice/verification_missing.html", 400, flow_invalid=True)
    return await _record(call, contact.handle, await mitid.finish(
        settings, flow, contact, q.get("code"), q.get("error"),
        mitid.redirect_uri(settings), call.services.clock.now()))


@selfservice_route
async def check_cvr(call: SCall) -> Response:
    settings = call.services.settings
    contact = await _held(call, "cvr")
    if contact is None:
        return _not_yours(call)
    return await _record(call, contact.handle, await cvr.check(settings, contact))


@selfservice_route
async def upload(call: SCall) -> Response:
    settings = call.services.settings
    contact = await _held(call)  # a document is the other way for every contact
    if contact is None:
        return _not_yours(call)
    sent = call.form.get("document") if call.form else None
    data, name = b"", None
    if isinstance(sent, UploadFile):
        data, name = await sent.read(settings.document_max_bytes + 1), sent.filename
    try:
        async with call.tx() as ctx:
            await documents.upload(ctx, contact, data, name, call.registrant.name())
    except EppError as e:
        return await overview(call, {f"document-{contact.handle}": e.reason}, 400)
    return _result(contact.handle)


@selfservice_route
async def result(call: SCall) -> Response:
    contact = await _held(call)
    if contact is None:
        return _not_yours(call)
    async with call.tx() as ctx:
        checks = await history(ctx, contact.id, 1)
        uploaded = await documents.for_contact(ctx, contact.id)
        registrar = await registrar_contact(ctx, contact.sponsor_id)
    last = checks[0] if checks else None
    return call.page("selfservice/verification_result.html", c=contact, check=last,
                     next=next_step(contact, uploaded), method=method_for(contact),
                     help=check_help(contact, last, uploaded), registrar=registrar,
                     max_bytes=call.services.settings.document_max_bytes,
                     registry_name=call.services.settings.registry_name)


async def email(request: Request) -> Response:
    """The mailed link: GET only shows the button (scanners fetch links), POST uses
    it. No session, no password: the link is the proof."""
    services = services_of(request)
    token = request.path_params["token"]
    async with transaction(services) as ctx:
        if request.method == "POST":
            handle = await email_link.confirm(ctx, token, client_ip(request))
            return ss_render(request, "selfservice/verification_email.html",
                             200 if handle else 400, done=handle)
        found = await email_link.find(ctx, token)
    return ss_render(request, "selfservice/verification_email.html",
                     200 if found else 400, pending=found)


ROUTES: list[Route] = [
    Route("/verification", index, methods=["GET"]),
    Route("/verification/email/{token}", email, methods=["GET", "POST"]),
    # mitid.CALLBACK_PATH, the redirect_uri registered with the broker
    Route("/verification/mitid/callback", mitid_callback, methods=["GET"]),
    Route("/verification/{handle}/mitid", start_mitid, methods=["POST"]),
    Route("/verification/{handle}/cvr", check_cvr, methods=["POST"]),
    Route("/verification/{handle}/document", upload, methods=["POST"]),
    Route("/verification/{handle}/result", result, methods=["GET"]),
]

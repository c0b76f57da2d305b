"""``/pay``: the payment page a mailed payment link opens, and the provider's callback.

No login: the signed link is the capability, for one invoice only, until it expires
(``billing.links``). The page shows the invoice (and its PDF) and a Pay button that
starts a payment attempt and sends the browser to the provider's hosted page. The
provider's signed callback (``/pay/callback``) is what marks the invoice paid — the
browser's return only shows the state, since a payer can close the window or come back
before the callback. Every payment start, callback and refused link is audited.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from dkreg import runner
from dkreg.billing import invoices as billing
from dkreg.billing.fik import fik_code
from dkreg.billing.links import LinkInvalid, verify
from dkreg.billing.pdf import invoice_pdf
from dkreg.billing.provider import SIGNATURE_HEADER, CallbackInvalid, Checkout, provider_for
from dkreg.clock import COPENHAGEN
from dkreg.errors import EppError
from dkreg.mail.links import public_link
from dkreg.store.context import Ctx
from dkreg.web.portal.guard import client_ip
from dkreg.web.request_services import services_of
from dkreg.web.templating import env, render

if TYPE_CHECKING:
    from dkreg.services import Services

MAX_CALLBACK = 16384
# invoice dates are Copenhagen calendar dates, as printed on the PDF
env.filters["cph_date"] = lambda d: d.astimezone(COPENHAGEN).date().isoformat() if d else ""


def pdf_response(pdf: bytes, number: int) -> Response:
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="invoice-{number}.pdf"',
                             "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                             "Referrer-Policy": "no-referrer"})


def tx(services: Services) -> AbstractAsyncContextManager[Ctx]:
    return runner.transaction(services, "pay")


async def nothing(_ctx: Ctx) -> None:
    return None


async def audit(request: Request, command: str, obj: str | None, code: int = 1000,
                detail: str | None = None) -> None:
    services = services_of(request)
    await runner.run(services, "pay", command, nothing, code=code, obj=obj,
                     client_ip=client_ip(request), request=detail)


def page(request: Request, name: str, status_code: int = 200, **context: object) -> Response:
    resp = render(request, name, status_code, **context)
    resp.headers["Referrer-Policy"] = "no-referrer"  # the link is a capability
    return resp


async def linked(request: Request) -> int | Response:
    """The link's invoice id, or the refusal page (audited)."""
    services = services_of(request)
    settings = services.settings
    token = request.path_params["token"]
    try:
        return verify(settings, token, services.clock.now())
    except LinkInvalid as e:
        await audit(request, "pay_link_refused", token.split(".", 1)[0][:32], 2202,
                    e.reason)
        return page(request, "pay/invalid.html", 404 if e.reason != "expired" else 410,
                    reason=e.reason)


async def linked_invoice(request: Request) -> billing.InvoiceView | Response:
    """The link's invoice, or the refusal page."""
    services = services_of(request)
    invoice_id = await linked(request)
    if isinstance(invoice_id, Response):
        return invoice_id
    async with tx(services) as ctx:
        return await billing.load(ctx, invoice_id)


async def show(request: Request) -> Response:
    services = services_of(request)
    settings = services.settings
    inv = await linked_invoice(request)
    if isinstance(inv, Response):
        return inv
    return page(request, "pay/invoice.html", inv=inv, token=request.path_params["token"],
                fik=fik_code(inv.number, settings.fik_creditor_number))


async def pdf(request: Request) -> Response:
    services = services_of(request)
    settings = services.settings
    inv = await linked_invoice(request)
    if isinstance(inv, Response):
        return inv
    return pdf_response(invoice_pdf(inv, settings), inv.number)


async def start(request: Request) -> Response:
    services = services_of(request)
    settings = services.settings
    invoice_id = await linked(request)
    if isinstance(invoice_id, Response):
        return invoice_id
    token = request.path_params["token"]
    provider = provider_for(settings)
    cmd = runner.start(services, "pay", "pay_start", client_ip=client_ip(request))

    async def pay_start(ctx: Ctx) -> tuple[str, int, billing.InvoiceView]:
        reference, amount, paid_id = await billing.start_payment(
            ctx, invoice_id, provider.name)
        inv = await billing.load(ctx, paid_id)
        ctx.notes["object"] = f"invoice {inv.number}"
        cmd.event.request = f"reference={reference} amount={amount}"
        return reference, amount, inv

    try:
        reference, amount, inv = await cmd.execute(pay_start, audit_failure=False)
    except EppError as e:
        cmd.finish(e.code)
        return RedirectResponse(f"/pay/{token}", 303)  # no longer open: the page says why
    cmd.finish(1000)
    return RedirectResponse(provider.checkout_url(Checkout(
        reference=reference, amount_ore=amount,
        description=f"{settings.registry_name} invoice {inv.number}",
        callback_url=public_link(settings, "/pay/callback"),
        return_url=public_link(settings, f"/pay/{token}/return", ref=reference))), 303)


async def returned(request: Request) -> Response:
    services = services_of(request)
    invoice_id = await linked(request)
    if isinstance(invoice_id, Response):
        return invoice_id
    reference = request.query_params.get("ref", "")[:64]
    async with tx(services) as ctx:
        found = await billing.payment_status(ctx, invoice_id, reference)
        inv = await billing.load(ctx, found[1]) if found else None
    token = request.path_params["token"]
    if found is None or inv is None:
        # not a payment of this link's invoice: never show whose it is
        await audit(request, "pay_return_refused", reference or None, 2303,
                    f"reference is not a payment of invoice id {invoice_id}")
        return page(request, "pay/unknown_payment.html", 404, token=token)
    return page(request, "pay/result.html", inv=inv, status=found[0], token=token)


async def callback(request: Request) -> Response:
    services = services_of(request)
    settings = services.settings
    body = await request.body()
    if len(body) > MAX_CALLBACK:
        return PlainTextResponse("too large", 413)
    try:
        result = provider_for(settings).parse_callback(
            body, request.headers.get(SIGNATURE_HEADER))
    except CallbackInvalid as e:
        await audit(request, "pay_callback_refused", None, 2202, str(e))
        return PlainTextResponse("invalid callback", 400)
    cmd = runner.start(services, "pay", "pay_callback", obj=result.reference,
                       client_ip=client_ip(request))

    async def pay_callback(ctx: Ctx) -> str:
        outcome = await billing.record_callback(ctx, result.reference, result.status,
                                                result.amount_ore, result.transaction)
        cmd.event.request = f"{result.status} {result.transaction} -> {outcome}"
        return outcome

    try:
        outcome = await cmd.execute(pay_callback, audit_failure=False)
    except EppError as e:  # measured as the refusal audit() records
        await audit(request, "pay_callback_refused", result.reference, e.code, e.reason)
        return PlainTextResponse("refused", 400)
    cmd.finish(1000)
    return PlainTextResponse(outcome)


ROUTES: list[Route] = [
    Route("/pay/callback", callback, methods=["POST"]),
    Route("/pay/{token:str}", show, methods=["GET"]),
    Route("/pay/{token:str}", start, methods=["POST"]),
    Route("/pay/{token:str}/pdf", pdf, methods=["GET"]),
    Route("/pay/{token:str}/return", returned, methods=["GET"]),
]

"""``/portal/invoices``: the registrar's invoices (monthly, top-ups) with PDF, for
Administration and Accounting; and the top-up through the payment provider, which sends
the user to the new top-up invoice's payment page (in production the only way to top
up; the sandbox keeps its direct top-up beside it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg import runner
from dkreg.billing import invoices as billing
from dkreg.billing.links import sign
from dkreg.billing.pdf import invoice_pdf
from dkreg.errors import EppError
from dkreg.web.bad_input import IdConvertor  # noqa: F401 - the {name:id} path converter
from dkreg.web.error_text import error_text
from dkreg.web.pay import pdf_response
from dkreg.web.portal.guard import Call, portal_route

if TYPE_CHECKING:
    from dkreg.services import Services


def routes(services: Services) -> list[Route]:
    async def listing(call: Call, status_code: int = 200,
                      errors: dict[str, str] | None = None, amount: str = "") -> Response:
        found = []
        if call.user.may("invoices"):
            async with call.tx() as ctx:
                found = await billing.list_for(ctx, registrar_id=call.user.registrar_id)
        now = services.clock.now()
        links = {inv.id: "/pay/" + sign(services.settings, inv.id, now)
                 for inv in found if inv.payable}
        return call.page("portal/invoices.html", status_code, invoices=found,
                         pay_links=links, pdf_base="/portal/invoices", errors=errors or {},
                         amount=amount)

    @portal_route(services, "invoices")
    async def invoice_list(call: Call) -> Response:
        return await listing(call)

    @portal_route(services, "invoices")
    async def invoice_file(call: Call) -> Response:
        try:
            async with call.tx() as ctx:
                inv = await billing.registrar_invoice(
                    ctx, call.user, call.request.path_params["invoice_id"])
        except EppError:
            return Response("not found", 404)
        return pdf_response(invoice_pdf(inv, services.settings), inv.number)

    @portal_route(services, "account_topup")
    async def topup(call: Call) -> Response:
        assert call.form is not None
        amount = str(call.form.get("amount", ""))[:64]
        try:
            invoice_id = await runner.run(
                services, "portal", "account:topup_invoice",
                lambda ctx: billing.request_topup(ctx, call.user, amount),
                actor=call.user.actor(), who=call.user.email, client_ip=call.ip,
                obj=call.user.registrar_handle, request=f"amount={amount}")
        except EppError as e:
            return await listing(call, 400, {"amount": error_text(e, call.request)}, amount)
        return RedirectResponse("/pay/" + sign(services.settings, invoice_id,
                                               services.clock.now()), 303)

    return [Route("/invoices", invoice_list, methods=["GET"]),
            Route("/invoices/{invoice_id:id}.pdf", invoice_file, methods=["GET"]),
            Route("/invoices/topup", topup, methods=["POST"])]

"""``/selfservice/invoices``: the invoices of the handles a person holds, with PDF and a
payment link for the open ones.

Only invoices whose debtor is one of the session's contacts are listed or served; a
PDF of someone else's invoice is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response
from starlette.routing import Route

from dkreg.billing import invoices as billing
from dkreg.billing.links import sign
from dkreg.billing.pdf import invoice_pdf
from dkreg.errors import EppError
from dkreg.web.bad_input import IdConvertor  # noqa: F401 - the {name:id} path converter
from dkreg.web.pay import pdf_response
from dkreg.web.selfservice.guard import SCall, selfservice_route

if TYPE_CHECKING:
    from dkreg.services import Services


def routes(services: Services) -> list[Route]:
    @selfservice_route(services)
    async def invoice_list(call: SCall) -> Response:
        async with call.tx() as ctx:
            found = await billing.list_for(ctx, contact_ids=call.registrant.contact_ids)
        now = services.clock.now()
        links = {inv.id: "/pay/" + sign(services.settings, inv.id, now)
                 for inv in found if inv.status == "open"}
        return call.page("selfservice/invoices.html", invoices=found, pay_links=links,
                         pdf_base="/selfservice/invoices")

    @selfservice_route(services)
    async def invoice_file(call: SCall) -> Response:
        invoice_id: int = call.request.path_params["invoice_id"]  # {invoice_id:id}: bounded
        try:
            async with call.tx() as ctx:
                inv = await billing.load(ctx, invoice_id)
        except EppError:
            inv = None
        if inv is None or not call.registrant.holds_id(inv.debtor_contact_id):
            return Response("not found", 404)
        return pdf_response(invoice_pdf(inv, services.settings), inv.number)

    return [Route("/invoices", invoice_list, methods=["GET"]),
            Route("/invoices/{invoice_id:id}.pdf", invoice_file, methods=["GET"])]

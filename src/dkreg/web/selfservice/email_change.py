"""The link a new e-mail address is mailed (``/selfservice/email-change/<token>``).

It works without a login — the link is the proof that mail to the new address arrives —
and, as every one-time link here, a GET only shows the button: mail scanners and
previews fetch links, and must not confirm anything. The POST confirms
(``contact_email.confirm``). A link that no longer works gets a page that says why and
what to do (ask the registrar to change the address again: that sends a new link).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.contact import email as contact_email
from dkreg.web.portal.guard import client_ip
from dkreg.web.request_services import services_of
from dkreg.web.selfservice.guard import ss_render, transaction


async def confirm(request: Request) -> Response:
    services = services_of(request)
    token = request.path_params["token"]
    async with transaction(services) as ctx:
        if request.method == "POST":
            link = await contact_email.confirm(ctx, token, client_ip(request))
        else:
            link = await contact_email.find(ctx, token)
    ok = link is not None and link.state in ("open", "confirmed")
    return ss_render(request, "selfservice/email_change.html", 200 if ok else 400,
                     link=link)


ROUTES: list[Route] = [
    Route("/email-change/{token}", confirm, methods=["GET", "POST"]),
]

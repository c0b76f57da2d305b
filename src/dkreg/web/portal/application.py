"""An application's page, ``/portal/applications/{tracking_no}``: where "register a
domain" leads after the POST, and where the outcome and its risk assessment show once
the registry has processed it (``actions/portal/application``). 404 for a tracking
number that is not the registrar's own, the same as for one that does not exist.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.portal.application import application_view
from dkreg.web.portal.guard import Call, portal_route
from dkreg.web.portal.local_time import when


@portal_route("domains")
async def application(call: Call) -> Response:
    tracking_no = call.request.path_params["tracking_no"]
    async with call.tx() as ctx:
        view = await application_view(ctx, call.user, tracking_no)
    return call.page("portal/application.html", 200 if view else 404, app=view,
                     tracking_no=tracking_no[:40], when=when)


ROUTES: list[Route] = [
    Route("/applications/{tracking_no:str}", application, methods=["GET"]),
]

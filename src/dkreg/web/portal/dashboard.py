"""The portal's first page after log-in: the dashboard (``actions/portal/dashboard``).

Any logged-in user opens it; each panel shows only for a user whose privilege group may
open the page it links to, which the action decides (a panel it leaves out is None).
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.portal.dashboard import SHOWN, dashboard
from dkreg.web.portal.guard import Call, portal_route
from dkreg.web.portal.local_time import day, when


@portal_route(None)
async def home(call: Call) -> Response:
    async with call.tx() as ctx:
        board = await dashboard(ctx, call.user)
    return call.page("portal/home.html", board=board, shown=SHOWN, when=when, day=day)


ROUTES: list[Route] = [
    Route("/", home, methods=["GET"]),
]

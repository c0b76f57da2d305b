"""The public registrar list (``/registrars``, ``/registrars.json``).

Read from the same rows the portal's Registrar Management form writes, with no cache,
so a registrar's change is visible on the next request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dkreg.actions.account.public_info import ListedRegistrar, public_registrars
from dkreg.store.context import Ctx
from dkreg.web.request_services import services_of
from dkreg.web.templating import render

if TYPE_CHECKING:
    from dkreg.services import Services


def _flag(request: Request) -> bool | None:
    value = request.query_params.get("registrar_management", "").lower()
    return True if value in ("true", "yes", "1", "on") else None


async def listed(services: Services, management_only: bool | None
                 ) -> list[ListedRegistrar]:
    async with services.db.read() as conn:
        ctx = Ctx(conn=conn, now=services.clock.now(), settings=services.settings,
                  is_sqlite=services.db.is_sqlite, domains=services.domains, door="web")
        return await public_registrars(ctx, management_only)


async def html(request: Request) -> Response:
    only = _flag(request)
    return render(request, "registrars.html", registrars=await listed(services_of(request), only),
                  management_only=bool(only), user=None)


async def json(request: Request) -> Response:
    rows = await listed(services_of(request), _flag(request))
    return JSONResponse([{"handle": r.handle, "name": r.name, "website": r.website,
                          "email": r.email, "logo_url": r.logo_url,
                          "offers_registrar_management": r.offers_registrar_management}
                         for r in rows], headers={"Cache-Control": "no-store"})


ROUTES: list[Route] = [
    Route("/registrars", html, methods=["GET"]),
    Route("/registrars.json", json, methods=["GET"]),
]

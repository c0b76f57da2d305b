"""``/metrics``: the registry's Prometheus exposition (``dkreg.metrics``), for the operator's
scraper and nobody else.

Where it is served (``metrics_listen``, ``metrics_token`` in ``config``): production keeps
it off the public HTTP listener — on a listener of its own, or behind a bearer token; the
sandbox shows it on its HTTP port to whoever runs it. The state gauges are read at each
scrape.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from dkreg.dns.status import ZoneState, zone_state
from dkreg.lifecycle.status import lifecycle_status
from dkreg.metrics import CONTENT_TYPE, StepState
from dkreg.store.context import Ctx

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from dkreg.config import Settings
    from dkreg.web.asgi import Running


def on_public_listener(settings: Settings) -> bool:
    """Whether the main HTTP port answers ``/metrics``."""
    if settings.metrics_listen:
        return False
    return bool(settings.metrics_token) or settings.sandbox


async def lifecycle_steps(ctx: Ctx) -> list[StepState]:
    return list((await lifecycle_status(ctx)).steps)


async def metrics(request: Request) -> Response:
    running: Running = request.app.state.running  # the EPP server's live sessions too
    services = running.services
    token = services.settings.metrics_token
    if token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return PlainTextResponse("a bearer token is required", 401,
                                     headers={"WWW-Authenticate": "Bearer"})
    m = services.metrics
    publisher = running.zone.publisher if running.zone is not None else None

    async def zone(conn: AsyncConnection) -> ZoneState:
        return await zone_state(conn, publisher)

    await m.refresh(services.db, services.clock.now(), services.settings,
                    lifecycle_steps, epp_sessions=len(running.epp.sessions), zone=zone)
    return Response(m.exposition(), media_type=CONTENT_TYPE)


ROUTES: list[Route] = [
    Route("/metrics", metrics, methods=["GET"]),
]


def metrics_app(running: Running) -> Starlette:
    """The app of the ``metrics_listen`` listener: ``/metrics`` and nothing else."""
    app = Starlette(routes=ROUTES)
    app.state.running, app.state.services = running, running.services
    return app

"""The service container a web handler works with, read from the request.

Web handlers are module-level functions with their route tables at module level, not
closures made by a ``routes(services)`` factory: so a handler can be read, imported and
tested on its own, and a door's table is data. The app that ``status.build_app`` makes
carries the container once, in ``app.state.services``; every handler reads it here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from dkreg import runner

if TYPE_CHECKING:
    from dkreg.services import Services


def services_of(request: HTTPConnection) -> Services:
    """The container of the app that received ``request``."""
    services: Services = request.app.state.services
    return services


def measured_page(door: str, name: str, endpoint: Callable[[Request], Awaitable[Response]]
                  ) -> Callable[[Request], Awaitable[Response]]:
    """``runner.measured_page`` for a module-level handler: a guard wraps it when its
    module is imported, before any app exists, so the services (and their metrics) are
    the ones of the app that receives each request."""

    async def page(request: Request) -> Response:
        return await runner.measured_page(services_of(request), door, name, endpoint)(request)

    page.__name__, page.__doc__ = name, endpoint.__doc__
    return page

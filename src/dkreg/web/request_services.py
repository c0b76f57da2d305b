"""The service container a web handler works with, read from the request.

Web handlers are module-level functions with their route tables at module level, not
closures made by a ``routes(services)`` factory: so a handler can be read, imported and
tested on its own, and a door's table is data. The app that ``status.build_app`` makes
carries the container once, in ``app.state.services``; every handler reads it here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

if TYPE_CHECKING:
    from dkreg.epp.services import Services


def services_of(request: HTTPConnection) -> Services:
    """The container of the app that received ``request``."""
    services: Services = request.app.state.services
    return services

"""The public lookup doors as an HTTP app of their own: RDAP, WHOIS REST and DAS.

The registry runs them on host names of their own (``rdap.``, ``whois-api.``, ``das.``;
reference OTHER-SERVICES.md), apart from the portal and self-service, and they are what
the public and the registrars' tools ask thousands of times a second. This app serves
them on the lookup listener (``lookup_port``) in ``lookup_workers`` processes sharing
the port: each process is a stateless reader on the read database — no sessions, no
simulators, no lifecycle work — so Python's one core per process is no ceiling. The main
HTTP port serves the same doors too (one sandbox URL for everything).

What a request meets is the main app's: the same routes (the doors' own modules), the
browser headers, the bad-input guard and the last-resort error in the door's own form.
``/healthz`` names the answering process, so a load balancer (and the tests) can tell
the processes apart.

Rate limits (``lookup_http_rate``, DAS's lockouts are in the database) are counted per
process: with N lookup processes a network can get up to N times the rate, over N
connections (a keep-alive connection stays with one process).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from dkreg import __version__
from dkreg.public import das, rdap, whois_rest
from dkreg.runner import reading
from dkreg.web.bad_input import BadInputGuard
from dkreg.web.error_pages import ServerErrorPage, error_handlers
from dkreg.web.headers import SecurityHeaders

if TYPE_CHECKING:
    from dkreg.services import Services


async def healthz(request: Request) -> Response:
    """This process and its read database, for a load balancer's check."""
    services: Services = request.app.state.services
    try:
        async with reading(services, "web") as ctx:
            await ctx.conn.execute(text("SELECT 1"))
    except Exception as exc:  # the load balancer needs an answer, not a traceback
        return JSONResponse({"status": "error", "version": __version__, "pid": os.getpid(),
                             "check": "database",
                             "problem": f"{type(exc).__name__}: {exc}"[:300]},
                            status_code=503)
    return JSONResponse({"status": "ok", "version": __version__, "pid": os.getpid(),
                         "doors": ["rdap", "whois-api", "das"]})


def build_lookup_app(services: Services) -> Starlette:
    """RDAP at ``/rdap``, WHOIS REST at ``/whois-api``, DAS at ``/das`` and ``/healthz``."""
    app = Starlette(routes=[Route("/healthz", healthz), whois_rest.MOUNT, rdap.MOUNT,
                            Mount("/das", routes=das.routes())],
                    middleware=[Middleware(SecurityHeaders, settings=services.settings),
                                Middleware(ServerErrorPage), Middleware(BadInputGuard)],
                    exception_handlers=error_handlers())
    app.state.services = services  # what the doors' module-level handlers read
    return app

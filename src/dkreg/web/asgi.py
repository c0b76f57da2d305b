"""The HTTP front door: health, how to connect, and the mounted web doors.

The registrar portal (``/portal``), the public registrar list (``/registrars``) and the
language switch live in their own modules and are mounted here; what is in this file
is what an operator's load balancer and a sandbox user need from day one: ``/healthz``
and a page that says where EPP is, with the dev CA to trust.

``/healthz`` answers 503 ``error``, naming the check and the problem, when the database
is not the one the code needs — not migrated, behind or ahead of the code's schema
revision, a core table unreadable, unreachable, or (SQLite) the file replaced under the
server (``store.health``) — and 503 ``degraded``, naming the steps, when lifecycle work
is stuck: an item has failed for longer than ``lifecycle_failure_alert_after`` or a
step's oldest due item is older than ``lifecycle_lag_alert_after`` (``lifecycle.status``).
"""

from __future__ import annotations

from collections.abc import Sized
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from dkreg import __version__
from dkreg.clock import epp_time
from dkreg.web.dev import payment as pay_simulator
from dkreg.web.dev import simulators as id_simulators
from dkreg.web.templating import render

STATIC = Path(__file__).parent / "static"  # the pages' stylesheet: no inline style (CSP)


if TYPE_CHECKING:
    from dkreg.config import Settings
    from dkreg.dns.serving import ZoneService
    from dkreg.services import Services


class EppListener(Protocol):
    """The EPP server as the index page reports it."""

    @property
    def port(self) -> int: ...
    @property
    def sessions(self) -> Sized: ...


class Running(Protocol):
    """What the web app needs of a started server (``dkreg.app.Running`` is one): the web
    is a door below the app that starts it, so it names the attributes, not the class."""

    @property
    def services(self) -> Services: ...
    @property
    def epp(self) -> EppListener: ...
    @property
    def zone(self) -> ZoneService | None: ...
    @property
    def ca_file(self) -> str | None: ...


def sandbox_simulators(settings: Settings) -> list[tuple[str, str]]:
    """The index's list of the simulators this server runs in place of outside services,
    as (path, name's key) (sandbox only; each is absent when configured against the real
    service)."""
    items = []
    if id_simulators.mounted(settings):
        items += [("/dev/mitid", "mitid"), ("/dev/cvr", "cvr")]
    if settings.sandbox and pay_simulator.mounted(settings):
        items.append(("/dev/pay", "pay"))
    return items


# the doors on the front page: (path, name's key)
DOORS = (("/portal/", "portal"), ("/selfservice/", "selfservice"), ("/staff/", "staff"),
         ("/registrars", "registrars"), ("/lookup", "lookup"), ("/nsu/", "nsu"),
         ("/lookup/terms", "lookup_terms"), ("/lookup/privacy", "lookup_privacy"),
         ("/nis2/access-request", "nis2_access"),
         ("/nis2/report-inaccuracy", "nis2_report"), ("/status", "status"))


def build_app(running: Running) -> Starlette:
    services = running.services
    settings = services.settings

    from dkreg.store.health import shipped_schema

    head = shipped_schema().head  # read from the migration scripts once, at start

    async def healthz(_request: Request) -> Response:
        from sqlalchemy.exc import DBAPIError

        from dkreg.dns.status import zone_state
        from dkreg.lifecycle.status import lifecycle_status
        from dkreg.store.context import Ctx
        from dkreg.store.health import schema_problem, sqlite_file_problem, unreachable

        problem, lifecycle, zone = None, None, None
        publisher = running.zone.publisher if running.zone is not None else None
        for attempt in range(2):  # once more on a fresh connection if the pool's was dead
            try:
                async with services.db.read() as conn:
                    problem = sqlite_file_problem(services.db) or await schema_problem(conn)
                    if problem is None:
                        lifecycle = await lifecycle_status(Ctx(
                            conn=conn, now=services.clock.now(), settings=settings,
                            policy=services.policy, is_sqlite=services.db.is_sqlite,
                            door="web"))
                        zone = await zone_state(conn, publisher)
                break
            except DBAPIError as exc:
                if not (exc.connection_invalidated and attempt == 0):
                    problem = unreachable(exc)
            except Exception as exc:  # the load balancer needs an answer, not a traceback
                problem = unreachable(exc)
        if problem is not None or lifecycle is None:
            what = problem or unreachable(RuntimeError())
            return JSONResponse({"status": "error", "version": __version__,
                                 "check": what.check, "problem": what.text},
                                status_code=503)
        problems = list(lifecycle.problems)
        zone_lag = zone.lag_problem(settings.dns_lag_alert_after) if zone else None
        if zone_lag:
            problems.append(("zone publication", zone_lag))
        if problems:
            return JSONResponse({
                "status": "degraded", "version": __version__,
                "steps": sorted({step for step, _why in problems}),
                "problems": [f"{step}: {why}" for step, why in problems],
                "registry_time": epp_time(lifecycle.now)}, status_code=503)
        return JSONResponse({
            "status": "ok", "version": __version__,
            "mode": "sandbox" if settings.sandbox else "production", "schema": head,
            "registry_time": epp_time(services.clock.now()),
            "epp_port": running.epp.port,
            "epp_sessions": len(running.epp.sessions),
            **({"whois_port": whois.port} if (whois := getattr(running, "whois", None))
               is not None else {}),
            **({"zone": {"server": f"{running.zone.target.host}:{running.zone.target.port}",
                         "serial": zone.serial, "journal_depth": zone.depth}}
               if running.zone is not None and zone is not None else {}),
        })

    async def index(request: Request) -> Response:
        return render(request, "index.html", mode="sandbox" if settings.sandbox else "production",
                      sandbox=settings.sandbox, epp_host=settings.epp_host,
                      epp_port=running.epp.port, ca=bool(running.ca_file),
                      now=epp_time(services.clock.now()), doors=DOORS,
                      simulators=sandbox_simulators(settings))

    async def ca_pem(_request: Request) -> Response:
        if not running.ca_file:
            return JSONResponse({"error": "this server uses its own certificate; no dev CA"},
                                status_code=404)
        return FileResponse(running.ca_file, media_type="application/x-pem-file",
                            filename="dkreg-ca.pem")

    from dkreg.public import rdap, whois_rest
    from dkreg.web import language, lookup, nis2, nsu, public_registrars
    from dkreg.web.dev import mail as dev_mail
    from dkreg.web.portal import (
        account,
        administration,
        contacts_hosts,
        domain_actions,
        login,
        pages,
        portfolio,
        referral,
        users,
    )
    from dkreg.web.portal import application as portal_application
    from dkreg.web.portal import dashboard as portal_dashboard
    from dkreg.web.portal import invoices as portal_invoices
    from dkreg.web.portal import messages as portal_messages
    from dkreg.web.portal import register as portal_register

    portal = Mount("/portal", routes=[*login.ROUTES, *pages.ROUTES, *account.ROUTES,
                                      *administration.ROUTES, *portfolio.ROUTES,
                                      *domain_actions.ROUTES, *contacts_hosts.ROUTES,
                                      *users.ROUTES, *portal_invoices.ROUTES,
                                      *portal_messages.ROUTES])
    portal.routes.extend(referral.ROUTES)
    from dkreg.web.portal import bulk_actions, domain_list, exports

    portal.routes.extend([*domain_list.ROUTES, *bulk_actions.ROUTES, *exports.ROUTES])
    # first: /domains/register must win over domain_actions' /domains/{name}
    portal.routes[0:0] = [*portal_dashboard.ROUTES, *portal_register.ROUTES,
                          *portal_application.ROUTES]
    from dkreg.web import pay
    from dkreg.web.selfservice import invoices as ss_invoices
    from dkreg.web.selfservice import login as ss_login
    from dkreg.web.selfservice import pages as ss_pages

    selfservice = Mount("/selfservice", routes=[*ss_login.ROUTES, *ss_pages.ROUTES,
                                                *ss_invoices.ROUTES])
    from dkreg.web.bad_input import BadInputGuard
    from dkreg.web.error_pages import ServerErrorPage, error_handlers
    from dkreg.web.headers import SecurityHeaders
    from dkreg.web.selfservice import email_change as ss_email_change
    from dkreg.web.selfservice import verification as ss_verification
    from dkreg.web.staff import pages as staff_pages
    from dkreg.web.staff import status as staff_status

    selfservice.routes.extend(ss_verification.ROUTES)
    selfservice.routes.extend(ss_email_change.ROUTES)
    from dkreg.web.selfservice import domain_pages as ss_domain_pages

    selfservice.routes.extend(ss_domain_pages.ROUTES)
    from dkreg.public import das, dsu
    from dkreg.web import metrics_page, status_api, status_feeds, status_page

    ops = metrics_page.ROUTES if metrics_page.on_public_listener(settings) else []
    # the browser headers outermost, so that the guard's 400 pages and the 500 page carry
    # them too; an uncaught error becomes the 500 page (logged) inside them
    app = Starlette(routes=[Route("/", index), Route("/healthz", healthz),
                            Route("/ca.pem", ca_pem), *ops, portal, selfservice, *language.routes,
                            *public_registrars.ROUTES, *lookup.ROUTES, *nsu.ROUTES,
                            whois_rest.MOUNT,  # issue 15: WHOIS REST at /whois-api
                            rdap.MOUNT,  # issue 15: RDAP at /rdap
                            *status_api.ROUTES,  # issue 16: the status page's JSON
                            *status_page.ROUTES,  # and its pages
                            *status_feeds.ROUTES,  # and feeds
                            *(dev_mail.ROUTES if dev_mail.mounted(settings) else []),
                            *pay.ROUTES,
                            Mount("/das", routes=das.routes()), Mount("/dsu", routes=dsu.routes()),
                            *(pay_simulator.ROUTES if pay_simulator.mounted(settings) else []),
                            *staff_pages.ROUTES,
                            *staff_status.ROUTES,  # issue 16: the status page's staff side
                            *nis2.ROUTES,
                            *(id_simulators.ROUTES if id_simulators.mounted(settings) else []),
                            Mount("/static", app=StaticFiles(directory=STATIC), name="static")],
                    middleware=[Middleware(SecurityHeaders, settings=settings),
                                Middleware(ServerErrorPage), Middleware(BadInputGuard)],
                    exception_handlers=error_handlers())
    app.state.services = services  # what the module-level handlers read (services_of)
    app.state.running = running  # and /metrics, for the live EPP sessions
    return app

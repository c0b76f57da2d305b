"""Issue 13 §4: every page of dkreg, in real Chromium, passes axe-core's WCAG 2.0/2.1/2.2
A and AA rules and does not scroll sideways — at 1280 px and 390 px, in Danish and in
English — with a screenshot of each under ``$DKREG_ARTIFACTS``.

One real ``dkreg serve`` with demo data for the whole module (a registrar with domains,
contacts, name servers, poll messages and an application waiting; a registrant with
invoices and an ID check to do; a staff member with a document to review; the sandbox's
mail and simulators), one browser, one context per width and language; a page that fails
is collected and the test fails at the end listing every problem.

``PAGES`` names every GET route of the app: a page to visit (with the demo data's ids
filled in) or, for a route whose answer is not a page, the reason
(``test_the_walk_covers_every_get_route`` keeps it complete). The checks are about
accessibility, not texts: other work may change every page's markup and wording.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select, text, update
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.account.registrars import registrar_create, user_create
from dkreg.actions.portal.users import portal_user_create
from dkreg.actions.selfservice.session import start_session
from dkreg.app import Running, start
from dkreg.billing.links import sign
from dkreg.config import Settings
from dkreg.identity import documents, mitid, staff
from dkreg.lifecycle.tick import tick
from dkreg.mail.catcher import MailCatcher, caught
from dkreg.mail.sender import MailSender
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, invoices, portal_users
from dkreg.web.asgi import build_app
from epp.helpers import NS, setup_registrant
from support import PASSWORD, frames
from support.a11y import (
    artifacts_dir,
    error_summary_problems,
    focus_ring_problems,
    page_problems,
)
from support.eppclient import EppClient
from support.routes import walk
from web.browser_fixtures import chromium, needs_chromium

T = Any  # a test function, for the decorator below


def in_the_browser(test: T) -> T:
    """A walk test: slow, skipped without Chromium, on the module's event loop (where the
    module's server and browser live)."""
    for mark in (pytest.mark.slow, needs_chromium, pytest.mark.asyncio(loop_scope="module")):
        test = mark(test)
    return test


HANDLE, REGISTRAR = "REG-500077", "Walk Registrar ApS"
ADMIN, LIMITED, TOTP_USER = ("admin@walk.example", "accounting@walk.example",
                             "totp@walk.example")
STAFF = "reviewer@registry.example"
RITA = "rita@walk.example"
MGMT = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-{v}">registrant'
        "</dkhm:management>")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WIDTHS = (1280, 390)
# a link that is not (or no longer) valid: the door's own refusal page, whatever its status
REFUSAL = (200, *range(400, 500))
LANGS = ("da", "en")


@dataclass
class Demo:
    """The demo data's ids, for the pages' paths."""

    running: Running
    base: str
    domain: str = "walk-aktiv.dk"
    held_domain: str = "walk-venter.dk"
    pending_domain: str = "walk-ansoegning.dk"
    contact: str = ""
    held_contact: str = ""
    host: str = NS[0]
    tracking_no: str = ""
    invoice_id: int = 0
    pay_token: str = ""
    pay_reference: str = ""
    checkout: str = ""
    document_id: int = 0
    nis2_request_id: int = 0
    mail_key: str = ""
    reset_token: str = ""
    mitid_authorize: str = ""
    extra: dict[str, str] = field(default_factory=dict)


# -- the table of every GET route ------------------------------------------------------

@dataclass(frozen=True)
class Page:
    """A page to visit: who visits (``anonymous`` before any log-in, ``visitor`` logged in
    to the portal, self-service and the staff pages at once), its path from the demo
    data, and the statuses it may answer (an error page is a page too)."""

    route: str | None  # the route's template; None for a page no route names (404 …)
    path: Callable[[Demo], str]
    who: str = "visitor"
    statuses: tuple[int, ...] = (200,)
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or (self.route or "?")


def p(route: str, path: str | Callable[[Demo], str] | None = None, **kw: Any) -> Page:
    fixed = path if path is not None else route
    return Page(route, fixed if callable(fixed) else (lambda _d, f=fixed: f), **kw)


PAGES: list[Page] = [
    # before any log-in: the front, the doors' log-in pages and the public pages
    p("/", who="anonymous", name="front"),
    p("/registrars", who="anonymous"),
    p("/registrars", "/registrars?registrar_management=true", who="anonymous",
      name="registrars-filtered"),
    p("/lookup", who="anonymous", name="lookup-form"),
    p("/lookup", lambda d: f"/lookup?q={d.domain}", who="anonymous", name="lookup-domain"),
    p("/lookup", "/lookup?q=walk-ledig.dk", who="anonymous", name="lookup-available"),
    p("/lookup", lambda d: f"/lookup?q={d.host}", who="anonymous", name="lookup-host"),
    p("/lookup", "/lookup?q=-bad-.dk", who="anonymous", statuses=(400,),
      name="lookup-bad-input"),
    p("/lookup/terms", who="anonymous"),
    p("/status", who="anonymous"),
    p("/status/history", who="anonymous"),
    p("/nis2/access-request", who="anonymous"),
    p("/nis2/report-inaccuracy", who="anonymous"),
    p("/lookup/privacy", who="anonymous"),
    p("/nsu/", who="anonymous"),
    p("/nsu/en/", who="anonymous"),
    p("/nsu/", lambda d: f"/nsu/?id=52&redel=true&domain={d.domain}&nameserver={d.host}"
      "&submit=bek%C3%A6ft", who="anonymous", statuses=(400,), name="nsu-refused"),
    p("/portal/login", who="anonymous"),
    p("/portal/login/code", who="totp", name="portal-login-code"),
    p("/portal/password/forgot", who="anonymous"),
    p("/portal/invite/{token:str}", "/portal/invite/not-a-token", who="anonymous",
      statuses=(410,)),
    p("/portal/reset/{token:str}", lambda d: f"/portal/reset/{d.reset_token}",
      who="anonymous"),
    p("/portal/reset/{token:str}", "/portal/reset/not-a-token", who="anonymous",
      statuses=(410,), name="portal-reset-invalid"),
    p("/selfservice/login", who="anonymous"),
    p("/selfservice/link/{token:str}", "/selfservice/link/not-a-token", who="anonymous",
      statuses=REFUSAL),
    p("/selfservice/verification/email/{token}", "/selfservice/verification/email/nope",
      who="anonymous", statuses=REFUSAL),
    p("/selfservice/email-change/{token}", "/selfservice/email-change/nope",
      who="anonymous", statuses=REFUSAL),
    p("/staff/login", who="anonymous"),
    p("/pay/{token:str}", lambda d: f"/pay/{d.pay_token}", who="anonymous"),
    p("/pay/{token:str}", "/pay/not-a-token", who="anonymous", statuses=(404,),
      name="pay-invalid"),
    p("/pay/{token:str}/return",
      lambda d: f"/pay/{d.pay_token}/return?ref={d.pay_reference}", who="anonymous"),
    p("/pay/{token:str}/return", lambda d: f"/pay/{d.pay_token}/return?ref=nope",
      who="anonymous", statuses=(404,), name="pay-return-unknown"),
    p("/dev/pay", who="anonymous"),
    p("/dev/pay/", who="anonymous", name="dev-pay-slash"),
    p("/dev/pay/checkout", lambda d: d.checkout, who="anonymous"),
    p("/dev/pay/checkout", "/dev/pay/checkout?signature=x", who="anonymous",
      statuses=(400,), name="dev-pay-checkout-refused"),
    p("/dev/mitid", who="anonymous"),
    p("/dev/mitid/", who="anonymous", name="dev-mitid-slash"),
    p("/dev/mitid/authorize", lambda d: d.mitid_authorize, who="anonymous"),
    p("/dev/mitid/authorize", "/dev/mitid/authorize?client_id=nobody", who="anonymous",
      statuses=(400,), name="dev-mitid-refused"),
    p("/dev/cvr", who="anonymous"),
    p("/dev/cvr/", who="anonymous", name="dev-cvr-slash"),
    p("/dev/mail", who="anonymous"),
    p("/dev/mail/{key:str}", lambda d: f"/dev/mail/{d.mail_key}", who="anonymous"),
    # the error pages, in the frame
    p(None, "/no/such/page", who="anonymous", statuses=(404,), name="error-404"),
    p(None, "/portal/no/such/page", who="anonymous", statuses=(404,), name="error-404-portal"),
    p(None, "/static/no-such.css", who="anonymous", statuses=(404,), name="error-404-static"),
    p(None, "/portal/logout", who="anonymous", statuses=(405,), name="error-405"),
    p(None, "/registrars?q=%00", who="anonymous", statuses=(400,), name="error-400"),
    p(None, "/walk/refused", who="anonymous", statuses=(403,), name="error-403"),
    p(None, "/walk/broken", who="anonymous", statuses=(500,), name="error-500"),
    # the portal
    p("/portal/", name="portal-home"),
    p("/portal/domains"),
    p("/portal/domains/register"),
    p("/portal/domains/{name:str}", lambda d: f"/portal/domains/{d.domain}",
      name="portal-domain"),
    p("/portal/domains/{name:str}", lambda d: f"/portal/domains/{d.held_domain}",
      name="portal-domain-held"),
    p("/portal/domains/{name:str}", lambda d: f"/portal/domains/{d.pending_domain}",
      name="portal-domain-pending"),
    p("/portal/applications/{tracking_no:str}",
      lambda d: f"/portal/applications/{d.tracking_no}", name="portal-application"),
    p("/portal/domains/bulk/{id:str}", "/portal/domains/bulk/no-such-run", statuses=REFUSAL,
      name="portal-bulk-unknown"),
    p("/portal/contacts"),
    p("/portal/contacts/create"),
    p("/portal/contacts/{handle:str}", lambda d: f"/portal/contacts/{d.contact}",
      name="portal-contact"),
    p("/portal/contacts/{handle:str}/edit", lambda d: f"/portal/contacts/{d.contact}/edit",
      name="portal-contact-edit"),
    p("/portal/hosts"),
    p("/portal/hosts/create"),
    p("/portal/hosts/{name:str}", lambda d: f"/portal/hosts/{d.host}", name="portal-host"),
    p("/portal/hosts/{name:str}/edit", lambda d: f"/portal/hosts/{d.host}/edit",
      name="portal-host-edit"),
    # a name server in use: the confirmation says why it cannot go
    p("/portal/hosts/{name:str}/delete", lambda d: f"/portal/hosts/{d.host}/delete",
      statuses=REFUSAL, name="portal-host-delete"),
    p("/portal/poll"),
    p("/portal/poll/ack-all"),
    p("/portal/prices"),
    p("/portal/account"),
    p("/portal/invoices"),
    p("/portal/me"),
    p("/portal/users"),
    p("/portal/administration/service-users"),
    p("/portal/administration/ip-allow-list"),
    p("/portal/administration/account-settings"),
    p("/portal/administration/public-information/registrar-management"),
    p("/portal/administration/referral"),
    # self-service
    p("/selfservice/", name="selfservice-home"),
    p("/selfservice/domains/{name:str}", "/selfservice/domains/walk-selv.dk",
      name="selfservice-domain"),
    p("/selfservice/domains/{name:str}", lambda d: f"/selfservice/domains/{d.held_domain}",
      name="selfservice-domain-held"),
    p("/selfservice/public-data"),
    p("/selfservice/password"),
    p("/selfservice/requests"),
    p("/selfservice/applications/{tracking_no:str}",
      lambda d: f"/selfservice/applications/{d.tracking_no}", statuses=REFUSAL),
    p("/selfservice/invoices"),
    p("/selfservice/verification"),
    p("/selfservice/verification/{handle}/result",
      lambda d: f"/selfservice/verification/{d.held_contact}/result", statuses=REFUSAL),
    p("/selfservice/verification/mitid/callback", statuses=REFUSAL),
    # the registry's staff
    p("/staff/", name="staff-queue"),
    p("/staff/documents/{id}", lambda d: f"/staff/documents/{d.document_id}",
      name="staff-document"),
    p("/staff/nis2/", name="staff-nis2"),
    p("/staff/nis2/requests/{id}", lambda d: f"/staff/nis2/requests/{d.nis2_request_id}",
      name="staff-nis2-request"),
    p("/staff/nis2/grants", name="staff-nis2-grants"),
    p("/staff/nis2/reports", name="staff-nis2-reports"),
    p("/staff/nis2/statistics", name="staff-nis2-statistics"),
    p("/staff/status", name="staff-status"),
]

# GET routes whose answer is not a page of the frame, and why
NOT_PAGES: dict[str, str] = {
    "/healthz": "JSON for the load balancer",
    "/ca.pem": "the development CA's certificate (PEM)",
    "/metrics": "Prometheus exposition (text)",
    "/registrars.json": "the registrar list as JSON",
    **{path: "the status page's feed (Atom or RSS XML)"
       for path in ("/status/history.atom", "/status/history.rss",
                    "/status/components/{key}/history.atom",
                    "/status/components/{key}/history.rss")},
    **{f"/api/v2/{path}.json": "the status page's Statuspage-compatible JSON"
       for path in ("summary", "status", "components", "incidents", "incidents/unresolved",
                    "scheduled-maintenances", "scheduled-maintenances/upcoming",
                    "scheduled-maintenances/active")},
    "/lang/{code}": "sets the language and redirects back",
    "/static/{path:path}": "stylesheets, scripts, fonts and icons",
    "/portal/invoices/{invoice_id:id}.pdf": "an invoice PDF",
    "/portal/account/statement": "the ledger as a CSV file",
    "/portal/domains.csv": "the domain list as a CSV file",
    "/portal/contacts.csv": "the contact list as a CSV file",
    "/dev/mail.json": "the caught mails as JSON (the mail viewer's refresh)",
    "/selfservice/invoices/{invoice_id:id}.pdf": "an invoice PDF",
    "/staff/documents/{id}/file": "the uploaded identity document itself",
    "/pay/{token:str}/pdf": "an invoice PDF",
    "/dev/mail/{key:str}/html": "a mail's own HTML body, as a mail client shows it",
    "/dev/mitid/.well-known/openid-configuration": "OpenID Connect discovery (JSON)",
    "/dev/mitid/jwks": "the simulator's signing keys (JSON)",
    "/das/domain/is_available/{name}": "DAS: availability as JSON, XML or text",
    "/rdap/domain/{name}": "RDAP: JSON (application/rdap+json)",
    "/rdap/nameserver/{name}": "RDAP: JSON",
    "/rdap/entity/{handle}": "RDAP: JSON",
    "/rdap/help": "RDAP: JSON",
    "/rdap/domains": "RDAP: searches are not offered (501, JSON)",
    "/rdap/nameservers": "RDAP: searches are not offered (501, JSON)",
    "/rdap/entities": "RDAP: searches are not offered (501, JSON)",
    "/rdap/ip/{rest:path}": "RDAP: IP queries are not offered (501, JSON)",
    "/rdap/autnum/{rest:path}": "RDAP: AS queries are not offered (501, JSON)",
    "/rdap/{path:path}": "RDAP: an unknown path's JSON error",
    "/whois-api/domain/{name}": "WHOIS REST: JSON",
    "/whois-api/host/{name}": "WHOIS REST: JSON",
    "/whois-api/query/{name}": "WHOIS REST: JSON",
    "/whois-api/{path:path}": "WHOIS REST: an unknown path's JSON error",
}


def get_routes(app: Any) -> set[str]:
    return {r.template for r in walk(app.routes) if "GET" in r.methods}


def test_the_walk_covers_every_get_route(tmp_path: Path) -> None:
    """Every GET route of the app (a sandbox's, simulators included) is in the walk or
    named as not a page, and nothing in the table is a route the app no longer has."""
    settings = Settings(data_dir=tmp_path, epp_port=0, http_port=0)
    fake = SimpleNamespace(services=SimpleNamespace(settings=settings), epp=None, ca_file=None)
    routes = get_routes(build_app(fake))  # type: ignore[arg-type]
    listed = {page.route for page in PAGES if page.route} | set(NOT_PAGES)
    missing, stale = sorted(routes - listed), sorted(listed - routes)
    assert not missing, f"GET routes the walk does not visit or name: {missing}"
    assert not stale, f"routes in the walk that the app does not have: {stale}"
    assert not set(NOT_PAGES) & {page.route for page in PAGES}
    labels = [page.label for page in PAGES]
    assert len(labels) == len(set(labels)), "two pages of the walk share a screenshot name"


# -- the demo data ---------------------------------------------------------------------

async def broken(_request: Request) -> Response:
    raise RuntimeError("the walk's broken page")


async def refused(_request: Request) -> Response:
    raise HTTPException(403)


def ctx_of(running: Running, conn: Any, now: Any = None) -> Ctx:
    services = running.services
    return Ctx(conn=conn, now=now or services.clock.now(), settings=services.settings,
               is_sqlite=services.db.is_sqlite, door="cli")


async def epp_objects(demo: Demo) -> None:
    """Contacts, name servers, domains (active, held for an ID check, an application
    waiting) and the lifecycle's poll messages and renewal invoice, made over EPP."""
    running = demo.running
    services = running.services
    c = await EppClient.connect("127.0.0.1", running.epp.port, running.ca_file or "")
    try:
        assert (await c.login("walk-epp", PASSWORD)).code == 1000
        demo.contact = await setup_registrant(c, email="jens@walk.example")
        r = await c.request(frames.contact_create(
            name="Rita Registrant", email=RITA, verified=True, dkhm="4.5",
            extra_ext=MGMT.format(v="4.5")))
        rita = r.text(".//contact:id") or ""
        token = int(services.clock.now().timestamp())
        for name, registrant, ext in ((demo.domain, demo.contact, ""),
                                      ("walk-selv.dk", rita, MGMT.format(v="4.3"))):
            r = await c.request(frames.domain_create(name, registrant, NS, token=token,
                                                     extra_ext=ext))
            assert r.code == 1001, r.msg
        await tick(services.db, services.settings, services.clock.now())
        # 30 days before expiry: the registrant-managed domain's renewal invoice
        ahead = services.clock.now() + timedelta(days=336)
        await tick(services.db, services.settings, ahead)
        # an unverified registrant (Rita's address): the domain waits for the ID check
        r = await c.request(frames.contact_create(name="Rita Registrant", email=RITA,
                                                  verified=False, dkhm="4.5"))
        demo.held_contact = r.text(".//contact:id") or ""
        r = await c.request(frames.domain_create(demo.held_domain, demo.held_contact, NS,
                                                 token=int(services.clock.now().timestamp())))
        assert r.code == 1001, r.msg
        await tick(services.db, services.settings, services.clock.now())
        # and an application the registry has not processed yet
        r = await c.request(frames.domain_create(demo.pending_domain, demo.contact, NS,
                                                 token=int(services.clock.now().timestamp())))
        assert r.code == 1001, r.msg
    finally:
        await c.close()
    async with services.db.read() as conn:
        demo.tracking_no = str((await conn.execute(text(
            "select tracking_no from applications a join domains d on d.id = a.domain_id "
            "where d.uname = :n"), {"n": demo.pending_domain})).scalar())
        demo.invoice_id = int((await conn.execute(
            select(invoices.c.id).where(invoices.c.kind == "renewal")
            .order_by(invoices.c.id))).scalars().first() or 0)
    assert demo.invoice_id, "the lifecycle made no renewal invoice"


async def people_and_links(demo: Demo) -> None:
    """The portal's users (one with TOTP), the staff member and a document to review, a
    payment started, the simulators' signed requests, the mail the sandbox sent."""
    running = demo.running
    services, settings = running.services, running.services.settings
    async with services.db.begin() as conn:
        ctx = ctx_of(running, conn)
        await portal_user_create(ctx, HANDLE, LIMITED, "accounting", PASSWORD)
        await portal_user_create(ctx, HANDLE, TOTP_USER, "portfolio", PASSWORD)
        await conn.execute(update(portal_users).where(portal_users.c.email == TOTP_USER)
                           .values(totp_secret="JBSWY3DPEHPK3PXP", totp_enabled_at=ctx.now))
        await staff.create(ctx, STAFF, PASSWORD)
        held = (await conn.execute(select(contacts).where(
            contacts.c.handle == demo.held_contact))).one()
        demo.document_id = await documents.upload(ctx, held, PDF, "pas.pdf", RITA)
        from dkreg.actions.nis2.requests import AccessRequestInput, submit

        demo.nis2_request_id = await submit(ctx, AccessRequestInput(
            name="Walk Politi", org="Rigspolitiet", email="walk@politi.example",
            requester_type="police", domains=demo.domain, fields=["name", "address"],
            legal_basis="Efterforskning af svindel (retsplejeloven)"))
        from dkreg.actions.portal.login import portal_reset_request

        assert await portal_reset_request(ctx, ADMIN, "da", "127.0.0.1")
    demo.pay_token = sign(settings, demo.invoice_id, services.clock.now())
    async with httpx.AsyncClient(base_url=demo.base) as web:
        started = await web.post(f"/pay/{demo.pay_token}")
        assert started.status_code == 303, started.text
        demo.checkout = started.headers["location"].removeprefix(demo.base)
        demo.pay_reference = httpx.URL(started.headers["location"]).params["reference"]
    demo.mitid_authorize = mitid.SIMULATOR_PATH + "/authorize?" + urlencode({
        "response_type": "code", "client_id": settings.mitid_client_id,
        "redirect_uri": mitid.redirect_uri(settings), "scope": "openid", "state": "walk",
        "nonce": "walk", "code_challenge": "x" * 43, "code_challenge_method": "S256"})
    await MailSender(services.db, settings, services.clock).send_due()
    for _ in range(50):
        mails = caught(settings)
        if mails:
            break
        await asyncio.sleep(0.1)
    assert mails, "the sandbox caught no mail"
    demo.mail_key = mails[-1].key
    reset = [m for m in mails if ADMIN in str(m.message["To"])]
    body = reset[0].message.get_body(("plain",)).get_content() if reset else ""
    found = re.search(r"/portal/reset/([A-Za-z0-9_.-]+)", body)
    assert found, "no reset link in the mail"
    demo.reset_token = found.group(1)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def demo(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Demo]:
    data = tmp_path_factory.mktemp("walk")
    settings = Settings(data_dir=data / "data", epp_port=0, http_port=0,
                        lifecycle_interval=3600)
    running = await start(settings, lifecycle=False)
    catcher = MailCatcher(settings)  # the sandbox's mail, as `dkreg serve` catches it
    await catcher.start()
    app = running.http.config.app  # type: ignore[union-attr]
    for path, endpoint in (("/walk/broken", broken), ("/walk/refused", refused)):
        app.router.routes.insert(0, Route(path, endpoint))
    try:
        async with running.services.db.begin() as conn:
            ctx = ctx_of(running, conn)
            await registrar_create(ctx, HANDLE, REGISTRAR, "hostmaster@walk.example",
                                   50_000_00)
            await user_create(ctx, HANDLE, "walk-epp", "epp", PASSWORD)
            await portal_user_create(ctx, HANDLE, ADMIN, "administration", PASSWORD)
        d = Demo(running, f"http://127.0.0.1:{running.http_port}")
        await epp_objects(d)
        await people_and_links(d)
        yield d
    finally:
        await catcher.stop()
        await running.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Any]:
    async with chromium() as b:
        yield b


# -- logging in (through the forms' own POSTs, sharing the context's cookies) ------------

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def form_login(context: Any, path: str, **fields: str) -> Any:
    page = await context.request.get(path)
    csrf = _CSRF.search(await page.text())
    assert csrf, f"no CSRF field on {path}"
    return await context.request.post(path, form={**fields, "csrf": csrf.group(1)},
                                      max_redirects=0)


async def log_in_everywhere(context: Any, demo: Demo) -> None:
    """The context's visitor: the registrar's administrator, Rita in self-service (both
    her contacts, as her login link would hold them) and the staff member."""
    r = await form_login(context, "/portal/login", email=ADMIN, password=PASSWORD)
    assert r.status == 303, await r.text()
    r = await form_login(context, "/staff/login", email=STAFF, password=PASSWORD)
    assert r.status == 303, await r.text()
    running = demo.running
    async with running.services.db.begin() as conn:
        ids = [row.id for row in await conn.execute(
            select(contacts.c.id).where(contacts.c.email == RITA))]
        token = await start_session(ctx_of(running, conn), ids, RITA, "127.0.0.1")
    await context.add_cookies([{"name": "dkreg_self", "value": token, "url": demo.base}])


async def new_context(browser: Any, demo: Demo, width: int, lang: str) -> Any:
    context = await browser.new_context(
        base_url=demo.base, viewport={"width": width, "height": 900},
        locale="da-DK" if lang == "da" else "en-GB")
    # the pick, not only the browser's language: the same on every page
    await context.add_cookies([{"name": "dkreg_lang", "value": lang, "url": demo.base}])
    # the payment's "processing" page reloads itself every two seconds (the walk's
    # payment never completes): checked as without that script, with its Refresh link
    await context.route("**/static/pay-wait.js", lambda route: route.abort())
    return context


# -- the walk ----------------------------------------------------------------------------

async def visit(page: Any, demo: Demo, item: Page, artifacts: Path, width: int,
                lang: str) -> list[str]:
    where = f"{item.label} ({item.path(demo)})"
    try:
        response = await page.goto(item.path(demo), wait_until="load")
    except Exception as exc:  # a page that does not load is a problem, not the end
        return [f"{where}: did not load: {exc}"]
    status = response.status if response else 0
    problems = []
    if status not in item.statuses:
        problems.append(f"{where}: HTTP {status}, expected {item.statuses}")
    try:
        checked = await page_problems(page, artifacts, item.label, width, lang)
    except Exception as exc:  # e.g. the page navigated away while axe ran
        return [*problems, f"{where}: could not be checked: {exc}"]
    return problems + [f"{item.path(demo)} {m}" for m in checked.problems]


@in_the_browser
@pytest.mark.timeout(900)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
async def test_every_page_is_accessible_and_fits(browser, demo: Demo, width: int,  # type: ignore[no-untyped-def]
                                                 lang: str, tmp_path: Path) -> None:
    artifacts = artifacts_dir(tmp_path, "pages")
    context = await new_context(browser, demo, width, lang)
    problems: list[str] = []
    try:
        page = await context.new_page()
        for item in [i for i in PAGES if i.who == "anonymous"]:
            problems += await visit(page, demo, item, artifacts, width, lang)
        # the TOTP user's password step: the code page comes next
        totp = await context.new_page()
        r = await form_login(context, "/portal/login", email=TOTP_USER, password=PASSWORD)
        assert r.status == 303 and r.headers["location"].endswith("/portal/login/code")
        for item in [i for i in PAGES if i.who == "totp"]:
            problems += await visit(totp, demo, item, artifacts, width, lang)
        await totp.close()
        await log_in_everywhere(context, demo)
        for item in [i for i in PAGES if i.who == "visitor"]:
            problems += await visit(page, demo, item, artifacts, width, lang)
    finally:
        await context.close()
    shots = sorted(p.name for p in artifacts.glob(f"*-{width}-{lang}.png"))
    assert len(shots) >= len({i.label for i in PAGES}), shots
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


# -- error states, 403, focus rings ------------------------------------------------------

async def submit_empty(page: Any, form: Any) -> None:
    """Send the form as it is, past the browser's own checks (``required``): what is
    under test is the page's answer, the error summary."""
    await form.evaluate("f => { f.noValidate = true; }")
    button = form.locator("button[type=submit].button-primary")
    if not await button.count():
        button = form.locator("button[type=submit], input[type=submit]")
    await button.first.click()
    await page.wait_for_load_state("load")


@in_the_browser
@pytest.mark.timeout(600)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
async def test_a_failed_submit_focuses_the_error_summary(browser, demo: Demo, width: int,  # type: ignore[no-untyped-def]
                                                        lang: str, tmp_path: Path) -> None:
    """The register form sent empty and the log-in form with a wrong password: the error
    summary has the focus, the title says "Fejl:"/"Error:", the page passes axe."""
    artifacts = artifacts_dir(tmp_path, "error-states")
    context = await new_context(browser, demo, width, lang)
    problems: list[str] = []
    try:
        page = await context.new_page()
        await page.goto("/portal/login")
        await page.locator("#email").fill(ADMIN)
        await page.locator("#password").fill("Wrong-Passw0rd-1")
        await submit_empty(page, page.locator("main form[method=post]").first)
        problems += [f"portal login: {m}" for m in await error_summary_problems(page, lang)]
        problems += (await page_problems(page, artifacts, "error-portal-login", width,
                                         lang)).problems

        await page.goto("/staff/login")
        await page.locator("#email").fill(STAFF)
        await page.locator("#password").fill("Wrong-Passw0rd-1")
        await submit_empty(page, page.locator("main form[method=post]").first)
        problems += [f"staff login: {m}" for m in await error_summary_problems(page, lang)]

        await log_in_everywhere(context, demo)
        await page.goto("/portal/domains/register")
        forms = page.locator("main form[method=post]")
        form = forms.filter(has=page.locator("button[type=submit].button-primary"))
        await submit_empty(page, form.last if await form.count() else forms.last)
        problems += [f"register: {m}" for m in await error_summary_problems(page, lang)]
        problems += (await page_problems(page, artifacts, "error-register", width,
                                         lang)).problems
    finally:
        await context.close()
    assert not problems, "\n".join(problems)


@in_the_browser
async def test_a_missing_privilege_is_a_page_in_the_frame(browser, demo: Demo,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    """An accounting user on the users page: the portal's own 403 page, axe clean."""
    artifacts = artifacts_dir(tmp_path, "forbidden")
    problems: list[str] = []
    for width in WIDTHS:
        for lang in LANGS:
            context = await new_context(browser, demo, width, lang)
            try:
                r = await form_login(context, "/portal/login", email=LIMITED,
                                     password=PASSWORD)
                assert r.status == 303
                page = await context.new_page()
                response = await page.goto("/portal/users")
                assert response.status == 403
                problems += (await page_problems(page, artifacts, "portal-forbidden", width,
                                                 lang)).problems
            finally:
                await context.close()
    assert not problems, "\n".join(problems)


# a page of each kind: every control on it shows where the keyboard's focus is
FOCUS_PAGES = ("/", "/registrars", "/portal/login", "/staff/login", "/dev/mitid/authorize",
               "/portal/", "/portal/domains/register", "/selfservice/", "/staff/documents/")


@in_the_browser
async def test_every_control_shows_a_focus_ring(browser, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    for width in WIDTHS:
        context = await new_context(browser, demo, width, "da")
        try:
            page = await context.new_page()
            logged_in = False
            for path in FOCUS_PAGES:
                if path.startswith(("/portal/", "/selfservice/", "/staff/d")) \
                        and not logged_in:
                    await log_in_everywhere(context, demo)
                    logged_in = True
                target = {"/dev/mitid/authorize": demo.mitid_authorize,
                          "/staff/documents/": f"/staff/documents/{demo.document_id}"
                          }.get(path, path)
                await page.goto(target)
                problems += [f"{path} @{width}px: {m}" for m in await focus_ring_problems(page)]
        finally:
            await context.close()
    assert not problems, "\n".join(problems)


@in_the_browser
async def test_the_checks_can_fail(browser, demo: Demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Each check of the harness says no when it should: an image without a text, an
    element wider than a phone, a link without a focus ring, a page without errors."""
    context = await new_context(browser, demo, 390, "da")
    try:
        page = await context.new_page()
        await page.goto("/registrars")
        assert (await page_problems(page, tmp_path, "clean", 390, "da")).problems == []
        await page.evaluate("""() => {
          const img = document.createElement("img"); img.src = "/static/none.png";
          const wide = document.createElement("div"); wide.style.width = "2000px";
          wide.textContent = "wide";
          document.querySelector("main").append(img, wide);
          for (const a of document.querySelectorAll("a")) {
            a.style.setProperty("outline", "none", "important");
          }
        }""")
        found = (await page_problems(page, tmp_path, "broken", 390, "da")).problems
        assert any("axe image-alt" in f for f in found), found
        assert any("scrolls sideways" in f for f in found), found
        assert any("no visible focus ring on a" in f for f in await focus_ring_problems(page))
        assert len(await error_summary_problems(page, "da")) == 2  # no summary, no "Fejl:"
    finally:
        await context.close()

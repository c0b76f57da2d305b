"""Self-service pages for a logged-in person: home (my contact IDs, domains and roles,
each domain's status in words with why and what to do, verification status), a password
per contact ID, requests waiting for me, Flow 2 acceptance. Handlers translate form →
action → page; the rules (who may answer, whose domain it is) live in the actions. A
change answers with a redirect and a flash summary (Post/Redirect/Get); a refused one
shows the page again, 4xx, with the error summary. A domain's own page and its changes
are ``domain_pages``."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.selfservice.domains import flow2_answer, flow2_application
from dkreg.actions.selfservice.login import set_password
from dkreg.actions.selfservice.overview import DomainRole, overview
from dkreg.actions.selfservice.requests import answer_request, waiting_for
from dkreg.actions.selfservice.session import selfservice_audit
from dkreg.billing.links import sign
from dkreg.errors import EppError
from dkreg.web import flash
from dkreg.web.error_text import error_text
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import form_int
from dkreg.web.selfservice.guard import SCall, selfservice_route

HOME = "/selfservice/"


def _field(call: SCall, name: str) -> str:
    return str(call.form.get(name, "")) if call.form is not None else ""


async def _refused(call: SCall, e: EppError, obj: str) -> None:
    """Audit a refused self-service command (its own transaction rolled back)."""
    async with call.tx() as ctx:
        await selfservice_audit(ctx, "selfservice_refused", call.registrant.name(), obj,
                                result_code=e.code, client_ip=call.ip,
                                request=f"{call.request.method} {call.request.url.path}")


def pay_links(call: SCall, held: Iterable[DomainRole]) -> dict[int, str]:
    """The payment page of each open invoice a domain is waiting for."""
    now = call.services.clock.now()
    return {d.open_invoice_id: "/pay/" + sign(call.services.settings, d.open_invoice_id, now)
            for d in held if d.open_invoice_id is not None}


@selfservice_route
async def home(call: SCall) -> Response:
    async with call.tx() as ctx:
        handles = await overview(ctx, call.registrant)
    return call.page("selfservice/home.html", handles=handles,
                     pay_links=pay_links(call, (d for h in handles for d in h.domains)),
                     registry_name=call.services.settings.registry_name)


@selfservice_route
async def password(call: SCall) -> Response:
    """Set or change the password of one held handle (reached from the home page)."""
    t = translator(language_of(call.request))
    if call.request.method == "GET":
        return call.page("selfservice/password.html", errors={}, chosen=None)
    chosen = form_int(_field(call, "contact"))
    pw = _field(call, "password")
    errors: dict[str, str] = {}
    if chosen is None or not call.registrant.holds_id(chosen):
        errors["contact"] = t("ss.password.pick")
    elif pw != _field(call, "password_again"):
        errors["password_again"] = t("invalid.password_again")
    else:
        try:
            async with call.tx() as ctx:
                await set_password(ctx, call.registrant, chosen, pw, call.ip)
        except EppError as e:
            errors["password"] = t("invalid.password") + " " + error_text(e, call.request)
    if errors:
        return call.page("selfservice/password.html", 400, errors=errors, chosen=chosen)
    handle = call.registrant.handles[call.registrant.contact_ids.index(chosen)]
    return flash.redirect(call.request, HOME,
                          flash.Flash("ss.flash.password_set", {"handle": handle}))


async def requests_page(call: SCall, status_code: int = 200,
                        error: str | None = None) -> Response:
    async with call.tx() as ctx:
        waiting = await waiting_for(ctx, call.registrant)
    return call.page("selfservice/requests.html", status_code, waiting=waiting,
                     error=error)


@selfservice_route
async def requests(call: SCall) -> Response:
    return await requests_page(call)


@selfservice_route
async def request_answer(call: SCall) -> Response:
    request_id = form_int(call.request.path_params["id"])
    outcome = _field(call, "outcome")
    try:
        if request_id is None:
            raise EppError(code=2201, reason="unauthorized", field="request")
        async with call.tx() as ctx:
            await answer_request(ctx, call.registrant, request_id, outcome, call.ip)
    except EppError as e:
        await _refused(call, e, str(call.request.path_params["id"])[:40])
        return await requests_page(call, 403 if e.code == 2201 else 400,
                                   error=error_text(e, call.request))
    return flash.redirect(call.request, "/selfservice/requests",
                          flash.Flash(f"ss.requests.done_{outcome}", {}))


async def application_page(call: SCall, tracking_no: str, status_code: int = 200,
                           error: str | None = None, done: str | None = None
                           ) -> Response:
    try:
        async with call.tx() as ctx:
            app = await flow2_application(ctx, call.registrant, tracking_no)
    except EppError as e:
        await _refused(call, e, tracking_no[:40])
        return call.page("selfservice/forbidden.html", 403)
    return call.page("selfservice/application.html", status_code, app=app, error=error,
                     done=done, terms_url=call.services.settings.registry_terms_url)


@selfservice_route
async def application(call: SCall) -> Response:
    tracking_no = str(call.request.path_params["tracking_no"])[:32]
    if call.request.method == "GET":
        done = call.request.query_params.get("done")
        return await application_page(call, tracking_no,
                                      done=done if done in ("accepted", "declined") else None)
    accept = _field(call, "answer") == "accept"
    try:
        async with call.tx() as ctx:
            result = await flow2_answer(ctx, call.registrant, tracking_no, accept, call.ip)
    except EppError as e:
        await _refused(call, e, tracking_no)
        return await application_page(call, tracking_no, 409, error=error_text(e, call.request))
    done = "accepted" if accept else "declined"
    return flash.redirect(call.request, f"/selfservice/applications/{tracking_no}?done={done}",
                          flash.Flash(f"ss.app.done_{done}", {"name": result.name}))


ROUTES: list[Route] = [
    Route("/", home, methods=["GET"]),
    Route("/password", password, methods=["GET", "POST"]),
    Route("/requests", requests, methods=["GET"]),
    Route("/requests/{id:str}", request_answer, methods=["POST"]),
    Route("/applications/{tracking_no:str}", application, methods=["GET", "POST"]),
]

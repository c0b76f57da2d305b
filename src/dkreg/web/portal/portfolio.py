"""Portfolio pages of the third slice: the "register a domain" form (the domain list is in
``domain_list``, a domain's detail page and its actions are in ``domain_actions``). The
form calls the same action as EPP create (``domain_create``) with the acceptance time as the
``dkhm:orderconfirmationToken`` text, so the token rule, the error texts, the pending
application and its poll message are EPP's own. It runs through ``actions_door``, so a
refused registration is audited too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.domain.create import DomainCreate, domain_create
from dkreg.errors import EppError
from dkreg.messages import text as epp_text
from dkreg.model.numbers import bounded_int
from dkreg.model.token import FIELD as TOKEN_FIELD
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.actions_door import field_of, run_action
from dkreg.web.portal.guard import Call, portal_route

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DOMAINS = "/domains"
REGISTER = "/domains/register"
LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
# EPP error field -> the form's field
FIELDS = {"domain:name": "name", "domain:registrant": "registrant", "domain:ns": "ns",
          "domain:hostObj": "ns", "domain:period": "period", TOKEN_FIELD: "accepted_at"}


def local_input(when: datetime) -> str:
    """A UTC moment as a datetime-local value in Copenhagen time."""
    return when.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")


def epoch_of(value: str) -> int | None:
    """A datetime-local value, read as Copenhagen time, in UTC epoch seconds."""
    for fmt in LOCAL_FORMATS:
        try:
            local = datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        return int(local.replace(tzinfo=COPENHAGEN).timestamp())
    return None


def t(call: Call) -> Callable[..., str]:
    return translator(language_of(call.request))


def form_page(call: Call, values: dict[str, str], status_code: int = 200,
              errors: dict[str, str] | None = None) -> Response:
    return call.page("portal/domain_register.html", status_code, values=values,
                     errors=errors or {}, tz="Europe/Copenhagen")


@portal_route("domain_create")
async def register(call: Call) -> Response:
    if call.form is None:
        return form_page(call, {"name": "", "registrant": "", "ns": "", "period": "1",
                                "accepted_at": local_input(call.services.clock.now())})
    f = call.form
    values = {k: str(f.get(k, ""))[:4000] for k in
              ("name", "registrant", "ns", "period", "accepted_at")}
    ns = [line.strip() for line in values["ns"].splitlines() if line.strip()]
    period = bounded_int(values["period"].strip(), 3)
    errors: dict[str, str] = {}
    if period is None:
        errors["period"] = t(call)("register.invalid_period")
    epoch = epoch_of(values["accepted_at"])
    if epoch is None:
        errors["accepted_at"] = t(call)("register.invalid_accepted_at")
    if errors or epoch is None:
        return form_page(call, values, 400, errors)
    cmd = DomainCreate(name=values["name"].strip(), registrant=values["registrant"],
                       ns=ns, period=period, token=str(epoch))
    try:
        result = await run_action(
            call, "domain_create", "domain:create", cmd.name,
            f"name={cmd.name} registrant={cmd.registrant} ns={','.join(ns)} "
            f"period={cmd.period} token={epoch}",
            lambda ctx: domain_create(ctx, cmd), code=1001)
    except EppError as e:
        field, message = field_of(e, FIELDS, "form", call)
        return form_page(call, values, 400, {field: message})
    call.services.lifecycle_wakeup.set()  # as EPP create does: process the application
    return call.page("portal/domain_registered.html", result=result,
                     epp_text=epp_text("pending"),
                     accepted_at=datetime.fromtimestamp(epoch, COPENHAGEN))


ROUTES: list[Route] = [
    Route(REGISTER, register, methods=["GET", "POST"]),
]

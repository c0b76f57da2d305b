"""A domain's detail page in the portal, with its history and the forms that act on it.

Every form posts to ``/portal/domains/{name}/{action}`` and calls the action EPP calls
for the same command — renew, delete, restore, and update domain for name servers, DS
records, transfer tokens and a change of registrant — through ``actions_door``, so the
rules, the result code and text, any pending outcome and its poll message are EPP's
own, and the audit event is written with the change. The answer is the detail page
again: with EPP's result on success, or with EPP's message at the form field (HTTP 400)
when the action refused and nothing was written. A domain outside the registrar's
portfolio is 404 for pages and actions alike.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.domain.delete import DomainDelete, domain_delete
from dkreg.actions.domain.history import domain_history
from dkreg.actions.domain.info import domain_info
from dkreg.actions.domain.renew import DomainRenew, domain_renew, local_date
from dkreg.actions.domain.restore import DomainRestore, RestoreReport, domain_restore
from dkreg.actions.domain.update import DomainUpdate, DsUpdate, domain_update
from dkreg.actions.portal.portfolio_objects import portfolio_domain
from dkreg.errors import EppError
from dkreg.messages import text as epp_text
from dkreg.model.numbers import bounded_int
from dkreg.model.token import FIELD as TOKEN_FIELD
from dkreg.store.context import Ctx
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.actions_door import Outcome, field_of, run_action
from dkreg.web.portal.guard import Call, portal_route
from dkreg.web.portal.portfolio import DOMAINS, epoch_of, local_input

FORM_FIELDS = ("renew_period", "del_date", "restore_reason", "ns", "key_tag", "alg",
               "digest_type", "digest", "new_registrant", "accepted_at")
DS_FIELDS = {"secDNS:keyTag": "key_tag", "secDNS:alg": "alg",
             "secDNS:digestType": "digest_type", "secDNS:digest": "digest"}
NS_FIELDS = {"domain:ns": "ns", "domain:hostObj": "ns", "domain:add/hostObj": "ns",
             "domain:rem/hostObj": "ns"}
OK = Outcome(1000, epp_text("ok"))


class FormError(Exception):
    """A value the form could not turn into a command (never reaches the action)."""

    def __init__(self, field: str, key: str) -> None:
        super().__init__(field, key)
        self.field, self.key = field, key


@dataclass
class Plan:
    """One form's command: EPP's command name, what the audit records, how to run it,
    and which EPP fields are which form fields (the rest go to the form's own slot)."""

    command: str
    request: str
    run: Callable[[Ctx], Awaitable[Outcome]]
    fields: dict[str, str] = field(default_factory=dict)
    slot: str | None = None  # the form's own error slot; default: the action's name


def _years(values: dict[str, str]) -> int:
    years = bounded_int(values["renew_period"].strip(), 3)
    if years is None:
        raise FormError("renew_period", "register.invalid_period")
    return years


def _day(raw: str, field_name: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise FormError(field_name, "domain.invalid_date") from None


def renew(name: str, values: dict[str, str]) -> Plan:
    years, cur = _years(values), _day(values["cur_exp_date"], "cur_exp_date")

    async def run(ctx: Ctx) -> Outcome:
        await domain_renew(ctx, DomainRenew(name=name, cur_exp_date=cur, period=years))
        return OK

    return Plan("domain:renew", f"name={name} curExpDate={cur} period={years}", run,
                {"domain:curExpDate": "cur_exp_date", "domain:period": "renew_period"})


def delete(name: str, values: dict[str, str]) -> Plan:
    raw = values["del_date"].strip()
    day = _day(raw, "del_date") if raw else None

    async def run(ctx: Ctx) -> Outcome:
        await domain_delete(ctx, DomainDelete(name=name, del_date=day))
        return Outcome(1001, epp_text("pending"))

    return Plan("domain:delete", f"name={name} delDate={day or ''}", run,
                {"dkhm:delDate": "del_date"})


def restore(name: str, values: dict[str, str]) -> Plan:
    reason = values["restore_reason"].strip()[:1000]

    async def run(ctx: Ctx) -> Outcome:
        report = RestoreReport(del_time=ctx.now, res_time=ctx.now, res_reason=reason,
                               other="restored in the registrar portal")
        await domain_restore(ctx, DomainRestore(name=name, report=report))
        return OK

    return Plan("domain:update", f"name={name} rgp:restore op=report resReason={reason}", run)


def _update(name: str, request: str, cmd: DomainUpdate, fields: dict[str, str] | None = None,
            slot: str | None = None) -> Plan:
    async def run(ctx: Ctx) -> Outcome:
        result = await domain_update(ctx, cmd)
        return Outcome(1001, epp_text("update_registrant_pending")) if result.pending else OK

    return Plan("domain:update", f"name={name} {request}", run, fields or {}, slot)


def change_ns(name: str, values: dict[str, str]) -> Plan:
    wanted: list[str] = []
    for line in values["ns"].splitlines():
        host = line.strip().lower().rstrip(".")
        if host and host not in wanted:
            wanted.append(host)

    async def run(ctx: Ctx) -> Outcome:
        current = (await domain_info(ctx, name)).ns
        cmd = DomainUpdate(name=name, add_ns=[h for h in wanted if h not in current],
                           rem_ns=[h for h in current if h not in wanted], containers=True)
        await domain_update(ctx, cmd)
        return OK

    return Plan("domain:update", f"name={name} ns={','.join(wanted)}", run, NS_FIELDS)


def _ds(values: dict[str, str], prefix: str = "") -> tuple[str, str, str, str]:
    return tuple(values.get(prefix + k, "").strip()[:1000]  # type: ignore[return-value]
                 for k in ("key_tag", "alg", "digest_type", "digest"))


def ds_add(name: str, values: dict[str, str]) -> Plan:
    ds = _ds(values)
    return _update(name, f"secDNS:add {' '.join(ds)}", DomainUpdate(
        name=name, ds=DsUpdate(add=[ds]), containers=True), DS_FIELDS, "ds")


def ds_rem(name: str, values: dict[str, str]) -> Plan:
    ds = _ds(values, "rem_")
    return _update(name, f"secDNS:rem {' '.join(ds)}", DomainUpdate(
        name=name, ds=DsUpdate(rem=[ds]), containers=True), slot="ds")


def ds_rem_all(name: str, _values: dict[str, str]) -> Plan:
    return _update(name, "secDNS:rem all", DomainUpdate(
        name=name, ds=DsUpdate(rem_all=True), containers=True), slot="ds")


def token(name: str, _values: dict[str, str]) -> Plan:
    return _update(name, "authInfo pw=auto", DomainUpdate(name=name, auth_pw="auto"))


def retract(name: str, _values: dict[str, str]) -> Plan:
    return _update(name, "authInfo null", DomainUpdate(name=name, auth_null=True))


def registrant(name: str, values: dict[str, str]) -> Plan:
    epoch = epoch_of(values["accepted_at"])
    if epoch is None:
        raise FormError("accepted_at", "register.invalid_accepted_at")
    handle = values["new_registrant"].strip()
    return _update(name, f"registrant={handle} token={epoch}", DomainUpdate(
        name=name, registrant=handle, token=str(epoch)),
        {"domain:registrant": "new_registrant", TOKEN_FIELD: "accepted_at"}, "new_registrant")


ACTIONS: dict[str, Callable[[str, dict[str, str]], Plan]] = {
    "renew": renew, "delete": delete, "restore": restore, "ns": change_ns,
    "ds-add": ds_add, "ds-remove": ds_rem, "ds-remove-all": ds_rem_all,
    "token": token, "retract": retract, "registrant": registrant,
}


async def detail_page(call: Call, name: str, status_code: int = 200, *,
                      values: dict[str, str] | None = None,
                      errors: dict[str, str] | None = None,
                      outcome: Outcome | None = None) -> Response:
    raw = call.request.query_params.get("history", "1")
    async with call.tx() as ctx:
        mine = await portfolio_domain(ctx, call.user, name)
        if mine is None:
            return call.page("portal/domain.html", 404, info=None, domain=name)
        info = await domain_info(ctx, mine.uname)
        history = await domain_history(ctx, call.user, mine.uname,
                                       bounded_int(raw, 8) or 1)
    shown = {k: "" for k in FORM_FIELDS} | {
        "renew_period": "1", "ns": "\n".join(info.ns),
        "accepted_at": local_input(call.services.clock.now())} | (values or {})
    return call.page("portal/domain.html", status_code, info=info, domain=info.name,
                     history=history, values=shown, errors=errors or {},
                     outcome=outcome, in_redemption=mine.in_redemption,
                     cur_exp_date=local_date(info.ex_date) if info.ex_date else "")


@portal_route("domains")
async def domain_detail(call: Call) -> Response:
    return await detail_page(call, call.request.path_params["name"])


@portal_route("domain_change")
async def domain_action(call: Call) -> Response:
    name, action = call.request.path_params["name"], call.request.path_params["action"]
    planner = ACTIONS.get(action)
    async with call.tx() as ctx:
        mine = await portfolio_domain(ctx, call.user, name)
    if planner is None or mine is None or call.form is None:
        return call.page("portal/domain.html", 404, info=None, domain=name)
    values = {k: str(call.form.get(k, ""))[:4000] for k in
              (*FORM_FIELDS, "cur_exp_date", "rem_key_tag", "rem_alg",
               "rem_digest_type", "rem_digest")}
    try:
        plan = planner(mine.uname, values)
    except FormError as e:
        t = translator(language_of(call.request))
        return await detail_page(call, name, 400, values=values, errors={e.field: t(e.key)})
    try:
        outcome = await run_action(call, "domain_change", plan.command, mine.uname,
                                   plan.request, plan.run, code=lambda o: o.code)
    except EppError as e:
        slot, message = field_of(e, plan.fields, plan.slot or action, call)
        return await detail_page(call, name, 400, values=values, errors={slot: message})
    return await detail_page(call, name, outcome=outcome)


ROUTES: list[Route] = [
    Route(DOMAINS + "/{name:str}", domain_detail, methods=["GET"]),
    Route(DOMAINS + "/{name:str}/{action:str}", domain_action, methods=["POST"]),
]

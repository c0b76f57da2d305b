"""A domain's detail page in the portal, with its history and the forms that act on it.

Every form posts to ``/portal/domains/{name}/{action}`` and calls the action EPP calls
for the same command — renew, delete, restore, and update domain for name servers, DS
records, transfer codes and a change of registrant — through ``actions_door``, so the
rules, the result code, any pending outcome and its poll message are EPP's own, and the
audit event is written with the change (``domain_plans`` says what each form runs).

Post/Redirect/Get: a change that went through answers 303 to the domain's page with a
summary of what the action did (``flash``), so a reload shows the page again and never
repeats the change. A refusal answers the page itself with HTTP 400, the form re-filled,
EPP's message at the field and every error in the summary at the top; nothing was
written. Delete and restore ask first (``domain_confirm``). A domain outside the
registrar's portfolio is 404 for pages and actions alike.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.domain.history import domain_history
from dkreg.actions.domain.info import domain_info
from dkreg.actions.domain.renew import local_date
from dkreg.actions.domain.restore import restore_price
from dkreg.actions.portal.dns_check_view import domain_dns_check
from dkreg.actions.portal.portfolio_objects import PortfolioDomain, portfolio_domain
from dkreg.errors import EppError
from dkreg.model.dnssec import (
    ALGORITHM_NAMES,
    DEPRECATED_ALGORITHMS,
    DEPRECATED_DIGESTS,
    DIGEST_NAMES,
)
from dkreg.model.ds_from_dnskey import DIGESTS
from dkreg.model.names import parse_domain_name
from dkreg.model.numbers import bounded_int
from dkreg.web import flash
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.actions_door import field_of, run_action
from dkreg.web.portal.domain_confirm import ASKS_FIRST, confirmation
from dkreg.web.portal.domain_plans import ACTIONS, FORM_FIELDS, Done, Form, FormError
from dkreg.web.portal.guard import Call, portal_route
from dkreg.web.portal.portfolio import DOMAINS, local_input

# the form's own error slots (not a field): where the summary's link for each one goes
SLOTS = ("renew", "cur_exp_date", "delete", "restore", "ds", "token", "retract")


def page_url(name: str) -> str:
    return "/portal" + DOMAINS + "/" + quote(name, safe="")


def named_choices(names: dict[int, str], deprecated: frozenset[int], word: str,
                  only: tuple[int, ...] = ()) -> list[tuple[str, str]]:
    """(value, "13 — ECDSA P-256/SHA-256") pairs for a select, the advised-against marked."""
    return [(str(n), f"{n} — {label}" + (f" ({word})" if n in deprecated else ""))
            for n, label in sorted(names.items()) if not only or n in only]


async def detail_page(call: Call, name: str, status_code: int = 200, *,
                      values: dict[str, str] | None = None,
                      errors: dict[str, str] | None = None) -> Response:
    raw = call.request.query_params.get("history", "1")
    async with call.tx() as ctx:
        mine = await portfolio_domain(ctx, call.user, name)
        if mine is None:
            return call.page("portal/domain.html", 404, info=None, domain=name)
        info = await domain_info(ctx, mine.uname)
        history = await domain_history(ctx, call.user, mine.uname,
                                       bounded_int(raw, 8) or 1)
        dns_check = await domain_dns_check(ctx, mine.id)
    lang = language_of(call.request)
    t = translator(lang)
    settings = call.services.settings
    shown = {k: "" for k in FORM_FIELDS} | {
        "renew_period": "1", "ns": "\n".join(info.ns), "alg": "13", "digest_type": "2",
        "dnskey_digest": "2", "accepted_at": local_input(call.services.clock.now())} | (
        values or {})
    word = t("dompage.ds.deprecated")
    return call.page(
        "portal/domain.html", status_code, info=info, domain=info.name, history=history,
        dns_check=dns_check, values=shown, errors=errors or {}, slots=SLOTS,
        in_redemption=mine.in_redemption, base=page_url(info.name),
        cur_exp_date=local_date(info.ex_date).isoformat() if info.ex_date else "",
        alg_names=ALGORITHM_NAMES, digest_names=DIGEST_NAMES,
        alg_choices=named_choices(ALGORITHM_NAMES, DEPRECATED_ALGORITHMS, word),
        digest_choices=named_choices(DIGEST_NAMES, DEPRECATED_DIGESTS, word),
        dnskey_digest_choices=named_choices(DIGEST_NAMES, frozenset(), word,
                                            tuple(DIGESTS)),
        renew_price=settings.domain_price_ore, restore_price=restore_price(settings))


async def confirm_page(call: Call, mine: PortfolioDomain, action: str,
                       values: dict[str, str]) -> Response:
    """The confirmation of delete or restore (nothing runs); 400 with the field error on
    the domain's page when a value could not be taken."""
    lang = language_of(call.request)
    async with call.tx() as ctx:
        info = await domain_info(ctx, mine.uname)
    try:
        asked = confirmation(action, info.name, values, call.services.settings,
                             info.ex_date, call.services.clock.now(), lang)
    except FormError as e:
        t = translator(lang)
        return await detail_page(call, mine.uname, 400, values=values,
                                 errors={e.field: t(e.key, **e.params)})
    return call.page("portal/domain_confirm.html", info=info, domain=info.name,
                     base=page_url(info.name), confirm=asked)


@portal_route("domains")
async def domain_detail(call: Call) -> Response:
    name = call.request.path_params["name"]
    asked = call.request.query_params.get("confirm", "")
    if asked in ASKS_FIRST and call.user.may("domain_change"):
        async with call.tx() as ctx:
            mine = await portfolio_domain(ctx, call.user, name)
        if mine is not None:
            query = call.request.query_params
            values = {k: str(query.get(k, ""))[:4000] for k in FORM_FIELDS}
            return await confirm_page(call, mine, asked, values)
    return await detail_page(call, name)


@portal_route("domain_change")
async def domain_action(call: Call) -> Response:
    name, action = call.request.path_params["name"], call.request.path_params["action"]
    planner = ACTIONS.get(action)
    async with call.tx() as ctx:
        mine = await portfolio_domain(ctx, call.user, name)
    if planner is None or mine is None or call.form is None:
        return call.page("portal/domain.html", 404, info=None, domain=name)
    values = {k: str(call.form.get(k, ""))[:4000] for k in FORM_FIELDS}
    lang = language_of(call.request)
    if action in ASKS_FIRST and values["confirmed"] != "1":
        return await confirm_page(call, mine, action, values)
    form = Form(mine.uname, parse_domain_name(mine.uname).alabel, values, lang)
    try:
        plan = planner(form)
    except FormError as e:
        t = translator(lang)
        return await detail_page(call, name, 400, values=values,
                                 errors={e.field: t(e.key, **e.params)})
    try:
        result: Done = await run_action(call, "domain_change", plan.command, mine.uname,
                                        plan.request, plan.run, code=lambda d: d.code)
    except EppError as e:
        slot, message = field_of(e, plan.fields, plan.slot or action, call)
        return await detail_page(call, name, 400, values=values, errors={slot: message})
    return flash.redirect(call.request, page_url(mine.uname), result.flash)


ROUTES: list[Route] = [
    Route(DOMAINS + "/{name:str}", domain_detail, methods=["GET"]),
    Route(DOMAINS + "/{name:str}/{action:str}", domain_action, methods=["POST"]),
]

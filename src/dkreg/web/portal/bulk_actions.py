"""Bulk renew and bulk name-server change on the domains ticked in the portal's list.

Each ticked domain is its own command through ``actions_door``: the same ``domain_renew``
or ``domain_update`` EPP runs, in its own transaction with its own audit event, so one
refused domain (not renewable, not ours, a name server that does not exist) is a row
with EPP's code and reason in the result and never stops the others. A renew sends the
expiry date the list showed as curExpDate, so the same form sent twice renews once.

The answer is Post/Redirect/Get: the rows are stored server-side (``portal_bulk_results``:
a hundred rows do not fit in the flash cookie) under a random id that only this portal
user can read, and the POST redirects to ``/portal/domains/bulk/{id}`` with a flash
summary; a reload shows the result again and never repeats the commands. At most
``MAX_DOMAINS`` domains at a time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from urllib.parse import parse_qsl

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.domain.renew import DomainRenew, DomainRenewResult, domain_renew, local_date
from dkreg.actions.domain.update import DomainUpdateResult
from dkreg.actions.portal.bulk import (
    MAX_DOMAINS,
    BulkRow,
    bulk_result,
    name_server_set,
    replace_name_servers,
    save_bulk_result,
)
from dkreg.errors import EppError
from dkreg.messages import render_for
from dkreg.model.numbers import bounded_int
from dkreg.store.context import Ctx
from dkreg.web import flash
from dkreg.web.i18n import LANGUAGES
from dkreg.web.portal.actions_door import run_action
from dkreg.web.portal.domain_list import DOMAINS, list_page, t
from dkreg.web.portal.guard import Call, portal_route

BULK = DOMAINS + "/bulk"


def selected(values: list[str]) -> list[tuple[str, date | None]]:
    """The ticked rows as (domain, expiry the list showed), each domain once."""
    out: dict[str, date | None] = {}
    for value in values:
        name, _, day = value.strip()[:300].partition(" ")
        if not name or name in out:
            continue
        try:
            out[name] = date.fromisoformat(day.strip()) if day.strip() else None
        except ValueError:
            out[name] = None
    return list(out.items())


def refused(name: str, e: EppError) -> BulkRow:
    return BulkRow(name, e.code, False,
                   error={lang: render_for(e, lang) for lang in LANGUAGES})


async def renew_one(call: Call, name: str, shown: date | None, years: int) -> BulkRow:
    # a row the list showed without an expiry (an application) is refused by renew
    # itself for what it is, before the date is compared
    cur = shown or date.min

    async def run(ctx: Ctx) -> DomainRenewResult:
        return await domain_renew(ctx, DomainRenew(name=name, cur_exp_date=cur, period=years))

    try:
        result = await run_action(call, "domain_change", "domain:renew", name,
                                  f"name={name} curExpDate={cur} period={years}", run)
    except EppError as e:
        return refused(name, e)
    return BulkRow(result.name, 1000, True, expires=local_date(result.ex_date).isoformat())


async def ns_one(call: Call, name: str, wanted: list[str]) -> BulkRow:
    async def run(ctx: Ctx) -> DomainUpdateResult:
        return await replace_name_servers(ctx, name, wanted)

    try:
        result = await run_action(call, "domain_change", "domain:update", name,
                                  f"name={name} ns={','.join(wanted)}", run,
                                  code=lambda r: 1001 if r.pending else 1000)
    except EppError as e:
        return refused(name, e)
    return BulkRow(result.name, 1001 if result.pending else 1000, True, ns=wanted)


@portal_route("domain_change")
async def bulk_post(call: Call) -> Response:
    f = call.form
    assert f is not None  # a POST route
    tr = t(call)
    back = dict(parse_qsl(str(f.get("back", ""))[:2000]))
    action = str(f.get("action", ""))
    picks = selected([str(v) for v in f.getlist("domain")])
    period, ns = str(f.get("bulk_period", "1"))[:8], str(f.get("bulk_ns", ""))[:4000]
    values = {"period": period, "ns": ns, "selected": [n for n, _ in picks]}
    errors: dict[str, str] = {}
    if not picks:
        errors["selection"] = tr("dlist.bulk.none_selected")
    elif len(picks) > MAX_DOMAINS:
        errors["selection"] = tr("dlist.bulk.too_many", max=MAX_DOMAINS, count=len(picks))
    years = bounded_int(period.strip(), 3)
    wanted = name_server_set(ns)
    if action == "renew" and years is None:
        errors["bulk_period"] = tr("register.invalid_period")
    if action == "ns" and not wanted:
        errors["bulk_ns"] = tr("dlist.bulk.no_ns")
    if action not in ("renew", "ns"):
        errors["selection"] = tr("dlist.bulk.no_action")
    if errors:
        return await list_page(call, back, 400, errors=errors, bulk=values)

    one: Callable[[str, date | None], Awaitable[BulkRow]]
    if action == "renew":
        def one(name: str, shown: date | None) -> Awaitable[BulkRow]:
            return renew_one(call, name, shown, years or 1)
    else:
        def one(name: str, shown: date | None) -> Awaitable[BulkRow]:
            return ns_one(call, name, wanted)
    rows = [await one(name, shown) for name, shown in picks]  # one after the other, as EPP
    async with call.tx() as ctx:
        bulk_id = await save_bulk_result(ctx, call.user, action, rows)
    done = sum(1 for r in rows if r.ok)
    summary = flash.Flash(f"dlist.bulk.flash.{action}",
                          {"done": str(done), "failed": str(len(rows) - done),
                           "count": str(len(rows))},
                          "success" if done == len(rows) else "warning")
    return flash.redirect(call.request, f"/portal{BULK}/{bulk_id}", summary)


@portal_route("domain_change")
async def bulk_page(call: Call) -> Response:
    async with call.tx() as ctx:
        result = await bulk_result(ctx, call.user, call.request.path_params["id"])
    return call.page("portal/domains_bulk.html", 200 if result else 404, result=result)


ROUTES: list[Route] = [
    Route(BULK, bulk_post, methods=["POST"]),
    Route(BULK + "/{id:str}", bulk_page, methods=["GET"]),
]

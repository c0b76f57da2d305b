"""The prepaid account pages: balance and ledger, sandbox top-up, monthly statement (CSV),
and the price list.

All three groups may read the account; Administration and Accounting may top it up.
The statement is a download of one Copenhagen calendar month, opening and closing
balance included, for the registrar's bookkeeping. The price list is for every portal
user: what each command will debit is no secret, and knowing it before ordering is the
point.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from dkreg import runner
from dkreg.actions.balance.prices import price_list
from dkreg.actions.balance.statement import (
    account_statement,
    monthly_statement,
    statement_csv,
    statement_months,
)
from dkreg.actions.balance.topup import parse_amount, sandbox_topup
from dkreg.billing.invoices import VAT_RATE_PERCENT
from dkreg.errors import EppError
from dkreg.model.money import format_amount
from dkreg.model.numbers import bounded_int
from dkreg.store.schema import registrars
from dkreg.web import flash
from dkreg.web.error_text import error_text
from dkreg.web.i18n import language_of
from dkreg.web.portal.guard import Call, portal_route

ACCOUNT = "/account"
PRICES = "/prices"


async def account_page(call: Call, status_code: int = 200,
                       errors: dict[str, str] | None = None, amount: str = "") -> Response:
    raw = call.request.query_params.get("page", "1")
    page = bounded_int(raw, 8) or 1
    async with call.tx() as ctx:
        statement = await account_statement(ctx, call.user, page)
        created = (await ctx.conn.execute(
            select(registrars.c.created_at)
            .where(registrars.c.id == call.user.registrar_id))).scalar_one()
    months = statement_months(created, call.services.clock.now())
    return call.page("portal/account.html", status_code, statement=statement,
                     month_options=[(m, m) for m in months],
                     sandbox=call.services.settings.sandbox, errors=errors or {},
                     amount=amount, topup_key=secrets.token_urlsafe(24))


@portal_route("account_view")
async def account(call: Call) -> Response:
    return await account_page(call)


@portal_route("account_topup")
async def topup(call: Call) -> Response:
    assert call.form is not None
    amount = str(call.form.get("amount", ""))[:64]
    key = str(call.form.get("key", ""))[:128]
    try:
        new_balance = await runner.run(
            call.services, "portal", "account:topup",
            lambda ctx: sandbox_topup(ctx, call.user, amount, key),
            actor=call.user.actor(), who=call.user.email, client_ip=call.ip,
            obj=call.user.registrar_handle, request=f"amount={amount}")
    except EppError as e:
        # in production the form is not on the page: the refusal is the section's
        field = e.field if e.field == "amount" and call.services.settings.sandbox else "topup"
        return await account_page(call, 400, {field: error_text(e, call.request)}, amount)
    lang = language_of(call.request)
    return flash.redirect(call.request, "/portal" + ACCOUNT, flash.Flash(
        "account.topup.done", {"amount": format_amount(parse_amount(amount), lang),
                               "balance": format_amount(new_balance, lang)}))


@portal_route("account_view")
async def statement(call: Call) -> Response:
    month = call.request.query_params.get("month", "")[:16]
    try:
        async with call.tx() as ctx:
            result = await monthly_statement(ctx, call.user, month)
    except EppError as e:
        return await account_page(call, 400, {"month": error_text(e, call.request)})
    name = f"dkreg-statement-{result.registrar_handle}-{result.month}.csv"
    return Response(statement_csv(result), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store",
                             "X-Content-Type-Options": "nosniff"})


@portal_route(None)
async def prices(call: Call) -> Response:
    """What each command costs, from the settings the commands debit by."""
    return call.page("portal/prices.html", prices=price_list(call.services.settings),
                     vat_percent=VAT_RATE_PERCENT)


ROUTES: list[Route] = [
    Route(PRICES, prices, methods=["GET"]),
    Route(ACCOUNT, account, methods=["GET"]),
    Route(ACCOUNT + "/topup", topup, methods=["POST"]),
    Route(ACCOUNT + "/statement", statement, methods=["GET"]),
]

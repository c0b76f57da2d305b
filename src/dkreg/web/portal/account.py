"""The prepaid account pages: balance and ledger, sandbox top-up, monthly statement (CSV).

All three groups may read the account; Administration and Accounting may top it up.
The statement is a download of one Copenhagen calendar month, opening and closing
balance included, for the registrar's bookkeeping.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg import runner
from dkreg.actions.balance.statement import (
    account_statement,
    monthly_statement,
    statement_csv,
    statement_months,
)
from dkreg.actions.balance.topup import sandbox_topup
from dkreg.errors import EppError
from dkreg.model.numbers import bounded_int
from dkreg.store.schema import registrars
from dkreg.web.error_text import error_text
from dkreg.web.portal.guard import Call, portal_route

ACCOUNT = "/account"


async def account_page(call: Call, status_code: int = 200,
                       errors: dict[str, str] | None = None, amount: str = "",
                       notice: str | None = None) -> Response:
    raw = call.request.query_params.get("page", "1")
    page = bounded_int(raw, 8) or 1
    async with call.tx() as ctx:
        statement = await account_statement(ctx, call.user, page)
        created = (await ctx.conn.execute(
            select(registrars.c.created_at)
            .where(registrars.c.id == call.user.registrar_id))).scalar_one()
    return call.page("portal/account.html", status_code, statement=statement,
                     months=statement_months(created, call.services.clock.now()),
                     sandbox=call.services.settings.sandbox, errors=errors or {},
                     amount=amount, topup_key=secrets.token_urlsafe(24), notice=notice)


@portal_route("account_view")
async def account(call: Call) -> Response:
    notice = "topped_up" if call.request.query_params.get("topped_up") == "1" else None
    return await account_page(call, notice=notice)


@portal_route("account_topup")
async def topup(call: Call) -> Response:
    assert call.form is not None
    amount = str(call.form.get("amount", ""))[:64]
    key = str(call.form.get("key", ""))[:128]
    try:
        await runner.run(call.services, "portal", "account:topup",
                         lambda ctx: sandbox_topup(ctx, call.user, amount, key),
                         actor=call.user.actor(), who=call.user.email, client_ip=call.ip,
                         obj=call.user.registrar_handle, request=f"amount={amount}")
    except EppError as e:
        return await account_page(call, 400, {e.field or "amount": error_text(e, call.request)},
                                  amount)
    return RedirectResponse("/portal/account?topped_up=1", 303)


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


ROUTES: list[Route] = [
    Route(ACCOUNT, account, methods=["GET"]),
    Route(ACCOUNT + "/topup", topup, methods=["POST"]),
    Route(ACCOUNT + "/statement", statement, methods=["GET"]),
]

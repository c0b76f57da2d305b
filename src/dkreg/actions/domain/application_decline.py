"""Flow 2: the registrant declines Punktum dk's terms for a pending application.

Self-service offers "decline" beside "accept" (the CLI ``dkreg application decline`` and
the tests until then). The application ends at once instead of at its deadline: the name
is released, nothing was billed, and the registrar gets the registry's plain "has been
cancelled" outcome. ``cancel_application`` is also the end of an application the
registrant let run out (lifecycle, with the "not accepted in time" text).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from dkreg.actions.domain.application_accept import AcceptResult, waiting_application
from dkreg.actions.poll.queue import enqueue_text, pan_data
from dkreg.store.context import Ctx
from dkreg.store.schema import applications, domains


async def cancel_application(ctx: Ctx, app: Any, uname: str, outcome: str, key: str) -> None:
    """Release the held name, close the application, queue its one outcome message."""
    await ctx.conn.execute(update(domains).where(domains.c.id == app.domain_id).values(
        state="released", statuses="", released_at=ctx.now, updated_at=ctx.now,
        updated_by="DKHM1-DK"))
    await ctx.conn.execute(update(applications).where(applications.c.id == app.id).values(
        state="cancelled", outcome=outcome, processed_at=ctx.now))
    await enqueue_text(ctx, app.registrar_id, key,
                       pan_data(ctx, uname, False, app.cl_trid, app.sv_trid), name=uname)


async def application_decline(ctx: Ctx, tracking_no: str) -> AcceptResult:
    app = await waiting_application(ctx, tracking_no)
    await cancel_application(ctx, app, app.uname, "terms_declined", "create_cancelled")
    return AcceptResult(tracking_no=tracking_no, name=app.uname)

"""Flow 2: the registrant accepts Punktum dk's terms for a pending application.

Self-service calls this when the registrant clicks "accept"; until it exists the CLI
(``dkreg application accept``) and the tests do. Acceptance bills the registrar and
queues the application for processing exactly as a Flow 1 create would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.ledger import debit
from dkreg.store.schema import applications, domains


@dataclass(frozen=True)
class AcceptResult:
    tracking_no: str
    name: str


async def waiting_application(ctx: Ctx, tracking_no: str) -> Any:
    """The application (with its name), locked; 2303 unknown, 2304 already decided."""
    app = (await ctx.conn.execute(ctx.for_update(
        select(applications, domains.c.uname)
        .join(domains, domains.c.id == applications.c.domain_id)
        .where(applications.c.tracking_no == tracking_no.strip())))).first()
    if app is None:
        raise err(2303, "object_not_exist", field="trackingNo",
                  detail=Detail("no_application", tracking_no=tracking_no))
    if app.state != "awaiting_acceptance":
        raise err(2304, "object_status", field="trackingNo",
                  detail=Detail("application_not_waiting_acceptance_state",
                                tracking_no=tracking_no, state=app.state))
    return app


async def application_accept(ctx: Ctx, tracking_no: str) -> AcceptResult:
    app = await waiting_application(ctx, tracking_no)
    if ctx.now >= app.accept_deadline:
        raise err(2304, "object_status", field="trackingNo",
                  detail=Detail("deadline_accepting_terms_passed_at",
                                accept_deadline=app.accept_deadline))
    await ctx.conn.execute(update(applications).where(applications.c.id == app.id).values(
        state="queued", due_at=ctx.now, terms_accepted_at=ctx.now, billed=True))
    await debit(ctx, app.registrar_id, app.price_ore, "domain_create",
                f"{app.uname} {tracking_no}")
    return AcceptResult(tracking_no=tracking_no, name=app.uname)

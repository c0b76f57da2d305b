"""Application processing and the Flow 2 acceptance timeout.

Each step takes a batch of due rows with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL), so
several workers can run at once, and re-checks the row's state so that running a step
twice changes nothing the second time. Exactly one poll message per application.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select, update

from dkreg.actions.application_decline import cancel_application
from dkreg.actions.context import Ctx
from dkreg.actions.poll_queue import enqueue_many, pan_data
from dkreg.clock import add_years, end_of_local_day
from dkreg.model.verification import is_validated
from dkreg.poll_texts import poll_text
from dkreg.store.schema import applications, contacts, domains


def risk_assessment(validated: bool, cc: str) -> str:
    """Colour per SPEC-DIGEST §5.2: BLUE Danish/ID-checked, GREEN foreign no ID check needed,
    YELLOW foreign registrant who must still complete the check."""
    if validated:
        return "BLUE" if cc == "DK" else "GREEN"
    return "BLUE" if cc == "DK" else "YELLOW"


def _pan(name: str, result: bool, app, ctx: Ctx) -> dict:  # type: ignore[no-untyped-def]
    return pan_data(ctx, name, result, app.cl_trid, app.sv_trid)


async def process_due(ctx: Ctx, limit: int = 200) -> int:
    """Decide queued applications whose time has come: one read and three batched
    writes per batch, however many applications it holds."""
    rows = (await ctx.conn.execute(ctx.skip_locked(
        select(applications.c.id, applications.c.domain_id, applications.c.registrar_id,
               applications.c.period_years, applications.c.cl_trid, applications.c.sv_trid,
               domains.c.uname, contacts.c.id_status, contacts.c.cc)
        .join(domains, domains.c.id == applications.c.domain_id)
        .join(contacts, contacts.c.id == domains.c.registrant_id)
        .where(applications.c.state == "queued", applications.c.due_at <= ctx.now)
        .order_by(applications.c.id).limit(limit), of=applications))).all()
    if not rows:
        return 0
    domain_updates, app_updates, messages = [], [], []
    for app in rows:
        validated = is_validated(app.id_status)
        domain_updates.append({
            "b_id": app.domain_id, "b_statuses": "ok" if validated else "serverHold",
            "b_expires": end_of_local_day(add_years(ctx.now, app.period_years))})
        app_updates.append({"b_id": app.id,
                            "b_outcome": "activated" if validated else "awaiting_verification"})
        data = _pan(app.uname, True, app, ctx)
        data["risk_assessment"] = risk_assessment(validated, app.cc)
        kind, msg = poll_text("create_activated" if validated else "create_not_activated",
                              name=app.uname)
        messages.append((app.registrar_id, msg, kind, data))
    await ctx.conn.execute(
        update(domains).where(domains.c.id == bindparam("b_id")).values(
            state="active", statuses=bindparam("b_statuses"), expires_at=bindparam("b_expires"),
            updated_at=ctx.now, updated_by="DKHM1-DK"), domain_updates)
    await ctx.conn.execute(
        update(applications).where(applications.c.id == bindparam("b_id")).values(
            state="done", outcome=bindparam("b_outcome"), processed_at=ctx.now), app_updates)
    await enqueue_many(ctx, messages)
    return len(rows)


async def expire_flow2(ctx: Ctx, limit: int = 200) -> int:
    """Cancel Flow 2 applications whose registrant did not accept in time; release the name."""
    rows = (await ctx.conn.execute(ctx.skip_locked(
        select(applications).where(applications.c.state == "awaiting_acceptance",
                                   applications.c.accept_deadline <= ctx.now)
        .order_by(applications.c.id).limit(limit)))).all()
    for app in rows:
        uname = (await ctx.conn.execute(
            select(domains.c.uname).where(domains.c.id == app.domain_id))).scalar_one()
        await cancel_application(ctx, app, uname, "terms_not_accepted",
                                 "create_cancelled_terms")
    return len(rows)

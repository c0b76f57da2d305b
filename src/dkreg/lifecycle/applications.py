"""Application processing and the Flow 2 acceptance timeout.

Each step takes a batch of due rows with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL), so
several workers can run at once, and re-checks the row's state so that running a step
twice changes nothing the second time. Exactly one poll message per application. The
per-item loop and its failure isolation are ``runner``'s.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, select, update

from dkreg.actions.domain.application_decline import cancel_application
from dkreg.actions.domain.application_dns import reject_for_name_servers, report_unpublished_keys
from dkreg.actions.poll.queue import enqueue_many, pan_data
from dkreg.clock import add_years, end_of_local_day
from dkreg.dns import domain_check
from dkreg.dns.check import DelegationCheck
from dkreg.lifecycle.runner import Run, Step
from dkreg.model.verification import is_validated
from dkreg.poll_texts import poll_text
from dkreg.store.context import Ctx
from dkreg.store.schema import applications, contacts, domains


def risk_assessment(validated: bool, cc: str) -> str:
    """Colour per SPEC-DIGEST §5.2: BLUE Danish/ID-checked, GREEN foreign no ID check needed,
    YELLOW foreign registrant who must still complete the check."""
    if validated:
        return "BLUE" if cc == "DK" else "GREEN"
    return "BLUE" if cc == "DK" else "YELLOW"


def _pan(name: str, result: bool, app: Row[Any], ctx: Ctx) -> dict[str, Any]:
    return pan_data(ctx, name, result, app.cl_trid, app.sv_trid)


def _queued(now: datetime) -> list[Any]:
    return [applications.c.state == "queued", applications.c.due_at <= now]


async def due_applications(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(applications.c.id, applications.c.domain_id, applications.c.registrar_id,
               applications.c.period_years, applications.c.cl_trid, applications.c.sv_trid,
               applications.c.billed, applications.c.price_ore, applications.c.tracking_no,
               domains.c.name, domains.c.uname, contacts.c.id_status, contacts.c.cc)
        .join(domains, domains.c.id == applications.c.domain_id)
        .join(contacts, contacts.c.id == domains.c.registrant_id)
        .where(*_queued(ctx.now), run.ready(applications.c.id))
        .order_by(applications.c.id).limit(limit), of=applications))).all())


async def check_name_servers(ctx: Ctx, rows: list[Any]
                             ) -> tuple[list[Any], dict[int, DelegationCheck]]:
    """The name-server check before activation (``dns.domain_check``): the applications
    that passed and their checks by application id; the others are rejected here. Every
    check is kept; a DS whose key is not served is reported once the domain is active
    (``report_unpublished_keys``)."""
    if not domain_check.enabled(ctx.settings) or not rows:
        return rows, {}
    questions = [await domain_check.question_for(ctx.conn, ctx.settings, app.domain_id,
                                                 app.name) for app in rows]
    checks = await domain_check.ask_all(ctx.settings, questions)
    passed: dict[int, DelegationCheck] = {}
    for app, check in zip(rows, checks, strict=True):
        await domain_check.record(ctx.conn, check, domain_id=app.domain_id, occasion="create",
                                  now=ctx.now, application_id=app.id,
                                  registrar_id=app.registrar_id)
        if check.passed:
            passed[app.id] = check
        else:
            await reject_for_name_servers(ctx, app, check)
    return [app for app in rows if app.id in passed], passed


async def process_due(ctx: Ctx, rows: list[Any]) -> int:
    """Decide queued applications whose time has come: the name-server check, then three
    batched writes per batch, however many applications it holds."""
    total = len(rows)
    rows, checks = await check_name_servers(ctx, rows)
    domain_updates, app_updates, messages = [], [], []
    for app in rows:
        validated = is_validated(app.id_status)
        domain_updates.append({
            "b_id": app.domain_id, "b_statuses": "ok" if validated else "serverHold",
            "b_expires": end_of_local_day(add_years(ctx.now, app.period_years))})
        risk = risk_assessment(validated, app.cc)
        app_updates.append({"b_id": app.id, "b_risk": risk,
                            "b_outcome": "activated" if validated else "awaiting_verification"})
        data = _pan(app.uname, True, app, ctx)
        data["risk_assessment"] = risk
        kind, msg = poll_text("create_activated" if validated else "create_not_activated",
                              name=app.uname)
        messages.append((app.registrar_id, msg, kind, data))
    if not rows:
        return total
    await ctx.conn.execute(
        update(domains).where(domains.c.id == bindparam("b_id")).values(
            state="active", statuses=bindparam("b_statuses"), expires_at=bindparam("b_expires"),
            updated_at=ctx.now, updated_by="DKHM1-DK"), domain_updates)
    await ctx.conn.execute(
        update(applications).where(applications.c.id == bindparam("b_id")).values(
            state="done", outcome=bindparam("b_outcome"), risk_assessment=bindparam("b_risk"),
            processed_at=ctx.now), app_updates)
    if rows:
        await enqueue_many(ctx, messages)
    for app in rows:
        if app.id in checks:
            await report_unpublished_keys(ctx, app.registrar_id, app.uname, checks[app.id])
    return total


async def oldest_application(ctx: Ctx) -> datetime | None:
    return (await ctx.conn.execute(
        select(func.min(applications.c.due_at)).where(*_queued(ctx.now)))).scalar()


def _awaiting(now: datetime) -> list[Any]:
    return [applications.c.state == "awaiting_acceptance", applications.c.accept_deadline <= now]


async def due_flow2(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(applications, domains.c.uname)
        .join(domains, domains.c.id == applications.c.domain_id)
        .where(*_awaiting(ctx.now), run.ready(applications.c.id))
        .order_by(applications.c.id).limit(limit), of=applications))).all())


async def expire_flow2(ctx: Ctx, rows: list[Any]) -> int:
    """Cancel Flow 2 applications whose registrant did not accept in time; release the name."""
    for app in rows:
        await cancel_application(ctx, app, app.uname, "terms_not_accepted",
                                 "create_cancelled_terms")
    return len(rows)


async def oldest_flow2(ctx: Ctx) -> datetime | None:
    return (await ctx.conn.execute(
        select(func.min(applications.c.accept_deadline)).where(*_awaiting(ctx.now)))).scalar()


def _label(row: Any) -> str:
    return f"application {row.id} ({row.uname})"


FLOW2_TIMEOUT = Step("flow2_timeout", due_flow2, expire_flow2, oldest_flow2, _label)
PROCESS_APPLICATIONS = Step("process_applications", due_applications, process_due,
                            oldest_application, _label)

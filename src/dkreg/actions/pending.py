"""Requests that wait for someone else's answer.

A change of registrant waits for the new registrant's acceptance or ID check, a host
waits for the requested name-server administrator (or the registrant of its domain),
a changed e-mail address waits for the new address to confirm it (by the link mailed to
it; self-service shows the wait and lets the contact cancel, not accept). Each is a row in
``pending_requests`` with a deadline. Whoever answers — self-service, the portal, the
sandbox CLI (``dkreg request accept|reject``), the tests — calls :func:`decide`;
lifecycle calls :func:`expire_due` for those nobody answered. The consequence of each
outcome belongs to the action that made the request: ``KINDS`` names the module, which
provides ``async def on_decision(ctx, row, outcome)`` (outcome ``accepted``,
``rejected`` or ``expired``) and queues the poll message.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import pending_requests

# kind -> module with ``on_decision``
KINDS: dict[str, str] = {
    "registrant_change": "dkreg.actions.domain.update_registrant",
    "email_change": "dkreg.actions.contact.email",
    "secondary_email_change": "dkreg.actions.contact.email",
    "host_nsa": "dkreg.actions.host.nsa",
    "host_create": "dkreg.actions.host.nsa",
    "nsu_redelegation": "dkreg.actions.domain.redelegation",
}

OUTCOMES = ("accepted", "rejected", "expired")


@dataclass
class NewRequest:
    kind: str
    registrar_id: int | None
    due_at: datetime | None = None  # default: now + settings.pending_request_days
    domain_id: int | None = None
    host_id: int | None = None
    contact_id: int | None = None
    target: str | None = None
    data: dict[str, Any] | None = None
    token_hash: str | None = None  # SHA-256 of a link that answers it (e-mail changes)
    mail_id: int | None = None  # the outbox mail carrying that link


async def create(ctx: Ctx, new: NewRequest) -> int:
    """Record a request (inside the causing transaction); returns its id."""
    if new.kind not in KINDS:
        raise ValueError(f"unknown pending request kind {new.kind!r}")
    due = new.due_at or ctx.now + timedelta(days=ctx.settings.pending_request_days)
    return (await ctx.conn.execute(insert(pending_requests).values(
        kind=new.kind, registrar_id=new.registrar_id, domain_id=new.domain_id,
        host_id=new.host_id, contact_id=new.contact_id, target=new.target,
        token_hash=new.token_hash, mail_id=new.mail_id,
        data=json.dumps(new.data or {}, default=str), state="pending",
        cl_trid=ctx.cl_trid, sv_trid=ctx.sv_trid, created_at=ctx.now, due_at=due,
    ).returning(pending_requests.c.id))).scalar_one()


async def open_requests(ctx: Ctx, **where: Any) -> list[Any]:
    """Pending rows matching column=value filters (e.g. ``domain_id=…, kind=…``)."""
    conds = [pending_requests.c.state == "pending"]
    conds += [pending_requests.c[k] == v for k, v in where.items()]
    return list((await ctx.conn.execute(
        select(pending_requests).where(*conds).order_by(pending_requests.c.id))).all())


async def decide(ctx: Ctx, request_id: int, outcome: str) -> Any:
    """Answer a request (accepted / rejected); runs the owning action's consequence."""
    if outcome not in ("accepted", "rejected"):
        raise err(2005, "value_syntax", field="outcome",
                  detail=Detail("request_accepted_rejected"))
    row = (await ctx.conn.execute(ctx.for_update(
        select(pending_requests).where(pending_requests.c.id == request_id)))).first()
    if row is None:
        raise err(2303, "object_not_exist", field="request",
                  detail=Detail("no_pending_request", request_id=request_id))
    if row.state != "pending":
        raise err(2304, "object_status", field="request",
                  detail=Detail("request_already", request_id=request_id, state=row.state))
    if ctx.now >= row.due_at:
        raise err(2304, "object_status", field="request",
                  detail=Detail("request_expired_at_utc", request_id=request_id, due_at=row.due_at))
    await _settle(ctx, row, outcome)
    return row


async def expire_due(ctx: Ctx, rows: list[Any]) -> int:
    """Lifecycle step (``lifecycle.requests``): requests nobody answered in time."""
    for row in rows:
        await _settle(ctx, row, "expired")
    return len(rows)


async def _settle(ctx: Ctx, row: Any, outcome: str) -> None:
    # the state check in the WHERE makes a second settlement (another worker) a no-op
    done = await ctx.conn.execute(update(pending_requests).where(
        pending_requests.c.id == row.id, pending_requests.c.state == "pending")
        .values(state=outcome, decided_at=ctx.now))
    if done.rowcount != 1:
        return
    module = importlib.import_module(KINDS[row.kind])
    await module.on_decision(ctx, row, outcome)

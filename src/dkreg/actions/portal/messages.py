"""The registrar's messages in the portal: the poll queue EPP reads, with what a person
needs beside each text — the object it is about, the application's tracking number and
the risk assessment a create result carries — and acknowledging one or all of them.

A message stores its object the way its resData type does (``actions/poll/queue.py``):
``name`` for domains and hosts, ``id`` (panData) or ``handle`` (infData) for contacts.
The tracking number is not in the message: an application's outcome carries the svTRID
of its create, and the application row stores that same svTRID, so it is found there —
for messages queued before this page existed too.

Acknowledging goes through the poll actions (``poll_ack``, ``poll_ack_all``) on the queue
EPP dequeues, and writes one portal audit event per message, as a single ack does, so
the audit trail reads the same whichever button was pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dkreg.actions.poll.poll import PollMessage, poll_ack, poll_ack_all, poll_list, poll_newest
from dkreg.actions.portal.access import PortalUser, require
from dkreg.store.audit import AuditEvent, write
from dkreg.store.context import Ctx
from dkreg.store.schema import applications

AUDIT_COMMAND = "poll_ack"
RISKS = ("BLUE", "GREEN", "YELLOW", "RED", "N/A")  # dkhm:risk_assessment's values


@dataclass(frozen=True)
class MessageView:
    id: int
    q_date: datetime
    msg: str
    kind: str
    domain: str | None = None
    contact: str | None = None
    host: str | None = None
    tracking_no: str | None = None
    risk: str | None = None  # one of RISKS


@dataclass(frozen=True)
class MessageQueue:
    count: int             # all waiting messages
    newest: int | None     # the newest waiting message's id: "acknowledge all" stops there
    messages: list[MessageView]  # the oldest ``limit`` of them


def _object_of(m: PollMessage) -> dict[str, str]:
    kind = m.kind.split(":")[0]
    key = {"domain": "name", "host": "name"}.get(kind) or (
        "id" if m.kind == "contact:panData" else "handle")
    value = m.data.get(key)
    if kind not in ("domain", "contact", "host") or not isinstance(value, str) or not value:
        return {}
    return {kind: value}


async def _tracking_numbers(ctx: Ctx, registrar_id: int, sv_trids: set[str]
                            ) -> dict[str, str]:
    if not sv_trids:
        return {}
    rows = await ctx.conn.execute(
        select(applications.c.sv_trid, applications.c.tracking_no)
        .where(applications.c.registrar_id == registrar_id,
               applications.c.sv_trid.in_(sorted(sv_trids))))
    return {r.sv_trid: r.tracking_no for r in rows if r.tracking_no}


async def message_queue(ctx: Ctx, user: PortalUser, limit: int = 50) -> MessageQueue:
    """The oldest waiting messages of the user's registrar, each with its references."""
    require(user, "poll")
    count, messages = await poll_list(ctx, limit)
    newest = await poll_newest(ctx) if count else None
    trids = {str(m.data["svTRID"]) for m in messages if m.data.get("svTRID")}
    tracking = await _tracking_numbers(ctx, user.registrar_id, trids)
    views = []
    for m in messages:
        risk = m.data.get("risk_assessment")
        views.append(MessageView(
            id=m.id, q_date=m.q_date, msg=m.msg, kind=m.kind, **_object_of(m),
            tracking_no=tracking.get(str(m.data.get("svTRID") or "")),
            risk=risk if risk in RISKS else None))
    return MessageQueue(count, newest, views)


def _event(ctx: Ctx, user: PortalUser, msg_id: int, client_ip: str) -> AuditEvent:
    return AuditEvent(at=ctx.now, door="portal", command=AUDIT_COMMAND, result_code=1000,
                      registrar_id=user.registrar_id, actor=user.email[:255],
                      object=str(msg_id), client_ip=client_ip)


async def ack_message(ctx: Ctx, user: PortalUser, raw_id: str, client_ip: str) -> int:
    """Acknowledge one message (2303 unless it waits in the registrar's queue)."""
    require(user, "poll")
    _left, msg_id = await poll_ack(ctx, raw_id)
    await write(ctx.conn, _event(ctx, user, msg_id, client_ip))
    return msg_id


async def ack_all_messages(ctx: Ctx, user: PortalUser, upto: int, client_ip: str
                           ) -> list[int]:
    """Acknowledge every waiting message up to ``upto``; one audit event each."""
    require(user, "poll")
    acked = await poll_ack_all(ctx, upto)
    await write(ctx.conn, *(_event(ctx, user, i, client_ip) for i in acked))
    return acked

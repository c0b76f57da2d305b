"""poll req/ack on the registrar's message queue (one queue shared by EPP and portal)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.numbers import bounded_int
from dkreg.store.context import Ctx
from dkreg.store.schema import poll_messages


@dataclass(frozen=True)
class PollMessage:
    id: int
    q_date: datetime
    msg: str
    kind: str
    data: dict[str, Any]


def _queue(ctx: Ctx) -> tuple[ColumnElement[bool], ...]:
    return (poll_messages.c.registrar_id == ctx.actor.registrar_id,
            poll_messages.c.acked_at.is_(None))


async def poll_req(ctx: Ctx) -> tuple[int, PollMessage | None]:
    count = (await ctx.conn.execute(
        select(func.count()).select_from(poll_messages).where(*_queue(ctx)))).scalar_one()
    if not count:
        return 0, None
    row = (await ctx.conn.execute(
        select(poll_messages).where(*_queue(ctx)).order_by(poll_messages.c.id).limit(1))).one()
    return count, PollMessage(id=row.id, q_date=row.created_at, msg=row.msg, kind=row.kind,
                              data=json.loads(row.data))


async def poll_ack(ctx: Ctx, raw_id: str) -> tuple[int, int]:
    """Dequeue one message; returns (remaining count, acked id)."""
    msg_id = bounded_int(raw_id.strip())  # wider than an id: no such message, not a 2400
    if msg_id is None:
        raise err(2303, "poll_message_not_found", field="msgID",
                  detail=Detail("no_message_your_queue", raw_id=raw_id[:40]))
    result = await ctx.conn.execute(
        update(poll_messages).where(poll_messages.c.id == msg_id, *_queue(ctx))
        .values(acked_at=ctx.now))
    if result.rowcount != 1:
        raise err(2303, "poll_message_not_found", field="msgID",
                  detail=Detail("message_not_your_queue_unknown", msg_id=msg_id))
    count = (await ctx.conn.execute(
        select(func.count()).select_from(poll_messages).where(*_queue(ctx)))).scalar_one()
    return count, msg_id


async def poll_ack_all(ctx: Ctx, upto: int) -> list[int]:
    """Dequeue every waiting message up to id ``upto``, oldest first; returns their ids.

    ``upto`` is the newest message the reader was shown when they confirmed, so one that
    arrives meanwhile is not acknowledged unseen. One statement whatever the queue's
    length, with the same queue condition as ``poll_ack`` (the actor's own, not yet
    acknowledged): two people acknowledging at once each get only what they dequeued.
    """
    result = await ctx.conn.execute(
        update(poll_messages).where(poll_messages.c.id <= upto, *_queue(ctx))
        .values(acked_at=ctx.now).returning(poll_messages.c.id))
    return sorted(r.id for r in result)


async def poll_newest(ctx: Ctx) -> int | None:
    """The id of the newest waiting message (None: the queue is empty)."""
    return (await ctx.conn.execute(
        select(func.max(poll_messages.c.id)).where(*_queue(ctx)))).scalar()


async def poll_list(ctx: Ctx, limit: int = 50) -> tuple[int, list[PollMessage]]:
    """The oldest waiting messages (the portal's view of the same queue EPP polls)."""
    count = (await ctx.conn.execute(
        select(func.count()).select_from(poll_messages).where(*_queue(ctx)))).scalar_one()
    rows = await ctx.conn.execute(
        select(poll_messages).where(*_queue(ctx)).order_by(poll_messages.c.id).limit(limit))
    return count, [PollMessage(id=r.id, q_date=r.created_at, msg=r.msg, kind=r.kind,
                               data=json.loads(r.data)) for r in rows]

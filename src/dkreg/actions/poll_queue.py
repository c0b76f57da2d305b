"""Queueing poll messages. Callers do it inside the transaction that caused them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert

from dkreg.actions.context import Ctx
from dkreg.store.schema import poll_messages


async def enqueue(ctx: Ctx, registrar_id: int, msg: str, kind: str,
                  data: dict[str, Any]) -> int:
    return (await ctx.conn.execute(insert(poll_messages).values(
        registrar_id=registrar_id, created_at=ctx.now, msg=msg, kind=kind,
        data=json.dumps(data, separators=(",", ":"), default=str),
    ).returning(poll_messages.c.id))).scalar_one()


async def enqueue_many(ctx: Ctx, messages: list[tuple[int, str, str, dict[str, Any]]]) -> None:
    """Queue several (registrar_id, msg, kind, data) messages with one statement."""
    if messages:
        await ctx.conn.execute(insert(poll_messages), [
            {"registrar_id": rid, "created_at": ctx.now, "msg": msg, "kind": kind,
             "data": json.dumps(data, separators=(",", ":"), default=str)}
            for rid, msg, kind, data in messages])

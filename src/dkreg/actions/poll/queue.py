"""Queueing poll messages. Callers do it inside the transaction that caused them.

``data`` conventions, by resData type (``epp/commands/poll/render.py`` renders them):

- ``domain:panData`` / ``host:panData``: ``name``; ``contact:panData``: ``id``; plus
  ``paResult`` ("1"/"0"), ``clTRID``, ``svTRID`` (of the original command) and ``paDate``
  — built by :func:`pan_data`.
- ``domain:infData`` / ``contact:infData`` / ``host:infData``: a snapshot from
  ``actions/poll/snapshots.py`` (the object as it was when the event happened).
- ``domain:trnData``: ``name``, ``trStatus``, ``reID``, ``reDate``, ``acID``, ``acDate``,
  ``exDate`` (optional) — built by :func:`trn_data`.
- any kind may add ``risk_assessment`` (dkhm extension on create results).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from dkreg.clock import epp_time
from dkreg.poll_texts import poll_text
from dkreg.store.context import Ctx
from dkreg.store.schema import poll_messages


async def enqueue(ctx: Ctx, registrar_id: int, msg: str, kind: str,
                  data: dict[str, Any]) -> int:
    return (await ctx.conn.execute(insert(poll_messages).values(
        registrar_id=registrar_id, created_at=ctx.now, msg=msg, kind=kind,
        data=json.dumps(data, separators=(",", ":"), default=str),
    ).returning(poll_messages.c.id))).scalar_one()


async def enqueue_text(ctx: Ctx, registrar_id: int, key: str, data: dict[str, Any],
                       **values: str) -> int:
    """Queue the catalogue message ``key`` (``poll_texts.POLL``) with its resData type."""
    kind, msg = poll_text(key, **values)
    return await enqueue(ctx, registrar_id, msg, kind, data)


async def enqueue_many(ctx: Ctx, messages: list[tuple[int, str, str, dict[str, Any]]]) -> None:
    """Queue several (registrar_id, msg, kind, data) messages with one statement."""
    if messages:
        await ctx.conn.execute(insert(poll_messages), [
            {"registrar_id": rid, "created_at": ctx.now, "msg": msg, "kind": kind,
             "data": json.dumps(data, separators=(",", ":"), default=str)}
            for rid, msg, kind, data in messages])


def pan_data(ctx: Ctx, name: str, result: bool, cl_trid: str | None = None,
             sv_trid: str | None = None, *, contact: bool = False) -> dict[str, Any]:
    """panData for the outcome of an earlier command (its clTRID/svTRID)."""
    return {"id" if contact else "name": name, "paResult": "1" if result else "0",
            "clTRID": cl_trid, "svTRID": sv_trid, "paDate": epp_time(ctx.now)}


def trn_data(name: str, *, status: str, re_id: str, re_date: datetime, ac_id: str,
             ac_date: datetime, ex_date: datetime | None) -> dict[str, Any]:
    data = {"name": name, "trStatus": status, "reID": re_id, "reDate": epp_time(re_date),
            "acID": ac_id, "acDate": epp_time(ac_date)}
    if ex_date is not None:
        data["exDate"] = epp_time(ex_date)
    return data

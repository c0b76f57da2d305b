"""Audit events: every command, with passwords removed from the stored request."""

from __future__ import annotations

import builtins
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.store.schema import audit

if TYPE_CHECKING:
    from dkreg.store.context import Ctx

_SECRETS = re.compile(rb"(<(?:[A-Za-z0-9_-]+:)?(?:pw|newPW)(?:\s[^>]*)?>)(.*?)(</)", re.S)


def scrub(request: bytes | None) -> str | None:
    """Remove password and authInfo values; the structure stays for debugging."""
    if request is None:
        return None
    cleaned = _SECRETS.sub(rb"\1*****\3", request)
    return cleaned.decode("utf-8", "replace")[:65536]


@dataclass
class AuditEvent:
    at: datetime
    door: str
    command: str
    result_code: int
    registrar_id: int | None = None
    actor: str | None = None
    object: str | None = None
    cl_trid: str | None = None
    sv_trid: str | None = None
    client_ip: str | None = None
    request: str | None = None

    def row(self) -> dict[str, builtins.object]:  # ``object`` is a field here
        return dict(at=self.at, door=self.door, command=self.command,
                    result_code=self.result_code, registrar_id=self.registrar_id,
                    actor=self.actor, object=(self.object or "")[:255] or None,
                    cl_trid=self.cl_trid, sv_trid=self.sv_trid, client_ip=self.client_ip,
                    request=self.request)


async def write(conn: AsyncConnection, *events: AuditEvent) -> None:
    if events:
        await conn.execute(insert(audit), [e.row() for e in events])


async def write_facts(ctx: Ctx, command: str, actor: str | None, obj: str | None,
                      result_code: int = 1000, client_ip: str | None = None,
                      **facts: Any) -> None:
    """One audit event of a person's decision in the caller's transaction (door and time
    from ``ctx``); ``facts`` go to ``request`` as JSON (who saw or decided what), never a
    token."""
    await write(ctx.conn, AuditEvent(
        at=ctx.now, door=ctx.door, command=command, result_code=result_code,
        actor=(actor or "")[:255] or None, object=obj, client_ip=client_ip,
        request=json.dumps(facts, sort_keys=True, default=str) if facts else None))

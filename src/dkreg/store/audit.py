"""Audit events: every command, with passwords removed from the stored request."""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.store.schema import audit

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

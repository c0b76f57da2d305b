"""How far the name server is behind the registry: what ``/metrics`` and ``/healthz`` read.

The journal's ``created_ms`` is the database's wall clock at the change (not the registry
clock, which a sandbox can move), so ages are measured against the real time here too.
The publisher keeps what only it knows — the last successful publication, the serial the
server answered with, its counters — and passes itself in; without a publisher (DNS off)
the journal is only counted, never judged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.store import zone_journal


class PublisherState(Protocol):
    """What status reads of a running ``dkreg.dns.publisher.Publisher``."""

    last_success_unix: float | None
    published_total: int
    failures_total: int
    last_serial: int | None
    last_error: str | None


@dataclass(frozen=True)
class ZoneState:
    depth: int  # journal rows waiting
    oldest_age: float  # seconds the oldest waiting change has waited (0: none waits)
    publishing: bool  # a publisher runs in this process
    last_success_unix: float | None = None
    serial: int | None = None
    published_total: int = 0
    failures_total: int = 0
    last_error: str | None = None

    def lag_problem(self, alert_after: float) -> str | None:
        """Why ``/healthz`` is degraded, or None: only a running publisher can lag."""
        if not self.publishing or self.oldest_age <= alert_after:
            return None
        why = f"the oldest unpublished zone change has waited {self.oldest_age:.0f} s"
        return f"{why} (last error: {self.last_error})" if self.last_error else why


async def zone_state(conn: AsyncConnection, publisher: PublisherState | None,
                     now_unix: float | None = None) -> ZoneState:
    depth, oldest_ms = await zone_journal.depth(conn)
    now = time.time() if now_unix is None else now_unix
    age = 0.0 if oldest_ms is None else max(0.0, now - oldest_ms / 1000)
    if publisher is None:
        return ZoneState(depth, age, False)
    return ZoneState(depth, age, True, publisher.last_success_unix, publisher.last_serial,
                     publisher.published_total, publisher.failures_total,
                     publisher.last_error)

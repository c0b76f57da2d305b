"""Bulk work on a registrar's domains from the portal: the name-server change one domain
at a time, and the per-domain results kept for the page after the redirect.

A bulk is many commands, not one: the door runs each domain's renew or update as its own
command (own transaction, own audit event, own result), exactly as a registrar's EPP
client would send them one after the other, so one refused domain leaves the others
done. This module holds what is not a door's business: replacing a domain's name servers
with a given set (EPP has no "set": the update adds the missing hosts and removes the
others, as the portal's single-domain form does), and storing and reading the result
rows (``portal_bulk_results``), which only the portal user who ran the bulk may read.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select

from dkreg.actions.domain.info import domain_info
from dkreg.actions.domain.update import DomainUpdate, DomainUpdateResult, domain_update
from dkreg.actions.portal.access import PortalUser, require
from dkreg.store.context import Ctx
from dkreg.store.schema import portal_bulk_results

MAX_DOMAINS = 100  # per bulk: each is a command, and the answer must come in one page load
KEEP = timedelta(days=1)
KINDS = ("renew", "ns")


def name_server_set(text: str) -> list[str]:
    """The name servers of a text box, one per line: trimmed, lower case, without the
    root dot, each once, in the order given."""
    wanted: list[str] = []
    for line in text.splitlines():
        host = line.strip().lower().rstrip(".")
        if host and host not in wanted:
            wanted.append(host)
    return wanted


async def replace_name_servers(ctx: Ctx, name: str, wanted: list[str]) -> DomainUpdateResult:
    """The domain's name servers become ``wanted``: one update domain command that adds
    the missing and removes the rest, with update's rules and refusals."""
    current = (await domain_info(ctx, name)).ns
    return await domain_update(ctx, DomainUpdate(
        name=name, add_ns=[h for h in wanted if h not in current],
        rem_ns=[h for h in current if h not in wanted], containers=True))


@dataclass(frozen=True)
class BulkRow:
    """One domain's outcome: EPP's result code, and either what changed or why not (the
    refusal's text in both languages, so the page reads in whichever the reader uses)."""

    domain: str
    code: int
    ok: bool
    expires: str | None = None               # renew: the new expiry (ISO date)
    ns: list[str] = field(default_factory=list)  # ns: the new set
    error: dict[str, str] | None = None      # {"da": ..., "en": ...}


@dataclass(frozen=True)
class BulkResult:
    id: str
    kind: str
    rows: list[BulkRow]
    created_at: datetime

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def failed(self) -> int:
        return len(self.rows) - self.done


async def save_bulk_result(ctx: Ctx, user: PortalUser, kind: str, rows: list[BulkRow]) -> str:
    """Store the rows for ``user``; returns the id the result page is read by. Results
    older than ``KEEP`` go at the same time (nobody comes back for them)."""
    require(user, "domain_change")
    if kind not in KINDS:
        raise ValueError(f"unknown bulk kind {kind!r}")
    await ctx.conn.execute(delete(portal_bulk_results)
                           .where(portal_bulk_results.c.created_at < ctx.now - KEEP))
    bulk_id = secrets.token_urlsafe(16)
    await ctx.conn.execute(insert(portal_bulk_results).values(
        id=bulk_id, portal_user_id=user.id, kind=kind, created_at=ctx.now,
        rows=json.dumps([asdict(r) for r in rows], ensure_ascii=False)))
    return bulk_id


def _row(data: dict[str, Any]) -> BulkRow:
    return BulkRow(domain=str(data["domain"]), code=int(data["code"]), ok=bool(data["ok"]),
                   expires=data.get("expires"), ns=list(data.get("ns") or []),
                   error=data.get("error"))


async def bulk_result(ctx: Ctx, user: PortalUser, bulk_id: str) -> BulkResult | None:
    """The stored result if it is ``user``'s own and not yet cleared, else None."""
    require(user, "domain_change")
    row = (await ctx.conn.execute(
        select(portal_bulk_results.c.kind, portal_bulk_results.c.rows,
               portal_bulk_results.c.created_at)
        .where(portal_bulk_results.c.id == bulk_id[:32],
               portal_bulk_results.c.portal_user_id == user.id,
               portal_bulk_results.c.created_at >= ctx.now - KEEP))).first()
    if row is None:
        return None
    return BulkResult(bulk_id, row.kind, [_row(r) for r in json.loads(row.rows)],
                      row.created_at)

"""A domain's history in the registrar portal: the audit events of the domain, from every
door, that the registrar itself caused.

Only the asking registrar's own events are shown: another registrar's commands on the
same name (an earlier sponsor, a transfer request, a refused attempt) are that
registrar's business. Read-only commands (info, check) are left out; they change
nothing and would bury the changes. Events are matched on the object name the doors
record, which is the domain's U-label (EPP and portal alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from dkreg.actions.portal.access import PortalUser, require
from dkreg.store.context import Ctx
from dkreg.store.schema import audit

PAGE_SIZE = 25
READ_ONLY = ("domain:info", "domain:check")


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    door: str
    command: str
    result_code: int
    actor: str | None


@dataclass(frozen=True)
class HistoryPage:
    events: list[HistoryEvent]
    total: int
    page: int
    pages: int


async def domain_history(ctx: Ctx, user: PortalUser, uname: str, page: int = 1
                         ) -> HistoryPage:
    """Newest first, ``PAGE_SIZE`` a page; ``uname`` is the domain's U-label."""
    require(user, "domains")
    where = [audit.c.registrar_id == user.registrar_id, audit.c.object == uname,
             audit.c.command.not_in(READ_ONLY)]
    total = (await ctx.conn.execute(
        select(func.count()).select_from(audit).where(*where))).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = await ctx.conn.execute(
        select(audit.c.at, audit.c.door, audit.c.command, audit.c.result_code, audit.c.actor)
        .where(*where).order_by(audit.c.at.desc(), audit.c.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return HistoryPage([HistoryEvent(r.at, r.door, r.command, r.result_code, r.actor)
                        for r in rows], total, page, pages)

"""Live EPP sessions follow the credentials they logged in with.

A service user disabled in the portal, a password reset, or an address taken off the
registrar's IP allow-list must not leave an already logged-in session working. Once a
``epp_access_check_interval`` each server process reads the state of the users behind
its live sessions in one query and ends those that would no longer be let in.
Checking per command instead would cost every command a query; a second of delay is
the price of keeping commands at one round trip.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from dkreg.actions.account.ip_allow_list import login_refusal
from dkreg.actions.account.registrars import allow_list_column
from dkreg.store.audit import AuditEvent
from dkreg.store.schema import users

if TYPE_CHECKING:
    from dkreg.epp.server import EppServer
    from dkreg.epp.session import Session

log = logging.getLogger("dkreg.epp")


async def revoke_stale_sessions(server: EppServer) -> int:
    """End every live session whose user is disabled, whose password changed after the
    login, or whose address the allow-list no longer admits. Returns how many."""
    live: dict[Session, str] = {
        s: s.actor.login for s in list(server.sessions)
        if s.actor is not None and not s.actor.is_registry and not s.closing}
    if not live:
        return 0
    services = server.services
    async with services.db.read() as conn:
        rows = {r.login: r for r in await conn.execute(
            select(users.c.login, users.c.disabled, users.c.password_changed_at,
                   allow_list_column(services.db.is_sqlite))
            .where(users.c.login.in_(sorted(set(live.values())))))}
    production = not services.settings.sandbox
    ended = 0
    for session, login in live.items():
        row = rows.get(login)
        reason: str | None
        if row is None or row.disabled:
            reason = "the service user is disabled"
        elif (row.password_changed_at is not None and session.login_time is not None
              and row.password_changed_at > session.login_time):
            reason = "the password was changed after this login"
        else:
            reason = login_refusal((row.networks or "").split(), session.client_ip,
                                   production)
        if reason is None:
            continue
        session.revoke(reason)
        ended += 1
        if services.audit is not None:
            actor = session.actor
            services.audit.add(AuditEvent(
                at=services.clock.now(), door="epp", command="session_revoked",
                result_code=2500, registrar_id=actor.registrar_id if actor else None,
                actor=login, object=session.client_ip, client_ip=session.client_ip,
                request=reason))
    return ended


async def watch(server: EppServer) -> None:
    interval = server.services.settings.epp_access_check_interval
    while True:
        await asyncio.sleep(interval)
        try:
            await revoke_stale_sessions(server)
        except Exception:  # the database may be briefly away; try again next round
            log.exception("checking live sessions' access failed")

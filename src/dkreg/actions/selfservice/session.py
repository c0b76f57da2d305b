"""Self-service sessions: who is logged in, as which contacts (handles).

A person proves control of one or more contacts (a handle's password, or a login link
mailed to an address: every non-deleted contact with that address). The session keeps
those contact ids; on every request they are re-read, so a contact deleted meanwhile
drops out and a session left with none ends. The browser holds a random token, the
table only its SHA-256; the CSRF token is bound to the server-side session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, insert, select, update

from dkreg.model.secret_tokens import new_token, token_hash
from dkreg.store.audit import AuditEvent, write
from dkreg.store.context import Actor, Ctx
from dkreg.store.schema import contacts, selfservice_sessions


@dataclass(frozen=True)
class Registrant:
    """Who is logged in to self-service: the contacts (handles) this person may act as."""

    email: str | None  # the address a login link proved (None: password login)
    contact_ids: tuple[int, ...]
    handles: tuple[str, ...]

    def holds(self, handle: str) -> bool:
        return handle.upper() in {h.upper() for h in self.handles}

    def holds_id(self, contact_id: int | None) -> bool:
        return contact_id is not None and contact_id in self.contact_ids

    def name(self) -> str:
        """How the audit names this person: the proved address, else the handles."""
        return (self.email or ",".join(self.handles))[:255]

    def actor(self) -> Actor:
        """The acting party for actions: the registry's self-service door, named by the
        person (actions that need a registrar do not take this actor)."""
        return Actor(registrar_id=None, registrar_handle="DKHM1-DK",
                     login=("self:" + self.name())[:64], roles=frozenset())


@dataclass(frozen=True)
class SelfSession:
    registrant: Registrant
    csrf_token: str


async def selfservice_audit(ctx: Ctx, command: str, registrant_or_actor: str,
                            obj: str | None = None, result_code: int = 1000,
                            client_ip: str | None = None, request: str | None = None) -> None:
    """An audit event of the self-service door, written in the caller's transaction."""
    await write(ctx.conn, AuditEvent(
        at=ctx.now, door="selfservice", command=command, result_code=result_code,
        actor=registrant_or_actor[:255], object=obj, client_ip=client_ip, request=request))


async def live_contacts(ctx: Ctx, contact_ids: list[int] | tuple[int, ...]
                        ) -> list[tuple[int, str]]:
    """(id, handle) of the given contacts that are not deleted, in handle order."""
    if not contact_ids:
        return []
    rows = (await ctx.conn.execute(
        select(contacts.c.id, contacts.c.handle)
        .where(contacts.c.id.in_(list(contact_ids)), contacts.c.deleted_at.is_(None))
        .order_by(contacts.c.handle))).all()
    return [(r.id, r.handle) for r in rows]


async def start_session(ctx: Ctx, contact_ids: list[int], email: str | None,
                        client_ip: str) -> str:
    """A new session holding ``contact_ids``; returns the token for the cookie."""
    token = new_token()
    await ctx.conn.execute(insert(selfservice_sessions).values(
        id_hash=token_hash(token), csrf_token=new_token(), email=email,
        contact_ids=json.dumps(sorted(set(contact_ids))), created_at=ctx.now,
        last_seen_at=ctx.now, client_ip=client_ip[:64]))
    return token


async def selfservice_session(ctx: Ctx, token: str | None) -> SelfSession | None:
    """The live session for a cookie value, touched; None when unknown, idle too long,
    or left without a usable contact."""
    if not token or len(token) > 128:
        return None
    key = token_hash(token)
    row = (await ctx.conn.execute(select(selfservice_sessions)
                                  .where(selfservice_sessions.c.id_hash == key))).first()
    if row is None:
        return None
    idle = timedelta(seconds=ctx.settings.selfservice_session_idle)
    held = [] if ctx.now - row.last_seen_at > idle else await live_contacts(
        ctx, json.loads(row.contact_ids))
    if not held:
        await ctx.conn.execute(delete(selfservice_sessions)
                               .where(selfservice_sessions.c.id_hash == key))
        return None
    await ctx.conn.execute(update(selfservice_sessions)
                           .where(selfservice_sessions.c.id_hash == key)
                           .values(last_seen_at=ctx.now))
    registrant = Registrant(email=row.email, contact_ids=tuple(i for i, _ in held),
                            handles=tuple(h for _, h in held))
    return SelfSession(registrant=registrant, csrf_token=row.csrf_token)


async def end_session(ctx: Ctx, token: str, registrant: Registrant,
                      client_ip: str | None) -> None:
    await ctx.conn.execute(delete(selfservice_sessions)
                           .where(selfservice_sessions.c.id_hash == token_hash(token)))
    await selfservice_audit(ctx, "selfservice_logout", registrant.name(), client_ip=client_ip)

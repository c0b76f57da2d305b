"""Helpers for the identity tests: the real ASGI app (simulators included) reached
over HTTP at the configured public base URL, so the adapters' requests, the browser's
redirects and the mailed links all go to one origin — through httpx's ASGI transport,
the same adapter code path as against a real broker or CVR service."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
from sqlalchemy import select, text

from dkreg.actions.selfservice.session import start_session
from dkreg.store.schema import contacts
from dkreg.web.selfservice.guard import SESSION_COOKIE
from epp.test_contact_update import drain, poll_msg
from support.epp_objects import Agent, unique

__all__ = ["IdWeb", "csrf_of", "drain", "poll_msg", "unique"]


@dataclass
class IdWeb:
    registry: object  # conftest.Registry
    app: object
    base: str
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, ip: str = "192.0.2.20") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(ip, 40000))  # type: ignore[arg-type]
        c = httpx.AsyncClient(transport=transport, base_url=self.base)
        self.clients.append(c)
        return c

    async def contact_row(self, handle: str):  # type: ignore[no-untyped-def]
        async with self.registry.db.read() as conn:  # type: ignore[attr-defined]
            return (await conn.execute(select(contacts).where(contacts.c.handle == handle))
                    ).one()

    async def set_contact(self, handle: str, **values: object) -> None:
        sets = ", ".join(f"{k} = :{k}" for k in values)
        async with self.registry.db.begin() as conn:  # type: ignore[attr-defined]
            await conn.execute(text(f"update contacts set {sets} where handle = :h"),
                               {**values, "h": handle})

    async def registrant(self, handle: str) -> httpx.AsyncClient:
        """A browser logged in to self-service as ``handle`` (through the self-service
        session action, as a login link or password login would leave it)."""
        row = await self.contact_row(handle)
        async with self.registry.db.begin() as conn:  # type: ignore[attr-defined]
            token = await start_session(self.registry.ctx(conn),  # type: ignore[attr-defined]
                                        [row.id], row.email, "192.0.2.20")
        c = self.client()
        c.cookies.set(SESSION_COOKIE, token)
        return c

    async def held(self, agent: Agent, **contact: object) -> tuple[str, str]:
        """An unverified registrant and its domain: registered, not activated."""
        contact.setdefault("email", f"{unique('id')}@example.dk")
        handle = await agent.contact(verified=False, **contact)
        name = f"{unique('idv')}.dk"
        await agent.domain(name, registrant=handle)
        return handle, name

    async def domain_statuses(self, name: str) -> str:
        return str(await self.registry.scalar(  # type: ignore[attr-defined]
            "select statuses from domains where uname = :n", n=name))


def csrf_of(html: str) -> str:
    import re

    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)

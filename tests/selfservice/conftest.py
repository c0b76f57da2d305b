"""Fixtures for registrant self-service: the real ASGI app over the ``registry`` fixture's
database and clock (httpx in-process, both backends), a registrar that creates contacts
and domains over EPP, and logins by password or by a mailed link (real SMTP)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest_asyncio
from sqlalchemy import text

from dkreg.actions.selfservice.login import set_password
from dkreg.actions.selfservice.session import Registrant
from dkreg.app import Running
from dkreg.web.asgi import build_app
from support.epp_objects import Agent, unique

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
SS_PASSWORD = "Selv-Betjening-7"


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


@dataclass
class SelfService:
    registry: object  # conftest.Registry
    app: object
    agent: Agent
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, ip: str = "192.0.2.20", host: str = "testserver",
               scheme: str = "http") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(ip, 40000))  # type: ignore[arg-type]
        c = httpx.AsyncClient(transport=transport, base_url=f"{scheme}://{host}")
        self.clients.append(c)
        return c

    async def contact(self, email: str | None = None, **kw: object) -> str:
        """A new contact (over EPP, by this fixture's registrar); returns its handle."""
        return await self.agent.contact(email=email or f"{unique('person')}@example.dk", **kw)

    async def contact_id(self, handle: str) -> int:
        n = await self.registry.scalar(  # type: ignore[attr-defined]
            "select id from contacts where handle = :h", h=handle)
        assert isinstance(n, int)
        return n

    async def give_password(self, handle: str, password: str = SS_PASSWORD) -> None:
        """Set a handle's self-service password through the action (as its holder)."""
        cid = await self.contact_id(handle)
        holder = Registrant(email=None, contact_ids=(cid,), handles=(handle,))
        async with self.registry.db.begin() as conn:  # type: ignore[attr-defined]
            await set_password(self.registry.ctx(conn), holder, cid, password,  # type: ignore[attr-defined]
                               "127.0.0.1")

    async def ask_link(self, c: httpx.AsyncClient, email: str) -> httpx.Response:
        page = await c.get("/selfservice/login")
        return await c.post("/selfservice/login/link",
                            data={"email": email, "csrf": csrf_of(page.text)})

    async def follow_link(self, c: httpx.AsyncClient, link: str) -> httpx.Response:
        """Open the link (GET shows a button) and press the button (POST)."""
        path = httpx.URL(link).path
        page = await c.get(path)
        assert page.status_code == 200, page.text
        return await c.post(path, data={"csrf": csrf_of(page.text)})

    async def link_login(self, mailbox, email: str,  # type: ignore[no-untyped-def]
                         c: httpx.AsyncClient | None = None) -> httpx.AsyncClient:
        c = c or self.client()
        assert (await self.ask_link(c, email)).status_code == 200
        await mailbox.deliver()
        r = await self.follow_link(c, mailbox.link(mailbox.to(email)[-1]))
        assert r.status_code == 303 and r.headers["location"] == "/selfservice/", r.text
        return c

    async def attempt(self, c: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
        page = await c.get("/selfservice/login")
        return await c.post("/selfservice/login", data={"login": login, "password": password,
                                                       "csrf": csrf_of(page.text)})

    async def password_login(self, login: str, password: str = SS_PASSWORD,
                             c: httpx.AsyncClient | None = None) -> httpx.AsyncClient:
        c = c or self.client()
        r = await self.attempt(c, login, password)
        assert r.status_code == 303, r.text
        return c

    async def logged_in(self, handle: str) -> httpx.AsyncClient:
        """A client logged in (by password) as ``handle``."""
        await self.give_password(handle)
        return await self.password_login(handle)

    async def csrf(self, c: httpx.AsyncClient, path: str = "/selfservice/") -> str:
        r = await c.get(path)
        assert r.status_code == 200, r.text
        return csrf_of(r.text)

    async def count(self, sql: str, **params: object) -> int:
        async with self.registry.db.read() as conn:  # type: ignore[attr-defined]
            n = (await conn.execute(text(sql), params)).scalar()
        assert isinstance(n, int)
        return n


@pytest_asyncio.fixture
async def ss(registry) -> AsyncIterator[SelfService]:  # type: ignore[no-untyped-def]
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=str(registry.ca_file))
    s = SelfService(registry, build_app(running), await Agent.new(registry, dkhm="4.5"))
    try:
        yield s
    finally:
        for c in s.clients:
            await c.aclose()

"""Fixtures for the web doors: the real ASGI app over the ``registry`` fixture's database
and clock, driven by httpx in-process (both backends)."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest_asyncio

from dkreg.actions.portal.users import portal_user_create
from dkreg.app import Running
from dkreg.web.asgi import build_app
from support import PASSWORD
from support.eppclient import EppClient

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_emails = itertools.count(1)


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


@dataclass
class Web:
    registry: object  # conftest.Registry
    app: object
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, ip: str = "192.0.2.10", scheme: str = "http") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(ip, 40000))  # type: ignore[arg-type]
        c = httpx.AsyncClient(transport=transport, base_url=f"{scheme}://testserver")
        self.clients.append(c)
        return c

    async def epp_login(self, login: str, password: str) -> int:
        """The result code of an EPP login over a session of its own."""
        c = await EppClient.connect("127.0.0.1", self.registry.port,  # type: ignore[attr-defined]
                                    self.registry.ca_file)  # type: ignore[attr-defined]
        try:
            return (await c.login(login, password)).code
        finally:
            await c.close()

    async def registrar(self) -> str:
        handle, _login, _pw = await self.registry.new_registrar()  # type: ignore[attr-defined]
        return handle

    async def user(self, handle: str, group: str = "administration") -> str:
        email = f"user{next(_emails)}.{group}@{handle.lower()}.example"
        async with self.registry.db.begin() as conn:  # type: ignore[attr-defined]
            await portal_user_create(self.registry.ctx(conn), handle,  # type: ignore[attr-defined]
                                     email, group, PASSWORD)
        return email

    async def login(self, email: str, password: str = PASSWORD,
                    client: httpx.AsyncClient | None = None) -> httpx.AsyncClient:
        c = client or self.client()
        r = await self.attempt(c, email, password)
        assert r.status_code == 303, r.text
        return c

    async def attempt(self, c: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
        page = await c.get("/portal/login")
        return await c.post("/portal/login", data={"email": email, "password": password,
                                                   "csrf": csrf_of(page.text)})

    async def logged_in(self, group: str = "administration",
                        handle: str | None = None) -> tuple[httpx.AsyncClient, str, str]:
        """A client logged in as a new user of ``group``; returns (client, handle, email)."""
        handle = handle or await self.registrar()
        email = await self.user(handle, group)
        return await self.login(email), handle, email

    async def csrf(self, c: httpx.AsyncClient, path: str = "/portal/") -> str:
        r = await c.get(path)
        assert r.status_code == 200, r.text
        return csrf_of(r.text)


@pytest_asyncio.fixture
async def web(registry) -> AsyncIterator[Web]:  # type: ignore[no-untyped-def]
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=str(registry.ca_file))
    w = Web(registry, build_app(running))
    try:
        yield w
    finally:
        for c in w.clients:
            await c.aclose()

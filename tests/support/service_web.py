"""Building blocks for the DAS and DSU tests: the real web app over the ``registry``
fixture's database and clock (httpx in-process, a client per address), and service users
of either service made the way the CLI and the portal make them (``user_create``)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from dkreg.actions.account.registrars import user_create
from dkreg.app import Running
from dkreg.web.asgi import build_app
from support import PASSWORD

_logins = itertools.count(1)


def app_of(registry):  # type: ignore[no-untyped-def]
    """A fresh web app (its own credential caches) on the registry's services."""
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=str(registry.ca_file))
    return build_app(running)


@asynccontextmanager
async def client(app, ip: str = "192.0.2.10") -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        yield c


async def service_user(registry, handle: str, service: str,  # type: ignore[no-untyped-def]
                       roles: str = "registrar proxy payer nsa",
                       password: str = PASSWORD) -> tuple[str, str]:
    """A new service user of ``service`` for registrar ``handle``: (login, password)."""
    login = f"{service}-user{next(_logins)}"
    async with registry.db.begin() as conn:
        await user_create(registry.ctx(conn), handle, login, service, password, roles=roles)
    return login, password

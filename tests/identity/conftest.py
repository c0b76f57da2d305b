"""Fixtures for identity verification: the real ASGI app (simulators included) reached
over HTTP at the configured public base URL (``idsupport.IdWeb``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from idsupport import IdWeb

from dkreg.app import Running
from dkreg.identity import http as identity_http
from dkreg.web.asgi import build_app


@pytest_asyncio.fixture
async def idweb(registry) -> AsyncIterator[IdWeb]:  # type: ignore[no-untyped-def]
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=str(registry.ca_file))
    app = build_app(running)
    base = registry.settings.public_base_url
    identity_http.MOUNTS[base] = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    w = IdWeb(registry, app, base)
    try:
        yield w
    finally:
        identity_http.MOUNTS.pop(base, None)
        for c in w.clients:
            await c.aclose()

"""Fixtures for the NIS2 disclosure tests: the real ASGI app over httpx's ASGI transport
(``nis2support.Nis2Web``), on both backends (the ``registry`` fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from nis2support import Nis2Web

from dkreg.app import Running
from dkreg.web.asgi import build_app


@pytest_asyncio.fixture
async def web(registry) -> AsyncIterator[Nis2Web]:  # type: ignore[no-untyped-def]
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=str(registry.ca_file))
    w = Nis2Web(registry, build_app(running), registry.settings.public_base_url)
    try:
        yield w
    finally:
        for c in w.clients:
            await c.aclose()

"""What the Chromium tests share: Debian's chromium (the tests skip, saying why, when it
is missing), a real ``dkreg serve`` with a registrar and its administrator, the browser
launched the way every test launches it, and where screenshots go."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from dkreg.actions.account.registrars import registrar_create
from dkreg.actions.portal.users import portal_user_create
from dkreg.app import Running, start
from dkreg.config import Settings
from dkreg.store.context import Ctx
from support.a11y import artifacts_dir

CHROMIUM = "/usr/bin/chromium"
EMAIL, PASSWORD = "admin@browser.example", "Browser-Passw0rd"

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"{CHROMIUM} is missing (scripts/bootstrap.sh --test installs Debian's chromium)")


@asynccontextmanager
async def serving(settings: Settings, handle: str, name: str) -> AsyncIterator[Running]:
    """A real ``dkreg serve`` (without lifecycle) with one registrar and its administrator
    ``EMAIL``."""
    running = await start(settings, lifecycle=False)
    try:
        async with running.services.db.begin() as conn:
            ctx = Ctx(conn=conn, now=running.services.clock.now(), settings=settings,
                      is_sqlite=True, door="cli")
            await registrar_create(ctx, handle, name, "hostmaster@browser.example", 5_000_00)
            await portal_user_create(ctx, handle, EMAIL, "administration", PASSWORD)
        yield running
    finally:
        await running.stop()


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """Playwright's Chromium, headless (the sandbox of a container has no namespaces)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
def artifacts(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """``$DKREG_ARTIFACTS/<test>`` (default: the test's tmp dir) for screenshots."""
    return artifacts_dir(tmp_path, request.node.name)

"""In real Chromium against a real ``dkreg serve``: a registrant logged in to
self-service starts MitID, picks the simulator's answer on the broker page, comes back
verified. The adapter talks to the simulator over real HTTP. Screenshots go to
$DKREG_ARTIFACTS."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import insert

from dkreg.actions.selfservice.session import start_session
from dkreg.app import start
from dkreg.config import Settings
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts
from dkreg.web.selfservice.guard import SESSION_COOKIE
from support.browser import ConsoleWatch

CHROMIUM = "/usr/bin/chromium"
NAME, HANDLE = "Browser Registrant", "BR1-DK"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing"),
]


async def test_mitid_in_the_browser(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from playwright.async_api import async_playwright, expect

    base = os.environ.get("DKREG_ARTIFACTS")
    shots = Path(base) / request.node.name if base else tmp_path / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=tmp_path / "data", epp_port=0, http_port=0,
                        lifecycle_interval=3600)
    running = await start(settings, lifecycle=False)
    try:
        async with running.services.db.begin() as conn:
            ctx = Ctx(conn=conn, now=running.services.clock.now(), settings=settings,
                      is_sqlite=True, door="cli")
            cid = (await conn.execute(insert(contacts).values(
                handle=HANDLE, management="registrant", user_type="individual", name=NAME,
                street=json.dumps(["Vesterbrogade 1"]), city="København V", pc="1620",
                cc="DK", postal_type="loc", email="browser@example.dk", id_status="pending",
                email_status="completed", match_key="browser", created_by="test",
                created_at=ctx.now).returning(contacts.c.id))).scalar_one()
            token = await start_session(ctx, [cid], "browser@example.dk", "127.0.0.1")
        url = f"http://127.0.0.1:{running.http_port}"
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=["--no-sandbox", "--disable-gpu"])
            context = await browser.new_context(base_url=url,
                                                viewport={"width": 1100, "height": 800})
            await context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": url},
                                       {"name": "dkreg_lang", "value": "en", "url": url}])
            watch = ConsoleWatch(context)
            page = await context.new_page()
            try:
                await page.goto("/selfservice/verification")
                await expect(page.locator(f"#id-status-{HANDLE}")).to_have_text("pending")
                await page.screenshot(path=shots / "01-verification.png", full_page=True)
                await page.get_by_role("button", name="Log in with MitID").click()
                await expect(page.get_by_role("heading", level=1)).to_have_text(
                    "MitID simulator (sandbox)")
                await page.get_by_label("Name in MitID (optional)").fill(NAME)
                await page.screenshot(path=shots / "02-broker.png", full_page=True)
                await page.get_by_role("button", name="Log in", exact=True).click()
                await expect(page.locator("#outcome")).to_have_text("MitID: verified")
                await expect(page.locator("#id-status")).to_contain_text("completed")
                await page.screenshot(path=shots / "03-verified.png", full_page=True)
                # the verification page, the broker's, the form to it and back: within the CSP
                watch.assert_no_csp_violation()
            finally:
                await context.close()
                await browser.close()
    finally:
        await running.stop()

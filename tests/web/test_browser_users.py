"""Administration > Users end to end in Debian's Chromium against the real HTTP server:
the administrator invites a person, the invitation goes over SMTP to a real mail server,
the invitee opens the link from the received mail, chooses a password and logs in.
Screenshots of the users page and the set-password page go to $DKREG_ARTIFACTS."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from dkreg.app import Running
from dkreg.config import Settings
from dkreg.mail.sender import MailSender
from support import free_ports
from support.smtp import SmtpCatcher
from web import test_browser as browser

# the Chromium page, the screenshot folder and the skip-if-no-Chromium marks of test_browser,
# over this module's own server (the one with a mail server)
page, artifacts, pytestmark = browser.page, browser.artifacts, browser.pytestmark
EMAIL, PASSWORD = browser.EMAIL, browser.PASSWORD

INVITEE, INVITEE_PASSWORD = "invitee@browser.example", "Invitee-Passw0rd"


@pytest_asyncio.fixture
async def catcher() -> AsyncIterator[SmtpCatcher]:
    smtp = SmtpCatcher()
    await asyncio.to_thread(smtp.start)
    try:
        yield smtp
    finally:
        await asyncio.to_thread(smtp.stop)


@pytest_asyncio.fixture
async def server(tmp_path: Path, catcher: SmtpCatcher) -> AsyncIterator[Running]:
    [http_port] = free_ports(1)
    settings = Settings(data_dir=tmp_path / "data", epp_port=0, http_port=http_port,
                        lifecycle_interval=3600, smtp_port=catcher.port,
                        public_base_url=f"http://127.0.0.1:{http_port}")
    async with browser.serving(settings, "REG-500002", "Browser Users ApS") as running:
        yield running


async def test_administrator_invites_and_the_invitee_sets_a_password_and_logs_in(  # type: ignore[no-untyped-def]
        page, server: Running, catcher: SmtpCatcher, artifacts: Path) -> None:
    from playwright.async_api import expect

    await page.goto("/lang/en?next=/portal/login")
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("link", name="Administration › Users").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    await page.get_by_label("E-mail").fill(INVITEE)
    await page.get_by_label("Privilege group", exact=True).select_option("portfolio")
    await page.get_by_role("button", name="Send invitation").click()
    await expect(page.locator("#flash")).to_contain_text(INVITEE)
    await expect(page.locator(f'tr[data-email="{INVITEE}"]')).to_contain_text("Invited")
    await page.screenshot(path=artifacts / "01-users.png", full_page=True)

    report = await MailSender(server.services.db, server.services.settings,
                              server.services.clock).send_due()
    assert report.sent == 1
    [msg] = catcher.to(INVITEE)
    link = catcher.link(msg)
    assert link.startswith(f"http://127.0.0.1:{server.http_port}/portal/invite/")

    await page.get_by_role("button", name="Log out").click()
    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Welcome — choose your password")
    await page.get_by_label("New password").fill("weak")
    await page.get_by_label("Repeat the password").fill("weak")
    await page.get_by_role("button", name="Save password").click()
    await expect(page.locator("#password-error")).to_contain_text("8–64")
    await expect(page.get_by_label("New password")).to_have_attribute("aria-invalid", "true")
    await page.screenshot(path=artifacts / "02-set-password-error.png", full_page=True)
    await page.get_by_label("New password").fill(INVITEE_PASSWORD)
    await page.get_by_label("Repeat the password").fill(INVITEE_PASSWORD)
    await page.screenshot(path=artifacts / "03-set-password.png", full_page=True)
    await page.get_by_label("Repeat the password").press("Enter")  # keyboard only
    await expect(page).to_have_url(re.compile(r"/portal/login\?password_set=1$"))
    await expect(page.locator("#login-message")).to_contain_text("password is saved")

    await page.get_by_label("E-mail").fill(INVITEE)
    await page.get_by_label("Password").fill(INVITEE_PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.locator("#who")).to_contain_text(INVITEE)
    await expect(page.locator("#group")).to_have_text("Portfolio management")
    await page.goto(link)  # used once
    await expect(page.get_by_role("heading", level=1)).to_have_text("The link does not work")
    assert len(list(artifacts.glob("*.png"))) == 3

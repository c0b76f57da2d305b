"""Contacts, hosts and messages in real Chromium (Debian's /usr/bin/chromium via
Playwright) against the server ``dkreg serve`` runs, at a phone's 390 px: a contact
edit refused (focus on the error summary, "Fejl:" in the title) then saved, a host
deleted after its confirmation, the messages page with its links and "acknowledge all".
axe-core finds no violation on any of these pages, none scrolls sideways, and
screenshots go to $DKREG_ARTIFACTS."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dkreg.app import Running
from support.a11y import assert_clean
from web.test_browser import EMAIL, PASSWORD, artifacts, page, pytestmark, server  # noqa: F401
from web.test_browser_portfolio import DOMAIN, active_domain


async def check(page: Any, shot: Path) -> None:  # noqa: F811
    """No axe violation on the whole page, no sideways scroll; a screenshot."""
    await assert_clean(page, shot)


async def test_contacts_hosts_and_messages_on_a_phone(  # type: ignore[no-untyped-def]
        page, server: Running, artifacts: Path) -> None:  # noqa: F811
    from playwright.async_api import expect

    contact = await active_domain(server)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto("/portal/login")
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Adgangskode").fill(PASSWORD)
    await page.get_by_role("button", name="Log ind").click()

    await page.goto(f"/portal/contacts/{contact}")
    await expect(page.locator("#locked-registrant")).to_be_visible()
    await expect(page.locator("#delete-rule")).to_contain_text("knyttet til 1 domæne")
    await check(page, artifacts / "01-contact.png")
    await page.locator("#edit-link").click()
    await expect(page.locator('[data-locked="name"]')).to_be_visible()
    await page.get_by_label("Telefon").fill("12345678")
    await page.get_by_role("button", name="Gem ændringer").click()
    await expect(page).to_have_title(re.compile(r"^Fejl: "))
    await expect(page.locator("#errors")).to_be_focused()
    await expect(page.get_by_label("Telefon")).to_have_attribute("aria-invalid", "true")
    await check(page, artifacts / "02-contact-edit-error.png")
    await page.get_by_label("Telefon").fill("+45.87654321")
    await page.get_by_role("button", name="Gem ændringer").click()
    await expect(page.locator("#flash")).to_contain_text(f"Kontakten {contact} er opdateret.")
    await expect(page.locator("#voice")).to_have_text("+45.87654321")

    await page.goto("/portal/hosts/ns3.example.net")
    await check(page, artifacts / "03-host.png")
    await page.locator("#delete-link").click()
    await expect(page.locator("#delete-question")).to_contain_text("ns3.example.net")
    await check(page, artifacts / "04-host-delete-confirm.png")
    await page.get_by_role("button", name="Ja, slet ns3.example.net").click()
    await expect(page.locator("#flash")).to_have_text("Værten ns3.example.net er slettet.")
    await check(page, artifacts / "05-hosts.png")

    await page.goto("/portal/poll")
    row = page.locator("#poll tbody tr").first
    await expect(row.get_by_role("link", name=DOMAIN)).to_be_visible()
    await expect(row.locator(".poll-tracking")).to_be_visible()
    await expect(row.locator(".poll-risk")).to_have_text("Blå (BLUE)")
    await check(page, artifacts / "06-poll.png")
    await page.get_by_role("link", name="Kvittér alle beskeder").click()
    await check(page, artifacts / "07-poll-ack-all.png")
    await page.locator("#ack-all-confirm").click()
    await expect(page.locator("#flash")).to_contain_text("kvitteret")
    await expect(page.locator("#poll-empty")).to_be_visible()
    await check(page, artifacts / "08-poll-empty.png")

"""Issue 13 §2 in real Chromium: the dashboard, "register a domain" (a refused submit and a
registration with an inline registrant) and the application's page, in Danish and
English at 1280 and 390 px: no sideways scroll, axe-core finds no WCAG 2.2 AA violation,
after a failed submit the title starts "Fejl:"/"Error:" and focus is on the error
summary. Screenshots go to $DKREG_ARTIFACTS."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dkreg.actions.account.registrars import user_create
from dkreg.app import Running
from dkreg.store.context import Ctx
from epp.helpers import setup_registrant
from support.a11y import assert_clean
from support.eppclient import EppClient
from web.test_browser import EMAIL, PASSWORD, artifacts, page, pytestmark, server  # noqa: F401

WIDTHS = {"desktop": 1280, "phone": 390}
TEXT = {"da": {"title": "Registrér et domæne", "error": "Fejl: ", "submit": "Registrér",
               "name": "Domænenavn", "ns": "Navneservere", "new": "Opret en ny kontakt som "
               "registrant", "registrant": "Registrantens kontakt-ID"},
        "en": {"title": "Register a domain", "error": "Error: ", "submit": "Register",
               "name": "Domain name", "ns": "Name servers",
               "new": "Create a new contact as registrant",
               "registrant": "Registrant contact ID"}}


async def registrant(server: Running) -> str:  # noqa: F811
    """An EPP user's verified registrant (and the two name-server hosts)."""
    services = server.services
    async with services.db.begin() as conn:
        await user_create(Ctx(conn=conn, now=services.clock.now(), settings=services.settings,
                              is_sqlite=True, door="cli"),
                          "REG-500001", "browser-reg", "epp", PASSWORD)
    epp = await EppClient.connect("127.0.0.1", server.epp.port, server.ca_file or "")
    try:
        assert (await epp.login("browser-reg", PASSWORD)).code == 1000
        return await setup_registrant(epp)
    finally:
        await epp.close()


async def checked(page: Any, artifacts: Path, name: str) -> None:  # noqa: F811
    """Screenshot, no sideways scroll, axe-core clean (the shared harness)."""
    await assert_clean(page, artifacts / f"{name}.png")


async def test_dashboard_register_and_application_in_both_languages_and_widths(
        page, server: Running, artifacts: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.async_api import expect

    contact = await registrant(server)
    await page.goto("/portal/login")
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Adgangskode").fill(PASSWORD)
    await page.get_by_role("button", name="Log ind").click()
    await expect(page).to_have_url(re.compile(r"/portal/$"))

    for lang in ("da", "en"):
        words = TEXT[lang]
        await page.goto(f"/lang/{lang}?next=/portal/")
        for label, width in WIDTHS.items():
            await page.set_viewport_size({"width": width, "height": 900})
            await page.goto("/portal/")
            await expect(page.locator("#panel-balance")).to_be_visible()
            await checked(page, artifacts, f"dashboard-{lang}-{label}")

            await page.goto("/portal/domains/register")
            await expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
            await checked(page, artifacts, f"register-{lang}-{label}")

            # refused on the server: the name and the name-server count, both at once
            latest = await page.locator("#accepted_at").get_attribute("max")
            await page.get_by_label(words["name"], exact=True).fill("-bad-.dk")
            await page.get_by_label(words["registrant"]).fill(contact)
            await page.get_by_label(words["ns"], exact=True).fill("ns1.example.net")
            await page.locator("#accepted_at").fill(latest)
            await page.get_by_role("button", name=words["submit"], exact=True).click()
            await expect(page).to_have_title(re.compile("^" + words["error"]))
            await expect(page.locator("#errors")).to_be_focused()
            await expect(page.locator("#errors li")).to_have_count(2)
            await checked(page, artifacts, f"register-error-{lang}-{label}")

    # an inline registrant at phone width: choosing "new" shows its fields (script),
    # then the application's page with the summary
    await page.goto("/lang/da?next=/portal/domains/register")
    await page.set_viewport_size({"width": 390, "height": 900})
    await expect(page.locator("#registrant-new")).to_be_hidden()  # script: the other choice
    await page.get_by_label(TEXT["da"]["new"]).check()
    await expect(page.locator("#registrant-new")).to_be_visible()
    await expect(page.locator("#registrant-existing")).to_be_hidden()
    await page.get_by_label("Domænenavn", exact=True).fill("browser-inline.dk")
    await page.get_by_label("Navn", exact=True).fill("Karen Blixen")
    await page.get_by_label("Adresselinje 1").fill("Rungsted Strandvej 111")
    await page.get_by_label("Postnummer").fill("2960")
    await page.get_by_label("By", exact=True).fill("Rungsted Kyst")
    await page.get_by_label("E-mail").fill("karen@example.dk")
    await page.get_by_label("Navneservere", exact=True).fill("ns1.example.net\nns2.example.net")
    await page.get_by_label("Periode i år").select_option("2")
    await expect(page.locator("#price")).to_have_text("Pris for den valgte periode: 90,00 kr.")
    latest = await page.locator("#accepted_at").get_attribute("max")
    await page.locator("#accepted_at").fill(latest)
    await page.get_by_role("button", name="Registrér", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/portal/applications/\d+$"))
    await expect(page.locator("#flash")).to_contain_text("browser-inline.dk")
    await expect(page.locator("#flash")).to_contain_text("90,00 kr.")
    await checked(page, artifacts, "application-da-phone")
    await page.goto("/lang/en?next=" + urlsplit(page.url).path)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await expect(page.locator("#app-state")).to_have_text(
        "Received — the registry is processing it")
    await checked(page, artifacts, "application-en-desktop")

"""The domain list in real Chromium, where the browser matters: at 390 px and 1280 px the
page (filters, selectable table, bulk form), its filter-error state and the bulk result
never scroll sideways and axe-core finds no violation; "select all" (the design system's
script) ticks every row; a bulk renew chosen with the mouse lands on its result page.
Screenshots go to $DKREG_ARTIFACTS."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dkreg.actions.account.registrars import user_create
from dkreg.app import Running
from dkreg.lifecycle.tick import tick
from dkreg.store.context import Ctx
from epp.helpers import NS, setup_registrant
from support import frames
from support.a11y import assert_clean
from support.eppclient import EppClient
from web.test_browser import EMAIL, PASSWORD, artifacts, page, pytestmark, server  # noqa: F401

NAMES = ("liste-alfa.dk", "liste-beta.dk", "et-meget-langt-domaenenavn-til-en-smal-skaerm.dk")


async def domains(server: Running) -> None:  # noqa: F811
    services = server.services
    async with services.db.begin() as conn:
        await user_create(Ctx(conn=conn, now=services.clock.now(), settings=services.settings,
                              is_sqlite=True, door="cli"),
                          "REG-500001", "browser-list-epp", "epp", PASSWORD)
    epp = await EppClient.connect("127.0.0.1", server.epp.port, server.ca_file or "")
    try:
        assert (await epp.login("browser-list-epp", PASSWORD)).code == 1000
        contact = await setup_registrant(epp)
        for name in NAMES:
            r = await epp.request(frames.domain_create(
                name, contact, NS, token=int(services.clock.now().timestamp())))
            assert r.code == 1001, r.msg
    finally:
        await epp.close()
    await tick(services.db, services.settings, services.clock.now())


async def check(page: Any, shot: Path) -> None:  # noqa: F811
    """No axe violation on the whole page, no sideways scroll; a screenshot."""
    await assert_clean(page, shot)


async def test_domain_list_in_chromium(page, server: Running, artifacts: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.async_api import expect

    await domains(server)
    await page.goto("/portal/login")
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Adgangskode").fill(PASSWORD)
    await page.get_by_role("button", name="Log ind").click()
    for width in (1280, 390):
        await page.set_viewport_size({"width": width, "height": 900})
        await page.goto("/portal/domains")
        await expect(page.locator("#domains tbody tr")).to_have_count(3)
        await check(page, artifacts / f"domains-{width}.png")
        await page.goto("/portal/domains?status=nonsense&expires_from=2027-02-30")
        await expect(page.locator("#errors")).to_be_focused()
        await expect(page).to_have_title(re.compile(r"^Fejl: "))
        await check(page, artifacts / f"domains-filter-error-{width}.png")

    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto("/portal/domains")
    await page.locator("#pick-all").check()  # the design system's "select all"
    for box in await page.locator('#domains tbody input[type="checkbox"]').all():
        await expect(box).to_be_checked()
    await page.locator("#pick-all").uncheck()
    await page.get_by_label(f"Vælg {NAMES[0]}").check()
    await page.get_by_label(f"Vælg {NAMES[1]}").check()
    await page.get_by_label("Periode").select_option("2")
    await page.get_by_role("button", name="Forny de valgte domæner").click()
    await expect(page.locator("#flash")).to_contain_text("2 fornyet, 0 afvist")
    await expect(page.locator('#bulk-result tr[data-ok="yes"]')).to_have_count(2)
    await check(page, artifacts / "domains-bulk-result-1280.png")
    await page.set_viewport_size({"width": 390, "height": 900})
    await check(page, artifacts / "domains-bulk-result-390.png")

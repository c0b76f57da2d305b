"""End to end in real Chromium (Debian's /usr/bin/chromium driven by Playwright) against
the real HTTP server that ``dkreg serve`` runs: log in, switch Registrar Management on,
find the registrar on the public list with the filter, see a wrong value's rule, switch
language. Screenshots of the main pages go to $DKREG_ARTIFACTS (default: the test's
tmp dir)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from dkreg.app import Running
from dkreg.config import Settings
from dkreg.store.context import Ctx
from support.browser import ConsoleWatch
from web.browser_fixtures import (
    CHROMIUM,
    EMAIL,
    PASSWORD,
    artifacts,
    chromium,
    needs_chromium,
    serving,
)

# what other browser tests take from here: the artifacts fixture, Chromium's path
__all__ = ["CHROMIUM", "artifacts"]

pytestmark = [pytest.mark.slow, needs_chromium]


async def follow_menu(page, group: str, link: str) -> None:  # type: ignore[no-untyped-def]
    """Open the grouped menu's ``group`` (a drop-down on a wide screen) and follow ``link``;
    a group of one link is that link itself."""
    nav = page.locator("nav.nav")
    button = nav.get_by_role("button", name=group, exact=True)
    target = nav.get_by_role("link", name=link, exact=True)
    # the page a click before may still be loading: wait for this menu to be there (a
    # count taken at once saw no button while the log-in still redirected, and the link
    # then stayed hidden in the closed group)
    await button.or_(target).first.wait_for(state="attached")
    if await button.count():
        await button.click()
    await target.click()


@pytest_asyncio.fixture
async def server(tmp_path: Path) -> AsyncIterator[Running]:
    settings = Settings(data_dir=tmp_path / "data", epp_port=0, http_port=0,
                        lifecycle_interval=3600)
    async with serving(settings, "REG-500001", "Browser Registrar ApS") as running:
        yield running


@pytest_asyncio.fixture
async def page(server: Running):  # type: ignore[no-untyped-def]
    async with chromium() as browser:
        # a Danish visitor's browser: pages follow its Accept-Language until a pick
        context = await browser.new_context(base_url=f"http://127.0.0.1:{server.http_port}",
                                            viewport={"width": 1100, "height": 800},
                                            locale="da-DK")
        watch = ConsoleWatch(context)
        p = await context.new_page()
        p.console_watch = watch
        try:
            yield p
            await p.wait_for_timeout(200)  # the last page's console messages arrive
            watch.assert_no_csp_violation()  # every page the test visited kept dkreg's CSP
        finally:
            await context.close()


async def test_registrar_management_end_to_end(page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import expect

    await page.goto("/portal/")
    await expect(page).to_have_url(re.compile(r"/portal/login$"))
    await expect(page.locator("html")).to_have_attribute("lang", "da")
    await page.screenshot(path=artifacts / "01-login-da.png", full_page=True)

    # wrong password: the same answer whatever the reason
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Adgangskode").fill("Wrong-Passw0rd")
    await page.get_by_role("button", name="Log ind").click()
    await expect(page.locator("#login-message")).to_contain_text(
        "E-mail eller adgangskode er forkert.")

    # Danish → English
    await page.get_by_role("link", name="English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_label("Password").press("Enter")  # keyboard only
    await expect(page.locator("#who-portal")).to_contain_text(EMAIL)
    await page.screenshot(path=artifacts / "02-home-en.png", full_page=True)

    await follow_menu(page, "Administration", "Public information (Registrar Management)")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Registrar Management")

    # a wrong value shows the rule next to the field
    await page.get_by_label("Public name").fill("Browser Hosting")
    await page.get_by_label("Website (optional)").fill("ftp://browser.example")
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#website-error")).to_contain_text(
        "Website must be an address starting with http:// or https://.")
    await expect(page.get_by_label("Website (optional)")).to_have_attribute(
        "aria-invalid", "true")
    await page.screenshot(path=artifacts / "03-registrar-management-error.png", full_page=True)

    await page.get_by_label("Website (optional)").fill("https://browser.example")
    await page.get_by_label("Contact e-mail (optional)").fill("sales@browser.example")
    await page.get_by_label("We offer registrar management").check()
    await page.get_by_label("Show us on the public registrar list").check()
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#flash")).to_be_visible()
    await page.screenshot(path=artifacts / "04-registrar-management-saved.png", full_page=True)

    await page.get_by_role("link", name="Registrar list").click()
    await page.get_by_label("Only registrars offering registrar management").check()
    await page.get_by_role("button", name="Filter").click()
    row = page.locator('tr[data-handle="REG-500001"]')
    await expect(row).to_contain_text("Browser Hosting")
    await expect(row).to_contain_text("Yes")
    await page.screenshot(path=artifacts / "05-registrar-list.png", full_page=True)

    # back to Danish on the public list
    await page.get_by_role("link", name="Dansk").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Registrarer")
    await expect(page.locator('tr[data-handle="REG-500001"]')).to_contain_text("Ja")

    for path, name in (("/portal/account", "06-account.png"), ("/portal/poll", "07-poll.png"),
                       ("/portal/administration/referral", "08-referral.png")):
        await page.goto(path)
        await page.screenshot(path=artifacts / name, full_page=True)
    assert len(list(artifacts.glob("*.png"))) == 8


async def test_administrator_allow_lists_an_address_and_creates_a_service_user(  # type: ignore[no-untyped-def]
        page, server: Running, artifacts: Path) -> None:
    """Issue 4 slice 2: IP allow-list and service users end to end; the password the page
    shows once logs in over EPP from the allow-listed address."""
    from playwright.async_api import expect

    from support.eppclient import EppClient

    await page.goto("/lang/en?next=/portal/login")
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.locator("#who-portal")).to_contain_text(EMAIL)

    await follow_menu(page, "Administration", "IP allow-list")
    await expect(page.get_by_role("heading", level=1)).to_have_text("IP allow-list")
    await expect(page.locator("#ip-allow-empty")).to_be_visible()
    await page.get_by_label("Address or network").fill("127.0.0.300")
    await page.get_by_role("button", name="Add", exact=True).click()
    await expect(page.locator("#network-error")).to_contain_text("CIDR")
    await expect(page.get_by_label("Address or network")).to_have_attribute(
        "aria-invalid", "true")
    await page.screenshot(path=artifacts / "01-ip-allow-list-error.png", full_page=True)
    await page.get_by_label("Address or network").fill("127.0.0.1")
    await page.get_by_label("Address or network").press("Enter")  # keyboard only
    await expect(page.locator('tr[data-network="127.0.0.1/32"]')).to_be_visible()
    await page.screenshot(path=artifacts / "02-ip-allow-list.png", full_page=True)

    await follow_menu(page, "Administration", "Service users")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Service users")
    # the portal namespaces the name with the registrar: REG-500001's "brws-epp" logs in
    # as 500001-brws-epp (issue 11 §9)
    await page.get_by_label("Login", exact=True).fill("brws-epp")
    await page.get_by_label("payer — pays").uncheck()
    await page.get_by_role("button", name="Create", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Password for 500001-brws-epp")
    password = (await page.locator("#issued-password").text_content() or "").strip()
    assert len(password) == 16
    await page.screenshot(path=artifacts / "03-service-user-password.png", full_page=True)

    epp = await EppClient.connect("127.0.0.1", server.epp.port, server.ca_file or "")
    try:
        r = await epp.login("500001-brws-epp", password)
        assert (r.code, r.msg) == (1000, "User 500001-brws-epp logged in.")
    finally:
        await epp.close()

    await page.get_by_role("link", name="Back to the service users").click()
    row = page.locator('tr[data-login="500001-brws-epp"]')
    await expect(row).to_contain_text("Registrar")
    await expect(row).to_contain_text("Proxy (proxy)")
    await expect(row).to_contain_text("Name server administrator (nsa)")
    assert password not in await page.content()  # shown once only
    await page.screenshot(path=artifacts / "04-service-users.png", full_page=True)
    # pin the dkhm version of its EPP answers (issue 10 §3b)
    await row.get_by_label("dkhm version 500001-brws-epp").select_option("4.5")
    await row.get_by_role("button", name="Save version 500001-brws-epp").click()
    await expect(page.locator("#flash")).to_contain_text("500001-brws-epp is now answered in: "
                                                         "dkhm-4.5")
    await expect(page.locator('tr[data-login="500001-brws-epp"]').get_by_label(
        "dkhm version 500001-brws-epp")).to_have_value("4.5")

    await follow_menu(page, "Administration", "Account settings")
    await page.get_by_label("Auto-expire").check()
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#flash")).to_be_visible()
    await expect(page.get_by_label("Auto-expire")).to_be_checked()
    await page.screenshot(path=artifacts / "05-account-settings.png", full_page=True)
    assert len(list(artifacts.glob("*.png"))) == 5


async def test_register_a_domain_through_the_form(  # type: ignore[no-untyped-def]
        page, server: Running, artifacts: Path) -> None:
    """Issue 4 slice 3: "register a domain" with the acceptance time picked in Copenhagen
    time (at most now); the application's page shows, and the domain is in the list."""
    from playwright.async_api import expect

    from dkreg.actions.account.registrars import user_create
    from epp.helpers import NS, setup_registrant
    from support.eppclient import EppClient

    settings = server.services.settings
    async with server.services.db.begin() as conn:
        await user_create(Ctx(conn=conn, now=server.services.clock.now(), settings=settings,
                              is_sqlite=True, door="cli"),
                          "REG-500001", "browser-reg-epp", "epp", PASSWORD)
    epp = await EppClient.connect("127.0.0.1", server.epp.port, server.ca_file or "")
    try:
        assert (await epp.login("browser-reg-epp", PASSWORD)).code == 1000
        contact = await setup_registrant(epp)
    finally:
        await epp.close()

    await page.goto("/lang/en?next=/portal/login")
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await follow_menu(page, "Domains", "Register a domain")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Register a domain")
    accepted = page.get_by_label("Punktum dk's terms accepted — date and time")
    await expect(accepted).to_have_attribute("type", "datetime-local")
    assert await accepted.input_value() == ""  # a person enters it; it may not be later
    latest = await accepted.get_attribute("max")
    assert latest and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", latest)
    await accepted.fill(latest)
    await page.get_by_label("Domain name").fill("browser-made.dk")
    await page.get_by_label("Registrant contact ID").fill(contact)
    await page.get_by_label("Name servers", exact=True).fill("\n".join(NS))
    await page.get_by_label("Period in years").select_option("1")
    await page.screenshot(path=artifacts / "01-register-form.png", full_page=True)
    await page.get_by_role("button", name="Register", exact=True).click()
    await expect(page.locator("#flash")).to_contain_text("browser-made.dk")
    await expect(page.locator("#tracking-no")).not_to_be_empty()
    await page.screenshot(path=artifacts / "02-register-result.png", full_page=True)

    await page.get_by_role("link", name="browser-made.dk").click()  # the application's
    await expect(page.get_by_role("heading", level=1)).to_have_text("browser-made.dk")
    await page.goto("/portal/domains")
    row = page.locator('tr[data-domain="browser-made.dk"]')
    await expect(row).to_be_visible()
    await page.screenshot(path=artifacts / "03-domains.png", full_page=True)
    await row.get_by_role("link", name="browser-made.dk").click()
    await expect(page.locator("#registrant")).to_have_text(contact)
    await page.screenshot(path=artifacts / "04-domain.png", full_page=True)
    assert len(list(artifacts.glob("*.png"))) == 4


async def test_the_console_watch_sees_a_csp_violation(page) -> None:  # type: ignore[no-untyped-def]
    """The page fixture's check can fail: an inline style put into a dkreg page is refused
    by the browser (the CSP holds) and reported (the watch hears it)."""
    await page.goto("/portal/login")
    await page.evaluate("document.head.insertAdjacentHTML('beforeend', "
                        "'<style>body { color: red; }</style>')")
    await page.wait_for_timeout(200)
    assert any("style-src" in m for m in page.console_watch.csp_violations), \
        page.console_watch.messages
    page.console_watch.messages.clear()  # seen: the fixture's own check is for real pages

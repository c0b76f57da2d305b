"""Issue 4, item 5 in real Chromium (Debian's /usr/bin/chromium via Playwright) against
the server ``dkreg serve`` runs: log in, open a domain, change its name servers with the
form, generate a transfer token, and see EPP's result on the page. Screenshots of the
domain page and the contact and host lists go to $DKREG_ARTIFACTS."""

from __future__ import annotations

from pathlib import Path

from dkreg.actions.account.registrars import user_create
from dkreg.app import Running
from dkreg.lifecycle.tick import tick
from dkreg.store.context import Ctx
from epp.helpers import NS, setup_registrant
from epp.update_support import MORE_NS, create_hosts
from support import frames
from support.eppclient import EppClient
from web.test_browser import (  # noqa: F401
    EMAIL,
    PASSWORD,
    artifacts,
    follow_menu,
    page,
    pytestmark,
    server,
)

DOMAIN = "browser-ns.dk"


async def active_domain(server: Running) -> str:  # noqa: F811
    """An EPP service user's active domain (registrant, hosts ns1-ns4); the registrant."""
    services = server.services
    async with services.db.begin() as conn:
        await user_create(Ctx(conn=conn, now=services.clock.now(), settings=services.settings,
                              is_sqlite=True, door="cli"),
                          "REG-500001", "browser-ns-epp", "epp", PASSWORD)
    epp = await EppClient.connect("127.0.0.1", server.epp.port, server.ca_file or "")
    try:
        assert (await epp.login("browser-ns-epp", PASSWORD)).code == 1000
        contact = await setup_registrant(epp)
        await create_hosts(epp, *MORE_NS)
        token = int(services.clock.now().timestamp())
        r = await epp.request(frames.domain_create(DOMAIN, contact, NS, token=token))
        assert r.code == 1001, r.msg
    finally:
        await epp.close()
    await tick(services.db, services.settings, services.clock.now())
    return contact


async def test_change_name_servers_and_generate_a_token(  # type: ignore[no-untyped-def]
        page, server: Running, artifacts: Path) -> None:  # noqa: F811
    from playwright.async_api import expect

    contact = await active_domain(server)
    await page.goto("/lang/en?next=/portal/login")
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await follow_menu(page, "Domains", "Domains")
    await page.locator(f'tr[data-domain="{DOMAIN}"]').get_by_role("link", name=DOMAIN).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(DOMAIN)
    await expect(page.locator("#registrant")).to_have_text(contact)

    ns = page.get_by_label("Name servers (the whole wanted list)")
    await expect(ns).to_have_value("\n".join(NS))
    await ns.fill(f"{NS[0]}\n{MORE_NS[0]}")
    await page.get_by_role("button", name="Save name servers").click()
    await expect(page.locator("#result")).to_have_text("1000 Command completed successfully")
    await expect(page.locator("#ns-list li")).to_have_text([NS[0], MORE_NS[0]])

    await page.get_by_role("button", name="Generate transfer token").click()
    await expect(page.locator("#result")).to_have_text("1000 Command completed successfully")
    await expect(page.locator("#tokens")).to_contain_text("REG-TRANSFER-")
    await expect(page.locator("#history tbody tr").first).to_contain_text("domain:update")
    await page.screenshot(path=artifacts / "01-domain.png", full_page=True)

    # a refusal: one name server is below the minimum; EPP's text at the field
    await ns.fill(NS[0])
    await page.get_by_role("button", name="Save name servers").click()
    await expect(page.locator("#ns-error")).to_contain_text("Data management policy violation")
    await expect(ns).to_have_attribute("aria-invalid", "true")
    await page.screenshot(path=artifacts / "02-domain-error.png", full_page=True)

    await follow_menu(page, "Contacts", "Contacts")
    await expect(page.locator(f'tr[data-handle="{contact}"]')).to_be_visible()
    await page.screenshot(path=artifacts / "03-contacts.png", full_page=True)
    await follow_menu(page, "Name servers", "Name servers (hosts)")
    await expect(page.locator(f'tr[data-host="{MORE_NS[0]}"]')).to_be_visible()
    await page.screenshot(path=artifacts / "04-hosts.png", full_page=True)
    assert len(list(artifacts.glob("*.png"))) == 4

"""The domain's page in real Chromium (Debian's /usr/bin/chromium via Playwright) against
the server ``dkreg serve`` runs: log in, open a domain, change its name servers, add a DS
record from a pasted DNSKEY, create a transfer code — each answered by a redirect to the
page with a summary — see a refusal with the error summary focused, and ask for a
deletion and cancel it; at 1280 px and at 390 px (no sideways scroll), in English and
Danish. Screenshots of the domain page and the contact and host lists go to
$DKREG_ARTIFACTS."""

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
from web.test_browser import EMAIL, PASSWORD, artifacts, page, pytestmark, server  # noqa: F401

DOMAIN = "browser-ns.dk"
PAGE = f"/portal/domains/{DOMAIN}"
P256_KEY = (f"{DOMAIN}. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb"
            "krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==")


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


async def no_sideways_scroll(browser_page) -> None:  # type: ignore[no-untyped-def]
    width = await browser_page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


async def test_the_domain_page_changes_with_summaries(  # type: ignore[no-untyped-def]
        page, server: Running, artifacts: Path) -> None:  # noqa: F811
    from playwright.async_api import expect

    contact = await active_domain(server)
    await page.goto("/lang/en?next=/portal/login")
    await page.get_by_label("E-mail").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.goto(PAGE)
    await expect(page.get_by_role("heading", level=1)).to_have_text(DOMAIN)
    await expect(page.locator("#registrant")).to_have_text(contact)
    await expect(page.locator("#statuses")).to_have_text("Active (ok)")

    ns = page.get_by_label("Name servers (the whole wanted list)")
    await expect(ns).to_have_value("\n".join(NS))
    await ns.fill(f"{NS[0]}\n{MORE_NS[0]}")
    await page.get_by_role("button", name="Save name servers").click()
    await expect(page.locator("#flash")).to_have_text(
        f"Name servers changed: +{MORE_NS[0]}, \u2212{NS[1]}.")
    await expect(page.locator("#ns-list li")).to_have_text([NS[0], MORE_NS[0]])
    await page.reload()  # a reload repeats nothing and shows the summary no more
    await expect(page.locator("#flash")).to_have_count(0)

    await page.get_by_label("DNSKEY record").fill(P256_KEY)
    await page.get_by_role("button", name="Compute and add DS record").click()
    await expect(page.locator("#flash")).to_contain_text("DS record computed from the DNSKEY")
    await expect(page.locator("#ds-table tbody tr")).to_have_count(1)

    await page.get_by_role("button", name="Create a new transfer code").click()
    await expect(page.locator("#flash")).to_contain_text("New transfer code created")
    await expect(page.locator("#tokens")).to_contain_text("REG-TRANSFER-")
    await expect(page.locator("#history tbody tr").first).to_contain_text("domain:update")
    await page.screenshot(path=artifacts / "01-domain-en-1280.png", full_page=True)

    # a refusal: one name server is below the minimum; the summary has the focus
    await ns.fill(NS[0])
    await page.get_by_role("button", name="Save name servers").click()
    await expect(page.locator("#ns-error")).to_contain_text("Data management policy violation")
    await expect(ns).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#errors")).to_be_focused()
    assert (await page.title()).startswith("Error: ")
    await page.locator("#errors a").click()
    await expect(ns).to_be_focused()
    await page.screenshot(path=artifacts / "02-domain-error-en.png", full_page=True)

    # delete asks first; cancelling leads back and changes nothing
    await page.goto(PAGE)
    await page.get_by_role("button", name="Delete the domain").click()
    await expect(page.locator("#confirm-text")).to_contain_text(
        f"Delete {DOMAIN} now, ")
    await expect(page.locator("#confirm-text")).to_contain_text("It costs DKK 0.00.")
    await page.screenshot(path=artifacts / "03-domain-delete-confirm-en.png", full_page=True)
    await page.get_by_role("link", name=f"Cancel, back to {DOMAIN}").click()
    await expect(page.locator("#statuses")).to_have_text("Active (ok)")

    # a phone: nothing scrolls sideways (the DS and token tables scroll in their boxes)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(PAGE)
    await no_sideways_scroll(page)
    await page.screenshot(path=artifacts / "04-domain-en-390.png", full_page=True)
    await page.get_by_role("link", name="Dansk").click()
    await expect(page.locator("#statuses")).to_have_text("Aktiv (ok)")
    await no_sideways_scroll(page)
    await page.screenshot(path=artifacts / "05-domain-da-390.png", full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 800})
    await page.screenshot(path=artifacts / "06-domain-da-1280.png", full_page=True)

    await page.goto("/portal/contacts")
    await expect(page.locator(f'tr[data-handle="{contact}"]')).to_be_visible()
    await page.screenshot(path=artifacts / "07-contacts.png", full_page=True)
    await page.goto("/portal/hosts")
    await expect(page.locator(f'tr[data-host="{MORE_NS[0]}"]')).to_be_visible()
    await page.screenshot(path=artifacts / "08-hosts.png", full_page=True)
    assert len(list(artifacts.glob("*.png"))) == 8

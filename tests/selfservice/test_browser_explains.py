# ruff: noqa: F811 - the tests take ``page`` and ``artifacts``, fixtures imported below
"""Self-service that explains, in real Chromium at a phone's 390 px, in Danish and in
English, with axe-core finding no WCAG 2.2 A/AA violation and no page scrolling sideways
(screenshots in $DKREG_ARTIFACTS/<test name>):

- a domain on hold shows its status in words, why, and what to do (home and its page);
- a failed MitID check (cancelled at the broker) offers the next steps: try again,
  another method (a document), and the way back;
- the registrant of a registrant-managed domain changes its name servers (a refused
  change moves focus to the error summary, the title says "Fejl:"/"Error:"), turns
  auto-renew off and sees what WHOIS/RDAP show;
- the sandbox mail viewer shows a mail that arrives without anyone reloading it.
"""

from __future__ import annotations

import mailbox
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import pytest_asyncio
from browser_support import Served, check_page, domain_for, link_login, new_contact, serving

from dkreg.app import Running
from dkreg.mail.catcher import maildir_path
from support import frames
from web.test_browser import CHROMIUM, artifacts, page  # noqa: F401 - shared fixtures

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing"),
]

PHONE = {"width": 390, "height": 844}
MGMT = '<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.5">registrant</dkhm:management>'


@pytest_asyncio.fixture
async def served(tmp_path: Path, artifacts: Path) -> AsyncIterator[Served]:
    async with serving(tmp_path, artifacts) as s:
        yield s


@pytest.fixture
def server(served: Served) -> Running:
    return served.running


async def language(page, served: Served, lang: str) -> None:  # type: ignore[no-untyped-def]
    page.set_default_timeout(10_000)
    await page.context.add_cookies([{"name": "dkreg_lang", "value": lang, "url": served.url}])


async def test_a_held_domain_and_a_failed_id_check_explain_what_to_do(page, served: Served  # type: ignore[no-untyped-def]
                                                                     ) -> None:
    from playwright.async_api import expect

    c = await served.registrar()
    email = "karen@example.dk"
    handle = await domain_for(c, "venter-paa-id.dk", int(served.now().timestamp()), email,
                              name="Karen Blixen")
    await served.tick()
    await page.set_viewport_size(PHONE)
    await language(page, served, "en")
    await link_login(page, served, email)
    for lang in ("da", "en"):
        await language(page, served, lang)
        await page.goto("/selfservice/")
        box = page.locator("#situation-venter-paa-id\\.dk")
        await expect(box).to_have_attribute("data-reason", "awaiting_id_check")
        await expect(box.locator("a.step-verify")).to_be_visible()
        await check_page(page, served, f"selfservice-home-{lang}")
        await page.goto("/selfservice/domains/venter-paa-id.dk")
        await expect(page.locator("#situation-venter-paa-id\\.dk")).to_be_visible()
        await check_page(page, served, f"domain-on-hold-{lang}")

        # MitID, cancelled at the broker: the result says why and what to do next
        await page.goto("/selfservice/verification")
        await page.locator(f"#mitid-{handle}").click()
        await page.locator('button[name="cancel"]').click()
        help_box = page.locator(f"#help-{handle}")
        await expect(help_box).to_have_attribute("data-reason", "mitid_cancelled")
        await expect(help_box.locator('[data-step="retry"] button')).to_be_visible()
        await expect(help_box.locator("a.use-document")).to_be_visible()
        await expect(page.locator(f"#document-{handle}")).to_be_visible()
        await check_page(page, served, f"failed-id-check-{lang}")


async def test_the_mail_viewer_shows_new_mail_by_itself(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import expect

    await language(page, served, "en")
    await page.goto("/dev/mail")
    await expect(page.locator("#no-mail")).to_be_visible()
    await expect(page.locator("#mail-live")).to_be_visible()  # the script runs
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "noreply@dkreg.invalid", "x@example.dk", "Arrived"
    msg.set_content("Body")
    mailbox.Maildir(maildir_path(served.settings), create=True).add(msg)
    await expect(page.get_by_role("link", name="Arrived")).to_be_visible(timeout=10_000)
    await page.set_viewport_size(PHONE)
    await check_page(page, served, "dev-mail")


async def test_the_registrant_manages_its_own_domain_on_a_phone(page, served: Served  # type: ignore[no-untyped-def]
                                                               ) -> None:
    from playwright.async_api import expect

    c = await served.registrar()
    email = "rita@example.dk"
    rita = await new_contact(c, email, extra_ext=MGMT)
    for host in ("ns1.selv.example", "ns2.selv.example", "ns3.selv.example"):
        assert (await c.request(frames.host_create(host))).code == 1000
    r = await c.request(frames.domain_create(
        "selv.dk", rita, ["ns1.selv.example", "ns2.selv.example"],
        token=int(served.now().timestamp()), extra_ext=MGMT.replace("4.5", "4.3")))
    assert r.code == 1001, r.msg
    await served.tick()
    await page.set_viewport_size(PHONE)
    await language(page, served, "en")
    await link_login(page, served, email)
    for lang, title in (("da", "Fejl: "), ("en", "Error: ")):
        await language(page, served, lang)
        await page.goto("/selfservice/domains/selv.dk")
        await check_page(page, served, f"own-domain-{lang}")
        await page.locator("#nameservers").fill("ns3.selv.example\nnot-there.example")
        await page.locator("#ns-submit").click()
        await expect(page.locator("#errors")).to_be_focused()
        assert (await page.title()).startswith(title)
        await check_page(page, served, f"own-domain-ns-refused-{lang}")
    await page.locator("#nameservers").fill("ns3.selv.example\nns1.selv.example")
    await page.locator("#ns-submit").click()
    await expect(page.locator("#flash")).to_contain_text("ns1.selv.example, ns3.selv.example")
    await page.locator("#autorenew-off").click()
    await expect(page.locator("#flash")).to_contain_text("Automatic renewal of selv.dk is off")
    await expect(page.locator("#autorenew-on")).to_be_visible()
    await check_page(page, served, "own-domain-changed-en")
    await page.goto("/selfservice/public-data")
    await expect(page.locator("#domain-selv\\.dk")).to_be_visible()
    await check_page(page, served, "public-data-en")

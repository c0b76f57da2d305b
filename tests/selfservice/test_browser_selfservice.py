# ruff: noqa: F811 - the tests take ``page`` and ``artifacts``, fixtures imported below
"""Registrant self-service end to end in real Chromium (Debian's /usr/bin/chromium driven
by Playwright) against a real ``dkreg serve``: mail arrives over SMTP at an aiosmtpd
server, registrars speak real EPP over TLS, and the registry clock is moved by the
``dkreg clock`` command in another process. Screenshots of each main page go to
$DKREG_ARTIFACTS/<test name> (default: the test's tmp dir).

- a login link survives a mail scanner's GET; only the button on its page logs in;
- a used link and an expired one (registry time past its 15 minutes) are refused;
- asking a link for a known and an unknown address reads the same; only one gets mail;
- the CVR check, and a document staff approve, activate the held domain; the registrar
  sees it over EPP and polls the messages;
- Flow 2: the mailed application is accepted before the deadline and activated; after
  the deadline the page says it is closed and nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from browser_support import (
    Served,
    ask_link,
    confirm_link,
    domain_for,
    in_english,
    link_login,
    new_contact,
    serving,
)

from dkreg.app import Running
from dkreg.identity import staff
from dkreg.web.dev.sim_cvr import FIXTURES, SANDBOX
from epp.helpers import NS, setup_registrant
from epp.test_contact_update import drain, poll_msg
from support import PASSWORD, frames
from support.eppclient import EppClient
from support.smtp import SmtpCatcher
from web.test_browser import CHROMIUM, artifacts, page  # noqa: F401 - shared fixtures

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing"),
]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # what the upload's type check looks at


@pytest_asyncio.fixture
async def served(tmp_path: Path, artifacts: Path) -> AsyncIterator[Served]:
    async with serving(tmp_path, artifacts) as s:
        yield s


@pytest.fixture
def server(served: Served) -> Running:
    """The running server ``web.test_browser``'s ``page`` fixture opens its browser on."""
    return served.running


async def test_login_link_survives_a_scanner_and_logs_in(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import expect

    # a registrar asks Rita to become the registrant of a domain (she has not verified
    # her ID yet, so the change waits for her answer in self-service)
    c = await served.registrar()
    token = int(served.now().timestamp())
    await domain_for(c, "skifter-ejer.dk", token, "ole@example.dk", verified=True)
    await served.tick()
    handle = await new_contact(c, "rita@example.dk", verified=False, name="Rita Registrant")
    r = await c.request(frames.domain_update("skifter-ejer.dk", registrant=handle,
                                             ext=frames.order_token_ext(token)))
    assert r.code == 1001, r.msg
    await in_english(page, served)
    await page.goto("/selfservice/")
    await expect(page).to_have_url(re.compile(r"/selfservice/login$"))
    await served.shot(page, "01-login")
    await ask_link(page, "Rita@Example.dk", shot=served.shots / "02-link-sent.png")
    link = await served.mail_link("rita@example.dk")
    assert link.startswith(served.url + "/selfservice/link/")

    # the recipient's mail scanner fetches the link first, twice: nothing is spent
    async with httpx.AsyncClient() as scanner:
        for _ in range(2):
            r = await scanner.get(link)
            assert r.status_code == 200 and r.headers["referrer-policy"] == "no-referrer"
            assert 'type="password"' not in r.text
    assert await served.scalar("select count(*) from selfservice_links "
                               "where used_at is null") == 1

    await confirm_link(page, link, shot=served.shots / "03-link-confirmation.png")
    await expect(page.get_by_role("heading", level=2)).to_have_text(
        f"Contact ID {handle} — Rita Registrant")
    await served.shot(page, "04-home")
    await expect(page.locator(".next-step")).to_have_text("What do I do next? Go to verification")
    await page.get_by_role("link", name="Requests").click()
    await expect(page.locator("tr.request")).to_contain_text(
        "Become registrant of skifter-ejer.dk")
    await served.shot(page, "05-requests")
    assert await served.scalar("select count(*) from selfservice_links "
                               "where used_at is not null") == 1


async def refused(page, served: Served, link: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Opening ``link`` shows "the link does not work", with no button, and logs no one in."""
    from playwright.async_api import expect

    await page.goto(link)
    await expect(page.locator("#link-invalid")).to_contain_text("already used or expired")
    await expect(page.locator("#link-confirm")).to_have_count(0)
    await served.shot(page, name)
    await page.goto("/selfservice/")
    await expect(page).to_have_url(re.compile(r"/selfservice/login$"))


async def test_used_and_expired_links_are_refused(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import expect

    c = await served.registrar()
    await new_contact(c, "sara@example.dk")
    await in_english(page, served)
    link = await link_login(page, served, "sara@example.dk")
    await page.get_by_role("button", name="Log out").click()
    await expect(page.locator("#flash")).to_have_text("You are logged out.")

    await refused(page, served, link, "01-link-used")  # the same link, after logging out

    # a new link, opened 16 minutes (registry time) after it was sent
    await ask_link(page, "sara@example.dk")
    fresh = await served.mail_link("sara@example.dk")
    assert fresh != link
    before = served.now()
    moved = await served.move_clock("advance", "16m")
    assert (moved - before).total_seconds() > 15 * 60
    await refused(page, served, fresh, "02-link-expired")
    assert await served.scalar("select count(*) from audit where door = 'selfservice' "
                               "and command = 'selfservice_link_failed'") == 2


async def test_link_answers_do_not_tell_who_exists(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    c = await served.registrar()
    await new_contact(c, "known@example.dk")
    await in_english(page, served)
    known = await ask_link(page, "known@example.dk", served.shots / "01-known.png")
    unknown = await ask_link(page, "nobody@example.dk", served.shots / "02-unknown.png")
    assert known == unknown and "If the address belongs to one of our contacts" in known
    assert len(await served.mails("known@example.dk")) == 1
    assert served.catcher.to("nobody@example.dk") == []
    assert len(served.catcher.messages) == 1


async def verification_page(page, served: Served, handle: str, email: str) -> None:  # type: ignore[no-untyped-def]
    """Log in by link and open the verification page: ``handle``'s ID check pending."""
    from playwright.async_api import expect

    await in_english(page, served)
    await link_login(page, served, email)
    await page.get_by_role("link", name="Verification", exact=True).click()
    await expect(page.locator(f"#id-status-{handle}")).to_have_text("pending")
    await served.shot(page, "01-verification")


async def held(served: Served, domain: str, email: str, **contact: object
               ) -> tuple[EppClient, str]:
    """A registrar's domain for an unverified registrant, registered and on hold."""
    c = await served.registrar()
    handle = await domain_for(c, domain, int(served.now().timestamp()), email, **contact)
    await served.tick()
    info = await c.request(frames.domain_info(domain))
    assert info.dkhm("registrant_validated") == "0"
    assert [s.get("s") for s in info.findall(".//domain:status")] == [
        "serverHold", "serverDeleteProhibited"]
    await drain(c)
    return c, handle


async def assert_activated(c: EppClient, handle: str, domain: str) -> None:
    """Over EPP: the domain is active, its registrant validated, the registrar told."""
    info = await c.request(frames.domain_info(domain))
    assert info.dkhm("registrant_validated") == "1"
    assert [s.get("s") for s in info.findall(".//domain:status")] == ["ok"]
    messages = [poll_msg(m) for m in await drain(c)]
    assert f"{handle} has completed the mandatory ID check - registry" in messages
    assert f"{domain} has been activated" in messages


async def test_cvr_check_activates_the_held_domain(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import expect

    email = "cvr@sandbox-hosting.example"
    c, handle = await held(served, "sandbox-hosting.dk", email, user_type="company",
                           cvr=FIXTURES[0].cvr, name=SANDBOX["name"],
                           street=SANDBOX["street"], city=SANDBOX["city"], pc=SANDBOX["pc"])
    await verification_page(page, served, handle, email)
    await page.get_by_role("button", name="Look up the CVR number").click()
    await expect(page.locator("#outcome")).to_have_text("CVR: verified")
    await expect(page.locator("#id-status")).to_contain_text("completed")
    await served.shot(page, "02-cvr-result")
    await assert_activated(c, handle, "sandbox-hosting.dk")


async def test_document_approved_by_staff_activates_the_held_domain(page, served: Served  # type: ignore[no-untyped-def]
                                                                 ) -> None:
    from playwright.async_api import expect

    email = "astrid@example.se"
    c, handle = await held(served, "astrid.dk", email, name="Astrid Lindgren",
                           street="Drottninggatan 1", city="Stockholm", pc="11151", cc="SE",
                           voice="+46.812345678")
    await verification_page(page, served, handle, email)
    await page.get_by_label("Identity document (PDF, JPEG or PNG)").set_input_files(
        files=[{"name": "passport.png", "mimeType": "image/png", "buffer": PNG}])
    await served.shot(page, "02-upload")
    await page.get_by_role("button", name="Upload the document").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"ID verification result: {handle}")
    await expect(page.locator("#id-status")).to_contain_text("pending")
    await served.shot(page, "03-uploaded")

    async with served.running.services.db.begin() as conn:
        await staff.create(served.ctx(conn), "reviewer@registry.example", PASSWORD)
    await page.goto("/staff/login")
    await page.get_by_label("E-mail", exact=True).fill("reviewer@registry.example")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Identity documents to review")
    await served.shot(page, "04-staff-queue")
    await page.get_by_role("link", name=re.compile(handle)).click()
    await expect(page.locator("#doc-status")).to_have_text("waiting for review")
    await expect(page.get_by_label("Approve")).to_be_checked()
    await served.shot(page, "05-staff-document")
    await page.get_by_role("button", name="Save the decision").click()
    await expect(page.locator("#flash")).to_contain_text("The decision is saved")
    await expect(page.locator("#queue-empty")).to_be_visible()
    await assert_activated(c, handle, "astrid.dk")

    await page.goto("/selfservice/verification")
    await expect(page.locator(f"#id-status-{handle}")).to_have_text("completed")
    await served.shot(page, "06-verified")


async def test_flow2_accepted_before_the_cutoff_closed_after(page, served: Served) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import expect

    email = "flow2@example.dk"
    await served.move_clock("set", "2025-01-10T09:00:00+00:00")  # Flow 2 is allowed
    c = await served.registrar()
    registrant = await setup_registrant(c, email=email)
    for name in ("i-tide.dk", "for-sent.dk"):
        r = await c.request(frames.domain_create(name, registrant, NS))  # no token
        assert r.code == 1001 and r.dkhm("domain_confirmed") == "0", r.msg
    links = {name: SmtpCatcher.link(m) for m in await served.mails(email)
             for name in ("i-tide.dk", "for-sent.dk") if name in SmtpCatcher.text(m)}
    assert sorted(links) == ["for-sent.dk", "i-tide.dk"]
    assert all(v.startswith(served.url + "/selfservice/applications/") for v in links.values())
    await in_english(page, served)

    # four days later, before midnight Copenhagen time: the mail's link, log in, accept.
    # (The login lands on the home page, which does not link the application, so the
    # registrant opens the mail's link again.)
    await served.move_clock("advance", "4d")
    await page.goto(links["i-tide.dk"])
    await expect(page).to_have_url(re.compile(r"/selfservice/login$"))
    await link_login(page, served, email)
    await page.goto(links["i-tide.dk"])
    await expect(page.get_by_role("heading", level=1)).to_have_text("Application for i-tide.dk")
    await expect(page.get_by_text("Deadline for your answer:")).to_have_text(
        "Deadline for your answer: 2025-01-14 23:00:00 UTC")
    await served.shot(page, "01-flow2-before-cutoff")
    await page.get_by_role("button", name="I accept the terms").click()
    await expect(page.locator("#flash")).to_contain_text("The terms are accepted")
    await served.shot(page, "02-flow2-accepted")
    await served.tick()
    [reply] = await drain(c)
    assert poll_msg(reply) == "i-tide.dk has been registered and activated"
    info = await c.request(frames.domain_info("i-tide.dk"))
    assert [s.get("s") for s in info.findall(".//domain:status")] == ["ok"]

    # a day later, past the deadline: the other application can no longer be accepted
    balance = await served.scalar("select sum(balance_ore) from registrars")
    await served.move_clock("advance", "1d")
    await link_login(page, served, email)
    await page.goto(links["for-sent.dk"])
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Application for for-sent.dk")
    await expect(page.locator("#app-closed")).to_contain_text("can no longer be answered")
    await expect(page.get_by_role("button", name="I accept the terms")).to_have_count(0)
    await served.shot(page, "03-flow2-after-cutoff")
    assert await served.scalar(
        "select a.state from applications a join domains d on d.id = a.domain_id "
        "where d.uname = 'for-sent.dk'") == "awaiting_acceptance"
    assert await served.scalar("select sum(balance_ore) from registrars") == balance
    assert await drain(c) == []

"""In real Chromium against a real ``dkreg serve`` (sandbox, simulator provider): the
renewal invoice mail arrives over SMTP, its payment link opens the payment page, the
approved test card on the simulator's hosted page pays it (the simulator calls back over
real HTTP), the page says "paid", the domain is renewed and the receipt mail is sent.
Screenshots go to $DKREG_ARTIFACTS."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from dkreg.app import start
from dkreg.clock import FixedClock
from dkreg.config import Settings
from dkreg.lifecycle.tick import tick
from dkreg.mail.sender import MailSender
from dkreg.store.schema import domains, invoices
from epp.helpers import NS, setup_registrant
from support import PASSWORD, frames
from support.browser import ConsoleWatch
from support.eppclient import EppClient
from support.smtp import SmtpCatcher

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                                   reason=f"{CHROMIUM} is missing")]
MGMT = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-{v}">registrant'
        "</dkhm:management>")


async def test_pay_the_renewal_invoice_from_its_mail(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright, expect

    from dkreg.actions.account.registrars import registrar_create, user_create
    from dkreg.store.context import Ctx

    artifacts = Path(os.environ.get("DKREG_ARTIFACTS", tmp_path)) / "billing-pay"
    artifacts.mkdir(parents=True, exist_ok=True)
    catcher = SmtpCatcher()
    await asyncio.to_thread(catcher.start)
    settings = Settings(data_dir=tmp_path / "data", epp_port=0, http_port=0,
                        lifecycle_interval=3600, smtp_port=catcher.port, dev_mail_catcher=False)
    running = await start(settings, lifecycle=False)
    try:
        services = running.services
        async with services.db.begin() as conn:
            ctx = Ctx(conn=conn, now=services.clock.now(), settings=settings, is_sqlite=True,
                      door="cli")
            await registrar_create(ctx, "REG-500101", "Pay Registrar ApS", "r@pay.example",
                                   5_000_00)
            await user_create(ctx, "REG-500101", "payepp", "epp", PASSWORD)
        c = await EppClient.connect("127.0.0.1", running.epp.port, running.ca_file)
        try:
            assert (await c.login("payepp", PASSWORD)).code == 1000
            await setup_registrant(c)
            r = await c.request(frames.contact_create(
                name="Rita Registrant", email="rita@pay.example", verified=True, dkhm="4.5",
                extra_ext=MGMT.format(v="4.5")))
            rita = r.text(".//contact:id")
            token = int(services.clock.now().timestamp())
            r = await c.request(frames.domain_create("betal-mig.dk", rita, NS, token=token,
                                                     extra_ext=MGMT.format(v="4.3")))
            assert r.code == 1001, r.msg
        finally:
            await c.close()
        await tick(services.db, settings, services.clock.now())
        # the lifecycle 30 days before expiry (registry time moved by the test)
        ahead = services.clock.now() + timedelta(days=336)
        assert (await tick(services.db, settings, ahead)).done["renewal_invoices"] == 1
        sender = MailSender(services.db, settings, FixedClock(ahead))
        await sender.send_due()
        [mail] = [m for m in catcher.to("rita@pay.example") if "Faktura" in m["Subject"]]
        link = SmtpCatcher.link(mail)
        assert link.startswith(f"http://127.0.0.1:{running.http_port}/pay/")

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=["--no-sandbox", "--disable-gpu"])
            context = await browser.new_context(viewport={"width": 1000, "height": 800},
                                                locale="da-DK")
            watch = ConsoleWatch(context)
            page = await context.new_page()
            try:
                await page.goto(link)
                await expect(page.locator("#invoice-status")).to_have_text("Ubetalt")
                await expect(page.locator("#fik")).to_contain_text("+71<")
                await page.screenshot(path=artifacts / "01-invoice.png", full_page=True)
                await page.get_by_role("button", name="Betal").click()
                await expect(page).to_have_url(re.compile(r"/dev/pay/checkout\?"))
                await expect(page.get_by_label(re.compile("4111111111111111"))).to_be_checked()
                await page.screenshot(path=artifacts / "02-simulator.png", full_page=True)
                await page.locator("#sim-pay").click()
                await expect(page.locator("#pay-state")).to_have_text(
                    "Betalingen er gennemført. Fakturaen er betalt.")
                await expect(page.locator("#invoice-status")).to_have_text("Betalt")
                await page.screenshot(path=artifacts / "03-paid.png", full_page=True)
                # the invoice, the simulator's page, the form to it and back: within the CSP
                watch.assert_no_csp_violation()
            finally:
                await browser.close()
        async with services.db.read() as conn:
            row = (await conn.execute(select(domains.c.expires_at, invoices.c.period_start)
                                      .join(invoices, invoices.c.domain_id == domains.c.id)
                                      .where(domains.c.name == "betal-mig.dk"))).one()
        assert row.expires_at.year == row.period_start.year + 1  # renewed by the payment
        sender.clock = FixedClock(services.clock.now() + timedelta(days=1))
        await sender.send_due()
        assert [m for m in catcher.to("rita@pay.example") if "Kvittering" in m["Subject"]]
    finally:
        await running.stop()
        await asyncio.to_thread(catcher.stop)

"""Support for the self-service browser tests: a real ``dkreg serve`` (``app.start``, sandbox,
SQLite in a fresh data directory) whose outbox sends over SMTP to an aiosmtpd catcher, a
registrar speaking real EPP to it, the registry clock moved by the ``dkreg clock`` command
in another process, and the Chromium steps every test shares (log in by a mailed link)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import text

from dkreg.actions.account.registrars import registrar_create, user_create
from dkreg.app import Running, start
from dkreg.config import Settings
from dkreg.lifecycle.tick import TickReport, tick
from dkreg.mail.sender import MailSender
from dkreg.store.context import Ctx
from support import PASSWORD, frames
from support.a11y import assert_clean
from support.epp_objects import unique
from support.eppclient import EppClient
from support.smtp import SmtpCatcher
from test_serve import cli

HOME = re.compile(r"/selfservice/$")


@dataclass
class Served:
    """One running server, the SMTP server its mail goes to, and what the test opened."""

    running: Running
    catcher: SmtpCatcher
    sender: MailSender
    shots: Path
    clients: list[EppClient] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return self.running.services.settings

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.running.http_port}"

    async def shot(self, page: Any, name: str) -> None:
        await page.screenshot(path=self.shots / f"{name}.png", full_page=True)

    def now(self) -> datetime:
        """The server's registry time."""
        return self.running.services.clock.now()

    def ctx(self, conn: Any) -> Ctx:
        return Ctx(conn=conn, now=self.now(), settings=self.settings,
                   is_sqlite=self.running.services.db.is_sqlite, door="cli")

    async def scalar(self, sql: str, **params: object) -> object:
        async with self.running.services.db.read() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def tick(self) -> TickReport:
        """One lifecycle round at the server's time (as its lifecycle loop would run)."""
        return await tick(self.running.services.db, self.settings, self.now())

    async def mails(self, address: str) -> list[EmailMessage]:
        """Send what the outbox holds over SMTP; every mail ``address`` has received."""
        await self.sender.send_due()
        return self.catcher.to(address)

    async def mail_link(self, address: str) -> str:
        """The first link of the newest mail to ``address``."""
        received = await self.mails(address)
        assert received, f"no mail to {address}"
        return SmtpCatcher.link(received[-1])

    async def registrar(self) -> EppClient:
        """A new registrar and an EPP session of its service user (dkhm 4.5)."""
        n = 600001 + len(self.clients)
        handle, login = f"REG-{n}", f"epp{n}"
        async with self.running.services.db.begin() as conn:
            ctx = self.ctx(conn)
            await registrar_create(ctx, handle, f"Registrar {handle}", f"{login}@reg.example",
                                   10_000_00)
            await user_create(ctx, handle, login, "epp", PASSWORD)
        c = await EppClient.connect("127.0.0.1", self.running.epp.port, self.running.ca_file)
        self.clients.append(c)
        assert (await c.login(login, PASSWORD, dkhm="4.5")).code == 1000
        return c

    async def move_clock(self, *args: str) -> datetime:
        """``dkreg clock <args>`` run as a separate process on the server's data directory;
        returns once the running server's clock has followed."""
        shown = (await asyncio.to_thread(cli, self.settings.data_dir, "clock", *args)).stdout
        when = datetime.fromisoformat(shown.split(": ", 1)[1].strip().replace("Z", "+00:00"))
        for _ in range(50):  # the server re-reads the stored offset twice a second
            if abs(self.now() - when) < timedelta(seconds=30):
                return when
            await asyncio.sleep(0.1)
        raise AssertionError(f"the server's clock did not follow `dkreg clock {args}`")


@asynccontextmanager
async def serving(tmp_path: Path, shots: Path) -> AsyncIterator[Served]:
    """``dkreg serve`` without its lifecycle loop (the test runs each round) and without the
    sandbox's own mail catcher: mail goes to a test SMTP server."""
    catcher = SmtpCatcher()
    await asyncio.to_thread(catcher.start)
    settings = Settings(data_dir=tmp_path / "data", epp_port=0, http_port=0,
                        lifecycle_interval=3600, smtp_port=catcher.port,
                        dev_mail_catcher=False)
    try:
        running = await start(settings, lifecycle=False)
        served = Served(running, catcher,
                        MailSender(running.services.db, settings, running.services.clock),
                        shots)
        try:
            yield served
        finally:
            for c in served.clients:
                await c.close()
            await running.stop()
    finally:
        await asyncio.to_thread(catcher.stop)


async def new_contact(c: EppClient, email: str, verified: bool = True,
                      **contact: object) -> str:
    """A contact created over EPP; its handle."""
    r = await c.request(frames.contact_create(email=email, verified=verified, dkhm="4.5",
                                              **contact))  # type: ignore[arg-type]
    assert r.code == 1000, r.msg
    return str(r.text(".//contact:id"))


async def domain_for(c: EppClient, domain: str, token: int, email: str,
                     verified: bool = False, **contact: object) -> str:
    """A new registrant (``contact``) and its domain (Flow 1, with ``token``); the
    registrant's handle. Once processed, an unverified registrant's domain is registered
    but held until the registrant's ID is verified."""
    handle = await new_contact(c, email, verified=verified, **contact)
    zone = unique("dns")
    hosts = [f"ns1.{zone}.net", f"ns2.{zone}.net"]
    for h in hosts:
        assert (await c.request(frames.host_create(h))).code == 1000
    r = await c.request(frames.domain_create(domain, handle, hosts, token=token))
    assert r.code == 1001, r.msg
    return handle


# -- in Chromium ------------------------------------------------------------------------

async def in_english(page: Any, served: Served) -> None:
    """Pages in English; a step that finds nothing fails in seconds, not half a minute."""
    page.set_default_timeout(10_000)
    await page.context.add_cookies([{"name": "dkreg_lang", "value": "en", "url": served.url}])


async def ask_link(page: Any, email: str, shot: Path | None = None) -> str:
    """Ask for a login link on the login page; the visible text of the answer."""
    from playwright.async_api import expect

    await page.goto("/selfservice/login")
    await page.get_by_label("E-mail", exact=True).fill(email)
    await page.get_by_role("button", name="Send me a login link").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    if shot:
        await page.screenshot(path=shot, full_page=True)
    return str(await page.locator("main").inner_text())


async def confirm_link(page: Any, link: str, shot: Path | None = None) -> None:
    """Open a mailed link (a confirmation page, never a password field) and press its
    button: logged in, on the self-service home page."""
    from playwright.async_api import expect

    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Log in with your link")
    await expect(page.locator('input[type="password"]')).to_have_count(0)
    if shot:
        await page.screenshot(path=shot, full_page=True)
    await page.locator("#link-confirm").click()
    await expect(page).to_have_url(HOME)


async def link_login(page: Any, served: Served, email: str) -> str:
    """Log in to self-service in the browser by a link mailed to ``email``; the link."""
    await ask_link(page, email)
    link = await served.mail_link(email)
    await confirm_link(page, link)
    return link


# -- accessibility and layout checks: the harness every browser test shares ------------


async def check_page(page: Any, served: Served, name: str) -> None:
    """axe finds nothing, nothing scrolls sideways, and a screenshot is kept."""
    await assert_clean(page, served.shots / f"{name}.png")

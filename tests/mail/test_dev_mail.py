"""The sandbox mail catcher: ``dkreg serve``'s own SMTP server receives what the outbox
sends and ``/dev/mail`` shows it, links clickable; production has neither."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from dkreg.app import Running, start
from dkreg.config import Settings, load_settings
from dkreg.mail.catcher import MailPortTaken, caught, port_file
from dkreg.mail.outbox import queue_mail
from dkreg.store.context import Ctx
from dkreg.web.dev.mail import HTML_POLICY, linked_text
from support import free_ports

CONTEXT = {"registrar": "Registrar <b>Ø</b>", "handle": "REG-7", "balance_ore": 100,
           "threshold_ore": 0}


def settings_for(db_url: str, data_dir: Path, mode: str = "sandbox") -> Settings:
    http_port, smtp_port = free_ports(2)
    return Settings(data_dir=data_dir, database_url=db_url, mode=mode, epp_port=0,
                    http_port=http_port, smtp_port=smtp_port, mail_interval=0.05,
                    lifecycle_interval=3600, public_base_url=f"http://127.0.0.1:{http_port}")


async def queue(running: Running, to: str) -> None:
    services = running.services
    async with services.db.begin() as conn:
        ctx = Ctx(conn=conn, now=services.clock.now(), settings=services.settings,
                  is_sqlite=services.db.is_sqlite, door="cli")
        await queue_mail(ctx, kind="low_balance", to=to, lang="en", context=CONTEXT)


async def test_serve_catches_its_mail_and_shows_it(db_url: str, tmp_path: Path) -> None:
    settings = settings_for(db_url, tmp_path)
    running = await start(settings)
    try:
        assert running.catcher is not None
        base = settings.public_base_url
        async with httpx.AsyncClient(base_url=base) as http:
            empty = await http.get("/dev/mail")
            assert empty.status_code == 200 and 'id="no-mail"' in empty.text
            await queue(running, "books@example.dk")
            for _ in range(100):
                page = await http.get("/dev/mail")
                if "books@example.dk" in page.text:
                    break
                await asyncio.sleep(0.05)
            assert "Low prepaid balance for REG-7: DKK 1.00" in page.text
            href = page.text.split('<a href="/dev/mail/', 1)[1].split('"', 1)[0]
            one = await http.get("/dev/mail/" + href)
            assert one.status_code == 200
            assert f'<a href="{base}/portal/account" rel="noreferrer">' in one.text
            assert "Registrar &lt;b&gt;Ø&lt;/b&gt;" in one.text  # escaped, not markup
            html = await http.get("/dev/mail/" + href + "/html")
            assert html.headers["content-security-policy"] == HTML_POLICY
            assert "Registrar &lt;b&gt;Ø&lt;/b&gt;" in html.text  # the mail's own escaping
            assert (await http.get("/dev/mail/nope")).status_code == 404
        # kept as a Maildir file in the data directory
        assert len(list((tmp_path / "dev-mail" / "new").iterdir())) == 1
    finally:
        await running.stop()


async def test_production_has_no_catcher_and_no_page(db_url: str, tmp_path: Path) -> None:
    running = await start(settings_for(db_url, tmp_path, mode="production"))
    try:
        assert running.catcher is None
        async with httpx.AsyncClient(base_url=running.services.settings.public_base_url) as h:
            assert (await h.get("/dev/mail")).status_code == 404
    finally:
        await running.stop()


def test_only_the_registrys_own_links_are_clickable() -> None:
    out = str(linked_text("a https://dkreg.example/x b https://evil.example/y <i>",
                          "https://dkreg.example"))
    assert '<a href="https://dkreg.example/x" rel="noreferrer">' in out
    assert "https://evil.example/y" in out and 'href="https://evil' not in out
    assert "&lt;i&gt;" in out


async def test_a_sandbox_on_another_port_links_to_itself(db_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=db_url, epp_port=0, http_port=0,
                        smtp_port=free_ports(1)[0], lifecycle_interval=3600)
    running = await start(settings)
    try:
        assert running.http_port not in (None, 8000)
        assert settings.public_base_url == f"http://127.0.0.1:{running.http_port}"
    finally:
        await running.stop()
    configured = Settings(data_dir=tmp_path / "b", database_url=db_url, epp_port=0,
                          http_port=0, smtp_port=free_ports(1)[0], lifecycle_interval=3600,
                          public_base_url="https://sandbox.example")
    running = await start(configured)
    try:
        assert configured.public_base_url == "https://sandbox.example"  # chosen: kept
    finally:
        await running.stop()


# --- two sandboxes on one machine never share a catcher (issue 10, section 2) ----------

def own_port_settings(data_dir: Path) -> Settings:
    """A sandbox as ``dkreg serve --data-dir`` starts it: no smtp_port configured."""
    return Settings(data_dir=data_dir, epp_port=0, http_port=-1, mail_interval=0.05,
                    lifecycle_interval=3600)


async def wait_caught(settings: Settings, to: str) -> list[str]:
    for _ in range(200):
        got = [m.to for m in caught(settings)]
        if to in got:
            return got
        await asyncio.sleep(0.05)
    raise AssertionError(f"no mail to {to} caught in {settings.data_dir}")


async def test_two_sandboxes_each_catch_their_own_mail(tmp_path: Path) -> None:
    first, second = own_port_settings(tmp_path / "a"), own_port_settings(tmp_path / "b")
    a = await start(first)
    try:
        b = await start(second)
        try:
            assert a.catcher is not None and b.catcher is not None
            assert first.smtp_port != second.smtp_port
            await queue(a, "a@example.dk")
            await queue(b, "b@example.dk")
            assert await wait_caught(first, "a@example.dk") == ["a@example.dk"]
            assert await wait_caught(second, "b@example.dk") == ["b@example.dk"]
        finally:
            await b.stop()
    finally:
        await a.stop()


async def test_the_chosen_port_is_kept_in_the_data_directory(tmp_path: Path) -> None:
    settings = own_port_settings(tmp_path)
    running = await start(settings)
    chosen = settings.smtp_port
    await running.stop()
    assert chosen is not None and port_file(settings).read_text().strip() == str(chosen)
    again = own_port_settings(tmp_path)
    running = await start(again)
    try:
        assert again.smtp_port == chosen
        await queue(running, "again@example.dk")
        await wait_caught(again, "again@example.dk")
    finally:
        await running.stop()


def held_port() -> socket.socket:
    """A port some other program listens on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


async def test_a_taken_port_stops_the_start_naming_the_setting(tmp_path: Path) -> None:
    with held_port() as other:
        taken = other.getsockname()[1]
        settings = own_port_settings(tmp_path)
        settings.smtp_port = taken
        with pytest.raises(MailPortTaken, match=r"smtp_port \(--smtp-port"):
            await start(settings)
        assert not port_file(settings).exists()  # a configured port is not kept
        # the data directory's own port, taken by someone else
        port_file(settings).write_text(f"{taken}\n")
        with pytest.raises(MailPortTaken, match="smtp-port"):
            await start(own_port_settings(tmp_path))
        # what the user sees from dkreg serve
        result = subprocess.run(
            [sys.executable, "-m", "dkreg.cli", "serve", "--data-dir", str(tmp_path / "c"),
             "--epp-port", "0", "--http-port", "-1", "--smtp-port", str(taken)],
            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"127.0.0.1:{taken}" in result.stderr and "--smtp-port" in result.stderr
    assert "smtp_port" in result.stderr and "Traceback" not in result.stderr


def test_smtp_port_is_unset_unless_configured() -> None:
    assert load_settings(env={}).smtp_port is None
    assert load_settings(env={"DKREG_SMTP_PORT": "2600"}).smtp_port == 2600
    assert load_settings(env={}, smtp_port=25).smtp_port == 25

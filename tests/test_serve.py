"""``dkreg serve`` as a registrar's developer runs it: a real process on an empty data
directory, demo data, the sandbox clock moved from another process, SIGTERM, and what it
logs (no third-party chatter; a client that goes away is one plain line)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from dkreg.logs import DemoteChatter
from support import frames, free_ports
from support.eppclient import EppClient
from support.serve_process import read_until_ready

DKREG = [sys.executable, "-m", "dkreg.cli"]


def free_port() -> int:
    return free_ports(1)[0]


def cli(data_dir: Path, *args: str, check: bool = True, env: dict | None = None
        ) -> subprocess.CompletedProcess[str]:  # type: ignore[type-arg]
    result = subprocess.run([*DKREG, *args, "--data-dir", str(data_dir)], capture_output=True,
                            text=True, timeout=60, env=env)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    port, http_port = free_ports(2)
    env = dict(os.environ, DKREG_LIFECYCLE_INTERVAL="0.5", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([*DKREG, "serve", "--data-dir", str(tmp_path), "--epp-port",
                             str(port), "--http-port", str(http_port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    out = read_until_ready(proc)
    assert "Stop with" in out, out
    yield proc, port, tmp_path, out
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


async def wait_poll(c: EppClient, seconds: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        r = await c.request(frames.poll_req())
        if r.code == 1301:
            return r
        await asyncio.sleep(0.2)
    raise AssertionError("no poll message arrived in time")


async def test_sandbox_end_to_end(served) -> None:
    proc, port, data_dir, out = served
    creds = json.loads((data_dir / "demo-credentials.json").read_text())
    # what the developer is told: host, port, user, password, CA file
    assert f"port {port}" in out
    assert creds["password"] in out and creds["login"] in out
    ca = re.search(r"CA file: (\S+)", out).group(1)
    assert Path(ca).exists()
    http = re.search(r"HTTP: (http://\S+)", out).group(1)
    async with httpx.AsyncClient(base_url=http) as web:
        health = (await web.get("/healthz")).json()
        assert health["status"] == "ok" and health["epp_port"] == port
        assert (await web.get("/ca.pem")).text == Path(ca).read_text()
        assert f'<code id="epp-port">{port}</code>' in (await web.get("/")).text
    # the clock is stored with the data: moved from another process, the server follows
    cli(data_dir, "clock", "set", "2025-01-10T09:00:00+00:00")
    c = await EppClient.connect("127.0.0.1", port, ca)
    assert (await c.login(creds["login"], creds["password"])).code == 1000
    await asyncio.sleep(1.0)  # the server re-reads the offset twice a second
    r = await c.request(frames.domain_create("flow2-sandbox.dk", creds["registrant"],
                                             creds["hosts"]))
    assert r.code == 1001, r.msg  # no token in January 2025: Flow 2
    assert r.dkhm("domain_confirmed") == "0"
    tracking_late = r.dkhm("trackingNo")
    r = await c.request(frames.domain_create("accepted-sandbox.dk", creds["registrant"],
                                             creds["hosts"]))
    tracking_ok = r.dkhm("trackingNo")
    # the registrant accepts one of them (self-service does this later; the CLI now)
    accepted = cli(data_dir, "application", "accept", tracking_ok)
    assert tracking_ok in accepted.stdout
    r = await wait_poll(c)
    assert r.text(".//epp:msgQ/epp:msg") == "accepted-sandbox.dk has been registered and activated"
    await c.request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))
    # four days later, past midnight: the other is cancelled by the running server itself
    shown = cli(data_dir, "clock", "advance", "5d").stdout
    assert "2025-01-15" in shown
    r = await wait_poll(c)
    assert r.text(".//domain:name") == "flow2-sandbox.dk"
    assert "not accepted our terms and conditions in time" in r.text(".//epp:msgQ/epp:msg")
    assert r.text(".//domain:paTRID/epp:svTRID").endswith(tracking_late)
    # after 2025-01-15 the token is mandatory
    r = await c.request(frames.domain_create("late-sandbox.dk", creds["registrant"],
                                             creds["hosts"]))
    assert r.code == 2003
    cli(data_dir, "clock", "reset")
    from datetime import UTC, datetime

    shown = cli(data_dir, "clock", "show").stdout
    assert shown.startswith(f"registry time: {datetime.now(UTC):%Y-%m-%d}")
    await c.close()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0


def test_second_start_keeps_data_and_credentials(served) -> None:
    proc, _port, data_dir, out = served
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    port, http_port = free_ports(2)
    again = subprocess.Popen([*DKREG, "serve", "--data-dir", str(data_dir), "--epp-port",
                              str(port), "--http-port", str(http_port)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        seen = read_until_ready(again)
        creds = json.loads((data_dir / "demo-credentials.json").read_text())
        assert creds["password"] in seen  # printed again, not a new demo registrar
        r = cli(data_dir, "ledger", "verify")
        assert "ledger OK" in r.stdout
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(20) == 0


async def test_workers_share_the_port_and_stop_together(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([*DKREG, "serve", "--data-dir", str(tmp_path), "--epp-port",
                             str(port), "--http-port", "-1", "--workers", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out = read_until_ready(proc)
        assert "3 EPP processes share port" in out, out
        children = [int(x) for t in Path(f"/proc/{proc.pid}/task").glob("*/children")
                    for x in t.read_text().split()]
        assert len(children) == 2
        await asyncio.sleep(2)  # the workers bind the port
        creds = json.loads((tmp_path / "demo-credentials.json").read_text())
        clients = [await EppClient.connect("127.0.0.1", port, tmp_path / "tls" / "ca.pem")
                   for _ in range(12)]
        for i, c in enumerate(clients):
            assert (await c.login(creds["login"], creds["password"])).code == 1000
            r = await c.request(frames.domain_create(f"worker-{i}.dk", creds["registrant"],
                                                     creds["hosts"], token=int(time.time())))
            assert r.code == 1001, r.msg
        # every create is processed exactly once, by the first process's lifecycle loop;
        # all twelve sessions belong to the demo registrar and share its poll queue
        names = []
        for _ in range(12):
            r = await wait_poll(clients[0])
            names.append(r.text(".//domain:name"))
            await clients[0].request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))
        assert sorted(names) == sorted(f"worker-{i}.dk" for i in range(12))
        assert (await clients[5].request(frames.poll_req())).code == 1300
        for pid in children:  # the workers bound the shared port and are still serving
            status = Path(f"/proc/{pid}/status").read_text()
            assert "zombie" not in status.lower(), status
        for c in clients:
            await c.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        for pid in children:
            assert not Path(f"/proc/{pid}").exists() or \
                "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    finally:
        if proc.poll() is None:
            proc.kill()


# -- what serve logs ------------------------------------------------------------------

async def test_serve_logs_no_migration_or_smtp_chatter_and_names_a_dropped_client(
        tmp_path: Path) -> None:
    port, http_port, smtp_port = free_ports(3)
    env = dict(os.environ, PYTHONUNBUFFERED="1", DKREG_SMTP_PORT=str(smtp_port))
    env.pop("DKREG_CONFIG", None)
    proc = subprocess.Popen([*DKREG, "serve", "--data-dir", str(tmp_path), "--epp-port",
                             str(port), "--http-port", str(http_port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        out = read_until_ready(proc)
        assert "Stop with" in out, out
        creds = json.loads((tmp_path / "demo-credentials.json").read_text())
        ca = tmp_path / "tls" / "ca.pem"
        # a mail through the sandbox catcher (aiosmtpd logs each SMTP line at INFO)
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.sendmail("a@example.dk", ["b@example.dk"], "Subject: hi\r\n\r\nbody")
        # a logged-in client that drops the TLS connection without logout or close_notify
        c = await EppClient.connect("127.0.0.1", port, ca)
        assert (await c.login(creds["login"], creds["password"])).code == 1000
        dropped_port = c.writer.get_extra_info("sockname")[1]
        c.writer.transport.abort()
        # one that goes away before logging in, and one that logs out properly
        c = await EppClient.connect("127.0.0.1", port, ca)
        anonymous_port = c.writer.get_extra_info("sockname")[1]
        c.writer.transport.abort()
        c = await EppClient.connect("127.0.0.1", port, ca)
        assert (await c.login(creds["login"], creds["password"])).code == 1000
        assert (await c.request(frames.logout())).code == 1500
        await c.close()
        await asyncio.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        out += proc.stdout.read()  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert "alembic" not in out, out
    assert "mail.log" not in out, out
    assert (f"session of {creds['login']} from 127.0.0.1:{dropped_port}: client closed "
            "the connection without logout") in out, out
    assert (f"session from 127.0.0.1:{anonymous_port} (not logged in): client closed "
            "the connection") in out, out
    assert len(re.findall("client closed the connection", out)) == 2, out  # not the logout
    assert "IncompleteReadError" not in out and "Traceback" not in out, out


def test_demoted_chatter_shows_at_debug_as_debug() -> None:
    """At DEBUG the demoted lines are there, labelled DEBUG; at INFO they are not.
    Warnings and dkreg's own INFO lines pass either way."""
    for level, expect_chatter in ((logging.DEBUG, True), (logging.INFO, False)):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        handler.addFilter(DemoteChatter(level))
        # another handler that shows DEBUG sees each record first (the record is
        # shared): its demotion must not make the chatter pass ours
        other = logging.StreamHandler(io.StringIO())
        other.addFilter(DemoteChatter(logging.DEBUG))
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(other)
        root.addHandler(handler)
        root.setLevel(level)
        try:
            logging.getLogger("alembic.runtime.migration").info("Running upgrade")
            logging.getLogger("mail.log").info("handling connection")
            logging.getLogger("mail.log").warning("a real problem")
            logging.getLogger("dkreg.epp").info("EPP listening")
        finally:
            root.removeHandler(handler)
            root.removeHandler(other)
            root.setLevel(old_level)
        text = stream.getvalue()
        assert ("alembic.runtime.migration DEBUG Running upgrade" in text) is expect_chatter
        assert ("mail.log DEBUG handling connection" in text) is expect_chatter
        assert "INFO Running upgrade" not in text and "INFO handling" not in text
        assert "mail.log WARNING a real problem" in text
        assert "dkreg.epp INFO EPP listening" in text


async def test_a_background_task_that_ignores_its_cancel_cannot_hang_the_stop(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A stop waits ``grace`` seconds for the background tasks, then goes on (closing the
    database and the rest) and names the task left behind with its stack."""
    from dkreg.app import start
    from dkreg.config import Settings

    running = await start(Settings(data_dir=tmp_path, epp_port=0, http_port=-1,
                                   lifecycle_interval=3600, dns_server="off"))
    released = asyncio.Event()

    async def stubborn() -> None:  # a loop that swallows its cancel, as a bug might
        while not released.is_set():
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                continue

    running.tasks.append(asyncio.create_task(stubborn(), name="stubborn"))
    try:
        await asyncio.wait_for(running.stop(grace=0.5), 20)
        left = [r for r in caplog.records
                if r.levelno == logging.WARNING and "stubborn" in r.getMessage()]
        assert len(left) == 1 and "did not stop within 0.5 s" in left[0].getMessage()
        assert "in stubborn" in left[0].getMessage()  # its stack
        assert all(t.done() for t in running.tasks if t.get_name() != "stubborn")
    finally:
        released.set()

"""What ``dkreg serve`` logs: third-party INFO chatter is DEBUG; a client that goes away
is one plain line. The served process's own output, with a real TLS client, a real SMTP
client and the real migrations."""

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

from dkreg.logs import DemoteChatter
from support import frames, free_ports
from support.eppclient import EppClient

DKREG = [sys.executable, "-m", "dkreg.cli"]


def _lines_until_ready(proc: subprocess.Popen[str]) -> str:
    out, deadline = "", time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            break
        out += line
        if line.startswith("Stop with"):
            break
    return out


async def test_serve_logs_no_migration_or_smtp_chatter_and_names_a_dropped_client(
        tmp_path: Path) -> None:
    port, http_port, smtp_port = free_ports(3)
    env = dict(os.environ, PYTHONUNBUFFERED="1", DKREG_SMTP_PORT=str(smtp_port))
    env.pop("DKREG_CONFIG", None)
    proc = subprocess.Popen([*DKREG, "serve", "--data-dir", str(tmp_path), "--epp-port",
                             str(port), "--http-port", str(http_port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        out = _lines_until_ready(proc)
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
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(level)
        try:
            logging.getLogger("alembic.runtime.migration").info("Running upgrade")
            logging.getLogger("mail.log").info("handling connection")
            logging.getLogger("mail.log").warning("a real problem")
            logging.getLogger("dkreg.epp").info("EPP listening")
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        text = stream.getvalue()
        assert ("alembic.runtime.migration DEBUG Running upgrade" in text) is expect_chatter
        assert ("mail.log DEBUG handling connection" in text) is expect_chatter
        assert "INFO Running upgrade" not in text and "INFO handling" not in text
        assert "mail.log WARNING a real problem" in text
        assert "dkreg.epp INFO EPP listening" in text

"""``log_format = "json"``: a real ``dkreg serve`` writes one JSON object a line, and every
command is a line keyed by its svTRID with door, command, result code, duration,
registrar and clTRID — the svTRID the client got. Plain text stays the default (and
then the per-command lines are not shown)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support import frames, free_ports
from support.eppclient import EppClient, Reply

DKREG = [sys.executable, "-m", "dkreg.cli"]


def serve(data_dir: Path, **env: str) -> tuple[subprocess.Popen[str], int, list[str]]:
    port, http_port = free_ports(2)
    proc = subprocess.Popen(
        [*DKREG, "serve", "--data-dir", str(data_dir), "--epp-port", str(port),
         "--http-port", str(http_port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env=dict(os.environ, PYTHONUNBUFFERED="1", **env))
    seen: list[str] = []
    for line in proc.stdout:  # type: ignore[union-attr]
        seen.append(line)
        if line.startswith("Stop with"):
            break
    assert seen and seen[-1].startswith("Stop with"), "".join(seen)
    return proc, port, seen


def trid(reply: Reply) -> str:
    sv_trid = reply.text(".//epp:trID/epp:svTRID")
    assert sv_trid
    return sv_trid


async def run_commands(data_dir: Path, port: int) -> tuple[str, str]:
    """A login and a check by the demo registrar; their svTRIDs."""
    creds = json.loads((data_dir / "demo-credentials.json").read_text())
    c = await EppClient.connect("127.0.0.1", port, data_dir / "tls" / "ca.pem")
    try:
        login = await c.login(creds["login"], creds["password"])
        assert login.code == 1000
        check = await c.request(frames.domain_check("json-log.dk"))
        assert check.code == 1000
        return trid(login), trid(check)
    finally:
        await c.close()


def stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    out, _ = proc.communicate(timeout=30)
    return out


async def test_json_lines_name_each_command_by_its_sv_trid(tmp_path: Path) -> None:
    proc, port, _seen = serve(tmp_path, DKREG_LOG_FORMAT="json")
    try:
        login_trid, check_trid = await run_commands(tmp_path, port)
    finally:
        out = stop(proc)
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert lines, out
    assert all({"ts", "level", "logger", "msg"} <= set(line) for line in lines)
    by_trid = {line["svTRID"]: line for line in lines if "svTRID" in line}
    login, check = by_trid[login_trid], by_trid[check_trid]
    assert (login["door"], login["command"], login["code"]) == ("epp", "login", 1000)
    assert (check["door"], check["command"], check["code"]) == ("epp", "domain:check", 1000)
    assert check["registrar"] == login["registrar"] and isinstance(check["registrar"], int)
    assert check["clTRID"] and check["duration_ms"] >= 0
    assert login["logger"] == "dkreg.command"


async def test_plain_text_is_the_default(tmp_path: Path) -> None:
    proc, port, seen = serve(tmp_path)
    try:
        _login, check_trid = await run_commands(tmp_path, port)
    finally:
        out = "".join(seen) + stop(proc)
    assert not any(line.startswith("{") for line in out.splitlines()), out
    assert check_trid not in out  # no line per command in a terminal

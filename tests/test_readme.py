"""The README's EPP session and token commands run, as pasted, against a fresh sandbox
(``dkreg serve`` in a process of its own), so the README cannot rot."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from support import free_ports
from support.reference import validate_frame
from test_serve import read_until_ready

README = Path(__file__).resolve().parents[1] / "README.md"


def shell_blocks() -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", README.read_text(), re.M | re.S)


def session_block() -> str:
    found = [b for b in shell_blocks() if b.startswith(".venv/bin/python - <<'EOF'\n")]
    assert len(found) == 1, "the README's session (a .venv/bin/python heredoc) is missing"
    return found[0]


def readme_line(containing: str) -> str:
    found = [line for b in shell_blocks() for line in b.splitlines() if containing in line]
    assert len(found) == 1, f"no single README command with {containing!r}"
    return found[0].split("  #")[0].strip()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A fresh sandbox as the README's reader has it: a repository directory with
    ``.venv/bin`` (the test venv's python and dkreg) and ``dkreg serve`` on ``./data``."""
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool in ("python", "dkreg"):
        (bin_dir / tool).symlink_to(Path(sys.executable).parent / tool)
    (port,) = free_ports(1)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([str(bin_dir / "dkreg"), "serve", "--data-dir", "data",
                             "--epp-port", str(port), "--http-port", "-1"], cwd=tmp_path,
                            env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        out = read_until_ready(proc)
        assert "Stop with" in out, out
        yield tmp_path, port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()


def bash(script: str, cwd: Path, **env: str) -> str:
    result = subprocess.run(["bash", "-c", script], cwd=cwd, capture_output=True, text=True,
                            timeout=120, env=dict(os.environ, **env))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result.stdout


def test_the_readme_session_runs_against_a_fresh_sandbox(sandbox) -> None:  # type: ignore[no-untyped-def]
    cwd, port = sandbox
    out = bash(session_block(), cwd, DKREG_EPP_PORT=str(port))
    parts = re.split(r"^(C|S): ", out, flags=re.M)
    frames = list(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    for _side, frame in frames:  # what the README sends is valid EPP, and so is every answer
        validate_frame(frame.split("\n\n")[0].encode())
    answers = [f for side, f in frames if side == "S"]
    codes = [m.group(1) for f in answers if (m := re.search(r'<result code="(\d+)"', f))]
    assert codes[:5] == ["1000", "1000", "1000", "1000", "1001"]  # login .. domain create
    assert "1301" in codes and codes[-1] == "1500"
    assert re.search(r"readme-\d+\.dk: readme-\d+\.dk has been registered, but not activated "
                     r"due to pending ID and/or data check; registrant \S+-DK", out), out[-800:]


def test_the_readme_token_commands_follow_the_registry_clock(sandbox) -> None:  # type: ignore[no-untyped-def]
    cwd, _port = sandbox
    wall = readme_line("date +%s ")
    assert abs(int(bash(wall, cwd)) - datetime.now(UTC).timestamp()) < 5
    bash(".venv/bin/dkreg clock set 2025-01-10T09:00:00+00:00 --data-dir data", cwd)
    moved = readme_line("clock show")
    expected = datetime(2025, 1, 10, 9, tzinfo=UTC).timestamp()
    assert abs(int(bash(moved, cwd)) - expected) < 5

"""The README's first command: ``scripts/serve.sh`` starts a working sandbox."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from support import free_ports
from test_serve import read_until_ready

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_serve_script_starts_a_sandbox(tmp_path: Path) -> None:
    epp, http = free_ports(2)
    env = dict(os.environ, DKREG_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([str(REPO / "scripts" / "serve.sh"), "--epp-port", str(epp),
                             "--http-port", str(http)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out = read_until_ready(proc, seconds=240)
        assert "Stop with" in out, out[-3000:]
        assert f"port {epp}" in out and (tmp_path / "tls" / "ca.pem").exists()
        creds = json.loads((tmp_path / "demo-credentials.json").read_text())
        assert creds["password"] in out
        with urllib.request.urlopen(f"http://127.0.0.1:{http}/healthz", timeout=10) as r:
            assert json.load(r)["status"] == "ok"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()

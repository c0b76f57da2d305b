"""A fresh install starts (issue 10, section 1).

The suite itself runs in a virtualenv with the ``[test]`` extra, so a runtime import that
only a test tool brings along (httpx did) never fails here. These tests look from
outside: every import in ``src/dkreg`` must name a runtime dependency, the wheel built
without extras must serve in a virtualenv of its own, and ``scripts/serve.sh`` must start
a sandbox from a fresh clone, creating its own ``.venv`` without test tools.
"""

from __future__ import annotations

import ast
import asyncio
import importlib.metadata
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from support import frames, free_ports
from support.eppclient import EppClient

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "dkreg"
# what every page loads of Det Fælles Designsystem, served by dkreg itself
DESIGN_ASSETS = ("vendor/dkfds/css/dkfds.min.css", "vendor/dkfds/js/dkfds.min.js",
                 "vendor/dkfds/img/all-svg-icons.svg",
                 "vendor/dkfds/fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2",
                 "dkreg.css", "dkreg.js", "nojs.css")


def runtime_dependencies() -> set[str]:
    """The distributions ``pip install dkreg`` brings (no extras), canonical names."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}


def imported_packages() -> dict[str, set[str]]:
    """Top-level third-party import name -> the modules of ``src/dkreg`` importing it
    (imports inside functions included: they run at request time, not at start)."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "dkreg" and top not in sys.stdlib_module_names \
                        and top != "__future__":
                    found.setdefault(top, set()).add(str(path.relative_to(REPO)))
    return found


def test_every_import_is_a_runtime_dependency() -> None:
    """An import whose distribution comes only with ``[test]`` (or transitively, by luck)
    crashes ``pip install dkreg`` at start; each must be a declared dependency."""
    runtime = runtime_dependencies()
    providers = importlib.metadata.packages_distributions()
    missing = {}
    for top, modules in sorted(imported_packages().items()):
        dists = {canonicalize_name(d) for d in providers.get(top, [])}
        if not dists & runtime:
            missing[top] = sorted(modules)
    assert not missing, f"imported but not in [project] dependencies: {missing}"


# --- the install itself, from outside --------------------------------------------------

def fresh_clone(dest: Path) -> Path:
    """What a fresh ``git clone`` of this checkout holds: its tracked (and new, not
    ignored) files as they are in the work tree, without .venv, data or build output."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=REPO, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the work tree is gone in a clone too
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def outside_env(**extra: str) -> dict[str, str]:
    """The environment of a shell that never activated the test virtualenv: no DKREG_*
    settings, no PYTHONPATH, the test venv's bin off PATH."""
    venv_bin = str(Path(sys.prefix) / "bin")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("DKREG_") and k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and p != venv_bin)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def base_python() -> str:
    """The interpreter the test venv was made from (a venv made from it inherits nothing)."""
    return getattr(sys, "_base_executable", None) or shutil.which("python3") or sys.executable


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> None:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{cmd}: {result.stdout[-2000:]}{result.stderr[-4000:]}"


def wait_ready(proc: subprocess.Popen[str], seconds: float) -> str:
    """What the server printed up to its "Stop with" line, or all of it when it died."""
    from test_serve import read_until_ready

    out = read_until_ready(proc, seconds)
    if "Stop with" not in out and proc.poll() is not None:
        out += proc.stdout.read() if proc.stdout else ""
    return out


async def assert_serves(out: str, cwd: Path, data_dir: Path, epp_port: int,
                        http_port: int) -> None:
    """The EPP greeting over TLS (the dev certificate verified for 127.0.0.1 and
    localhost), a demo login, and /healthz 200."""
    assert "Stop with" in out, out[-6000:]
    assert f"port {epp_port}" in out
    ca = data_dir / "tls" / "ca.pem"
    printed = re.search(r"CA file: (\S+)", out)
    assert printed and (cwd / printed.group(1)).resolve() == ca.resolve(), out
    tls = ssl.create_default_context(cafile=str(ca))
    for name in ("127.0.0.1", "localhost"):
        _, writer = await asyncio.open_connection("127.0.0.1", epp_port, ssl=tls,
                                                  server_hostname=name)
        writer.close()
    c = await EppClient.connect("127.0.0.1", epp_port, ca)
    try:
        assert c.greeting is not None and c.greeting.find(".//epp:greeting") is not None
        creds = json.loads((data_dir / "demo-credentials.json").read_text())
        assert creds["password"] in out  # what the developer is told
        assert (await c.login(creds["login"], creds["password"])).code == 1000
        assert (await c.request(frames.logout())).code == 1500
    finally:
        await c.close()
    with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/healthz", timeout=10) as r:
        assert r.status == 200 and json.load(r)["status"] == "ok"
    # the pages import the identity and payment adapters: they answer too
    with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/registrars", timeout=10) as r:
        assert r.status == 200
        page = r.read().decode()
    # ...in the design system, whose files this install serves itself
    for asset in DESIGN_ASSETS:
        if asset.endswith((".css", ".js")):  # the frame links these; the rest they load
            assert f'"/static/{asset}"' in page, asset
        url = f"http://127.0.0.1:{http_port}/static/{asset}"
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200 and r.read(), url


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            assert proc.wait(30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


@pytest.mark.slow
async def test_the_wheel_without_extras_serves_from_a_fresh_virtualenv(tmp_path: Path) -> None:
    tree = fresh_clone(tmp_path / "clone")
    env = outside_env()
    # the design system comes from npm and is copied into the package before the build
    run(["npm", "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"], tree, env)
    run([base_python(), "scripts/vendor_assets.py"], tree, env)
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"),
         str(tree)], tmp_path, env)
    wheel = next((tmp_path / "dist").glob("dkreg-*.whl"))
    with zipfile.ZipFile(wheel) as whl:
        carried = set(whl.namelist())
    for asset in DESIGN_ASSETS:
        assert f"dkreg/web/static/{asset}" in carried, f"the wheel lacks {asset}"
    venv = tmp_path / "venv"
    run([base_python(), "-m", "venv", str(venv)], tmp_path, env)
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], tmp_path, env)
    data_dir = tmp_path / "data"
    epp, http, smtp = free_ports(3)
    proc = subprocess.Popen([str(venv / "bin" / "dkreg"), "serve", "--data-dir", str(data_dir),
                             "--epp-port", str(epp), "--http-port", str(http),
                             "--smtp-port", str(smtp)], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        await assert_serves(wait_ready(proc, 120), tmp_path, data_dir, epp, http)
    finally:
        stop(proc)


@pytest.mark.slow
async def test_serve_script_on_a_fresh_clone(tmp_path: Path) -> None:
    """The README's first command, as a new user runs it: bootstrap makes ``.venv``
    without the test extra, and the arguments reach ``dkreg serve``."""
    tree = fresh_clone(tmp_path / "clone")
    assert not (tree / ".venv").exists()
    epp, http = free_ports(2)
    proc = subprocess.Popen([str(tree / "scripts" / "serve.sh"), "--epp-port", str(epp),
                             "--http-port", str(http)], cwd=tree, env=outside_env(),
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        await assert_serves(wait_ready(proc, 280), tree, tree / "data", epp, http)
        assert not (tree / ".venv" / ".dkreg-installed-test").exists()  # no test tools
    finally:
        stop(proc)

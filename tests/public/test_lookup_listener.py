"""The lookup listener (``lookup_port``, ``web/lookup_app.py``): RDAP, WHOIS REST and DAS
in processes of their own.

In process, on both backends: the lookup app answers as the main app does (the same
doors), its errors stay in the doors' form, pages are not there, and ``/healthz`` names
the process. As ``dkreg serve`` runs it: ``--lookup-workers 2`` gives two processes on
one port that answer what EPP wrote a moment ago, a killed one is replaced, and SIGTERM
stops them all; and a server with ``run_lifecycle`` off processes nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from dkreg.app import Running
from dkreg.web.asgi import build_app
from dkreg.web.lookup_app import build_lookup_app
from epp.update_support import ready_registrar
from support import frames, free_ports
from support.eppclient import EppClient
from support.rdap_schema import assert_valid
from support.serve_process import alive, children, read_until_ready

DKREG = [sys.executable, "-m", "dkreg.cli"]
RDAP = {"Accept": "application/rdap+json"}


async def _get(app: object, path: str, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 4242))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://lookup") as c:
        return await c.get(path, headers=headers)


async def test_the_lookup_app_answers_as_the_main_app(registry) -> None:  # type: ignore[no-untyped-def]
    c, _handle, _contact = await ready_registrar(registry, "opslag.dk")
    await c.close()
    lookup = build_lookup_app(registry.services)
    main = build_app(Running(services=registry.services, epp=registry.server, tasks=[],
                             ca_file=None))
    for path, headers in (("/rdap/domain/opslag.dk", RDAP),
                          ("/whois-api/domain/opslag.dk", {"Accept": "application/json"})):
        mine, theirs = await _get(lookup, path, headers), await _get(main, path, headers)
        assert mine.status_code == theirs.status_code == 200, (path, mine.text)
        assert mine.headers["content-type"] == theirs.headers["content-type"]
        assert mine.headers["x-content-type-options"] == "nosniff"  # the browser headers
        assert mine.json() == theirs.json(), path
    assert_valid("domain", (await _get(lookup, "/rdap/domain/opslag.dk", RDAP)).json())
    # errors in the doors' own form, the bad-input guard included
    bad = await _get(lookup, "/rdap/domain/a%00b.dk", RDAP)
    assert bad.status_code == 400 and bad.json()["errorCode"] == 400
    unknown = await _get(lookup, "/rdap/autnum/1", RDAP)
    assert unknown.status_code == 501 and "errorCode" in unknown.json()
    # the pages are the main app's
    assert (await _get(lookup, "/portal/", {})).status_code == 404
    health = await _get(lookup, "/healthz", {})
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["pid"] == os.getpid()


async def _pids(port: int, tries: int = 40) -> set[int]:
    """The processes that answered ``/healthz`` over ``tries`` new connections."""
    seen = set()
    for _ in range(tries):
        async with httpx.AsyncClient(timeout=5) as c:  # a new connection each time
            r = await c.get(f"http://127.0.0.1:{port}/healthz")
        assert r.status_code == 200, r.text
        seen.add(r.json()["pid"])
    return seen


@pytest.mark.timeout(180)
async def test_lookup_processes_share_the_port_are_replaced_and_stop(tmp_path: Path) -> None:
    epp_port = free_ports(1)[0]
    env = dict(os.environ, DKREG_LIFECYCLE_INTERVAL="0.3", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([*DKREG, "serve", "--data-dir", str(tmp_path), "--epp-port",
                             str(epp_port), "--http-port", "-1", "--whois-port", "-1",
                             "--lookup-port", "0", "--lookup-workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    try:
        out = read_until_ready(proc, 90)
        found = re.search(r"Lookups \(RDAP, WHOIS REST, DAS\): http://127\.0\.0\.1:(\d+)/"
                          r"rdap/help  \(2 processes\)", out)
        assert found, out
        port = int(found.group(1))
        workers = children(proc.pid)
        assert len(workers) == 2, out
        for _ in range(50):  # both bind within moments of the first
            if len(answering := await _pids(port, 10)) == 2:
                break
            await asyncio.sleep(0.2)
        assert answering == workers  # the two processes, not the main one
        # what EPP writes in the main process, the lookup processes answer
        creds = json.loads((tmp_path / "demo-credentials.json").read_text())
        c = await EppClient.connect("127.0.0.1", epp_port, tmp_path / "tls" / "ca.pem")
        assert (await c.login(creds["login"], creds["password"])).code == 1000
        r = await c.request(frames.domain_create("lytter.dk", creds["registrant"],
                                                 creds["hosts"], token=int(time.time())))
        assert r.code == 1001, r.msg
        await c.close()
        async with httpx.AsyncClient(timeout=5) as h:
            for _ in range(100):
                got = await h.get(f"http://127.0.0.1:{port}/rdap/domain/lytter.dk",
                                  headers=RDAP)
                if got.status_code == 200 and "active" in got.json()["status"]:
                    break
                await asyncio.sleep(0.2)
            assert got.status_code == 200 and got.json()["ldhName"] == "lytter.dk", got.text
            assert_valid("domain", got.json())
            das = await h.get(f"http://127.0.0.1:{port}/das/domain/is_available/lytter.dk",
                              headers={"Accept": "application/json"})
            assert das.status_code == 401  # DAS is there, and wants its service user
        # a lookup process that dies is replaced, and the port keeps answering
        victim = sorted(workers)[0]
        os.kill(victim, signal.SIGKILL)
        for _ in range(100):
            now = children(proc.pid)
            if victim not in now and len(now) == 2 and all(alive(p) for p in now):
                break
            await asyncio.sleep(0.1)
        assert victim not in now and len(now) == 2, now
        for _ in range(50):
            if (await _pids(port, 10)) == now:
                break
            await asyncio.sleep(0.2)
        assert await _pids(port, 20) <= now
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert not any(alive(p) for p in now)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


@pytest.mark.timeout(120)
async def test_lookup_processes_stop_when_the_main_process_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves the main process no stop to run: its lookup processes notice it is
    gone and end, rather than serve on for a registry nobody runs."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([*DKREG, "serve", "--data-dir", str(tmp_path), "--epp-port",
                             str(free_ports(1)[0]), "--http-port", "-1", "--whois-port", "-1",
                             "--lookup-port", "0", "--lookup-workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    try:
        out = read_until_ready(proc, 90)
        assert "(2 processes)" in out, out
        workers = children(proc.pid)
        assert len(workers) == 2 and all(alive(p) for p in workers)
        proc.kill()
        proc.wait(10)
        for _ in range(100):
            if not any(alive(p) for p in workers):
                break
            await asyncio.sleep(0.1)
        assert not any(alive(p) for p in workers)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


@pytest.mark.timeout(120)
async def test_a_server_without_lifecycle_processes_nothing(tmp_path: Path) -> None:
    """``run_lifecycle = false``: a host of doors only leaves the queue to the host that
    runs lifecycle work — a create stays an application."""
    epp_port = free_ports(1)[0]
    env = dict(os.environ, DKREG_LIFECYCLE_INTERVAL="0.2", DKREG_RUN_LIFECYCLE="false",
               PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([*DKREG, "serve", "--data-dir", str(tmp_path), "--epp-port",
                             str(epp_port), "--http-port", "-1", "--whois-port", "-1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    try:
        out = read_until_ready(proc, 90)
        assert "Stop with" in out, out
        creds = json.loads((tmp_path / "demo-credentials.json").read_text())
        c = await EppClient.connect("127.0.0.1", epp_port, tmp_path / "tls" / "ca.pem")
        assert (await c.login(creds["login"], creds["password"])).code == 1000
        r = await c.request(frames.domain_create("ingen-livscyklus.dk", creds["registrant"],
                                                 creds["hosts"], token=int(time.time())))
        assert r.code == 1001, r.msg
        await asyncio.sleep(2.0)  # ten lifecycle intervals
        r = await c.request(frames.domain_info("ingen-livscyklus.dk"))
        assert r.code == 1000
        statuses = {s.get("s") for s in r.findall(".//domain:status")}
        assert "pendingCreate" in statuses and "ok" not in statuses, statuses
        await c.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)

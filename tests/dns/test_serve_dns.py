"""What the README promises a registrar's developer: ``dkreg serve`` starts the sandbox's
own Knot DNS, and a domain created over EPP answers there, signed, a moment later — the
whole path through a real process: EPP create, lifecycle activation, the zone-change
journal, the publisher's TSIG-signed update, Knot's signing. Then a stop and a second
start on the same data keep serving it (the zone is generated afresh at each start)."""

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

import dns.flags
import dns.rdatatype
import httpx
import pytest

from dkreg.dns.knot import knotd_available
from support import frames, free_ports
from support.eppclient import EppClient
from support.knot import delv, dig

DKREG = [sys.executable, "-m", "dkreg.cli"]

pytestmark = pytest.mark.skipif(not knotd_available(), reason="Knot DNS (knotd) is not "
                                "installed: scripts/bootstrap.sh installs it")


def _serve(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    port, http_port = free_ports(2)
    env = dict(os.environ, DKREG_LIFECYCLE_INTERVAL="0.5", PYTHONUNBUFFERED="1",
               DKREG_DNS_SERVER="knot", DKREG_DNS_PORT="0", DKREG_DNS_PUBLISH_DELAY="4")
    proc = subprocess.Popen([*DKREG, "serve", "--data-dir", str(data_dir), "--epp-port",
                             str(port), "--http-port", str(http_port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    out, deadline = "", time.time() + 120
    while time.time() < deadline:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line:
            break
        out += line
        if line.startswith("Stop with"):
            break
    assert "Stop with" in out, out
    return proc, out


def _ns(host: str, port: int, name: str) -> list[str]:
    """The delegation's NS set as the parent's server refers to it."""
    r = dig(host, port, name, "NS", dnssec=True)
    return sorted(str(rd.target).rstrip(".") for rrset in r.authority
                  if rrset.rdtype == dns.rdatatype.NS for rd in rrset)


async def _until_ns(host: str, port: int, name: str, seconds: float = 60.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = await asyncio.to_thread(_ns, host, port, name)
        if found:
            return found
        await asyncio.sleep(0.3)
    raise AssertionError(f"{name} is not delegated in the sandbox's zone after {seconds} s")


async def test_a_domain_created_over_epp_answers_in_the_sandboxs_signed_zone(
        tmp_path: Path) -> None:
    proc, out = _serve(tmp_path)
    try:
        found = re.search(r"DNS: zone dk\. published to the sandbox's Knot DNS at (\S+) "
                          r"port (\d+)", out)
        assert found, out
        host, dns_port = found.group(1), int(found.group(2))
        assert f"dig @{host} -p {dns_port} dk SOA +dnssec" in out
        soa = await asyncio.to_thread(dig, host, dns_port, "dk", "SOA", dnssec=True)
        assert soa.flags & dns.flags.AA and any(
            rrset.rdtype == dns.rdatatype.RRSIG for rrset in soa.answer)  # signed
        creds = json.loads((tmp_path / "demo-credentials.json").read_text())
        epp_port = int(re.search(r"EPP over TLS: host \S+ port (\d+)", out).group(1))
        ca = re.search(r"CA file: (\S+)", out).group(1)
        c = await EppClient.connect("127.0.0.1", epp_port, ca)
        assert (await c.login(creds["login"], creds["password"])).code == 1000
        started = time.monotonic()
        r = await c.request(frames.domain_create(
            "eksempel-sandbox.dk", creds["registrant"], creds["hosts"],
            token=int(time.time())))
        assert r.code == 1001, r.msg
        served = await _until_ns(host, dns_port, "eksempel-sandbox.dk")
        took = time.monotonic() - started
        assert served == sorted(h.lower() for h in creds["hosts"])
        assert took < 60, f"{took:.1f} s from create to the name server"
        # the chain from the sandbox's trust anchor validates the delegation's denial of DS
        anchor = tmp_path / "anchor.conf"
        made = subprocess.run([*DKREG, "zone", "trust-anchor", "--data-dir", str(tmp_path),
                               "--output", str(anchor)], capture_output=True, text=True,
                              env=dict(os.environ, DKREG_DNS_SERVER="knot", DKREG_DNS_PORT="0"))
        assert made.returncode == 0, made.stderr
        ok, shown = await asyncio.to_thread(delv, host, dns_port, "eksempel-sandbox.dk", "DS",
                                            anchor=anchor, root="dk")
        assert ok, shown
        http = re.search(r"HTTP: (http://\S+)", out).group(1)
        async with httpx.AsyncClient(base_url=http) as web:
            health = (await web.get("/healthz")).json()
            assert health["status"] == "ok", health
            assert health["zone"]["server"] == f"{host}:{dns_port}"
            assert health["zone"]["journal_depth"] == 0
        await c.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    # a second start on the same data: the same port, the domain still served
    again, out = _serve(tmp_path)
    try:
        assert f"port {dns_port}" in out
        assert await _until_ns(host, dns_port, "eksempel-sandbox.dk", 10) == served
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(30) == 0

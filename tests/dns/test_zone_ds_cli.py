"""``dkreg zone ds`` and ``dkreg zone trust-anchor``: the key set of the zone the real
name server signs, as the parent (DS) and a validating resolver (trust anchor) need it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dns.rcode
import dns.update

from dkreg.dns.knot import KnotServer
from support.knot import apex_zone_text, delv, knot_settings, running_knot

DKREG = [sys.executable, "-m", "dkreg.cli"]


def run(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "DKREG_DNS_PORT": "0", "DKREG_DNS_SERVER": "knot", **env}
    return subprocess.run([*DKREG, "zone", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=120, env=environ)


def test_zone_ds_from_the_running_sandbox_server(tmp_path: Path) -> None:
    settings = knot_settings(tmp_path)
    server = KnotServer(settings, tmp_path / "dns")  # where `dkreg serve` keeps it
    server.start(apex_zone_text(settings))
    try:
        r = run(tmp_path, "ds")
        assert r.returncode == 0, r.stderr
        assert r.stdout.splitlines() == [f"dk. IN DS {ds}" for ds in server.ds_for_parent()]
        assert " 13 2 " in r.stdout  # ECDSA P-256, SHA-256 digest

        anchor = tmp_path / "anchor.conf"
        r = run(tmp_path, "trust-anchor", "--output", str(anchor))
        assert r.returncode == 0, r.stderr
        assert "delv -a" in r.stderr
        assert anchor.read_text() == server.trust_anchor_file().read_text()
        assert run(tmp_path, "trust-anchor").stdout == anchor.read_text()
        ok, output = delv(server, "dk", "SOA", anchor=anchor)
        assert ok, output
    finally:
        server.stop()


def test_zone_ds_starts_a_stopped_server_briefly(tmp_path: Path) -> None:
    settings = knot_settings(tmp_path)
    server = KnotServer(settings, tmp_path / "dns")
    server.start(apex_zone_text(settings))
    expected = server.ds_for_parent()
    server.stop()
    assert not server.answering()

    r = run(tmp_path, "ds")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [f"dk. IN DS {ds}" for ds in expected]  # same keys
    assert not server.answering()  # and stopped again
    log = (tmp_path / "dns" / "knotd.log").read_text()
    assert log.count("dkreg: starting knotd") == 2


def test_zone_ds_without_a_server_says_what_to_do(tmp_path: Path) -> None:
    r = run(tmp_path, "ds")
    assert r.returncode == 1
    assert "dkreg serve" in r.stderr and "no keys yet" in r.stderr
    assert not (tmp_path / "dns" / "knotd.log").exists()  # nothing was started


def test_zone_ds_from_the_operators_primary(tmp_path: Path) -> None:
    """Production: the DS comes from the key set of the operator's signer."""
    with running_knot(knot_settings(tmp_path), tmp_path) as primary:
        update = dns.update.UpdateMessage("dk.", keyring=primary.tsig.keyring(),
                                          keyname=primary.tsig.name)
        update.add("eksempel.dk.", 3600, "NS", "ns.andet.dk.")
        assert dns.query.tcp(update, primary.host, port=primary.port).rcode() == \
            dns.rcode.NOERROR
        r = run(tmp_path / "dkreg", "ds", DKREG_DNS_SERVER="primary",
                DKREG_DNS_PRIMARY=f"{primary.host}:{primary.port}")
        assert r.returncode == 0, r.stderr
        assert r.stdout.splitlines() == [f"dk. IN DS {ds}" for ds in primary.ds_for_parent()]
        assert not (tmp_path / "dkreg" / "dns" / "knotd.log").exists()

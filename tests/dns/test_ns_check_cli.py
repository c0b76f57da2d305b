"""``dkreg sandbox ns add|list|remove`` against a real database, and the stored test zones
loaded into a real knotd (``load_all``, as ``dkreg serve`` does at start) and asked by
the sandbox probe."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from dkreg.config import Settings
from dkreg.dns import check as check_module
from dkreg.dns import test_zones
from dkreg.dns.check import Server, check_delegation
from dkreg.store.db import Database
from support.knot import dig
from support.name_servers import name_servers

DKREG = [sys.executable, "-m", "dkreg.cli"]
START = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
KEY = ("257 3 13 WliXPjeGKimFkjOf2UNmPDYkklA4pV7TE8K5EKAz/ZUDL4ZvgXuC6CII2xblSnKg"
       "otyQytwRL8rNZrLY8FTb+Q==")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DKREG_DNS_SERVER="off")
    return subprocess.run([*DKREG, *args], capture_output=True, text=True, timeout=120,
                          env=env)


async def test_sandbox_ns_add_list_remove_and_serve(db_url: str, tmp_path: Path) -> None:
    common = ["--data-dir", str(tmp_path), "--database-url", db_url]
    r = run("sandbox", "ns", "add", "Eksempel.DK", "--ns", "ns1.hosting.net", "--ns",
            "ns2.hosting.net", "--dnskey", KEY, *common)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("test zone eksempel.dk: ns1.hosting.net, ns2.hosting.net "
                               "answer for it; stored")
    r = run("sandbox", "ns", "add", "æble.dk", "--ns", "ns1.hosting.net", *common)
    assert r.returncode == 0, r.stderr
    r = run("sandbox", "ns", "add", "bad.dk", "--ns", "ns1.hosting.net", "--dnskey", "xyz",
            *common)
    assert r.returncode == 2 and "not a DNSKEY" in r.stderr
    r = run("sandbox", "ns", "add", "ikke-dk.com", "--ns", "ns1.hosting.net", *common)
    assert r.returncode == 1 and "2306" in r.stderr
    listing = run("sandbox", "ns", "list", *common).stdout.splitlines()
    assert [line.split("\t")[:3] for line in listing] == [
        ["eksempel.dk", "ns1.hosting.net ns2.hosting.net", "1 DNSKEY"],
        ["xn--ble-xla.dk", "ns1.hosting.net", "0 DNSKEY"]]

    # what serve does at start: the server holds exactly the stored zones
    db = Database(db_url)
    try:
        with name_servers(tmp_path, {"127.0.0.1": {"old.dk": test_zones.zone_text(
                "old.dk", ["ns1.old.dk"])}}) as (knot,):
            async with db.read() as conn:
                assert await test_zones.load_all(conn, knot) == 2
            assert knot.test_zones() == ["eksempel.dk", "xn--ble-xla.dk"]
            s = Settings(data_dir=tmp_path)
            s.ns_check, s.dns_host, s.dns_port = "sandbox", knot.host, knot.port
            check_module.clear_cache()
            result = await check_delegation(
                s, "xn--ble-xla.dk", [Server("ns1.hosting.net"), Server("ns2.hosting.net")],
                test_zone="v1")
            assert [a.outcome for a in result.answers] == ["answered", "not_authoritative"]
            # what serve's keep_loaded does when another process stores or drops a zone
            async with db.read() as conn:
                loaded = {z.name: z.text for z in await test_zones.test_zone_definitions(conn)}
            async with db.begin() as conn:
                await test_zones.store(conn, START, "ny.dk", ["ns1.hosting.net"])
                await test_zones.store(conn, START, "eksempel.dk", ["ns3.hosting.net"])
                await test_zones.remove(conn, "xn--ble-xla.dk")
            async with db.read() as conn:
                assert await test_zones.sync(conn, knot, loaded) == 3
                assert await test_zones.sync(conn, knot, loaded) == 0
            assert knot.test_zones() == ["eksempel.dk", "ny.dk"]
            ns = dig(knot, "eksempel.dk", "NS")
            assert [rd.target.to_text() for rr in ns.answer for rd in rr] == [
                "ns3.hosting.net."]
    finally:
        await db.dispose()

    r = run("sandbox", "ns", "remove", "ny.dk", *common)
    assert r.returncode == 0 and r.stdout.startswith("test zone ny.dk removed")
    r = run("sandbox", "ns", "remove", "æble.dk", *common)
    assert r.returncode == 1 and "no test zone for xn--ble-xla.dk" in r.stdout
    assert len(run("sandbox", "ns", "list", *common).stdout.splitlines()) == 1


def test_test_zones_are_for_the_sandbox(db_url: str, tmp_path: Path) -> None:
    env = dict(os.environ, DKREG_MODE="production", DKREG_DNS_SERVER="off")
    r = subprocess.run([*DKREG, "sandbox", "ns", "add", "eksempel.dk", "--ns", "ns1.x.net",
                        "--data-dir", str(tmp_path), "--database-url", db_url],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 2 and "sandbox" in r.stderr


def test_the_sandbox_probe_finds_a_server_on_a_free_port(tmp_path: Path) -> None:
    from dkreg.dns.probe import sandbox_address

    s = Settings(data_dir=tmp_path)
    s.dns_port = 0
    assert sandbox_address(s) == ("127.0.0.1", 0)
    (tmp_path / "dns").mkdir()
    (tmp_path / "dns" / "port").write_text("40123\n")
    assert sandbox_address(s) == ("127.0.0.1", 40123)
    s.dns_port = 8053  # the port file says where the last start bound, configured or not
    assert sandbox_address(s) == ("127.0.0.1", 40123)
    (tmp_path / "dns" / "port").unlink()
    assert sandbox_address(s) == ("127.0.0.1", 8053)

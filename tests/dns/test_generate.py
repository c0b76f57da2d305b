"""Full zone generation (``dkreg zone generate``): the master file holds exactly the
delegations the registry's rules admit — the records ``dns.content.owner_records`` gives,
which the publisher sends — passes the zone checkers of BIND and Knot, carries a serial
that only goes up, and is written atomically by the CLI. Both backends."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.config import Settings
from dkreg.dns import serial as zone_serial
from dkreg.dns.content import owner_records
from dkreg.dns.generate import ZoneStats, write_zone, zone_text
from dkreg.store.db import Database
from dkreg.store.schema import domains, hosts
from support.settings import make_settings
from support.zone_data import (
    AERO,
    CASES_ABSENT,
    CASES_EXPECTED,
    ROE,
    load_cases,
    load_random,
)

Zone = dict[str, list[tuple[str, str]]]


@pytest_asyncio.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(db_url, tmp_path)


def parse(text: str, origin: str = "dk.") -> tuple[Zone, Zone, list[str]]:
    """(apex records, records below the apex, owners in file order) of a master file
    written one record a line as the generator writes it."""
    apex: Zone = {}
    below: Zone = {}
    order: list[str] = []
    apex_names = {origin}
    for line in text.splitlines():
        if not line or line.startswith((";", "$")):
            continue
        owner, klass, rtype, rdata = line.split(None, 3)
        assert klass == "IN" and owner.endswith(".") and owner == owner.lower(), line
        if rtype == "NS" and owner == origin:
            apex_names.add(rdata)
        target = apex if owner in apex_names else below
        target.setdefault(owner, []).append((rtype, rdata))
        if target is below and (not order or order[-1] != owner):
            order.append(owner)
    return apex, below, order


async def generate(db: Database, settings: Settings, now: int = 1_780_000_000,
                   **kw: object) -> tuple[str, ZoneStats]:
    buf = io.StringIO()
    async with db.begin() as conn:
        stats = await write_zone(conn, settings, buf, now_unix=now, **kw)  # type: ignore[arg-type]
    return buf.getvalue(), stats


async def every_name(conn: AsyncConnection) -> list[str]:
    return sorted({*(await conn.execute(select(domains.c.name))).scalars(),
                   *(await conn.execute(select(hosts.c.name))).scalars()})


async def names_by_id(db: Database, names: set[str]) -> list[str]:
    """``names`` in the order of their live domains' ids: the file's order."""
    async with db.read() as conn:
        rows = await conn.execute(select(domains.c.name).where(
            domains.c.name.in_(names), domains.c.released_at.is_(None))
            .order_by(domains.c.id))
        return list(rows.scalars())


async def test_the_cases_hold_exactly_what_the_rules_admit(db: Database,
                                                           settings: Settings) -> None:
    async with db.begin() as conn:
        await load_cases(conn)
    text, stats = await generate(db, settings)
    apex, below, order = parse(text)
    got = {owner.rstrip("."): sorted(recs) for owner, recs in below.items()}
    assert got == CASES_EXPECTED
    assert not set(CASES_ABSENT) & set(got)
    # IDNs as A-labels, never U-labels
    assert ROE.startswith("xn--") and AERO.startswith("xn--")
    assert "rødby" not in text and "ærø" not in text and text.isascii()
    # delegations in the order the registry stored them, each followed by its own glue
    delegated = {"plain.dk", "limvej.dk", "andet.dk", ROE, AERO, "again.dk", "ok-signed.dk"}
    domains_in_order = [o.rstrip(".") for o in order if o.rstrip(".") in delegated]
    assert domains_in_order == await names_by_id(db, delegated)
    assert order.index("ns1.limvej.dk.") == order.index("limvej.dk.") + 1
    # the apex from the settings: SOA, NS set, in-zone glue
    assert apex["dk."][0] == ("SOA", f"a.nic.dk. hostmaster.punktum.dk. {stats.serial} "
                                     "1800 900 1814400 3600")
    assert sorted(apex["dk."][1:]) == [("NS", "a.nic.dk."), ("NS", "b.nic.dk.")]
    assert apex["a.nic.dk."] == [("A", "127.0.0.1")]
    assert stats.delegated == 7 and stats.domains == 8  # tom.dk is in, without NS
    assert stats.records == sum(len(v) for v in below.values()) + 5  # SOA, 2 NS, 2 A
    assert stats.bytes == len(text.encode())


async def test_apex_glue_only_inside_the_zone_and_by_address_family(
        db: Database, settings: Settings) -> None:
    settings.zone_apex_ns = "a.nic.dk ns.example.net c.nic.dk"
    settings.zone_apex_glue = "a.nic.dk=192.0.2.1 a.nic.dk=2001:db8::1 ns.example.net=192.0.2.9"
    settings.zone_soa_rname = "hostmaster@punktum.dk"
    text, _stats = await generate(db, settings)
    apex, below, _order = parse(text)
    assert below == {}
    assert apex["a.nic.dk."] == [("A", "192.0.2.1"), ("AAAA", "2001:db8::1")]
    assert "ns.example.net." not in apex  # not ours to publish
    assert " hostmaster.punktum.dk. " in apex["dk."][0][1]


@pytest.mark.parametrize("window", [1, 7, 20_000])
async def test_the_zone_is_what_owner_records_gives_every_name(
        db: Database, settings: Settings, window: int) -> None:
    """Parity with the publisher's source over a varied data set, at window sizes that
    put window edges everywhere (1: every domain id its own window; 7: edges inside runs of
    domains without name servers)."""
    async with db.begin() as conn:
        rows = await load_cases(conn)
        await load_random(conn, rows, 400 if window == 1 else 1500)
    text, stats = await generate(db, settings, window=window)
    _apex, below, order = parse(text)
    got = {owner.rstrip("."): sorted(recs) for owner, recs in below.items()}
    async with db.read() as conn:
        want = {name: sorted(recs) for name, recs in
                (await owner_records(conn, await every_name(conn))).records.items() if recs}
    assert got == want
    assert len(want) > 300 and any(t in ("A", "AAAA") for r in want.values() for t, _ in r)
    assert order == list(dict.fromkeys(order))  # each owner once, in one run of lines
    delegations = [o.rstrip(".") for o in order if any(t == "NS" for t, _ in below[o])]
    assert delegations == await names_by_id(db, set(delegations))
    assert len(delegations) == stats.delegated


async def test_named_checkzone_and_kzonecheck_accept_the_file(
        db: Database, settings: Settings, tmp_path: Path) -> None:
    async with db.begin() as conn:
        rows = await load_cases(conn)
        await load_random(conn, rows, 600, held_hoster=False)
    text, _stats = await generate(db, settings)
    path = tmp_path / "dk.zone"
    path.write_text(text)
    checker = shutil.which("named-checkzone")
    assert checker, "named-checkzone (Debian bind9-utils) is needed: scripts/bootstrap.sh --test"
    # integrity checks of in-zone names only ("local": no lookups of ns1.example.net on a
    # machine that may be offline), and no sibling glue expected ("-sibling"): narrow
    # glue publishes ns2.limvej.dk's address in limvej.dk only, not for andet.dk
    r = subprocess.run([checker, "-i", "local-sibling", "dk", str(path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.rstrip().endswith("OK"), r.stdout + r.stderr
    assert "loaded serial" in r.stdout
    kzonecheck = shutil.which("kzonecheck")
    if kzonecheck:
        r = subprocess.run([kzonecheck, "-o", "dk", str(path)], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr


async def test_the_serial_increases_and_never_goes_back_with_the_clock(
        db: Database, settings: Settings) -> None:
    _text, first = await generate(db, settings, now=1_780_000_000)
    assert first.serial == 1_780_000_000
    _text, second = await generate(db, settings, now=1_780_000_000)  # same second
    assert second.serial == first.serial + 1
    _text, back = await generate(db, settings, now=1_700_000_000)  # clock set back
    assert back.serial == first.serial + 2
    text, later = await generate(db, settings, now=1_790_000_000)
    assert later.serial == 1_790_000_000
    assert f"\tSOA\ta.nic.dk. hostmaster.punktum.dk. {later.serial} " in text
    # a generation rolled back does not use a serial up
    with pytest.raises(RuntimeError):
        async with db.begin() as conn:
            await write_zone(conn, settings, io.StringIO(), now_unix=1_790_000_000)
            raise RuntimeError("the file could not be written")
    async with db.read() as conn:
        assert await zone_serial.current(conn) == later.serial
        # the name server's own serial policy ran ahead: the next zone starts above it
    async with db.begin() as conn:
        await zone_serial.raise_to(conn, 1_800_000_000)
        await zone_serial.raise_to(conn, 1_750_000_000)  # never down
        assert await zone_serial.next_serial(conn, 1_790_000_100) == 1_800_000_001


async def test_zone_text_and_progress(db: Database, settings: Settings) -> None:
    async with db.begin() as conn:
        rows = await load_cases(conn)
        await load_random(conn, rows, 300)
    seen: list[tuple[int, int]] = []
    buf = io.StringIO()
    async with db.begin() as conn:
        stats = await write_zone(conn, settings, buf, progress=lambda d, t: seen.append((d, t)),
                                 now_unix=1_780_000_000, window=50)
    assert len(seen) >= stats.domains // 50 and seen[-1] == (stats.domains, stats.domains)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    async with db.begin() as conn:
        text = await zone_text(conn, settings, now_unix=1_780_000_000)
    assert text == buf.getvalue().replace("serial 1780000000", "serial 1780000001").replace(
        " 1780000000 1800 ", " 1780000001 1800 ")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dkreg.cli", *args], capture_output=True,
                          text=True, timeout=180, env=env)


async def test_cli_writes_the_file_atomically_and_a_summary(
        db: Database, db_url: str, tmp_path: Path) -> None:
    async with db.begin() as conn:
        rows = await load_cases(conn)
        await load_random(conn, rows, 200)
    common = ["--data-dir", str(tmp_path), "--database-url", db_url]
    out = tmp_path / "zones" / "dk.zone"
    out.parent.mkdir()
    out.write_text("; the zone the name server has now\n")
    r = run_cli("zone", "generate", "--output", str(out), *common)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    _apex, below, _order = parse(text)
    assert "limvej.dk." in below and "hold.dk." not in below
    serial = int(text.split(" serial ", 1)[1].split(",", 1)[0])
    assert f"zone dk: serial {serial}, " in r.stderr
    assert " delegated domains " in r.stderr and " records, " in r.stderr
    assert f"-> {out}" in r.stderr and r.stdout == ""
    assert sorted(p.name for p in out.parent.iterdir()) == ["dk.zone"]  # no temporary left
    assert (out.stat().st_mode & 0o777) == 0o644

    # a generation that fails leaves the previous file as it was, and no temporary file
    env = dict(os.environ, DKREG_ZONE_SOA_TIMERS="soon")
    r = run_cli("zone", "generate", "--output", str(out), *common, env=env)
    assert r.returncode == 2 and "zone_soa_timers" in r.stderr
    assert out.read_text() == text
    assert sorted(p.name for p in out.parent.iterdir()) == ["dk.zone"]

    # standard output by default; the serial moved on
    r = run_cli("zone", "generate", *common)
    assert r.returncode == 0, r.stderr
    assert f" serial {serial + 1}," in r.stdout.splitlines()[0] or int(
        r.stdout.split(" serial ", 1)[1].split(",", 1)[0]) > serial
    assert parse(r.stdout)[1] == below

"""Full zone generation at .dk's size: ``dkreg zone generate`` timed and weighed.

For every size in ``--sizes`` this finds (or, with ``dkreg demo``, builds) a synthetic
registry of that many domains in its own PostgreSQL database ``dkreg_bench_<N>k``, runs
the operator's command ``dkreg zone generate --output FILE`` in a child process, and
reports the wall time, the child's peak resident memory (``wait4``), the file's size and
record count, and optionally how long ``named-checkzone`` takes to accept it. The sizes
side by side are the "memory flat as the zone grows" figure: a streamed generator's peak
memory does not follow the domain count.

``--profile`` then runs the same generation in this process under cProfile and splits
the time into waiting for PostgreSQL (the event loop's epoll), formatting the master
file, and the rest.

    .venv/bin/python bench/zone.py --sizes 100000,500000,1400000 --check
    .venv/bin/python bench/zone.py --sizes 1400000 --profile

The databases are kept for the next run (``--drop`` removes them at the end); a demo
of 1.4 million domains takes about three and a half minutes to build.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
DKREG = ROOT / ".venv" / "bin" / "dkreg"
sys.path.insert(0, str(ROOT / "src"))


def db_name(size: int) -> str:
    return f"dkreg_bench_{size // 1000}k" if size % 1000 == 0 else f"dkreg_bench_{size}"


def sa_url(admin: str, name: str) -> str:
    base = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


async def ensure_demo(admin: str, size: int, data_dir: Path) -> str:
    """The database URL of a demo registry of ``size`` domains, built when missing."""
    name = db_name(size)
    conn = await asyncpg.connect(admin)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    url = sa_url(admin, name)
    held = 0
    if exists:
        db = await asyncpg.connect(url.replace("+asyncpg", ""))
        try:
            held = await db.fetchval("SELECT count(*) FROM domains") or 0
        except asyncpg.UndefinedTableError:
            held = 0
        finally:
            await db.close()
    if held != size:
        print(f"building a demo registry of {size:,} domains in {name} ...", flush=True)
        started = time.perf_counter()
        subprocess.run([str(DKREG), "demo", "--domains", str(size), "--force",
                        "--data-dir", str(data_dir), "--database-url", url],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def generate(url: str, data_dir: Path, out: Path) -> tuple[float, int, str]:
    """``dkreg zone generate`` in a child: (seconds, peak RSS in bytes, its summary)."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(DKREG), "zone", "generate", "--data-dir", str(data_dir),
                             "--database-url", url, "--output", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    summary = proc.stdout.read() + proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"dkreg zone generate failed ({proc.returncode}):\n{summary}")
    return seconds, usage.ru_maxrss * 1024, summary.strip()


def count_records(path: Path) -> int:
    n = 0
    with path.open("rb") as f:
        for line in f:
            if line[:1] not in (b";", b"$", b"\n"):
                n += 1
    return n


def named_checkzone(path: Path) -> tuple[float, str]:
    tool = shutil.which("named-checkzone") or "/usr/bin/named-checkzone"
    started = time.perf_counter()
    # in-zone integrity only ("local": no lookups of out-of-zone name servers, which on
    # an offline machine wait for timeouts), no sibling glue (narrow glue policy)
    r = subprocess.run([tool, "-i", "local-sibling", "dk", str(path)],
                       capture_output=True, text=True)
    return time.perf_counter() - started, "OK" if r.returncode == 0 else \
        f"FAILED: {(r.stdout + r.stderr).strip()[:400]}"


async def profile(url: str, data_dir: Path) -> None:
    """The generation in this process under cProfile, and where its time went."""
    from dkreg.config import load_settings
    from dkreg.dns.generate import write_zone
    from dkreg.store.db import Database

    settings = load_settings(data_dir=data_dir, database_url=url)
    db = Database(settings.database_url)
    prof = cProfile.Profile()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        async with db.begin() as conn:
            prof.enable()
            stats = await write_zone(conn, settings, out)
            prof.disable()
            await conn.rollback()  # the serial is not kept: a measurement, not a zone
    await db.dispose()
    buf = io.StringIO()
    ps = pstats.Stats(prof, stream=buf)
    total = stats.seconds
    wait = sum(v[2] for k, v in ps.stats.items()  # type: ignore[attr-defined]
               if k[2] in ("<method 'poll' of 'select.epoll' objects>",
                           "<method 'select' of 'select.epoll' objects>"))
    window = sum(v[3] for k, v in ps.stats.items()  # type: ignore[attr-defined]
                 if k[2] == "_window_text")
    print(f"\nprofile of one generation ({stats.domains:,} domains, {total:.1f} s under "
          f"cProfile, which slows Python code):")
    print(f"  waiting for PostgreSQL (epoll): {wait:6.1f} s  {100 * wait / total:4.0f} %")
    print(f"  formatting records (_window_text): {window:6.1f} s  "
          f"{100 * window / total:4.0f} %")
    rest = total - wait - window
    print(f"  the rest (asyncpg decoding, writing): {rest:6.1f} s  {100 * rest / total:4.0f} %")
    ps.sort_stats("tottime").print_stats(12)
    print(re.sub(r"\n{3,}", "\n\n", buf.getvalue()))


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,500000,1400000",
                    help="domain counts, comma-separated (default 100k, 500k, 1.4M)")
    ap.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--check", action="store_true", help="named-checkzone every file")
    ap.add_argument("--profile", action="store_true",
                    help="profile the largest size's generation in this process")
    ap.add_argument("--drop", action="store_true", help="drop the databases at the end")
    args = ap.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="dkreg-bench-zone-"))
    rows = []
    try:
        for size in sizes:
            data_dir = work / db_name(size)
            data_dir.mkdir()
            url = await ensure_demo(args.admin_url, size, data_dir)
            out = work / f"{db_name(size)}.zone"
            seconds, rss, summary = generate(url, data_dir, out)
            records = count_records(out)
            row = {"size": size, "seconds": seconds, "rss": rss,
                   "bytes": out.stat().st_size, "records": records}
            print(f"{size:>10,} domains: {seconds:6.1f} s, peak RSS {rss / 2**20:6.0f} MiB, "
                  f"{row['bytes'] / 2**20:6.0f} MiB, {records:,} records — {summary}",
                  flush=True)
            if args.check:
                took, verdict = named_checkzone(out)
                row["check"] = f"{verdict} in {took:.1f} s"
                print(f"{'':>10}  named-checkzone: {row['check']}", flush=True)
            out.unlink()
            rows.append(row)
        if args.profile:
            largest = max(sizes)
            await profile(sa_url(args.admin_url, db_name(largest)), work / db_name(largest))
        print("\n| domains | wall | peak RSS | file | records |" +
              (" named-checkzone |" if args.check else ""))
        print("|---:|---:|---:|---:|---:|" + ("---|" if args.check else ""))
        for r in rows:
            print(f"| {r['size']:,} | {r['seconds']:.1f} s | {r['rss'] / 2**20:.0f} MiB | "
                  f"{r['bytes'] / 2**20:.0f} MiB | {r['records']:,} |"
                  + (f" {r['check']} |" if args.check else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.drop:
            conn = await asyncpg.connect(args.admin_url)
            try:
                for size in sizes:
                    await conn.execute(f'DROP DATABASE IF EXISTS "{db_name(size)}"')
            finally:
                await conn.close()


if __name__ == "__main__":
    asyncio.run(main())

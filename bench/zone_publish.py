"""Incremental publication under load: N name-server changes a second, from the
database's journal to a real, signing Knot DNS, and how long each took.

What one run does:

1. finds (or builds, with ``dkreg demo``) a registry of ``--domains`` domains in its own
   PostgreSQL database (``bench/zone.py``'s ``dkreg_bench_<N>k``, shared with it);
2. generates the zone into a fresh Knot DNS (``dkreg.dns.knot.KnotServer``, the sandbox's
   server: NSEC3 opt-out, ECDSA P-256, automatic signing) and times its cold start;
3. starts dkreg's publisher (``dkreg.dns.publisher.Publisher``, as ``dkreg serve`` runs
   it) in this process;
4. in a second process, changes the NS set of ``--rate`` distinct active domains a second
   for ``--seconds`` seconds, each in its own transaction over its own connection from a
   pool (``DELETE`` one ``domain_ns`` row, ``INSERT`` another out-of-zone host: what an
   EPP ``domain:update`` writes; the journal triggers do the rest), and records the wall
   time at which each change committed;
5. records when the server acknowledged each name (the publisher's ``acknowledged``
   seam: after Knot's NOERROR, when the journal rows are gone), and waits until the
   journal is empty;
6. asks Knot for the NS set of a sample of changed domains (each must show its new
   host), and reports the latency from commit to acknowledgement (p50, p99, max), the
   rate sustained, the drain time after the load stopped, the publisher's rounds,
   messages and failures, the CPU each party used, and where the publisher's time went
   (reading the journal, reading the records, building the messages, waiting for Knot).

    .venv/bin/python bench/zone_publish.py --domains 100000 --rate 1000 --seconds 60
    .venv/bin/python bench/zone_publish.py --domains 1400000 --rate 1000 --seconds 60

The issue's target: 1,000 changes/s sustained reach the name server with p99 ≤ 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from zone import db_name, ensure_demo  # noqa: E402  (bench/zone.py)

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    return total


def postgres_pids() -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    out.append(int(entry.name))
            except OSError:
                pass
    return out


# --- the load: a second process ---------------------------------------------------------

async def _sample(dsn: str, count: int, seed: int) -> tuple[list[dict[str, Any]], list[int]]:
    """``count`` distinct active, delegated domains (a random sample), and out-of-zone
    hosts to give them: no glue comes or goes, so every change is one NS set."""
    conn = await asyncpg.connect(dsn)
    try:
        hosts = [r["id"] for r in await conn.fetch(
            "SELECT id FROM hosts WHERE domain_id IS NULL ORDER BY id LIMIT 200")]
        rows = await conn.fetch(
            """SELECT d.id, d.name, array_agg(n.host_id ORDER BY n.position) AS hosts,
                      min(n.position) AS pos
                 FROM domains d JOIN domain_ns n ON n.domain_id = d.id
                WHERE d.state = 'active' AND d.suspended_at IS NULL
                  AND d.redemption_until IS NULL AND d.released_at IS NULL
                  AND d.statuses NOT LIKE '%Hold%'
                  AND d.id IN (SELECT id FROM domains TABLESAMPLE BERNOULLI ($1)
                                REPEATABLE ($2))
                GROUP BY d.id, d.name""",
            min(100.0, 300.0 * count / max(1, await conn.fetchval(
                "SELECT count(*) FROM domains"))), seed)
    finally:
        await conn.close()
    rng = random.Random(seed)
    picked = rng.sample(list(rows), min(count, len(rows)))
    return [dict(r) for r in picked], hosts


async def _load(dsn: str, rate: int, seconds: float, seed: int, out: str,
                ready: Any, go: Any) -> None:
    count = int(rate * seconds)
    sample, hosts = await _sample(dsn, count, seed)
    if len(sample) < count:
        raise SystemExit(f"only {len(sample)} suitable domains for {count} changes")
    rng = random.Random(seed + 1)
    pool = await asyncpg.create_pool(dsn, min_size=24, max_size=24)
    committed: list[tuple[str, float, str]] = []
    names = {r["id"]: r["name"] for r in await pool.fetch(
        "SELECT id, name FROM hosts WHERE id = ANY($1::bigint[])", hosts)}
    ready.set()
    go.wait()
    started = time.time()
    late = 0

    async def change(row: dict[str, Any], at: float) -> None:
        nonlocal late
        delay = at - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -1:
            late += 1
        old = row["hosts"][0]  # at position row["pos"]: the new host takes its place
        new = rng.choice([h for h in hosts if h not in row["hosts"]])
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("DELETE FROM domain_ns WHERE domain_id = $1 AND host_id = $2",
                               row["id"], old)
            await conn.execute("INSERT INTO domain_ns (domain_id, host_id, position) "
                               "VALUES ($1, $2, $3)", row["id"], new, row["pos"])
        committed.append((row["name"], time.time(), names[new]))

    tasks = [asyncio.create_task(change(row, started + i / rate))
             for i, row in enumerate(sample[:count])]
    await asyncio.gather(*tasks)
    ended = time.time()
    await pool.close()
    times = os.times()
    Path(out).write_text(json.dumps({"started": started, "ended": ended, "late": late,
                                     "cpu": times.user + times.system,
                                     "committed": committed}))


def load_process(dsn: str, rate: int, seconds: float, seed: int, out: str,
                 ready: Any, go: Any) -> None:
    asyncio.run(_load(dsn, rate, seconds, seed, out, ready, go))


# --- the publisher and the name server: this process ------------------------------------

class Timings:
    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, key: str, fn: Any) -> Any:
        async def timed(*a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return await fn(*a, **kw)
            finally:
                self.spent[key] = self.spent.get(key, 0.0) + time.perf_counter() - t
        return timed

    def wrap_sync(self, key: str, fn: Any) -> Any:
        def timed(*a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.spent[key] = self.spent.get(key, 0.0) + time.perf_counter() - t
        return timed


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(args: argparse.Namespace) -> None:
    import dns.message
    import dns.query
    import dns.rdatatype

    import dkreg.dns.publisher as publisher_module
    from dkreg.clock import SystemClock
    from dkreg.config import Settings
    from dkreg.dns.generate import write_zone_file
    from dkreg.dns.knot import KnotServer
    from dkreg.dns.publisher import Publisher, Target
    from dkreg.store.db import Database

    work = Path(tempfile.mkdtemp(prefix="dkreg-bench-publish-"))
    url = await ensure_demo(args.admin_url, args.domains, work / "demo")
    dsn = url.replace("+asyncpg", "")
    settings = Settings(data_dir=work / "dkreg", database_url=url, dns_server="knot",
                        dns_port=0, ns_check="off", dns_publish_batch=args.batch,
                        dns_publish_round=args.round)
    db = Database(url)
    async with db.begin() as conn:  # what went before is in the zone file below
        await conn.exec_driver_sql("DELETE FROM zone_changes")
    knot = KnotServer(settings, work / "dns")
    t = time.perf_counter()
    stats = await write_zone_file(db, settings, knot.zone_file)
    print(f"zone: {stats.delegated:,} delegations, {stats.records:,} records, "
          f"generated in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    await asyncio.to_thread(knot.start, None, from_file=True)
    print(f"Knot DNS cold start (load and sign): {time.perf_counter() - t:.1f} s", flush=True)

    acked: dict[str, float] = {}

    class Measured(Publisher):
        async def acknowledged(self, rows: list[tuple[int, str]]) -> None:
            now = time.time()
            for _id, name in rows:
                acked.setdefault(name, now)

    timings = Timings()
    target = Target(knot.host, knot.port, knot.tsig, settings.zone_origin, 30.0)
    pub = Measured(db, settings, target, SystemClock())
    pub._pending = timings.wrap("reading the journal", pub._pending)  # type: ignore[method-assign]
    pub._settle = timings.wrap("forgetting the journal rows", pub._settle)  # type: ignore[method-assign]
    original_records = publisher_module.owner_records
    publisher_module.owner_records = timings.wrap("reading the records", original_records)
    pub.updater.message = timings.wrap_sync(  # type: ignore[method-assign]
        "building UPDATE messages", pub.updater.message)
    pub.updater._send = timings.wrap(  # type: ignore[method-assign]
        "waiting for Knot (send, apply, sign, answer; summed over concurrent messages)",
        pub.updater._send)

    ctx = multiprocessing.get_context("spawn")
    ready, go = ctx.Event(), ctx.Event()
    out = str(work / "load.json")
    loader = ctx.Process(target=load_process,
                         args=(dsn, args.rate, args.seconds, args.seed, out, ready, go))
    loader.start()
    while not ready.wait(0.5):
        if not loader.is_alive():
            raise SystemExit("the load process ended before it was ready")
    knotd_pid = knot._proc.pid if knot._proc else 0
    pg = postgres_pids()
    cpu0 = (cpu_seconds([os.getpid()]), cpu_seconds([knotd_pid]), cpu_seconds(pg))
    runner = asyncio.create_task(pub.run())
    wall0 = time.time()
    go.set()
    while loader.is_alive():
        await asyncio.sleep(0.5)
    load_ended = time.time()
    loader.join()
    if loader.exitcode != 0:
        raise SystemExit(f"the load process failed ({loader.exitcode})")
    result = json.loads(Path(out).read_text())
    committed = result["committed"]
    cpu_loader = result["cpu"]
    deadline = time.time() + max(120.0, args.seconds * 3)
    while time.time() < deadline:
        async with db.read() as conn:
            depth = (await conn.exec_driver_sql("SELECT count(*) FROM zone_changes")).scalar()
        if not depth and all(name in acked for name, _t, _h in committed):
            break
        await asyncio.sleep(0.2)
    drained = time.time()
    cpu1 = (cpu_seconds([os.getpid()]), cpu_seconds([knotd_pid]), cpu_seconds(pg))
    # backends that came after the first look (the publisher's pool) count from zero
    cpu1 = (cpu1[0], cpu1[1], cpu1[2] + cpu_seconds([p for p in postgres_pids()
                                                     if p not in set(pg)]))
    runner.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await runner

    latencies = [max(0.0, acked[name] - at) for name, at, _h in committed if name in acked]
    missing = [name for name, _at, _h in committed if name not in acked]
    span = result["ended"] - result["started"]
    rng = random.Random(args.seed)
    sample = rng.sample(committed, min(200, len(committed)))
    right = 0
    for name, _at, host in sample:
        q = dns.message.make_query(name + ".", dns.rdatatype.NS)
        answer = await asyncio.to_thread(dns.query.tcp, q, knot.host, port=knot.port,
                                         timeout=5)
        ns = {rd.target.to_text().rstrip(".") for rr in answer.authority
              if rr.rdtype == dns.rdatatype.NS for rd in rr}
        right += host in ns
    await asyncio.to_thread(knot.stop)
    await db.dispose()

    elapsed = drained - wall0
    print(f"\nload: {len(committed):,} NS changes in {span:.1f} s = "
          f"{len(committed) / span:,.0f}/s (asked {args.rate:,}/s; "
          f"{result['late']} started more than 1 s late)")
    print(f"commit → acknowledged by Knot: p50 {pct(latencies, 50):.2f} s, "
          f"p99 {pct(latencies, 99):.2f} s, max {max(latencies, default=0):.2f} s, "
          f"mean {statistics.fmean(latencies) if latencies else 0:.2f} s")
    print(f"journal empty {drained - load_ended:.1f} s after the load ended; "
          f"{len(missing)} changes never acknowledged")
    print(f"publisher: {pub.published_total:,} names in {pub.messages_total} UPDATE "
          f"messages, {pub.failures_total} failures, last serial {pub.last_serial}")
    print(f"spot check: {right}/{len(sample)} sampled domains answer with their new host")
    print(f"CPU over {elapsed:.0f} s: publisher process {cpu1[0] - cpu0[0]:.1f} s, "
          f"knotd {cpu1[1] - cpu0[1]:.1f} s, PostgreSQL {cpu1[2] - cpu0[2]:.1f} s, "
          f"load process {cpu_loader:.1f} s in all (2 cores: {2 * elapsed:.0f} s available)")
    print("where the publisher's time went:")
    for key, spent in sorted(timings.spent.items(), key=lambda kv: -kv[1]):
        print(f"  {key:78} {spent:7.1f} s  {100 * spent / elapsed:5.1f} % of the run")
    print(f"round {args.round:,} names, batch {args.batch:,} names a message")
    print(f"\n| domains | rate asked | sustained | p50 | p99 | max | drain | messages "
          f"| failures | spot check |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
          f"| {args.domains:,} | {args.rate:,}/s | {len(committed) / span:,.0f}/s | "
          f"{pct(latencies, 50):.1f} s | {pct(latencies, 99):.1f} s | "
          f"{max(latencies, default=0):.1f} s | {drained - load_ended:.1f} s | "
          f"{pub.messages_total} | {pub.failures_total} | {right}/{len(sample)} |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept: {work} (database {db_name(args.domains)})")
    if missing or right != len(sample):
        raise SystemExit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--domains", type=int, default=100_000)
    ap.add_argument("--rate", type=int, default=1000, help="NS changes a second")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--batch", type=int, default=500,
                    help="dns_publish_batch: owner names per UPDATE (default 500)")
    ap.add_argument("--round", type=int, default=12000,
                    help="dns_publish_round: owner names a round, sent at once (default 12000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The public lookups at .dk's size: RDAP, WHOIS REST, WHOIS on port 43 and DAS against
``dkreg serve`` on a PostgreSQL registry of ``--domains`` domains (issue 15 §6).

What one run does:

1. finds (or builds, with ``dkreg demo``) the registry in its own database
   (``bench/zone.py``'s ``dkreg_bench_<N>k``, shared with the zone benchmarks) and
   samples ``--names`` existing domain names from it, spread over the whole table;
2. starts ``dkreg serve`` on it as a subprocess (DNS publication off, the rate limits
   lifted for loopback with the allow-lists, as the issue asks), with a DAS service user
   created for the run;
3. per door, an unmeasured warm-up, then ``--seconds`` of load from ``--connections``
   concurrent clients asking for random names of the sample:

   * RDAP ``/rdap/domain/{name}``, WHOIS REST ``/whois-api/domain/{name}`` and DAS
     ``/das/domain/is_available/{name}`` with ``wrk`` (Debian's; installed when missing)
     and a Lua script that picks the names;
   * WHOIS with an asyncio client in its own process: one TCP connection per query, as
     RFC 3912 has it (connect, send the line, read until the server closes);

4. reports requests/s, p50/p99 latency, non-2xx answers, and the CPU the server and
   PostgreSQL used in the measured window.

    .venv/bin/python bench/lookups.py --domains 1400000
    .venv/bin/python bench/lookups.py --domains 100000 --doors rdap,whois --seconds 10

The issue's targets on this machine: RDAP ≥ 3,000 req/s with p99 ≤ 20 ms (wrk, 64
connections), WHOIS ≥ 2,000 queries/s, DAS ≥ 3,000 req/s.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import asyncpg

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from zone import ensure_demo  # noqa: E402  (bench/zone.py)
from zone_publish import cpu_seconds, postgres_pids  # noqa: E402

DKREG = BENCH.parent / ".venv" / "bin" / "dkreg"
DEFAULT_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DAS_USER, DAS_PASSWORD = "bench-das", "Bench-Das-Pass1"

WRK_LUA = """
local names = {}
for line in io.lines("%(names)s") do names[#names + 1] = line end
local prefix = "%(prefix)s"
local headers = %(headers)s
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format("GET", prefix .. names[math.random(#names)], headers)
end
-- pacing: each connection waits this long before its next request (0: as fast as the
-- server answers); a latency measured this way is the latency at the paced rate
local pause = %(pause)s
delay = function()
  return pause
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50\\": %%f, "
    .. "\\"p99\\": %%f, \\"non2xx\\": %%d, \\"errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("installing Debian's wrk ...")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True,
                   stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


async def sample_names(url: str, count: int) -> tuple[list[str], str]:
    """``count`` active domain names spread over the table (a random id range each),
    and a registrar handle for the DAS user."""
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        top = await conn.fetchval("select max(id) from domains")
        ids = random.Random(15).sample(range(1, top + 1), min(count * 2, top))
        rows = await conn.fetch("select uname from domains where id = any($1::bigint[]) "
                                "and state = 'active' and released_at is null", ids)
        handle = await conn.fetchval("select handle from registrars order by id limit 1")
    finally:
        await conn.close()
    return [r["uname"] for r in rows][:count], handle


class Server:
    def __init__(self, url: str, data_dir: Path, lookup_workers: int = 0,
                 lifecycle: bool = True) -> None:
        self.url, self.data_dir, self.lifecycle = url, data_dir, lifecycle
        self.http_port, self.whois_port, self.epp_port = free_port(), free_port(), free_port()
        # with lookup workers the HTTP doors are asked at the lookup listener
        self.lookup_workers = lookup_workers
        self.lookup_port = free_port() if lookup_workers else None
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def lookup_http_port(self) -> int:
        return self.lookup_port if self.lookup_port is not None else self.http_port

    def pids(self) -> list[int]:
        """The server's process and the lookup processes it started."""
        if self.proc is None:
            return []
        pid = self.proc.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        return [pid, *(int(c) for c in children)]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "PYTHONUNBUFFERED": "1", "DKREG_DNS_SERVER": "off",
            "DKREG_WHOIS_PORT": str(self.whois_port),
            # the issue: rate limits off for loopback (the allow-lists)
            "DKREG_WHOIS_ALLOW": "127.0.0.0/8 ::1", "DKREG_LOOKUP_ALLOW": "127.0.0.0/8 ::1",
            "DKREG_DAS_ALLOW": "127.0.0.0/8 ::1",
            "DKREG_RUN_LIFECYCLE": "true" if self.lifecycle else "false",
        })
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(DKREG), *args, "--data-dir", str(self.data_dir),
                               "--database-url", self.url], capture_output=True, text=True,
                              env=self.env(), timeout=120)

    def start(self) -> None:
        logfile = self.data_dir / "server.log"
        with open(logfile, "wb") as out:
            self.proc = subprocess.Popen(
                [str(DKREG), "serve", "--data-dir", str(self.data_dir), "--database-url",
                 self.url, "--epp-port", str(self.epp_port), "--http-port",
                 str(self.http_port),
                 *(["--lookup-port", str(self.lookup_port), "--lookup-workers",
                    str(self.lookup_workers)] if self.lookup_port is not None else [])],
                stdout=out, stderr=subprocess.STDOUT,
                env=self.env(), start_new_session=True)
        end = time.monotonic() + 180
        while time.monotonic() < end:
            text = logfile.read_text(errors="replace")
            if "Stop with Ctrl-C" in text:
                time.sleep(2.0)  # the lookup processes bind their sockets
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"dkreg serve exited:\n{text[-3000:]}")
            time.sleep(0.1)
        raise RuntimeError("dkreg serve did not start in 180 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


async def drained(url: str, timeout: float) -> int:
    """Wait until the server's lifecycle has processed the demo's due applications (the
    registry's steady state: a queue drained within seconds), up to ``timeout`` s; the
    number still due."""
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        end, left = time.monotonic() + timeout, -1
        while time.monotonic() < end:
            left = await conn.fetchval("select count(*) from applications where state = "
                                       "'queued' and due_at <= now()")
            if not left:
                return 0
            log(f"  {left:,} due applications still being processed ...")
            await asyncio.sleep(10)
        return int(left)
    finally:
        await conn.close()


def run_wrk(wrk: str, port: int, prefix: str, names_file: Path, seconds: int,
            connections: int, headers: dict[str, str], work: Path,
            pause_ms: float = 0.0) -> dict[str, Any]:
    lua = work / f"wrk-{prefix.strip('/').replace('/', '-')}.lua"
    lua.write_text(WRK_LUA % {"names": names_file, "prefix": prefix,
                              "pause": f"{pause_ms:.3f}",
                              "headers": "{" + ", ".join(f'["{k}"] = "{v}"'
                                                         for k, v in headers.items()) + "}"})
    out = subprocess.run([wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
                          "--latency", "-s", str(lua), f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, timeout=seconds + 60)
    found = re.search(r"^JSON (.*)$", out.stdout, re.M)
    if not found:
        raise RuntimeError(f"wrk said:\n{out.stdout}\n{out.stderr}")
    result: dict[str, Any] = json.loads(found.group(1))
    result["rate"] = result["requests"] / result["seconds"]
    return result


async def _whois_client(port: int, names: list[str], seconds: float, concurrency: int
                        ) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    end = time.perf_counter() + seconds
    rng = random.Random()

    async def one() -> None:
        nonlocal errors
        while time.perf_counter() < end:
            started = time.perf_counter()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write((rng.choice(names) + "\r\n").encode("latin-1", "replace"))
                data = await reader.read(-1)
                writer.close()
                if b"Domain:" not in data:
                    errors += 1
                    continue
            except OSError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)

    t0 = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(concurrency)))
    took = time.perf_counter() - t0
    latencies.sort()

    def pick(q: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {"requests": len(latencies), "seconds": took, "rate": len(latencies) / took,
            "p50": pick(0.50), "p99": pick(0.99), "non2xx": errors, "errors": 0}


def _whois_proc(port: int, names: list[str], seconds: float, concurrency: int,
                queue: Any) -> None:
    queue.put(asyncio.run(_whois_client(port, names, seconds, concurrency)))


def run_whois(port: int, names: list[str], seconds: int, connections: int) -> dict[str, Any]:
    queue: Any = mp.Queue()
    proc = mp.Process(target=_whois_proc, args=(port, names, seconds, connections, queue))
    proc.start()
    result: dict[str, Any] = queue.get(timeout=seconds + 120)
    proc.join(30)
    return result


def measured(server: Server, fn: Any, profile: Path | None = None, door: str = "",
             seconds: int = 0) -> dict[str, Any]:
    pids = server.pids()
    pg = postgres_pids()
    spy = None
    if profile is not None and pids:
        profile.mkdir(parents=True, exist_ok=True)
        exe = shutil.which("py-spy") or str(BENCH.parent / ".venv" / "bin" / "py-spy")
        # a lookup process when there are some (the doors run there), else the server
        spy = subprocess.Popen([exe, "record", "--pid", str(pids[-1]), "--rate", "200",
                                "--duration", str(seconds), "--format", "raw",
                                "--nonblocking", "-o", str(profile / f"{door}.txt")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cpu0, pg0, t0 = cpu_seconds(pids), cpu_seconds(pg), time.perf_counter()
    result: dict[str, Any] = fn()
    if spy is not None:
        spy.wait(60)
    wall = time.perf_counter() - t0
    result["server_cpu"] = (cpu_seconds(pids) - cpu0) / wall
    result["postgres_cpu"] = (cpu_seconds(postgres_pids()) - pg0) / wall
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--domains", type=int, default=1_400_000)
    p.add_argument("--admin-url", default=os.environ.get("DKREG_BENCH_PG", DEFAULT_ADMIN))
    p.add_argument("--doors", default="rdap,whois-rest,das,whois")
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--names", type=int, default=20_000)
    p.add_argument("--lookup-workers", type=int, default=0,
                   help="ask the HTTP doors at the lookup listener served by this many "
                   "processes (dkreg serve --lookup-workers); 0: the main HTTP port")
    p.add_argument("--pace", type=float, default=0.0, metavar="MS",
                   help="each wrk connection pauses MS ms before its next request: "
                   "latency at a rate below saturation (about connections / (MS + "
                   "latency) requests a second; the achieved rate is reported)")
    p.add_argument("--no-lifecycle", action="store_true",
                   help="the measured server runs no lifecycle work (run_lifecycle = false, "
                   "a host of doors only): the lookups alone on the machine")
    p.add_argument("--py-spy", type=Path, default=None,
                   help="a folder for py-spy profiles of the server, one per door (raw)")
    args = p.parse_args()
    doors = [d.strip() for d in args.doors.split(",") if d.strip()]
    work = Path(tempfile.mkdtemp(prefix="dkreg-bench-lookups-"))
    url = asyncio.run(ensure_demo(args.admin_url, args.domains, work))
    names, handle = asyncio.run(sample_names(url, args.names))
    names_file = work / "names.txt"
    # wrk sends the path as written: an IDN's U-label percent-encoded as UTF-8 (RFC 3986;
    # RDAP, RFC 9082 §3.1.3), as an HTTP client sends it
    names_file.write_text("\n".join(quote(n) for n in names) + "\n", encoding="ascii")
    log(f"{len(names):,} names sampled from {args.domains:,} domains")
    server = Server(url, work, args.lookup_workers, lifecycle=not args.no_lifecycle)
    wrk = ensure_wrk() if any(d != "whois" for d in doors) else ""
    if "das" in doors:
        made = server.cli("user", "create", handle, DAS_USER, "--service", "das",
                          "--password", DAS_PASSWORD)
        if made.returncode != 0 and "2302" not in made.stderr:
            raise SystemExit(f"the DAS user could not be made: {made.stderr}")
    server.start()
    if server.lifecycle and (left := asyncio.run(drained(url, 900))) > 0:
        log(f"  measuring with {left:,} due applications left")
    results: dict[str, dict[str, Any]] = {}
    try:
        auth = base64.b64encode(f"{DAS_USER}:{DAS_PASSWORD}".encode()).decode()
        http = {
            "rdap": ("/rdap/domain/", {"Accept": "application/rdap+json"}),
            "whois-rest": ("/whois-api/domain/", {"Accept": "application/json"}),
            "das": ("/das/domain/is_available/", {"Accept": "application/json",
                                                  "Authorization": f"Basic {auth}"}),
        }
        for door in doors:
            log(f"{door}: {args.warmup} s warm-up, then {args.seconds} s with "
                f"{args.connections} connections")
            if door == "whois":
                run_whois(server.whois_port, names, args.warmup, args.connections)
                results[door] = measured(server, lambda: run_whois(
                    server.whois_port, names, args.seconds, args.connections),
                    args.py_spy, door, args.seconds)
            else:
                prefix, headers = http[door]
                run_wrk(wrk, server.lookup_http_port, prefix, names_file, args.warmup,
                        args.connections, headers, work, args.pace)
                results[door] = measured(server, lambda prefix=prefix, headers=headers: run_wrk(
                    wrk, server.lookup_http_port, prefix, names_file, args.seconds,
                    args.connections, headers, work, args.pace), args.py_spy, door,
                    args.seconds)
            r = results[door]
            log(f"  {r['rate']:,.0f} req/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, "
                f"{r['non2xx']} not OK, {r['errors']} socket errors; CPU server "
                f"{r['server_cpu']:.2f}, PostgreSQL {r['postgres_cpu']:.2f} cores")
    finally:
        server.stop()
    print(json.dumps({"domains": args.domains, "connections": args.connections,
                      "seconds": args.seconds, "results": results}, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

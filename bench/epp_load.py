#!/usr/bin/env python3
"""EPP load benchmark for ``dkreg serve`` on PostgreSQL (asyncio, loopback, TLS).

For each command kind (domain:create, then domain:info, then domain:check) it opens
``--sessions`` concurrent TLS sessions, logs each in once, and sends that command
back-to-back (one outstanding command per session, as EPP requires) for ``--seconds``
after a short unmeasured warm-up, stopping early once ``--max-commands`` commands have
been measured (``--rate`` paces them instead, open loop). It prints commands/s and
p50/p95/p99 latency (``time.perf_counter`` from just before the frame is written to when
the whole response frame has arrived), the errors (any result code other than 1000/1001,
with the first message shown), and how much CPU the server, PostgreSQL and the client
used in the measured window.

By default everything is set up and torn down here: a fresh PostgreSQL database
(created over an admin connection, dropped at the end unless ``--keep``), ``dkreg
serve`` as a subprocess on a free port with a temporary data directory, the demo
credentials it seeds, and a top-up of the demo registrar so creates never run out of
money. The server is stopped with SIGTERM and must exit cleanly.

The client is deliberately cheap: frames are built by string formatting, each session
is an ``asyncio.Protocol`` that sends its next command from ``data_received``, and only
the result code is read from a response (``bytes.find``). It runs in its own
process(es) (``--client-procs``), never in the server's.

Run from the repository root with the project's venv::

    .venv/bin/python bench/epp_load.py --sessions 20 --seconds 10

See bench/README.md for the options and the latest figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import multiprocessing as mp
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DKREG = REPO / ".venv" / "bin" / "dkreg"
DEFAULT_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
# the order phases run in; transfer is last because it moves the domains away
KINDS = ("create", "info", "check", "renew", "update", "mixed", "transfer")
WRITES = ("create", "renew", "update", "transfer")
TARGETS = {"check": 1500.0, "info": 1000.0, "create": 300.0}  # commands/s, 20 sessions
P99_TARGET_MS = 50.0
TRANSFER_NAMES = 4000  # domains prepared (token generated) for the transfer phase
OK_CODES = (1000, 1001)

# -- frames ----------------------------------------------------------------------------
# Written out by hand (no XML library) so building one costs a string format.

EPP_NS = "urn:ietf:params:xml:ns:epp-1.0"
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
DKHM_NS = "urn:dkhm:params:xml:ns:dkhm-4.3"
HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<epp xmlns="{EPP_NS}"><command>'
TAIL = "<clTRID>%s</clTRID></command></epp>"

LOGIN = HEAD + (
    "<login><clID>%s</clID><pw>%s</pw><options><version>1.0</version><lang>en</lang>"
    "</options><svcs><objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>"
    "<objURI>urn:ietf:params:xml:ns:contact-1.0</objURI>"
    "<objURI>urn:ietf:params:xml:ns:host-1.0</objURI>"
    "<svcExtension><extURI>urn:ietf:params:xml:ns:secDNS-1.1</extURI>"
    f"<extURI>{DKHM_NS}</extURI></svcExtension></svcs></login>") + TAIL
LOGOUT = HEAD + "<logout/>" + TAIL
CHECK = HEAD + (f'<check><domain:check xmlns:domain="{DOMAIN_NS}">'
                "<domain:name>%s</domain:name></domain:check></check>") + TAIL
INFO = HEAD + (f'<info><domain:info xmlns:domain="{DOMAIN_NS}">'
               "<domain:name>%s</domain:name></domain:info></info>") + TAIL
RENEW = HEAD + (f'<renew><domain:renew xmlns:domain="{DOMAIN_NS}"><domain:name>%s'
                "</domain:name><domain:curExpDate>%s</domain:curExpDate>"
                '<domain:period unit="y">1</domain:period></domain:renew></renew>') + TAIL
# a name-server change: add one host, remove another (2 name servers before and after)
UPDATE_NS = HEAD + (f'<update><domain:update xmlns:domain="{DOMAIN_NS}"><domain:name>%s'
                    "</domain:name><domain:add><domain:ns><domain:hostObj>%s</domain:hostObj>"
                    "</domain:ns></domain:add><domain:rem><domain:ns><domain:hostObj>%s"
                    "</domain:hostObj></domain:ns></domain:rem></domain:update></update>") + TAIL
SET_TOKEN = HEAD + (f'<update><domain:update xmlns:domain="{DOMAIN_NS}"><domain:name>%s'
                    "</domain:name><domain:chg><domain:authInfo><domain:pw>autotransfer"
                    "</domain:pw></domain:authInfo></domain:chg></domain:update></update>"
                    ) + TAIL
TRANSFER = HEAD + (f'<transfer op="request"><domain:transfer xmlns:domain="{DOMAIN_NS}">'
                   "<domain:name>%s</domain:name><domain:authInfo><domain:pw>%s</domain:pw>"
                   "</domain:authInfo></domain:transfer></transfer>") + TAIL
HOST_CREATE = HEAD + ('<create><host:create xmlns:host="urn:ietf:params:xml:ns:host-1.0">'
                      "<host:name>%s</host:name></host:create></create>") + TAIL
_EXDATE = re.compile(rb"<domain:exDate>(\d{4}-\d\d-\d\d)T")
_TOKEN = re.compile(rb'<dkhm:authInfo[^>]*op="transfer"[^>]*>\s*([^<\s]+)')


def ex_date(payload: bytes) -> str | None:
    """The Copenhagen calendar date of ``exDate``: .dk expiry is the end of the local day,
    21:59:59Z or 22:59:59Z, so the UTC date is the local one."""
    m = _EXDATE.search(payload)
    return m.group(1).decode() if m else None


def create_template(registrant: str, hosts: list[str]) -> str:
    """A domain:create with the name, the token and the clTRID left as ``%s``."""
    host_els = "".join(f"<domain:hostObj>{h}</domain:hostObj>" for h in hosts)
    return HEAD + (
        f'<create><domain:create xmlns:domain="{DOMAIN_NS}"><domain:name>%s</domain:name>'
        f'<domain:period unit="y">1</domain:period><domain:ns>{host_els}</domain:ns>'
        f"<domain:registrant>{registrant}</domain:registrant>"
        "<domain:authInfo><domain:pw/></domain:authInfo></domain:create></create>"
        f'<extension><dkhm:orderconfirmationToken xmlns:dkhm="{DKHM_NS}">%s'
        "</dkhm:orderconfirmationToken></extension>") + TAIL


def framed(xml: str) -> bytes:
    body = xml.encode()
    return (len(body) + 4).to_bytes(4, "big") + body


def result_code(payload: bytes) -> int:
    i = payload.find(b'<result code="')
    if i < 0:
        return 0
    try:
        return int(payload[i + 14:i + 18])
    except ValueError:
        return 0


_MSG = re.compile(rb"<msg[^>]*>(.*?)</msg>", re.S)
_REASON = re.compile(rb"<reason[^>]*>(.*?)</reason>", re.S)


def result_message(payload: bytes) -> str:
    parts = [m.group(1).decode("utf-8", "replace") for m in _MSG.finditer(payload)][:1]
    parts += [m.group(1).decode("utf-8", "replace") for m in _REASON.finditer(payload)]
    return " / ".join(parts) or payload[:300].decode("utf-8", "replace")


# -- client side (runs in the client process(es)) ------------------------------------------


class Conn(asyncio.Protocol):
    """One EPP connection: reassembles frames; hands them to ``handler`` when set,
    otherwise queues them for ``recv``."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.transport: asyncio.Transport | None = None
        self.queue: list[bytes] = []
        self.waiter: asyncio.Future[None] | None = None
        self.handler: Any = None
        self.on_lost: Any = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        while len(buf) >= 4:
            n = int.from_bytes(buf[:4], "big")
            if n <= 4:
                self.transport.close()  # type: ignore[union-attr]
                return
            if len(buf) < n:
                return
            payload = bytes(buf[4:n])
            del buf[:n]
            if self.handler is not None:
                self.handler(payload)
            else:
                self.queue.append(payload)
                if self.waiter is not None and not self.waiter.done():
                    self.waiter.set_result(None)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)
        if self.on_lost is not None:
            self.on_lost()

    async def recv(self, timeout: float = 30.0) -> bytes:
        while not self.queue:
            if self.closed:
                raise ConnectionError("server closed the connection")
            self.waiter = asyncio.get_running_loop().create_future()
            await asyncio.wait_for(self.waiter, timeout)
        return self.queue.pop(0)

    def send(self, data: bytes) -> None:
        self.transport.write(data)  # type: ignore[union-attr]


@dataclass
class SessionStats:
    sid: int
    lat: array = field(default_factory=lambda: array("d"))
    codes: Counter = field(default_factory=Counter)
    first_error: str | None = None
    first_start: float | None = None
    last_end: float | None = None
    created: list[str] = field(default_factory=list)
    closed_by_server: bool = False
    warmup_commands: int = 0
    # latencies by command for the mixed phase (the op that was sent)
    by_op: dict[str, array] = field(default_factory=dict)


class Load:
    """Sends one kind of command on one logged-in connection: back-to-back (closed loop)
    or, with a rate, at scheduled moments (open loop)."""

    def __init__(self, conn: Conn, spec: dict[str, Any], sid: int, quota: int | None,
                 warm_start: float, start: float, deadline: float) -> None:
        self.conn = conn
        self.kind = spec["kind"]
        self.sid = sid
        self.quota = quota
        self.start = start
        self.deadline = deadline
        self.warm_start = warm_start
        self.stats = SessionStats(sid)
        self.i = 0
        self.t0 = 0.0
        self.name = ""
        self.names: list[str] = spec.get("names") or []
        self.state: dict[str, Any] = spec.get("state", {}).get(sid, {})
        self.own = list(self.state) or self.names
        self.hosts: list[str] = spec.get("hosts") or []
        self.op = self.kind
        self.run = spec["run"]
        self.template = spec.get("create_template", "")
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.measured = 0
        # open-loop pacing (--rate): session sid sends at warm_start + phase + k * interval and
        # latency counts from the scheduled moment (no coordinated omission)
        rate = spec.get("rate")
        self.interval = (spec["sessions_total"] / rate) if rate else 0.0
        self.next_due = warm_start + (sid * self.interval / spec["sessions_total"]
                                      if rate else 0.0)
        self.loop = asyncio.get_running_loop()

    def _next_op(self) -> str:
        if self.kind != "mixed":
            return self.kind
        # 90 % reads (info and check alternately), 10 % writes (create and NS update)
        slot = self.i % 20
        return "create" if slot == 0 else "update" if slot == 10 else (
            "info" if slot % 2 else "check")

    def _next_name(self, op: str) -> str:
        i = self.i
        if op == "create":
            return f"bench-{self.run}-{self.kind[0]}{self.sid}-{i}.dk"
        if op == "info":
            return self.names[(self.sid * 7919 + i) % len(self.names)]
        if op in ("renew", "update", "transfer"):
            # each session works on its own names (no two sessions on one domain)
            if op == "transfer":
                return self.own[i - 1] if i - 1 < len(self.own) else ""
            return self.own[i % len(self.own)] if self.own else ""
        # check: alternate a name that is taken (if any) and one that is free
        if self.names and i % 2:
            return self.names[(self.sid * 7919 + i) % len(self.names)]
        return f"free-{self.run}-{self.sid}-{i}.dk"

    def _frame(self, op: str, name: str, trid: str) -> str:
        if op == "create":
            return self.template % (name, int(time.time()), trid)
        if op == "info":
            return INFO % (name, trid)
        if op == "renew":
            return RENEW % (name, self.state[name], trid)
        if op == "update":
            # toggle between the demo pair and (second demo host, bench host)
            flipped = self.state.get(name, False)
            self.state[name] = not flipped
            h1, h2 = self.hosts[0], self.hosts[2]
            return UPDATE_NS % ((name, h1, h2, trid) if flipped else (name, h2, h1, trid))
        if op == "transfer":
            return TRANSFER % (name, self.state[name], trid)
        return CHECK % (name, trid)

    def send_next(self) -> None:
        self.i += 1
        op = self.op = self._next_op()
        name = self.name = self._next_name(op)
        if not name:  # transfer: this session's domains are all moved
            self.finish()
            return
        data = framed(self._frame(op, name, f"B{self.sid}-{self.i}"))
        now = time.perf_counter()
        self.t0 = min(now, self.next_due) if self.interval else now
        self.conn.send(data)

    def schedule_next(self) -> None:
        if not self.interval:
            self.send_next()
            return
        self.next_due += self.interval
        delay = self.next_due - time.perf_counter()
        if delay > 0:
            self.loop.call_later(delay, self._send_if_running)
        else:
            self.send_next()

    def _send_if_running(self) -> None:
        if not self.done.done():
            self.send_next()

    def begin(self) -> None:
        self.conn.handler = self.on_frame
        self.conn.on_lost = self.on_lost
        delay = self.next_due - time.perf_counter()
        if self.interval and delay > 0:
            self.loop.call_later(delay, self._send_if_running)
        else:
            self.send_next()

    def finish(self) -> None:
        self.conn.handler = None
        self.conn.on_lost = None
        if not self.done.done():
            self.done.set_result(None)

    def on_lost(self) -> None:
        self.stats.closed_by_server = True
        self.finish()

    def on_frame(self, payload: bytes) -> None:
        t1 = time.perf_counter()
        st = self.stats
        code = result_code(payload)
        if self.t0 >= self.start:
            st.lat.append(t1 - self.t0)
            if self.kind == "mixed":
                st.by_op.setdefault(self.op, array("d")).append(t1 - self.t0)
            st.codes[code] += 1
            if st.first_start is None:
                st.first_start = self.t0
            st.last_end = t1
            self.measured += 1
        else:
            st.warmup_commands += 1
        if code in OK_CODES:
            if self.op == "create":
                st.created.append(self.name)
            elif self.op == "renew":
                self.state[self.name] = ex_date(payload) or self.state[self.name]
        elif self.op == "renew" and code == 2306 and self.name in self.own:
            self.own.remove(self.name)  # ten years ahead: this one is done
            if not self.own:
                st.first_error = st.first_error or "renew: every domain is 10 years ahead"
        if code not in OK_CODES and st.first_error is None:
            st.first_error = f"{code} {result_message(payload)} (for {self.name})"
        if (t1 >= self.deadline or (self.quota is not None and self.measured >= self.quota)
                or 1500 <= code < 2000 or code >= 2500 or code == 0
                or (self.interval and self.next_due + self.interval >= self.deadline)):
            self.finish()
        else:
            self.schedule_next()


def client_ssl_context(cafile: str) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = True
    return ctx


async def prepare(spec: dict[str, Any], conn: Conn, sid: int) -> None:
    """Unmeasured per-session set-up: learn each own domain's expiry (renew), make the
    third name server (update, mixed), generate and read a transfer token (transfer)."""
    kind = spec["kind"]
    state: dict[str, Any] = spec.get("state", {}).get(sid, {})

    async def ask(xml: str) -> bytes:
        conn.send(framed(xml))
        return await conn.recv(60)

    if kind in ("update", "mixed") and sid == 0:
        reply = await ask(HOST_CREATE % (spec["hosts"][2], "P-host"))
        if result_code(reply) not in (1000, 2302):
            raise RuntimeError(f"host create: {result_message(reply)}")
    for i, name in enumerate(list(state)):
        if kind == "renew":
            state[name] = ex_date(await ask(INFO % (name, f"P{sid}-{i}")))
        elif kind == "transfer":
            reply = await ask(SET_TOKEN % (name, f"P{sid}-{i}a"))
            if result_code(reply) != 1000:
                raise RuntimeError(f"set token for {name}: {result_message(reply)}")
            m = _TOKEN.search(await ask(INFO % (name, f"P{sid}-{i}b")))
            state[name] = m.group(1).decode() if m else None
        if state[name] is None and kind in ("renew", "transfer"):
            del state[name]


async def open_session(spec: dict[str, Any], sslctx: ssl.SSLContext, sid: int,
                       as_second: bool = False) -> Conn:
    loop = asyncio.get_running_loop()
    _, conn = await loop.create_connection(Conn, spec["host"], spec["port"], ssl=sslctx,
                                           server_hostname="localhost")
    sock = conn.transport.get_extra_info("socket")  # type: ignore[union-attr]
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    greeting = await conn.recv()
    if b"<greeting>" not in greeting:
        raise RuntimeError(f"session {sid}: no greeting: {greeting[:200]!r}")
    login, password = ((spec["login2"], spec["password2"]) if as_second
                       else (spec["login"], spec["password"]))
    conn.send(framed(LOGIN % (login, password, f"L{sid}-0")))
    reply = await conn.recv(60)
    code = result_code(reply)
    if code != 1000:
        raise RuntimeError(f"session {sid}: login failed: {code} {result_message(reply)}")
    return conn


async def close_session(conn: Conn) -> None:
    if conn.closed:
        return
    conn.queue.clear()
    with contextlib.suppress(Exception):
        conn.send(framed(LOGOUT % "LOGOUT-1"))
        await conn.recv(5)
    with contextlib.suppress(Exception):
        conn.transport.close()  # type: ignore[union-attr]


async def run_phase(spec: dict[str, Any], pipe: Any) -> dict[str, Any]:
    sslctx = client_ssl_context(spec["cafile"])
    sids: list[int] = spec["sids"]
    conns = await asyncio.gather(*(open_session(spec, sslctx, sid) for sid in sids))
    await asyncio.gather(*(prepare(spec, c, sid) for c, sid in zip(conns, sids, strict=True)))
    if spec["kind"] == "transfer":  # the gaining registrar pulls the domains
        await asyncio.gather(*(close_session(c) for c in conns))
        conns = await asyncio.gather(*(open_session(spec, sslctx, sid, as_second=True)
                                       for sid in sids))
    pipe.send(("ready", len(conns)))
    msg, times = pipe.recv()  # blocks the loop briefly; nothing else needs it now
    assert msg == "go"
    warm_start, start, deadline = times
    delay = warm_start - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)
    cpu0 = None
    loads = [Load(c, spec, sid, spec["quotas"][sid], warm_start, start, deadline)
             for c, sid in zip(conns, sids, strict=True)]
    for load in loads:
        load.begin()
    delay = start - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)
    cpu0 = time.process_time()
    await asyncio.gather(*(load.done for load in loads))
    cpu1 = time.process_time()
    await asyncio.gather(*(close_session(c) for c in conns))
    return {"sessions": [_stats_dict(ld.stats) for ld in loads], "client_cpu": cpu1 - cpu0,
            "state": {ld.sid: ld.state for ld in loads}}


def _stats_dict(st: SessionStats) -> dict[str, Any]:
    d = asdict(st)
    d["lat"] = st.lat.tobytes()
    d["codes"] = dict(st.codes)
    d["by_op"] = {op: a.tobytes() for op, a in st.by_op.items()}
    return d


def client_main(pipe: Any) -> None:
    """A client process: runs phases as the coordinator asks, until told to stop."""
    with contextlib.suppress(ValueError, AttributeError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator cleans up
    while True:
        spec = pipe.recv()
        if spec is None:
            return
        try:
            result = asyncio.run(run_phase(spec, pipe))
        except Exception as exc:  # report, do not hang the coordinator
            result = {"error": f"{type(exc).__name__}: {exc}"}
        pipe.send(("result", result))


# -- coordinator: database, server, phases, report ----------------------------------------


def log(msg: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _admin(admin_url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def db_url_for(admin_url: str, name: str) -> str:
    base = admin_url.rsplit("/", 1)[0]
    return base.replace("postgresql://", "postgresql+asyncpg://", 1) + "/" + name


CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def proc_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def postgres_pids(dbname: str | None = None) -> list[int]:
    """PostgreSQL's processes: its background workers (WAL writer, checkpointer, ...) and
    the backends serving ``dbname`` (all backends when None). Backends of other databases
    (another test run on the same server) are left out, so they count as 'other'."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as fh:
                if fh.read().strip() != "postgres":
                    continue
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                title = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        # a client backend's title is "postgres: USER DBNAME HOST(PORT) STATE"
        is_backend = ("(" in title and ")" in title) or "[local]" in title
        if dbname is None or not is_backend or f" {dbname} " in title:
            pids.append(int(entry))
    return pids


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    try:
        with open("/proc/stat") as fh:
            parts = [int(x) for x in fh.readline().split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    total = sum(parts[:8])
    return float(total - idle), float(total)


@dataclass
class CpuSnap:
    server: dict[int, float]
    postgres: dict[int, float]
    clients: dict[int, float]
    busy: float
    total: float

    @classmethod
    def take(cls, server_pids: list[int], client_pids: list[int],
             dbname: str | None = None) -> CpuSnap:
        busy, total = machine_busy()
        return cls({p: proc_cpu(p) for p in server_pids},
                   {p: proc_cpu(p) for p in postgres_pids(dbname)},
                   {p: proc_cpu(p) for p in client_pids}, busy, total)

    @staticmethod
    def delta(a: CpuSnap, b: CpuSnap, seconds: float) -> dict[str, float]:
        def d(x: dict[int, float], y: dict[int, float]) -> float:
            return sum(v - x.get(p, 0.0) for p, v in y.items())
        ncpu = os.cpu_count() or 1
        out = {
            "server_cores": d(a.server, b.server) / seconds,
            "postgres_cores": d(a.postgres, b.postgres) / seconds,
            "client_cores": d(a.clients, b.clients) / seconds,
        }
        if b.total > a.total:
            busy_frac = (b.busy - a.busy) / (b.total - a.total)
            out["machine_busy_pct"] = 100.0 * busy_frac
            # whatever else ran on the machine (another test run, the kernel's softirq
            # for loopback TCP is mostly charged to the processes themselves)
            out["other_cores"] = max(0.0, busy_frac * ncpu - out["server_cores"]
                                     - out["postgres_cores"] - out["client_cores"])
        else:
            out["machine_busy_pct"] = out["other_cores"] = float("nan")
        out["cores"] = ncpu
        return out


class Server:
    """``dkreg serve`` worker processes sharing one port (SO_REUSEPORT when > 1)."""

    def __init__(self, args: argparse.Namespace, data_dir: Path, db_url: str, port: int) -> None:
        self.args = args
        self.data_dir = data_dir
        self.db_url = db_url
        self.port = port
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []

    def cmd(self, *more: str) -> list[str]:
        return [str(self.args.dkreg), *more, "--data-dir", str(self.data_dir),
                "--database-url", self.db_url]

    def start(self) -> None:
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")
        # every session comes from 127.0.0.1: lift the per-address cap (50) above them
        wanted = str(max(50, self.args.sessions + 10))
        env.setdefault("DKREG_EPP_MAX_CONNECTIONS_PER_IP", wanted)
        env.setdefault("DKREG_EPP_MAX_CONNECTIONS", str(max(1000, self.args.sessions + 10)))
        logfile = self.data_dir / "server.log"
        self.logs.append(logfile)
        with open(logfile, "wb") as out:
            proc = subprocess.Popen(
                [*self.cmd("serve"), "--epp-port", str(self.port), "--http-port", "-1",
                 "--workers", str(self.args.workers)],
                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.procs.append(proc)
        self._wait_ready(proc, logfile)
        # with --workers N, dkreg serve starts N-1 more EPP processes on the same port
        deadline = time.monotonic() + 30
        while len(self.worker_pids()) < self.args.workers - 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0 if self.args.workers > 1 else 0)  # let the workers bind the port
        log(f"server ready (pid {proc.pid}, {self.args.workers} EPP process(es), "
            f"port {self.port})")

    def worker_pids(self) -> list[int]:
        pids: list[int] = []
        for proc in self.procs:
            for task in Path(f"/proc/{proc.pid}/task").glob("*/children"):
                pids += [int(x) for x in task.read_text().split()]
        return pids

    def _wait_ready(self, proc: subprocess.Popen[bytes], logfile: Path,
                    timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            text = logfile.read_text(errors="replace")
            if "EPP over TLS" in text:
                return
            if proc.poll() is not None:
                raise RuntimeError(f"dkreg serve exited with {proc.returncode}:\n{text[-3000:]}")
            time.sleep(0.05)
        raise RuntimeError(f"dkreg serve not ready after {timeout:.0f} s:\n"
                           f"{logfile.read_text(errors='replace')[-3000:]}")

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs] + self.worker_pids()

    def stop(self, timeout: float = 30.0) -> list[int | None]:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        codes: list[int | None] = []
        for p in self.procs:
            try:
                codes.append(p.wait(timeout))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
                codes.append(None)
        return codes


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class PhaseResult:
    kind: str
    sessions: int
    commands: int
    seconds: float
    rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    errors: int
    error_codes: dict[str, int]
    first_error: str | None
    closed_by_server: int
    warmup_commands: int
    cpu: dict[str, float]
    target_rate: float | None
    verdict: str
    by_op: dict[str, dict[str, float]] = field(default_factory=dict)


def quotas(total: int | None, sessions: int) -> dict[int, int | None]:
    if total is None:
        return dict.fromkeys(range(sessions))
    base, extra = divmod(total, sessions)
    return {sid: base + (1 if sid < extra else 0) for sid in range(sessions)}


class Coordinator:
    def __init__(self, args: argparse.Namespace, server: Server, creds: dict[str, Any],
                 cafile: str, run: str) -> None:
        self.args = args
        self.server = server
        self.creds = creds
        self.cafile = cafile
        self.run = run
        self.pipes: list[Any] = []
        self.procs: list[Any] = []
        self.created: list[str] = []
        self.flipped: dict[str, bool] = {}  # NS toggle state per domain (update, mixed)
        self.transferred: set[str] = set()
        self.pyspy: list[subprocess.Popen[bytes]] = []
        self.rates: dict[str, float] = args.rates
        self.dbname = server.db_url.rsplit("/", 1)[-1].split("?", 1)[0]

    def start_clients(self) -> None:
        ctx = mp.get_context("spawn")
        for _ in range(self.args.client_procs):
            ours, theirs = ctx.Pipe()
            proc = ctx.Process(target=client_main, args=(theirs,), daemon=True)
            proc.start()
            self.pipes.append(ours)
            self.procs.append(proc)

    def stop_clients(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(Exception):
                pipe.send(None)
        for proc in self.procs:
            proc.join(10)
            if proc.is_alive():
                proc.terminate()

    def _spec(self, kind: str, sids: list[int], qs: dict[int, int | None],
              rate: bool = True) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "kind": kind, "sids": sids, "quotas": {s: qs[s] for s in sids}, "run": self.run,
            "sessions_total": self.args.sessions, "rate": self.rates.get(kind) if rate else None,
            "host": "127.0.0.1", "port": self.server.port, "cafile": self.cafile,
            "login": self.creds["login"], "password": self.creds["password"],
        }
        if kind in ("create", "mixed"):
            spec["create_template"] = create_template(self.creds["registrant"],
                                                      self.creds["hosts"])
        if kind != "create":
            spec["names"] = self.created
        spec["hosts"] = [*self.creds["hosts"][:2], f"ns-bench-{self.run}.example.net"]
        spec["login2"], spec["password2"] = self.creds.get("second", (None, None))
        if kind in ("renew", "update", "transfer", "mixed"):
            # every session gets its own domains, so no two commands race on one
            own = [n for n in self.created if n not in self.transferred]
            if kind == "transfer":
                own = own[:TRANSFER_NAMES]
            n = self.args.sessions
            spec["state"] = {sid: {name: self.flipped.get(name, False) if kind in (
                "update", "mixed") else None for name in own[sid::n]} for sid in sids}
        return spec

    def run_phase(self, kind: str, *, seconds: float, warmup: float, max_commands: int | None,
                  label: str | None = None) -> PhaseResult:
        n = self.args.sessions
        qs = quotas(max_commands, n)
        groups = [list(range(i, n, len(self.pipes))) for i in range(len(self.pipes))]
        active = [(pipe, g) for pipe, g in zip(self.pipes, groups, strict=True) if g]
        for pipe, g in active:
            pipe.send(self._spec(kind, g, qs, rate=label != "prefill"))
        for pipe, _ in active:
            tag, value = pipe.recv()
            if tag != "ready":
                raise RuntimeError(f"client process failed while logging in: {value}")
        now = time.perf_counter()
        warm_start = now + 0.05
        start = warm_start + warmup
        deadline = start + seconds
        for pipe, _ in active:
            pipe.send(("go", (warm_start, start, deadline)))
        time.sleep(max(0.0, start - time.perf_counter()))
        snap0 = CpuSnap.take(self.server.pids, [p.pid for p in self.procs], self.dbname)
        t_snap0 = time.perf_counter()
        self._start_pyspy(kind, label, seconds)
        results = []
        for pipe, _ in active:
            tag, value = pipe.recv()
            if tag != "result" or "error" in value:
                raise RuntimeError(f"client process failed: {value}")
            results.append(value)
            for st in value["state"].values():
                if kind in ("update", "mixed"):
                    self.flipped.update(st)
                elif kind == "transfer":
                    self.transferred.update(st)
        snap1 = CpuSnap.take(self.server.pids, [p.pid for p in self.procs], self.dbname)
        t_snap1 = time.perf_counter()
        self._stop_pyspy()
        return self._summarise(kind, n, results, CpuSnap.delta(snap0, snap1, t_snap1 - t_snap0))

    def _start_pyspy(self, kind: str, label: str | None, seconds: float) -> None:
        if not self.args.py_spy or label == "prefill":
            return
        out = Path(self.args.py_spy)
        out.mkdir(parents=True, exist_ok=True)
        exe = shutil.which("py-spy") or str(REPO / ".venv" / "bin" / "py-spy")
        for i, pid in enumerate(self.server.pids):
            cmd = [exe, "record", "--pid", str(pid), "--rate", str(self.args.py_spy_rate),
                   "--duration", str(max(1, int(seconds))), "--format", "raw",
                   "--nonblocking", "-o", str(out / f"{kind}-server{i}.txt")]
            self.pyspy.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL))

    def _stop_pyspy(self) -> None:
        for p in self.pyspy:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGINT)
                p.wait(10)
        self.pyspy.clear()

    def _summarise(self, kind: str, n: int, results: list[dict[str, Any]],
                   cpu: dict[str, float]) -> PhaseResult:
        lat: list[float] = []
        codes: Counter[int] = Counter()
        first_error = None
        starts, ends = [], []
        closed = warm = 0
        client_cpu = 0.0
        by_op: dict[str, list[float]] = {}
        for res in results:
            client_cpu += res["client_cpu"]
            for st in res["sessions"]:
                a = array("d")
                a.frombytes(st["lat"])
                lat.extend(a)
                codes.update({int(k): v for k, v in st["codes"].items()})
                if st["first_error"] and first_error is None:
                    first_error = st["first_error"]
                if st["first_start"] is not None:
                    starts.append(st["first_start"])
                    ends.append(st["last_end"])
                closed += st["closed_by_server"]
                warm += st["warmup_commands"]
                self.created.extend(st["created"])
                for op, raw in st["by_op"].items():
                    a = array("d")
                    a.frombytes(raw)
                    by_op.setdefault(op, []).extend(a)
        lat.sort()
        commands = len(lat)
        seconds = (max(ends) - min(starts)) if starts else 0.0
        rate = commands / seconds if seconds > 0 else 0.0
        errors = sum(v for c, v in codes.items() if c not in OK_CODES)
        ms = [percentile(lat, p) * 1000 for p in (50, 95, 99, 100)]
        target = TARGETS.get(kind) if self.args.sessions == 20 else None
        verdict = "-"
        if target is not None:
            misses = []
            offered = self.rates.get(kind)
            # open loop: the achieved rate trails the offered one by the last interval
            if rate < (0.98 * target if offered and offered >= target else target):
                misses.append(f"rate<{target:.0f}")
            if not ms[2] < P99_TARGET_MS:
                misses.append(f"p99>={P99_TARGET_MS:.0f}ms")
            if errors:
                misses.append("errors")
            verdict = "MISS " + ",".join(misses) if misses else "ok"
        return PhaseResult(
            kind=kind, sessions=n, commands=commands, seconds=seconds, rate=rate,
            p50_ms=ms[0], p95_ms=ms[1], p99_ms=ms[2], max_ms=ms[3],
            mean_ms=(sum(lat) / commands * 1000) if commands else float("nan"),
            errors=errors, error_codes={str(c): v for c, v in codes.items() if c not in OK_CODES},
            first_error=first_error, closed_by_server=closed, warmup_commands=warm,
            cpu=dict(cpu, client_cores_process_time=client_cpu / seconds if seconds else 0.0),
            target_rate=target, verdict=verdict,
            by_op={op: _op_summary(sorted(v), seconds) for op, v in sorted(by_op.items())})


def _op_summary(lat: list[float], seconds: float) -> dict[str, float]:
    return {"commands": len(lat), "rate": len(lat) / seconds if seconds else 0.0,
            "p50_ms": percentile(lat, 50) * 1000, "p99_ms": percentile(lat, 99) * 1000}


def print_table(results: list[PhaseResult], out: Any = sys.stdout) -> None:
    head = (f"{'kind':<7} {'sessions':>8} {'commands':>9} {'seconds':>8} {'cmd/s':>8} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}  target")
    print(head, file=out)
    print("-" * len(head), file=out)
    for r in results:
        print(f"{r.kind:<7} {r.sessions:>8} {r.commands:>9} {r.seconds:>8.2f} {r.rate:>8.1f} "
              f"{r.p50_ms:>7.2f} {r.p95_ms:>7.2f} {r.p99_ms:>7.2f} {r.max_ms:>7.1f} "
              f"{r.errors:>6}  {r.verdict}", file=out)
    print(file=out)
    print(f"CPU in the measured window, in cores (machine has {os.cpu_count()}):", file=out)
    print(f"{'kind':<7} {'server':>7} {'postgres':>9} {'client':>7} {'other':>6} "
          f"{'machine busy':>13}   CPU ms per command: server postgres client", file=out)
    for r in results:
        c = r.cpu
        per = [1000 * c[k] / r.rate if r.rate else float("nan")
               for k in ("server_cores", "postgres_cores", "client_cores")]
        print(f"{r.kind:<7} {c['server_cores']:>7.2f} {c['postgres_cores']:>9.2f} "
              f"{c['client_cores']:>7.2f} {c['other_cores']:>6.2f} "
              f"{c['machine_busy_pct']:>12.0f}%   {per[0]:>25.3f} {per[1]:>8.3f} "
              f"{per[2]:>6.3f}", file=out)
    if any(r.cpu["other_cores"] > 0.25 for r in results):
        print("WARNING: other processes used CPU during the run; the figures are low.",
              file=out)
    for r in results:
        if r.by_op:
            print(f"\n{r.kind} by command: " + "; ".join(
                f"{op} {v['rate']:.0f}/s p50 {v['p50_ms']:.1f} p99 {v['p99_ms']:.1f} ms"
                for op, v in r.by_op.items()), file=out)
    for r in results:
        if r.errors or r.closed_by_server:
            print(f"\n{r.kind}: {r.errors} error(s) {r.error_codes}; sessions closed by the "
                  f"server: {r.closed_by_server}; first: {r.first_error}", file=out)


# -- py-spy raw profile summary --------------------------------------------------------


def _bucket(frames: list[str]) -> str:
    """One exclusive bucket per sample (py-spy raw stacks run root -> leaf)."""
    joined = ";".join(frames)
    leaf = frames[-1] if frames else ""
    if "dkreg/lifecycle/" in joined:
        return "lifecycle tick (background application processing)"
    if "AuditBuffer" in joined:
        return "audit buffer flush (batched INSERT)"
    if "argon2" in joined or "verify_password" in joined:
        return "login (argon2)"
    if "parse_frame (" in joined or "decode_frame (" in joined:
        return "XML parse + decode (lxml)"
    if "render (dkreg/epp/codec/response.py" in joined or "render_greeting" in joined:
        return "XML render (lxml)"
    if "sqlalchemy/" in joined or "asyncpg/" in joined:
        # SQLAlchemy runs its sync core in a greenlet, whose stacks start at Connection.execute
        if any(m in joined for m in ("Connection.execute (sqlalchemy/engine",
                                     "_prepare_and_execute", "AsyncConnection.execute ",
                                     "_executemany")):
            return "SQL statement execution (SQLAlchemy execute path + asyncpg)"
        if ("sqlalchemy/sql/" in leaf or "sqlalchemy/util/" in leaf) and "dkreg/actions" in joined:
            return "SQL statement construction (select()/insert() + coercion)"
        if "asyncpg/" in joined and "sqlalchemy/" not in joined:
            return "asyncpg (protocol callbacks, raw queries)"
        return "DB connection checkout / BEGIN / COMMIT / return to pool"
    if "sslproto" in joined or "ssl.py" in joined:
        return "TLS (asyncio sslproto)"
    if "selector_events" in joined or "EpollSelector" in leaf or "selectors.py" in leaf:
        return "socket I/O + epoll (event loop transports)"
    if "dkreg/" in leaf:
        return "dkreg Python (session, handlers, response building)"
    return "event loop + other stdlib"


def summarise_profile(path: Path, top: int = 12, cpu_ms_per_command: float | None = None) -> str:
    """Where the server's samples went: exclusive buckets, then the hottest leaf frames."""
    stacks: list[tuple[list[str], int]] = []
    for line in path.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        stacks.append((stack.split(";"), int(n)))
    total = sum(n for _, n in stacks)
    if not total:
        return f"{path.name}: no samples"
    buckets: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    for frames, n in stacks:
        buckets[_bucket(frames)] += n
        leaves[frames[-1]] += n
    head = f"{path.name}: {total} samples (py-spy, wall clock while not idle)"
    if cpu_ms_per_command:
        head += f"; server CPU {cpu_ms_per_command:.2f} ms per command"
    lines = [head]
    for label, n in buckets.most_common():
        share = n / total
        est = f"  ~{share * cpu_ms_per_command:5.2f} ms/cmd" if cpu_ms_per_command else ""
        lines.append(f"  {100 * share:5.1f}%{est}  {label}")
    lines.append("  hottest leaf frames:")
    for frame, n in leaves.most_common(top):
        lines.append(f"  {100 * n / total:5.1f}%  {frame[:140]}")
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--sessions", type=int, default=20, help="concurrent EPP sessions")
    p.add_argument("--seconds", type=float, default=10.0, help="measured seconds per kind")
    p.add_argument("--warmup", type=float, default=1.0,
                   help="unmeasured seconds before each measured window")
    p.add_argument("--max-commands", type=int, default=None,
                   help="stop a kind after this many measured commands (all sessions)")
    p.add_argument("--commands", default=",".join(KINDS),
                   help="kinds to run, comma-separated (they always run in the order "
                        f"{', '.join(KINDS)})")
    p.add_argument("--database-url", default=None,
                   help="use this (existing) database instead of creating a fresh one")
    p.add_argument("--admin-url", default=os.environ.get("DKREG_BENCH_PG", DEFAULT_ADMIN),
                   help="PostgreSQL admin connection used to create/drop the fresh database")
    p.add_argument("--workers", type=int, default=1,
                   help="dkreg serve processes sharing the port (SO_REUSEPORT when > 1)")
    p.add_argument("--client-procs", type=int, default=1,
                   help="client processes the sessions are spread over")
    p.add_argument("--dkreg", type=Path, default=DEFAULT_DKREG, help="the dkreg executable")
    p.add_argument("--keep", action="store_true",
                   help="keep the database and the data directory")
    p.add_argument("--json", type=Path, default=None, help="also write the results here")
    p.add_argument("--py-spy", default=None, metavar="DIR",
                   help="profile the server(s) with py-spy during each measured window; raw "
                        "collapsed stacks go to DIR/<kind>-server<i>.txt and a summary is "
                        "printed (this slows the server a little)")
    p.add_argument("--rate", default=None, metavar="SPEC",
                   help="open loop: offer a fixed load instead of back-to-back commands; SPEC "
                        "is commands/s for every kind ('500'), per kind ('create=300,info=1000')"
                        " or 'targets' (the issue's targets); latency then counts from each "
                        "command's scheduled send time")
    p.add_argument("--wait-quiet", type=float, default=0.0, metavar="SECONDS",
                   help="before starting, wait up to this long for other load to stop")
    p.add_argument("--py-spy-rate", type=int, default=250, help="py-spy samples per second")
    args = p.parse_args(argv)
    kinds = [k.strip() for k in args.commands.split(",") if k.strip()]
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        p.error(f"--commands takes a comma-separated subset of {','.join(KINDS)}")
    args.kinds = [k for k in KINDS if k in kinds]
    args.rates = {}
    if args.rate:
        try:
            if args.rate == "targets":
                args.rates = dict(TARGETS)
            elif "=" in args.rate:
                for part in args.rate.split(","):
                    k, v = part.split("=")
                    if k.strip() not in KINDS:
                        raise ValueError(k)
                    args.rates[k.strip()] = float(v)
            else:
                args.rates = dict.fromkeys(KINDS, float(args.rate))
        except ValueError:
            p.error("--rate takes N, kind=N[,kind=N] or 'targets'")
    if args.sessions < 1 or args.seconds <= 0 or args.workers < 1 or args.client_procs < 1:
        p.error("--sessions, --seconds, --workers and --client-procs must be positive")
    if args.max_commands is not None and args.max_commands < args.sessions:
        p.error("--max-commands must be at least --sessions")
    return args


def wait_for_quiet(max_wait: float, threshold: float = 0.25) -> float:
    """Wait (up to ``max_wait`` s) until the machine uses < ``threshold`` cores; return the
    last measured use in cores."""
    ncpu = os.cpu_count() or 1
    end = time.monotonic() + max_wait
    while True:
        b0, t0 = machine_busy()
        time.sleep(1.0)
        b1, t1 = machine_busy()
        used = (b1 - b0) / (t1 - t0) * ncpu if t1 > t0 else 0.0
        if used < threshold or time.monotonic() >= end:
            return used
        log(f"machine busy ({used:.2f} cores in use by other processes); waiting")
        time.sleep(4.0)


def machine_info() -> dict[str, Any]:
    model = platform.processor()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.dkreg.exists():
        print(f"error: {args.dkreg} not found (use --dkreg)", file=sys.stderr)
        return 2
    run = f"{int(time.time()) % 1_000_000:06d}{secrets.token_hex(2)}"
    data_dir = Path(tempfile.mkdtemp(prefix=f"dkreg-bench-{run}-"))
    own_db = args.database_url is None
    db_name = f"dkreg_bench_{run}"
    db_url = args.database_url or db_url_for(args.admin_url, db_name)
    server: Server | None = None
    coord: Coordinator | None = None
    results: list[PhaseResult] = []
    exit_codes: list[int | None] = []
    started = datetime.now(UTC)
    rc = 0
    background = wait_for_quiet(args.wait_quiet)
    if background >= 0.25:
        log(f"WARNING: {background:.2f} cores are busy with other processes before the run")
    try:
        if own_db:
            log(f"creating database {db_name}")
            asyncio.run(_admin(args.admin_url, f'CREATE DATABASE "{db_name}"'))
        server = Server(args, data_dir, db_url, free_port())
        server.start()
        creds = json.loads((data_dir / "demo-credentials.json").read_text())
        top = subprocess.run([*server.cmd("registrar", "topup", creds["registrar"],
                                          "10000000")], capture_output=True, text=True)
        if top.returncode != 0:
            raise RuntimeError(f"top-up failed: {top.stdout}{top.stderr}")
        log(top.stdout.strip())
        if "transfer" in args.kinds:  # the gaining registrar for the transfer phase
            second = ("REG-900002", "bench-gainer", "Bench-2-Passw0rd")
            for cmd in (("registrar", "create", second[0], "--name", "Gaining Registrar",
                         "--email", "gainer@bench.example", "--balance", "1000000"),
                        ("user", "create", second[0], second[1], "--password", second[2])):
                made = subprocess.run(server.cmd(*cmd), capture_output=True, text=True)
                if made.returncode != 0:
                    raise RuntimeError(f"{' '.join(cmd[:2])} failed: {made.stdout}{made.stderr}")
            creds["second"] = second[1:]
        coord = Coordinator(args, server, creds, str(data_dir / "tls" / "ca.pem"), run)
        coord.start_clients()
        if "create" not in args.kinds:
            prefill = max(args.sessions * 10, 200 if args.kinds != ["transfer"] else 1000)
            log(f"prefill: creating {prefill} domains for info/check (not measured)")
            coord.run_phase("create", seconds=60, warmup=0, max_commands=prefill,
                            label="prefill")
        for kind in args.kinds:
            log(f"{kind}: {args.sessions} sessions, {args.warmup:g} s warm-up + "
                f"{args.seconds:g} s" + (f" or {args.max_commands} commands"
                                          if args.max_commands else ""))
            res = coord.run_phase(kind, seconds=args.seconds, warmup=args.warmup,
                                  max_commands=args.max_commands)
            log(f"{kind}: {res.rate:.0f}/s p99 {res.p99_ms:.1f} ms, {res.errors} errors")
            results.append(res)
    except KeyboardInterrupt:
        rc = 130
        log("interrupted")
    except Exception as exc:
        rc = 1
        log(f"failed: {exc}")
    finally:
        if coord is not None:
            coord.stop_clients()
        if server is not None:
            exit_codes = server.stop()
            log(f"server stopped with SIGTERM, exit code(s) {exit_codes}")
            if any(c != 0 for c in exit_codes):
                rc = rc or 1
                for lf in server.logs:
                    log(f"{lf.name} tail:\n" + lf.read_text(errors="replace")[-2000:])
        if own_db and not args.keep:
            try:
                asyncio.run(_admin(args.admin_url,
                                   f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
            except Exception as exc:
                log(f"could not drop {db_name}: {exc}")
        if args.keep:
            log(f"kept data dir {data_dir} and database {db_url}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)

    if not results:
        return rc or 1
    print()
    print(f"dkreg EPP load, {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"PostgreSQL, {args.workers} server worker(s), {args.client_procs} client process(es)")
    if args.rates:
        print("open loop, offered commands/s: " + ", ".join(
            f"{k} {args.rates[k]:g}" for k in args.kinds if k in args.rates)
            + " (latency from each command's scheduled send time)")
    else:
        print("closed loop: each session sends its next command as soon as the answer is in")
    print_table(results)
    print(f"\nserver exit code(s) after SIGTERM: {exit_codes}")
    if args.py_spy:
        for r in results:
            per_worker = (1000 * r.cpu["server_cores"] / r.rate / args.workers) if r.rate else None
            for path in sorted(Path(args.py_spy).glob(f"{r.kind}-server*.txt")):
                print()
                print(summarise_profile(path, cpu_ms_per_command=per_worker and
                                        per_worker * args.workers))
    if args.json:
        doc = {
            "started": started.isoformat(), "machine": machine_info(),
            "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "options": {k: (str(v) if isinstance(v, Path) else v)
                        for k, v in vars(args).items()},
            "database": "postgresql" if db_url.startswith("postgresql") else db_url,
            "server_exit_codes": exit_codes,
            "targets": {"rate": TARGETS, "p99_ms": P99_TARGET_MS, "sessions": 20},
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(doc, indent=2, default=str) + "\n")
    return rc


if __name__ == "__main__":
    sys.exit(main())

"""A small real Knot DNS (knotd) for the name-server check's tests: the listed name servers
of a domain (one knotd listening on several loopback addresses, same port), and the
sandbox's test zones (``add_test_zone``/``remove_test_zone``/``test_zones``, the methods
``dns.test_zones.load_all`` uses), plus a black hole that never answers.

Stand-in until the knot helper's ``tests/support/knot.py`` (``running_knot``) is on main;
then these tests move to it and this file goes.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import dns.message
import dns.query

from support import free_ports

KNOTD = shutil.which("knotd") or "/usr/sbin/knotd"
KNOTC = shutil.which("knotc") or "/usr/sbin/knotc"


class MiniKnot:
    def __init__(self, workdir: Path, addresses: Sequence[str] = ("127.0.0.1",)) -> None:
        self.dir = workdir
        self.addresses = list(addresses)
        self.port = 0
        self.host = self.addresses[0]
        self.zones: dict[str, str] = {}
        self.proc: subprocess.Popen[bytes] | None = None

    # -- the TestZoneHost methods
    def add_test_zone(self, name: str, text: str) -> None:
        self.zones[name.rstrip(".")] = text
        self._write()
        if self.proc is not None:
            self.knotc("reload")
            self.knotc("zone-reload", name)
            self._wait_serving(name)

    def remove_test_zone(self, name: str) -> None:
        self.zones.pop(name.rstrip("."), None)
        self._write()
        if self.proc is not None:
            self.knotc("reload")

    def test_zones(self) -> list[str]:
        return sorted(self.zones)

    # -- the server
    def _conf(self) -> str:
        listen = ", ".join(f"{a}@{self.port}" for a in self.addresses)
        zones = "".join(f"  - domain: {z}\n" for z in sorted(self.zones)) or ""
        return (f'server:\n    rundir: "{self.dir}"\n    listen: [{listen}]\n'
                "    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n"
                f'database:\n    storage: "{self.dir}/db"\n'
                f'control:\n    listen: "{self.dir}/knot.sock"\n'
                "log:\n  - target: stderr\n    any: error\n"
                f'template:\n  - id: default\n    storage: "{self.dir}/zones"\n'
                '    file: "%s.zone"\n    zonefile-sync: -1\n    journal-content: none\n'
                + (f"zone:\n{zones}" if zones else ""))

    def _write(self) -> None:
        (self.dir / "zones").mkdir(parents=True, exist_ok=True)
        (self.dir / "db").mkdir(parents=True, exist_ok=True)
        for name, text in self.zones.items():
            (self.dir / "zones" / f"{name}.zone").write_text(text)
        (self.dir / "knot.conf").write_text(self._conf())

    def knotc(self, *args: str) -> str:
        out = subprocess.run([KNOTC, "-c", str(self.dir / "knot.conf"), "-t", "10", *args],
                             capture_output=True, text=True, timeout=30)
        return out.stdout + out.stderr

    def start(self, port: int = 0) -> None:
        """On ``port``, or a free one (another server may use the same port on other
        addresses: several "name servers" asked on one port)."""
        self.port = port or free_ports(1)[0]
        self._write()
        self.proc = subprocess.Popen([KNOTD, "-c", str(self.dir / "knot.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for name in self.zones:
            self._wait_serving(name)
        if not self.zones:
            time.sleep(0.3)

    def _wait_serving(self, name: str) -> None:
        deadline = time.monotonic() + 10
        q = dns.message.make_query(name + ".", "SOA")
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                err = self.proc.stderr.read() if self.proc.stderr else b""
                raise RuntimeError(f"knotd exited: {err!r}")
            with contextlib.suppress(Exception):
                r = dns.query.udp(q, self.host, port=self.port, timeout=0.5)
                if r.answer and r.answer[0].name.to_text() == name + "." and \
                        f" {self._serial(name)} " in r.answer[0].to_text() + " ":
                    return
            time.sleep(0.05)
        raise RuntimeError(f"knotd does not serve {name}")

    def _serial(self, name: str) -> str:
        for line in self.zones[name].splitlines():
            parts = line.split()
            if "SOA" in parts:
                return parts[parts.index("SOA") + 3]
        return ""

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None


@contextlib.contextmanager
def mini_knot(workdir: Path, zones: dict[str, str] | None = None,
              addresses: Sequence[str] = ("127.0.0.1",), port: int = 0) -> Iterator[MiniKnot]:
    k = MiniKnot(workdir, addresses)
    k.zones.update(zones or {})
    k.start(port)
    try:
        yield k
    finally:
        k.stop()


@contextlib.contextmanager
def black_hole(address: str = "127.0.0.1") -> Iterator[int]:
    """A port where a UDP socket reads and never answers and a TCP listener accepts and
    never answers: a hostile name server."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((address, 0))
    port = udp.getsockname()[1]
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((address, port))
    tcp.listen(8)
    stop = threading.Event()
    held: list[socket.socket] = []

    def swallow() -> None:
        udp.settimeout(0.1)
        tcp.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                udp.recvfrom(4096)
            with contextlib.suppress(OSError):
                conn, _ = tcp.accept()
                held.append(conn)

    t = threading.Thread(target=swallow, daemon=True)
    t.start()
    try:
        yield port
    finally:
        stop.set()
        t.join(2)
        for s in (udp, tcp, *held):
            s.close()

"""Name servers for the registry's name-server check: real Knot DNS servers
(``support.knot.running_knot``, ``dkreg.dns.knot.KnotServer``) on several loopback
addresses sharing one port (the check asks every listed server on ``ns_check_port``),
each serving the .dk apex and the test zones given; and a black hole that never answers.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

from dkreg.dns.knot import KnotServer
from support.knot import apex_zone_text, knot_settings, running_knot


@contextlib.contextmanager
def name_servers(tmp_path: Path, zones: dict[str, dict[str, str]], *,
                 origin: dict[str, str] | None = None,
                 apex_extra: str = "") -> Iterator[list[KnotServer]]:
    """``zones``: address -> {test zone name: master file}; a server per address, all on
    the first one's (free) port. ``origin``: address -> the zone a server is
    authoritative for instead of .dk (a server that is nobody's for .dk: REFUSED).
    ``apex_extra``: records appended to the first server's .dk apex (a delegation)."""
    origin = origin or {}
    addresses = list(zones)
    with contextlib.ExitStack() as stack:
        first = addresses[0]
        s = knot_settings(tmp_path / "ns0", dns_host=first,
                          zone_origin=origin.get(first, "dk"))
        lead = stack.enter_context(running_knot(s, tmp_path / "ns0",
                                                apex_zone_text(s) + apex_extra))
        servers = [lead]
        for i, address in enumerate(addresses[1:], 1):
            si = knot_settings(tmp_path / f"ns{i}", dns_host=address, dns_port=lead.port,
                               zone_origin=origin.get(address, "dk"))
            server = KnotServer(si, tmp_path / f"ns{i}" / "knot", strict_port=True)
            stack.callback(server.stop)
            server.start(apex_zone_text(si))
            servers.append(server)
        for server, address in zip(servers, addresses, strict=True):
            for name, text in zones[address].items():
                server.add_test_zone(name, text)
        yield servers


@contextlib.contextmanager
def black_hole(address: str = "127.0.0.1") -> Iterator[int]:
    """A port where a UDP socket reads and never answers and a TCP listener accepts and
    never answers: a hostile name server. Yields the port."""
    for _ in range(50):  # the UDP port's TCP twin may be in use: take another pair
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((address, 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind((address, port))
        except OSError:
            udp.close()
            tcp.close()
            continue
        break
    else:
        raise OSError(f"no port free for both UDP and TCP on {address}")
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
        for sock in (udp, tcp, *held):
            sock.close()

"""The tests' real name server: a started Knot DNS (dkreg.dns.knot.KnotServer) and the
clients that look at it from outside, as a resolver would: dnspython queries (``dig``)
and BIND's validating ``delv`` from a trust anchor.

``running_knot`` stops knotd when the block ends, also when a test fails in it; every
server gets a free port (tests run in parallel under xdist, beside other test runs).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dns.flags
import dns.message
import dns.query

from dkreg.config import Settings
from dkreg.dns.knot import KnotServer

APEX_SERIAL = 2026060101


def apex_zone_text(settings: Settings, serial: int = APEX_SERIAL) -> str:
    """The smallest valid zone for ``settings``: SOA, the registry's NS set and the glue
    of its in-zone name servers (``zone_apex_ns``, ``zone_apex_glue``)."""
    origin = settings.zone_origin.strip(".") + "."
    lines = [f"$ORIGIN {origin}", f"$TTL {settings.zone_ttl}",
             f"@ IN SOA {settings.zone_soa_mname.rstrip('.')}. "
             f"{settings.zone_soa_rname.rstrip('.')}. {serial} {settings.zone_soa_timers}"]
    lines += [f"@ IN NS {ns.rstrip('.')}." for ns in settings.zone_apex_ns.split()]
    for item in settings.zone_apex_glue.split():
        host, _, address = item.partition("=")
        host = host.rstrip(".") + "."
        if host.endswith("." + origin):
            lines.append(f"{host} IN {'AAAA' if ':' in address else 'A'} {address}")
    return "\n".join(lines) + "\n"


def knot_settings(data_dir: Path, **kw: Any) -> Settings:
    """Settings for a test's own name server: a free port, the server switched on."""
    s = Settings(data_dir=data_dir)
    s.dns_server = "knot"
    s.dns_port = 0
    s.ns_check = "off"
    for k, v in kw.items():
        setattr(s, k, v)
    return s


@contextlib.contextmanager
def running_knot(settings: Settings, tmp_path: Path, zone_text: str | None = None
                 ) -> Iterator[KnotServer]:
    """A started KnotServer in ``tmp_path/"knot"`` serving ``zone_text`` (the apex
    alone when none is given), stopped afterwards. A settings' fixed ``dns_port`` is
    replaced by 0: a test never takes a fixed port."""
    if settings.dns_port != 0:
        settings = _copy(settings, dns_port=0)
    server = KnotServer(settings, tmp_path / "knot")
    try:
        server.start(zone_text if zone_text is not None else apex_zone_text(settings))
        yield server
    finally:
        server.stop()


def _copy(settings: Settings, **kw: Any) -> Settings:
    import dataclasses

    return dataclasses.replace(settings, **kw)


def _address(server: KnotServer | str, args: tuple[Any, ...], need: int
             ) -> tuple[str, int, tuple[Any, ...]]:
    if isinstance(server, KnotServer):
        return server.host, server.port, args
    if len(args) != need + 1:
        raise TypeError("dig/delv(host, port, name, rdtype) or dig/delv(server, name, rdtype)")
    return server, int(args[0]), args[1:]


def dig(server: KnotServer | str, *args: Any, dnssec: bool = False, tcp: bool = True,
        timeout: float = 5.0) -> dns.message.Message:
    """Ask ``server`` (a KnotServer, or host and port) for ``name``/``rdtype`` without
    recursion, as a resolver asks an authoritative server: ``dig(knot, "eksempel.dk",
    "NS")`` or ``dig("127.0.0.1", 8053, "eksempel.dk", "NS", dnssec=True)``."""
    host, port, (name, rdtype) = _address(server, args, 2)
    q = dns.message.make_query(name.rstrip(".") + ".", rdtype, want_dnssec=dnssec)
    q.flags &= ~dns.flags.RD
    send = dns.query.tcp if tcp else dns.query.udp
    return send(q, host, port=port, timeout=timeout)


def delv(server: KnotServer | str, *args: Any, anchor: Path | None = None,
         root: str | None = None) -> tuple[bool, str]:
    """Validate ``name``/``rdtype`` with BIND's ``delv`` from a trust anchor for the
    zone (not the root's): ``delv -a ANCHOR +root=ZONE -p PORT @HOST NAME TYPE``.

    ``+root=dk`` makes the ``-a`` file's ``dk.`` key the anchor delv validates from,
    so a chain dk DNSKEY -> DS of a delegation is checked without a signed root. delv
    exits 0 even when validation fails (it prints "resolution failed" on stderr): ``ok``
    is whether it printed "fully validated". Returns (ok, stdout + stderr)."""
    host, port, (name, rdtype) = _address(server, args, 2)
    if isinstance(server, KnotServer):
        anchor = anchor or server.trust_anchor_file()
        root = root or server.zone
    if anchor is None or root is None:
        raise TypeError("delv(host, port, ...) needs anchor= and root=")
    exe = shutil.which("delv")
    if exe is None:
        raise RuntimeError("delv is not installed (Debian: apt-get install bind9-dnsutils)")
    result = subprocess.run(
        [exe, "-a", str(anchor), f"+root={root.rstrip('.')}", "-p", str(port), f"@{host}",
         name, rdtype], capture_output=True, text=True, timeout=60, check=False)
    output = result.stdout + result.stderr
    # an NXDOMAIN proven by NSEC3 is "negative response, fully validated" on stdout
    # with "resolution failed: ncache nxdomain" on stderr: the stdout line decides
    ok = result.returncode == 0 and "fully validated" in result.stdout
    return ok, output

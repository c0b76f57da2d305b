"""For the publication tests: a real Knot DNS (knotd) with a configuration of the test's
own, and questions to it.

The sandbox's ``KnotServer`` is what the other tests use; the publisher's refusal tests
need an access rule of their own (the key may update only some names), the way an
operator's hidden primary can be configured, so this starts knotd directly.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import dns.message
import dns.query
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring

from dkreg.dns.update import Target


@dataclass(frozen=True)
class Key:
    name: str
    algorithm: str
    secret: str

    def keyring(self) -> dict[dns.name.Name, dns.tsig.Key]:
        ring = dns.tsigkeyring.from_text({self.name: (self.algorithm, self.secret)})
        return {n: k for n, k in ring.items() if isinstance(k, dns.tsig.Key)}


APEX = """$ORIGIN dk.
$TTL 3600
@ SOA a.nic.dk. hostmaster.punktum.dk. 1 1800 900 1814400 3600
@ NS a.nic.dk.
a.nic.dk. A 127.0.0.1
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class OwnKnot:
    host: str
    port: int
    tsig: Key
    workdir: Path

    def target(self, timeout: float = 5.0) -> Target:
        return Target(self.host, self.port, self.tsig, "dk", timeout)

    def query(self, name: str, rdtype: str) -> dns.message.Message:
        q = dns.message.make_query(name, rdtype)
        q.flags &= ~dns.flags.RD
        return dns.query.tcp(q, self.host, port=self.port, timeout=5)


def _conf(workdir: Path, port: int, key: Key, only: Sequence[str] | None) -> str:
    acl = (f"acl:\n  - id: dkreg\n    key: {key.name}\n    action: [update, transfer]\n")
    if only is not None:  # the key may update these names (and below) only
        names = ", ".join(n.rstrip(".") + "." for n in only)
        acl += ("    update-owner: name\n    update-owner-match: sub-or-equal\n"
                f"    update-owner-name: [{names}]\n"
                f"  - id: transfer\n    key: {key.name}\n    action: transfer\n")
    acls = "[dkreg, transfer]" if only is not None else "[dkreg]"
    return f"""server:
    rundir: "{workdir}"
    listen: 127.0.0.1@{port}
control:
    listen: "{workdir}/knot.sock"
database:
    storage: "{workdir}/db"
key:
  - id: {key.name}
    algorithm: {key.algorithm}
    secret: {key.secret}
{acl}
policy:
  - id: sandbox
    algorithm: ecdsap256sha256
template:
  - id: default
    storage: "{workdir}"
zone:
  - domain: dk
    file: dk.zone
    acl: {acls}
    dnssec-signing: on
    dnssec-policy: sandbox
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: changes
log:
  - target: "{workdir}/knot.log"
    any: info
"""


@contextlib.contextmanager
def own_knot(workdir: Path, only: Sequence[str] | None = None,
             zone_text: str = APEX) -> Iterator[OwnKnot]:
    """knotd serving a signed ``dk`` on a free loopback port; stopped on the way out."""
    knotd = shutil.which("knotd") or "/usr/sbin/knotd"
    key = Key("dkreg-update", "hmac-sha256",
              base64.b64encode(secrets.token_bytes(32)).decode())
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "db").mkdir(exist_ok=True)
    (workdir / "dk.zone").write_text(zone_text)
    for _attempt in range(5):
        port = free_port()
        (workdir / "knot.conf").write_text(_conf(workdir, port, key, only))
        proc = subprocess.Popen([knotd, "-c", str(workdir / "knot.conf")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = OwnKnot("127.0.0.1", port, key, workdir)
        try:
            if _ready(server, proc):
                break
        except BaseException:
            _stop(proc)
            raise
        _stop(proc)
    else:
        raise RuntimeError("knotd did not start: " + _log(workdir))
    try:
        yield server
    finally:
        _stop(proc)


def _ready(server: OwnKnot, proc: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            r = server.query("dk", "SOA")
            if r.answer:
                return True
        except (OSError, dns.exception.DNSException):
            pass
        time.sleep(0.05)
    return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _log(workdir: Path) -> str:
    path = workdir / "knot.log"
    return path.read_text()[-2000:] if path.exists() else "(no log)"


def served(server: OwnKnot, name: str, rdtype: str) -> list[str]:
    """What the server holds at ``name`` of ``rdtype`` (answer or referral), sorted."""
    r = server.query(name, rdtype)
    want = dns.rdatatype.from_text(rdtype)
    out = []
    for section in (r.answer, r.authority, r.additional):
        for rrset in section:
            if rrset.rdtype == want and rrset.name.to_text().rstrip(".") == name.rstrip("."):
                out += [rd.to_text() for rd in rrset]
    return sorted(set(out))

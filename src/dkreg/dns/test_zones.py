"""The sandbox's test zones: a registrar's developer hosts a domain's zone on the sandbox's
own Knot DNS, so the registry's name-server check can be tried both ways offline.

A test zone for ``eksempel.dk`` lists the name servers that "answer" for it; the sandbox
probe (``dns.probe.SandboxProbe``) counts a listed name server as answering when the
test zone lists it, and as lame (with what it said) when not. DNSKEY records given with
the zone are served with it, so that a DS registered for a key that is not there shows
as "keys unpublished" (``dns.dnssec_check``).

The zones are kept in ``sandbox_test_zones`` (so they survive a restart) and pushed into
the running server: ``load_all`` makes the server hold exactly the stored ones at its
start (``dns.serving``), and ``keep_loaded`` runs beside it so that a zone stored by
another process (``dkreg sandbox ns add``) is served within seconds. The server is
anything with the three methods of :class:`TestZoneHost` (``dns.knot.KnotServer``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import dns.exception
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.zone
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.model.zone import absolute, in_bailiwick
from dkreg.store.schema import sandbox_test_zones

if TYPE_CHECKING:
    from dkreg.store.db import Database

log = logging.getLogger(__name__)

TTL = 300
# an in-zone name server of a test zone needs an address in it; the sandbox's loopback
# is as good as any (nobody resolves through it)
GLUE = "127.0.0.1"


class TestZoneHost(Protocol):
    def add_test_zone(self, name: str, text: str) -> None: ...
    def remove_test_zone(self, name: str) -> None: ...
    def test_zones(self) -> list[str]: ...


@dataclass(frozen=True)
class TestZone:
    name: str
    ns: tuple[str, ...]
    text: str
    registrar_id: int | None = None
    updated_at: datetime | None = None


def _key(text: str) -> str:
    """A DNSKEY's RDATA in canonical presentation form, or ValueError."""
    try:
        return dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY,
                                   text.strip()).to_text()
    except dns.exception.DNSException as e:
        raise ValueError(f"not a DNSKEY record's data ({e}): {text!r}") from None


def zone_text(name: str, ns: Sequence[str], dnskeys: Sequence[str] = (),
              serial: int = 1) -> str:
    """The master file of a test zone; checked by parsing it (dnspython) before use."""
    name = name.lower().rstrip(".")
    servers = [n.lower().rstrip(".") for n in ns]
    if not servers:
        raise ValueError("a test zone needs at least one name server")
    lines = [f"$ORIGIN {absolute(name)}", f"$TTL {TTL}",
             f"@ SOA {absolute(servers[0])} {absolute('hostmaster.' + name)} "
             f"{serial} 3600 900 86400 {TTL}"]
    lines += [f"@ NS {absolute(s)}" for s in servers]
    lines += [f"{absolute(s)} A {GLUE}" for s in servers if in_bailiwick(s, name)]
    lines += [f"@ DNSKEY {_key(k)}" for k in dnskeys]
    text = "\n".join(lines) + "\n"
    dns.zone.from_text(text, origin=absolute(name), relativize=False, check_origin=True)
    return text


async def test_zone_definitions(conn: AsyncConnection) -> list[TestZone]:
    return [TestZone(r.name, tuple(r.ns.split()), r.text, r.registrar_id, r.updated_at)
            for r in await conn.execute(select(sandbox_test_zones)
                                        .order_by(sandbox_test_zones.c.name))]


async def store(conn: AsyncConnection, now: datetime, name: str, ns: Sequence[str],
                dnskeys: Sequence[str] = (), registrar_id: int | None = None) -> TestZone:
    """Add or replace the test zone for ``name`` (its serial goes up on each change, so a
    server that already holds it reloads)."""
    name = name.lower().rstrip(".")
    old = (await conn.execute(select(sandbox_test_zones.c.text)
                              .where(sandbox_test_zones.c.name == name))).first()
    serial = _serial(old.text) + 1 if old is not None else 1
    text = zone_text(name, ns, dnskeys, serial)
    servers = " ".join(n.lower().rstrip(".") for n in ns)
    values = {"ns": servers, "text": text, "updated_at": now, "registrar_id": registrar_id}
    if old is None:
        await conn.execute(insert(sandbox_test_zones).values(name=name, **values))
    else:
        await conn.execute(update(sandbox_test_zones)
                           .where(sandbox_test_zones.c.name == name).values(**values))
    return TestZone(name, tuple(servers.split()), text, registrar_id, now)


def _serial(text: str) -> int:
    for line in text.splitlines():
        if line.startswith("@ SOA "):
            return int(line.split()[4])
    return 0


async def remove(conn: AsyncConnection, name: str) -> bool:
    name = name.lower().rstrip(".")
    return bool((await conn.execute(delete(sandbox_test_zones)
                                    .where(sandbox_test_zones.c.name == name))).rowcount)


async def push(server: TestZoneHost, zone: TestZone) -> None:
    await asyncio.to_thread(server.add_test_zone, zone.name, zone.text)


async def load_all(conn: AsyncConnection, server: TestZoneHost) -> int:
    """Make ``server`` hold exactly the stored test zones; how many it holds."""
    zones = await test_zone_definitions(conn)
    wanted = {z.name for z in zones}
    for name in await asyncio.to_thread(server.test_zones):
        if name.rstrip(".") not in wanted:
            await asyncio.to_thread(server.remove_test_zone, name)
    for z in zones:
        await push(server, z)
    return len(zones)


async def sync(conn: AsyncConnection, server: TestZoneHost, loaded: dict[str, str]) -> int:
    """Bring ``server`` up to date with the stored test zones, given what it was last
    given (``loaded``: name -> text, updated here): only new, changed and removed zones
    are touched. How many changes it made."""
    zones = {z.name: z for z in await test_zone_definitions(conn)}
    changes = 0
    for name in sorted(set(loaded) - set(zones)):
        await asyncio.to_thread(server.remove_test_zone, name)
        del loaded[name]
        changes += 1
    for name, z in zones.items():
        if loaded.get(name) != z.text:
            await push(server, z)
            loaded[name] = z.text
            changes += 1
    return changes


async def keep_loaded(db: Database, server: TestZoneHost, interval: float = 2.0) -> None:
    """Run beside ``dkreg serve``'s name server until cancelled: a test zone stored by
    another process (``dkreg sandbox ns add``, the portal) is served within
    ``interval`` seconds. A failed round is logged and tried again."""
    loaded: dict[str, str] = {}
    async with db.read() as conn:
        for z in await test_zone_definitions(conn):
            loaded[z.name] = z.text  # load_all gave the server these at its start
    while True:
        await asyncio.sleep(interval)
        try:
            async with db.read() as conn:
                await sync(conn, server, loaded)
        except Exception:
            log.exception("could not bring the sandbox's test zones up to date")

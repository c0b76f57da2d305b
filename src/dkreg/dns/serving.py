"""Which name server the registry publishes to, started beside ``dkreg serve``.

A sandbox runs its own Knot DNS (``dkreg.dns.knot``) in ``data_dir/dns``: loaded with a
zone generated from the database at start, signed by Knot, and kept current by the
publisher's RFC 2136 updates, so a developer can ``dig`` a domain created over EPP a
minute earlier. Production publishes the same updates to the operator's hidden primary
(``dns_primary`` with the operator's TSIG key); the public name servers transfer from
there, and signing happens there with the operator's keys.

``dns_server = "auto"`` means: the sandbox's Knot when ``knotd`` is installed (a warning
otherwise: the sandbox still runs, without DNS), the hidden primary in production when one
is configured. Only the first process of an installation publishes (as with lifecycle
work).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dkreg.config import Settings

if TYPE_CHECKING:
    from dkreg.clock import Clock
    from dkreg.dns.knot import KnotServer
    from dkreg.dns.publisher import Publisher, Target
    from dkreg.store.db import Database

log = logging.getLogger(__name__)

MODES = ("auto", "knot", "primary", "off")


def zone_mode(settings: Settings) -> str:
    """"knot", "primary" or "off" for these settings (an unusable explicit choice fails)."""
    from dkreg.dns.knot import knotd_available

    choice = settings.dns_server
    if choice not in MODES:
        raise ValueError(f"dns_server must be one of {', '.join(MODES)}, not {choice!r}")
    if choice == "auto":
        if settings.sandbox:
            if not knotd_available():
                log.warning("knotd (Debian package knot) is not installed: the sandbox runs "
                            "without its .dk name server")
                return "off"
            return "knot"
        return "primary" if settings.dns_primary else "off"
    if choice == "knot" and not knotd_available():
        raise ValueError("dns_server = knot needs knotd (Debian package knot)")
    if choice == "primary" and not (settings.dns_primary and settings.dns_tsig_secret):
        raise ValueError("dns_server = primary needs dns_primary (host:port) and "
                         "dns_tsig_secret (the update key shared with the primary)")
    return choice


def primary_address(value: str) -> tuple[str, int]:
    """``host:port``, ``[v6]:port`` or a bare host (port 53)."""
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        return host, int(rest.lstrip(":") or 53)
    if value.count(":") == 1:
        host, port = value.split(":")
        return host, int(port)
    return value, 53


@dataclass
class ZoneService:
    """The publication target, the publisher, and the sandbox's server when it runs one."""

    mode: str
    target: Target
    publisher: Publisher
    server: KnotServer | None = None

    async def stop(self) -> None:
        if self.server is not None:
            await asyncio.to_thread(self.server.stop)


async def start_zone_service(db: Database, settings: Settings,
                             clock: Clock) -> ZoneService | None:
    """Start the sandbox's name server (or point at the primary) and make the publisher;
    the caller runs ``publisher.run()`` as a background task."""
    mode = zone_mode(settings)
    if mode == "off":
        return None
    from dkreg.dns.publisher import Publisher, Target
    from dkreg.dns.tsig import tsig_key

    workdir = settings.data_dir / "dns"
    workdir.mkdir(parents=True, exist_ok=True)
    if mode == "primary":
        host, port = primary_address(settings.dns_primary)
        target = Target(host, port, tsig_key(settings, workdir), settings.zone_origin)
        return ZoneService(mode, target, Publisher(db, settings, target, clock))
    from dkreg.dns.generate import write_zone_file
    from dkreg.dns.knot import KnotServer
    from dkreg.dns.test_zones import load_all

    server = KnotServer(settings, workdir)
    await write_zone_file(db, settings, server.zone_file)
    await asyncio.to_thread(server.start, None, from_file=True)
    try:
        async with db.read() as conn:
            await load_all(conn, server)
    except BaseException:
        await asyncio.to_thread(server.stop)
        raise
    target = Target(server.host, server.port, server.tsig, settings.zone_origin)
    return ZoneService(mode, target, Publisher(db, settings, target, clock), server)

"""``dkreg zone ...`` and ``dkreg sandbox ...``: the .dk zone and the sandbox's name
servers (issue 14). Registered into the main parser by ``dkreg.cli.build_parser``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from dkreg.config import Settings

if TYPE_CHECKING:
    from dkreg.store.db import Database

Common = Callable[[argparse.ArgumentParser], None]


def add_parsers(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                common: Common) -> None:
    zone = sub.add_parser("zone", help="the .dk zone: generate, publish, DS for the parent")
    zs = zone.add_subparsers(dest="zone_command", required=True)
    _zone_commands(zs, common)
    sandbox = sub.add_parser("sandbox", help="the sandbox's own name server and test zones")
    ss = sandbox.add_subparsers(dest="sandbox_command", required=True)
    _sandbox_commands(ss, common)


def _zone_commands(zs: argparse._SubParsersAction,  # type: ignore[type-arg]
                   common: Common) -> None:
    """``zone generate`` / ``zone resync`` / ``zone ds`` / ``zone status``."""
    _zone_resync_parser(zs, common)
    _zone_status_parser(zs, common)


def _sandbox_commands(ss: argparse._SubParsersAction,  # type: ignore[type-arg]
                      common: Common) -> None:
    """``sandbox ns ...``: test zones for a registrar's name servers."""


# --- zone resync / zone status (the publisher's commands) --------------------------------


def _zone_resync_parser(zs: argparse._SubParsersAction,  # type: ignore[type-arg]
                        common: Common) -> None:
    c = zs.add_parser("resync", help="make the name server's zone match the registry: "
                      "transfer it, send updates for the differences only (idempotent)")
    common(c)
    c.set_defaults(func=cmd_zone_resync)


def _zone_status_parser(zs: argparse._SubParsersAction,  # type: ignore[type-arg]
                        common: Common) -> None:
    c = zs.add_parser("status", help="unpublished changes, the oldest one's age, and the "
                      "serial the name server answers with")
    common(c)
    c.set_defaults(func=cmd_zone_status)


async def _database(settings: Settings) -> Database:
    from dkreg.store.db import Database, upgrade_schema_async

    await upgrade_schema_async(settings.url)
    return Database(settings.url)


async def cmd_zone_resync(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.dns.publisher import publication_target, resync
    from dkreg.dns.update import Unavailable

    target = publication_target(settings)
    if target is None:
        print("dns_server is off: no name server to resync", file=sys.stderr)
        return 2
    db = await _database(settings)
    try:
        stats = await resync(db, settings, target)
    except (Unavailable, OSError) as exc:
        print(f"resync failed: {exc}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    print(f"zone {target.zone}. at {target.host} port {target.port}: "
          f"{stats.served_names} names served, {stats.registry_names} in the registry; "
          f"{stats.updated} updated ({stats.removed} removed), {stats.refused} refused, "
          f"{stats.messages} messages, {stats.seconds:.1f} s "
          f"(transfer {stats.transfer_seconds:.1f} s)")
    return 1 if stats.refused else 0


async def cmd_zone_status(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.dns.publisher import publication_target
    from dkreg.dns.status import zone_state
    from dkreg.dns.update import Updater

    db = await _database(settings)
    try:
        async with db.read() as conn:
            state = await zone_state(conn, None)
    finally:
        await db.dispose()
    print(f"journal: {state.depth} unpublished changes"
          + (f", the oldest waiting {state.oldest_age:.0f} s" if state.depth else ""))
    target = publication_target(settings)
    if target is None:
        print("name server: none (dns_server is off)")
        return 0
    serial = await Updater(target, settings.zone_ttl).serial()
    where = f"{target.host} port {target.port}"
    print(f"name server: {where}, serial {serial}" if serial is not None
          else f"name server: {where} does not answer")
    return 0 if serial is not None else 1

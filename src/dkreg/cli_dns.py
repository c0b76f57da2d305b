"""``dkreg zone ...`` and ``dkreg sandbox ...``: the .dk zone and the sandbox's name
servers (issue 14). Registered into the main parser by ``dkreg.cli.build_parser``."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

from dkreg.config import Settings

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
    _zone_ds_parser(zs, common)
    _zone_trust_anchor_parser(zs, common)


def _sandbox_commands(ss: argparse._SubParsersAction,  # type: ignore[type-arg]
                      common: Common) -> None:
    """``sandbox ns ...``: test zones for a registrar's name servers."""


# --- zone ds, zone trust-anchor: the zone's key set as the parent and resolvers need it

def _zone_ds_parser(zs: argparse._SubParsersAction,  # type: ignore[type-arg]
                    common: Common) -> None:
    c = zs.add_parser("ds", help="the DS records for the parent (the root zone), computed "
                      "from the DNSKEY set the name server serves")
    common(c)
    c.set_defaults(func=cmd_zone_ds)


def _zone_trust_anchor_parser(zs: argparse._SubParsersAction,  # type: ignore[type-arg]
                              common: Common) -> None:
    c = zs.add_parser("trust-anchor", help="a trust-anchors file for the zone (delv -a, "
                      "unbound), from the served key set")
    common(c)
    c.add_argument("--output", "-o", type=Path, help="write the file here (default: stdout)")
    c.set_defaults(func=cmd_zone_trust_anchor)


async def cmd_zone_ds(args: argparse.Namespace, settings: Settings) -> int:
    try:
        ds = await asyncio.to_thread(served_ds_for, settings)
    except DsUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    origin = settings.zone_origin.strip(".")
    for rdata in ds:
        print(f"{origin}. IN DS {rdata}")
    return 0


async def cmd_zone_trust_anchor(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.dns.knot import trust_anchor_text

    try:
        ds = await asyncio.to_thread(served_ds_for, settings)
    except DsUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = trust_anchor_text(settings.zone_origin, ds)
    if args.output:
        args.output.write_text(text)
        print(f"wrote {args.output}: delv -a {args.output} +root="
              f"{settings.zone_origin.strip('.')} ...", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


class DsUnavailable(Exception):
    """No name server to read the key set from; the message says what to do."""


def served_ds_for(settings: Settings) -> list[str]:
    """The DS records from the server that signs the zone: the operator's hidden primary
    when dkreg publishes to one; else the sandbox's Knot DNS in ``data_dir/dns`` — the
    running one (``dkreg serve``), or started briefly on a free port from its journal
    and keys when it is not running."""
    import dns.exception

    from dkreg.dns.knot import KnotError, KnotServer, free_port, sandbox_workdir, served_ds

    zone = settings.zone_origin
    try:
        if _publishes_to_primary(settings):
            host, port = primary_address(settings.dns_primary)
            return served_ds(host, port, zone)
        workdir = sandbox_workdir(settings)
        server = KnotServer(settings, workdir)
        if server.answering():
            return server.ds_for_parent()
        if not server.zone_file.exists():
            raise DsUnavailable(
                f"the sandbox's name server has no keys yet ({workdir} is empty): start "
                f"`dkreg serve` once (Knot DNS generates the keys when it first signs the "
                f"zone), then run this again")
        brief = KnotServer(dataclasses.replace(settings, dns_port=free_port(
            settings.dns_host)), workdir)
        brief.start(None)
        try:
            return brief.ds_for_parent()
        finally:
            brief.stop()
    except (KnotError, OSError, dns.exception.DNSException) as exc:
        raise DsUnavailable(str(exc) or type(exc).__name__) from exc


def _publishes_to_primary(settings: Settings) -> bool:
    if settings.dns_server == "primary":
        return True
    return settings.dns_server == "auto" and not settings.sandbox and bool(settings.dns_primary)


def primary_address(value: str) -> tuple[str, int]:
    """``dns_primary`` as (host, port): "192.0.2.1:53", "[2001:db8::1]:5353", "host"."""
    value = value.strip()
    if not value:
        raise DsUnavailable("dns_server is \"primary\" but dns_primary is not set")
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        return host, int(rest.lstrip(":") or 53)
    if value.count(":") == 1:
        host, _, port = value.partition(":")
        return host, int(port)
    return value, 53

"""``dkreg zone ...`` and ``dkreg sandbox ...``: the .dk zone and the sandbox's name
servers (issue 14). Registered into the main parser by ``dkreg.cli.build_parser``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from dkreg.cli_support import with_ctx
from dkreg.config import Settings

if TYPE_CHECKING:
    from dkreg.store.context import Ctx
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
    _zone_ds_parser(zs, common)
    _zone_trust_anchor_parser(zs, common)
    _zone_resync_parser(zs, common)
    _zone_status_parser(zs, common)
    _zone_generate_parser(zs, common)


def _sandbox_commands(ss: argparse._SubParsersAction,  # type: ignore[type-arg]
                      common: Common) -> None:
    """``sandbox ns ...``: test zones for a registrar's name servers."""
    _sandbox_ns_parser(ss, common)


def _sandbox_ns_parser(ss: argparse._SubParsersAction,  # type: ignore[type-arg]
                       common: Common) -> None:
    p = ss.add_parser("ns", help="test zones on the sandbox's name server, for the registry's "
                                 "name-server check (dkreg.dns.test_zones)")
    ns = p.add_subparsers(dest="ns_command", required=True)
    c = ns.add_parser("add", help="host (or replace) a test zone for a domain: the name "
                                  "servers listed answer for it, any other is lame")
    common(c)
    c.add_argument("domain", metavar="DOMAIN")
    c.add_argument("--ns", action="append", required=True, metavar="HOST",
                   help="a name server that answers for the domain (repeat for more)")
    c.add_argument("--dnskey", action="append", default=[], metavar="RDATA",
                   help='a DNSKEY the zone serves, e.g. "257 3 13 base64..." (repeat)')
    c.add_argument("--registrar", metavar="REG-HANDLE", help="whose test zone it is")
    c.set_defaults(func=cmd_sandbox_ns_add)
    c = ns.add_parser("remove", help="remove a domain's test zone")
    common(c)
    c.add_argument("domain", metavar="DOMAIN")
    c.set_defaults(func=cmd_sandbox_ns_remove)
    c = ns.add_parser("list", help="the stored test zones and their name servers")
    common(c)
    c.set_defaults(func=cmd_sandbox_ns_list)


def _sandbox_only(settings: Settings) -> None:
    if not settings.sandbox:
        raise ValueError("test zones are for the sandbox (mode = sandbox)")


def _domain(raw: str) -> str:
    from dkreg.model.names import parse_domain_name

    return parse_domain_name(raw).alabel


def _served(settings: Settings) -> str:
    """What becomes of a stored test zone: ``dkreg serve`` loads the stored test zones at
    its start and keeps them current (``dns.test_zones.keep_loaded``)."""
    try:
        from dkreg.dns.knot import KnotServer, sandbox_workdir

        running = KnotServer(settings, sandbox_workdir(settings)).answering()
    except Exception:  # knot not installed, no state yet: nothing runs
        running = False
    if running:
        return "the running sandbox name server takes the change within seconds"
    return "the sandbox's name server loads it when `dkreg serve` starts"


async def cmd_sandbox_ns_add(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.dns import test_zones
    from dkreg.store.schema import registrars

    _sandbox_only(settings)
    name = _domain(args.domain)
    hosts = [h.strip().lower().rstrip(".") for h in args.ns if h.strip()]

    async def add(ctx: Ctx) -> test_zones.TestZone:
        registrar_id = None
        if args.registrar:
            registrar_id = (await ctx.conn.execute(
                select(registrars.c.id).where(registrars.c.handle == args.registrar.upper())
            )).scalar()
            if registrar_id is None:
                raise ValueError(f"no registrar {args.registrar}")
        return await test_zones.store(ctx.conn, ctx.now, name, hosts, args.dnskey,
                                      registrar_id)

    zone = await with_ctx(settings, add)
    print(f"test zone {zone.name}: {', '.join(zone.ns)} answer for it; stored, and "
          f"{_served(settings)}")
    return 0


async def cmd_sandbox_ns_remove(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.dns import test_zones

    _sandbox_only(settings)
    name = _domain(args.domain)
    if not await with_ctx(settings, lambda ctx: test_zones.remove(ctx.conn, name)):
        print(f"no test zone for {name}")
        return 1

    print(f"test zone {name} removed; {_served(settings)}")
    return 0


async def cmd_sandbox_ns_list(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.dns import test_zones

    zones = await with_ctx(settings, lambda ctx: test_zones.test_zone_definitions(ctx.conn))
    for z in zones:
        keys = sum(1 for line in z.text.splitlines() if " DNSKEY " in line)
        print(f"{z.name}\t{' '.join(z.ns)}\t{keys} DNSKEY\t{z.updated_at:%Y-%m-%d %H:%M} UTC")
    if not zones:
        print("no test zones")
    return 0


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
            settings.dns_host)), workdir, keep_port=False)
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
# --- zone generate -------------------------------------------------------------------------

def _zone_generate_parser(zs: argparse._SubParsersAction,  # type: ignore[type-arg]
                          common: Common) -> None:
    p = zs.add_parser("generate", help="write the whole zone as an RFC 1035 master file, "
                                       "with the next serial")
    common(p)
    p.add_argument("--output", "-o", type=Path, metavar="FILE",
                   help="write here (atomically: a temporary file in the same directory, "
                        "renamed when complete); default standard output")
    p.set_defaults(func=cmd_zone_generate)


async def cmd_zone_generate(args: argparse.Namespace, settings: Settings) -> int:
    """The zone from one snapshot (``dns.generate.generate_zone``): a failed or
    interrupted run leaves neither a serial used up nor a half file."""
    from dkreg.dns.generate import generate_zone, write_zone_file
    from dkreg.store.db import Database, upgrade_schema_async

    await upgrade_schema_async(settings.url)
    db = Database(settings.url, pool_size=1)
    try:
        with _progress_bar() as progress:
            if args.output is None:
                stats = await generate_zone(db, settings, sys.stdout, progress)
                sys.stdout.flush()
            else:
                stats = await write_zone_file(db, settings, args.output, progress)
    finally:
        await db.dispose()
    print(f"zone {settings.zone_origin}: serial {stats.serial}, "
          f"{stats.delegated:,} delegated domains (of {stats.domains:,} in the zone), "
          f"{stats.records:,} records, {stats.bytes / 2**20:.1f} MiB, "
          f"{stats.seconds:.1f} s" + (f" -> {args.output}" if args.output else ""),
          file=sys.stderr)
    return 0


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on standard error when it is a terminal; nothing otherwise
    (a cron job's log gets the summary line only)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("zone", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update

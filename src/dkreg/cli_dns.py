"""``dkreg zone ...`` and ``dkreg sandbox ...``: the .dk zone and the sandbox's name
servers (issue 14). Registered into the main parser by ``dkreg.cli.build_parser``."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy import select

from dkreg.cli_support import with_ctx
from dkreg.config import Settings

if TYPE_CHECKING:
    from dkreg.dns.test_zones import TestZoneHost
    from dkreg.store.context import Ctx

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


async def _push(settings: Settings, push: Callable[[TestZoneHost], Awaitable[None]]) -> str:
    """Into the sandbox's running Knot DNS (``data_dir/dns``), when there is one."""
    try:
        from dkreg.dns.knot import KnotServer

        await push(KnotServer(settings, settings.data_dir / "dns"))
    except Exception as e:  # no server running, or knot not installed: stored all the same
        return (f"stored; the sandbox's name server was not reached ({type(e).__name__}) and "
                "loads it when `dkreg serve` starts")
    return "stored and loaded into the sandbox's name server"


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
    status = await _push(settings, lambda server: test_zones.push(server, zone))
    print(f"test zone {zone.name}: {', '.join(zone.ns)} answer for it; {status}")
    return 0


async def cmd_sandbox_ns_remove(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.dns import test_zones

    _sandbox_only(settings)
    name = _domain(args.domain)
    if not await with_ctx(settings, lambda ctx: test_zones.remove(ctx.conn, name)):
        print(f"no test zone for {name}")
        return 1

    async def drop(server: TestZoneHost) -> None:
        await asyncio.to_thread(server.remove_test_zone, name)

    print(f"test zone {name} removed; {(await _push(settings, drop)).replace('stored', 'removed')}")
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

"""``dkreg names reserve|offer|release|list``: the operator's reserved names and
waiting-list offers, which WHOIS, RDAP, DAS and the lookup page show."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime, timedelta

from dkreg.cli_support import with_ctx
from dkreg.config import Settings
from dkreg.store.context import Ctx

Common = Callable[[argparse.ArgumentParser], None]


def add_parsers(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                common: Common) -> None:
    p = sub.add_parser("names", help="reserved names and waiting-list offers")
    ns = p.add_subparsers(dest="sub", required=True)
    c = ns.add_parser("reserve", help="withhold a name from registration")
    common(c)
    c.add_argument("name")
    c.add_argument("--reason", required=True, help="why (kept with the name, audited)")
    c.set_defaults(func=cmd_reserve)
    c = ns.add_parser("offer", help="offer a released name to the first on its waiting list")
    common(c)
    c.add_argument("name")
    c.add_argument("--days", type=int, default=14, help="how long the offer stands (14)")
    c.set_defaults(func=cmd_offer)
    c = ns.add_parser("release", help="take a name off both lists")
    common(c)
    c.add_argument("name")
    c.set_defaults(func=cmd_release)
    c = ns.add_parser("list", help="the reserved and offered names")
    common(c)
    c.set_defaults(func=cmd_list)


def _name(raw: str):  # type: ignore[no-untyped-def]
    from dkreg.model.names import parse_domain_name

    return parse_domain_name(raw, field="name")


async def cmd_reserve(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.actions.lookup.reserved import reserve

    name = _name(args.name)
    await with_ctx(settings, lambda ctx: reserve(ctx, name, args.reason))
    print(f"{name.ulabel}: reserved")
    return 0


async def cmd_offer(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.actions.lookup.reserved import offer

    name = _name(args.name)
    until: list[datetime] = []

    async def run(ctx: Ctx) -> None:
        until.append(ctx.now + timedelta(days=args.days))
        await offer(ctx, name, until[0])

    await with_ctx(settings, run)
    print(f"{name.ulabel}: offered to its waiting list until {until[0].isoformat()}")
    return 0


async def cmd_release(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.actions.lookup.reserved import release

    name = _name(args.name)
    gone = await with_ctx(settings, lambda ctx: release(ctx, name))
    print(f"{name.ulabel}: {'released' if gone else 'was on neither list'}")
    return 0 if gone else 1


async def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    from dkreg.actions.lookup.reserved import listed

    for item in await with_ctx(settings, listed):
        print(f"{item.name}\t{item.kind}\t{item.note}")
    return 0

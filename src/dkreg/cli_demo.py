"""``dkreg demo --domains N``: a synthetic registry of realistic shape, bulk-loaded
(issue 14 §4; the zone, lookup and incentive benchmarks build on it)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dkreg.config import Settings

Common = Callable[[argparse.ArgumentParser], None]


def add_parsers(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                common: Common) -> None:
    """``demo``."""
    _demo_parser(sub, common)


def _demo_parser(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                 common: Common) -> None:
    p = sub.add_parser("demo", help="load a synthetic registry (registrars, contacts, "
                       "domains, name servers, DS) into an empty database")
    common(p)
    p.add_argument("--domains", type=int, required=True, help="how many domains in all")
    p.add_argument("--registrars", type=int, default=60,
                   help="how many registrars share them, Zipf-skewed (default 60)")
    p.add_argument("--seed", type=int, default=1, help="same seed, same registry (default 1)")
    p.add_argument("--force", action="store_true",
                   help="delete everything the registry holds first")
    p.set_defaults(func=cmd_demo)


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Load at registry time (the sandbox's moved clock included), with a progress bar on
    a terminal and the counts per table at the end."""
    from dkreg.demo.load import build
    from dkreg.services import StoredClock
    from dkreg.store.db import Database, upgrade_schema_async

    await upgrade_schema_async(settings.url)
    db = Database(settings.url)
    try:
        clock = StoredClock(db)
        if settings.sandbox:
            await clock.load()
        with _progress(sys.stdout.isatty()) as progress:
            stats = await build(db, args.domains, args.registrars, args.seed, progress,
                                now=clock.now(), force=args.force,
                                price_ore=settings.domain_price_ore)
    finally:
        await db.dispose()
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"dkreg demo: {stats.domains} domains in {stats.seconds:.1f} s")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in stats.counts.items():
        table.add_row(name, f"{n:,}")
    console = Console()
    console.print(table)
    console.print("time: " + ", ".join(f"{k} {v:.1f} s" for k, v in stats.phases.items()),
                  highlight=False)
    first, last = stats.registrars[0], stats.registrars[-1]
    console.print(f"registrars {first} … {last}; EPP users {stats.logins[0]} … "
                  f"{stats.logins[-1]}, portal users admin@registrar-N.example; "
                  f"password for all: {stats.password}", highlight=False)
    console.print("the zone was not journalled: run `dkreg zone generate` (or a resync) "
                  "to publish it", highlight=False)
    return 0


@contextmanager
def _progress(tty: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on a terminal; nothing in a pipe or a log."""
    if not tty:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn()) as bar:
        task = bar.add_task("domains", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update

"""``dkreg zone ...`` and ``dkreg sandbox ...``: the .dk zone and the sandbox's name
servers (issue 14). Registered into the main parser by ``dkreg.cli.build_parser``."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

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
    _zone_generate_parser(zs, common)


def _sandbox_commands(ss: argparse._SubParsersAction,  # type: ignore[type-arg]
                      common: Common) -> None:
    """``sandbox ns ...``: test zones for a registrar's name servers."""


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
    """The zone from one snapshot of the registry (REPEATABLE READ on PostgreSQL; a
    SQLite transaction is one already), its serial stored in the same transaction: a
    failed or interrupted run leaves neither a serial used up nor a half file."""
    from dkreg.dns.generate import write_zone
    from dkreg.store.db import Database, upgrade_schema_async

    await upgrade_schema_async(settings.url)
    db = Database(settings.url, pool_size=1)
    try:
        with _progress_bar() as progress, _destination(args.output) as out:
            async with db.engine.connect() as conn:
                if not db.is_sqlite:
                    conn = await conn.execution_options(isolation_level="REPEATABLE READ")
                async with conn.begin():
                    # the serial follows the real clock, not the sandbox's moved one: it
                    # is the name servers' business, and their own serial policy's clock
                    stats = await write_zone(conn, settings, out, progress=progress)
    finally:
        await db.dispose()
    print(f"zone {settings.zone_origin}: serial {stats.serial}, "
          f"{stats.delegated:,} delegated domains (of {stats.domains:,} in the zone), "
          f"{stats.records:,} records, {stats.bytes / 2**20:.1f} MiB, "
          f"{stats.seconds:.1f} s" + (f" -> {args.output}" if args.output else ""),
          file=sys.stderr)
    return 0


@contextlib.contextmanager
def _destination(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or a temporary file beside ``path`` that replaces it only once
    complete and on disk (a name server reloading the file never sees half a zone)."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    path = path.absolute()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="ascii", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would keep a name server's user out
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


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

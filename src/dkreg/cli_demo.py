"""``dkreg demo --domains N``: a synthetic registry of realistic shape, bulk-loaded
(issue 14 §4; the zone, lookup and incentive benchmarks build on it)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Common = Callable[[argparse.ArgumentParser], None]


def add_parsers(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                common: Common) -> None:
    """``demo``."""

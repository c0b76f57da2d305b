"""Fixtures of the DNS tests: a real Knot DNS serving the .dk zone on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dkreg.dns.knot import KnotServer, knotd_available
from support.knot import knot_settings, running_knot


@pytest.fixture
def knot(tmp_path: Path) -> Iterator[KnotServer]:
    """A started, signing Knot DNS serving the apex of the .dk zone from the default
    settings (its own free port and workdir), stopped after the test."""
    if not knotd_available():
        pytest.skip("Knot DNS (knotd, knotc) is not installed: scripts/bootstrap.sh installs it")
    with running_knot(knot_settings(tmp_path), tmp_path) as server:
        yield server

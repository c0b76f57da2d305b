"""Registry times as the portal's pages show them: Copenhagen time, to the minute, written
the same way in both languages (``2026-06-01 12:00``), as the forms take them."""

from __future__ import annotations

from datetime import datetime

from dkreg.clock import COPENHAGEN


def when(moment: datetime | None) -> str:
    return moment.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M") if moment else ""


def day(moment: datetime | None) -> str:
    return moment.astimezone(COPENHAGEN).date().isoformat() if moment else ""

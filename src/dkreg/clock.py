"""Registry time.

Business code never reads the wall clock itself: it is handed a ``Clock``. Tests use
``FixedClock``; the sandbox uses ``StoredClock`` whose offset lives in the database, so
``dkreg clock set`` in one process moves the time of a running server in another.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class Clock(Protocol):
    def now(self) -> datetime:
        """Current registry time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that only moves when told to (tests, benchmarks of lifecycle code)."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current = self.current + delta

    def set(self, when: datetime) -> None:
        self.current = when


class OffsetClock:
    """Real time shifted by an offset; the offset is refreshed from storage by its owner.

    Keeping time ticking after ``clock set`` matters: sessions, timeouts and ordering of
    events must still see time pass in a sandbox that was moved to 2024.
    """

    def __init__(self, offset_seconds: float = 0.0) -> None:
        self.offset_seconds = offset_seconds

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self.offset_seconds, UTC)


def parse_duration(text: str) -> timedelta:
    """Parse ``4d``, ``36h``, ``90m``, ``30s``, ``2w`` or combinations like ``1d12h``."""
    units = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
    total = 0.0
    number = ""
    sign = 1
    text = text.strip()
    if text.startswith("-"):
        sign, text = -1, text[1:]
    if not text:
        raise ValueError("empty duration")
    for ch in text:
        if ch.isdigit() or ch == ".":
            number += ch
        elif ch in units and number:
            total += float(number) * units[ch]
            number = ""
        else:
            raise ValueError(f"bad duration {text!r}: use e.g. 4d, 36h, 90m, 1d12h")
    if number:
        raise ValueError(f"bad duration {text!r}: number {number!r} has no unit (w, d, h, m, s)")
    return timedelta(seconds=sign * total)


def end_of_local_day(moment: datetime) -> datetime:
    """Last second of the Copenhagen calendar day containing ``moment``, in UTC."""
    local = moment.astimezone(COPENHAGEN)
    end = datetime(local.year, local.month, local.day, 23, 59, 59, tzinfo=COPENHAGEN)
    return end.astimezone(UTC)


def epp_time(moment: datetime) -> str:
    """Render as the registry does: UTC with one fractional digit, ``2026-05-11T08:50:11.0Z``."""
    m = moment.astimezone(UTC)
    return m.strftime("%Y-%m-%dT%H:%M:%S.") + str(m.microsecond // 100000) + "Z"


def local_midnight_after(moment: datetime, days: int) -> datetime:
    """Midnight (24:00) Copenhagen time at the end of the day ``days`` after ``moment``."""
    local = moment.astimezone(COPENHAGEN) + timedelta(days=days)
    nxt = datetime(local.year, local.month, local.day, tzinfo=COPENHAGEN) + timedelta(days=1)
    # re-localise: adding a day across a DST change must land on local midnight
    nxt = datetime(nxt.year, nxt.month, nxt.day, tzinfo=COPENHAGEN)
    return nxt.astimezone(UTC)


def add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)

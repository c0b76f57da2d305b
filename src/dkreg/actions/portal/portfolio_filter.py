"""Filters of the portal's domain list: by status, by expiry window and by registrant.

The list's filters arrive as text (GET parameters of a page, a CSV link) and are read
here into a ``DomainFilter`` once, so the page, the CSV export and the bulk form's
"back to the list" all filter alike. Reading never raises: a value that is not one of
the choices, or a date that is not a date, comes back as a problem for its field
(``FilterProblems``), which the web shows as a field error (HTTP 400) instead of a list
filtered by something the person did not ask for.

``where`` turns a filter into SQL conditions on ``domains``, so the database filters
(and counts, and pages) on both backends; nothing is filtered in Python.

Expiry dates are Copenhagen calendar days, as EPP's exDate is (the end of a local day):
"from 2027-01-01 to 2027-01-31" means expiring on any of those local days. The windows
("next 30 days") count from the registry's clock, and "expired" means an expiry before
now (a domain in its grace or redemption after expiry is still live, so still listed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, literal, or_, select

from dkreg.clock import COPENHAGEN
from dkreg.store.schema import contacts, domains

# the statuses a registrar's domains can carry in dkreg, in the order the filter offers
STATUSES = ("ok", "pendingCreate", "pendingUpdate", "pendingDelete", "serverHold",
            "serverRenewProhibited", "serverUpdateProhibited", "serverDeleteProhibited",
            "serverTransferProhibited")
# expiry windows: days ahead from now, or "expired" (before now)
WINDOWS = ("30", "60", "90", "expired")
MAX_TEXT = 255
# the GET parameters the filter reads (the page, the CSV link and the pager carry them)
PARAMS = ("status", "expiry", "expires_from", "expires_to", "registrant")

# what is wrong with a field: the web names the text
BAD_CHOICE, BAD_DATE, DATE_ORDER = "choice", "date", "order"
FilterProblems = dict[str, str]  # field -> BAD_CHOICE | BAD_DATE | DATE_ORDER


@dataclass(frozen=True)
class DomainFilter:
    """What the list is filtered by; empty fields filter nothing."""

    status: str = ""
    expiry: str = ""                   # one of WINDOWS, or ""
    expires_from: date | None = None   # Copenhagen day, inclusive
    expires_to: date | None = None     # Copenhagen day, inclusive
    registrant: str = ""               # kontakt-ID or name, a substring, any case

    @property
    def active(self) -> bool:
        return bool(self.status or self.expiry or self.expires_from or self.expires_to
                    or self.registrant)

    def params(self) -> dict[str, str]:
        """The filter as the GET parameters that give it back (for links)."""
        return {"status": self.status, "expiry": self.expiry,
                "expires_from": self.expires_from.isoformat() if self.expires_from else "",
                "expires_to": self.expires_to.isoformat() if self.expires_to else "",
                "registrant": self.registrant}


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def read_filter(raw: Mapping[str, str]) -> tuple[DomainFilter, FilterProblems]:
    """The filter the parameters ask for and the problems of those that make no sense;
    a field with a problem filters nothing."""
    problems: FilterProblems = {}

    def text(key: str) -> str:
        return str(raw.get(key, "") or "").strip()[:MAX_TEXT]

    status, expiry = text("status"), text("expiry")
    if status and status not in STATUSES:
        problems["status"], status = BAD_CHOICE, ""
    if expiry and expiry not in WINDOWS:
        problems["expiry"], expiry = BAD_CHOICE, ""
    days: dict[str, date | None] = {}
    for key in ("expires_from", "expires_to"):
        value = text(key)
        days[key] = _day(value) if value else None
        if value and days[key] is None:
            problems[key] = BAD_DATE
    start, end = days["expires_from"], days["expires_to"]
    if start and end and start > end:
        problems["expires_to"], end = DATE_ORDER, None
    return DomainFilter(status, expiry, start, end, text("registrant")), problems


def _start_of(day: date) -> datetime:
    """The first moment of a Copenhagen calendar day."""
    return datetime.combine(day, time(), tzinfo=COPENHAGEN)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where(f: DomainFilter, now: datetime) -> list[ColumnElement[bool]]:
    """The filter as conditions on ``domains`` (and, for the registrant, ``contacts``)."""
    conditions: list[ColumnElement[bool]] = []
    if f.status:
        # statuses is a space-separated list: match the whole word
        padded: Any = literal(" ").concat(domains.c.statuses).concat(" ")
        conditions.append(padded.like(f"% {f.status} %"))
    if f.expiry == "expired":
        conditions.append(domains.c.expires_at < now)
    elif f.expiry:
        conditions += [domains.c.expires_at >= now,
                       domains.c.expires_at < now + timedelta(days=int(f.expiry))]
    if f.expires_from:
        conditions.append(domains.c.expires_at >= _start_of(f.expires_from))
    if f.expires_to:
        conditions.append(domains.c.expires_at < _start_of(f.expires_to + timedelta(days=1)))
    if f.registrant:
        pattern = _like(f.registrant)
        matching = select(contacts.c.id).where(or_(
            *(func.lower(c).like(pattern, escape="\\")
              for c in (contacts.c.handle, contacts.c.name, contacts.c.org))))
        conditions.append(domains.c.registrant_id.in_(matching))
    return conditions

"""How the portal's forms read and show a time: a datetime-local value in Copenhagen time
(the domain list is in ``domain_list``, "register a domain" in ``register``, a domain's
detail page and its actions in ``domain_actions``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.routing import Route

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DOMAINS = "/domains"
LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")


def local_input(when: datetime) -> str:
    """A UTC moment as a datetime-local value in Copenhagen time."""
    return when.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")


def epoch_of(value: str) -> int | None:
    """A datetime-local value, read as Copenhagen time, in UTC epoch seconds."""
    for fmt in LOCAL_FORMATS:
        try:
            local = datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        return int(local.replace(tzinfo=COPENHAGEN).timestamp())
    return None


ROUTES: list[Route] = []

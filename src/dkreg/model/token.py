"""The ``dkhm:orderconfirmationToken`` rule (Flow 1).

The token is the UNIX time, in seconds, at which the registrant accepted Punktum dk's
terms with the registrar. The same rule guards EPP create, change of registrant and the
portal's "terms accepted at" field, so it lives here once.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from dkreg.errors import err

_DIGITS = re.compile(r"[0-9]+")
FIELD = "dkhm:orderconfirmationToken"


def parse_token(raw: str) -> int:
    """Whitespace around the digits is ignored (the newsletter's own example has it)."""
    value = raw.strip()
    if not _DIGITS.fullmatch(value) or len(value) > 20:
        raise err(2005, "token_bad_value", value, field=FIELD,
                  detail="the token must be a whole number of seconds since 1970-01-01 UTC")
    return int(value)


def check_token(raw: str, now: datetime, *, max_future_hours: int = 24,
                max_age_days: int = 30) -> datetime:
    """Return the acceptance time, or raise 2005/2004 exactly as the registry does."""
    seconds = parse_token(raw)
    shown = raw.strip()
    latest = now + timedelta(hours=max_future_hours)
    unit_hint = ""
    if len(shown) == 13:
        unit_hint = " The value has 13 digits: it looks like milliseconds; send seconds."
    elif len(shown) == 19:
        unit_hint = " The value has 19 digits: it looks like nanoseconds; send seconds."
    elif len(shown) == 16:
        unit_hint = " The value has 16 digits: it looks like microseconds; send seconds."
    if seconds > latest.timestamp():
        try:
            when = f"{datetime.fromtimestamp(seconds, UTC):%Y-%m-%d %H:%M:%S} UTC"
        except (OverflowError, OSError, ValueError):
            when = "a moment thousands of years ahead"
        raise err(2004, "token_threshold", shown, field=FIELD,
                  detail=(f"{when} is more than {max_future_hours} hours after the registry "
                          f"clock ({now:%Y-%m-%d %H:%M:%S} UTC).{unit_hint}"))
    accepted = datetime.fromtimestamp(seconds, UTC)
    if max_age_days > 0 and accepted < now - timedelta(days=max_age_days):
        raise err(2004, "token_threshold", shown, field=FIELD,
                  detail=(f"{accepted:%Y-%m-%d %H:%M:%S} UTC is more than {max_age_days} days "
                          f"before the registry clock ({now:%Y-%m-%d %H:%M:%S} UTC); the "
                          f"registrant must accept the terms again.{unit_hint}"))
    return accepted


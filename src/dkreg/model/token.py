"""The ``dkhm:orderconfirmationToken`` rule (Flow 1).

The token is the UNIX time, in seconds, at which the registrant accepted Punktum dk's
terms with the registrar. The same rule guards EPP create, change of registrant and the
portal's "terms accepted at" field, so it lives here once.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from dkreg.clock import COPENHAGEN
from dkreg.details import Detail
from dkreg.errors import err

_DIGITS = re.compile(r"[0-9]+")
FIELD = "dkhm:orderconfirmationToken"


def parse_token(raw: str) -> int:
    """Whitespace around the digits is ignored (the newsletter's own example has it)."""
    value = raw.strip()
    if not _DIGITS.fullmatch(value) or len(value) > 20:
        raise err(2005, "token_bad_value", value, field=FIELD,
                  detail=Detail("token_must_whole_number_seconds"))
    return int(value)


def check_token(raw: str, now: datetime, *, max_future_hours: int = 24,
                max_age_days: int = 30) -> datetime:
    """Return the acceptance time, or raise 2005/2004 exactly as the registry does."""
    seconds = parse_token(raw)
    shown = raw.strip()
    latest = now + timedelta(hours=max_future_hours)
    unit_hint: Detail | str = ""
    if len(shown) == 13:
        unit_hint = Detail("token_looks_milliseconds")
    elif len(shown) == 19:
        unit_hint = Detail("token_looks_nanoseconds")
    elif len(shown) == 16:
        unit_hint = Detail("token_looks_microseconds")
    if seconds > latest.timestamp():
        try:
            when = Detail("token_when_utc", when=datetime.fromtimestamp(seconds, UTC))
        except (OverflowError, OSError, ValueError):
            when = Detail("token_far_future")
        raise err(2004, "token_threshold", shown, field=FIELD,
                  detail=(Detail("more_than_hours_after_registry", when=when,
                                 max_future_hours=max_future_hours, now=now, unit_hint=unit_hint)))
    accepted = datetime.fromtimestamp(seconds, UTC)
    if max_age_days > 0 and accepted < now - timedelta(days=max_age_days):
        raise err(2004, "token_threshold", shown, field=FIELD,
                  detail=(Detail("utc_more_than_days_before", accepted=accepted,
                                 max_age_days=max_age_days, now=now, unit_hint=unit_hint)))
    return accepted



def check_not_future(accepted: datetime, now: datetime, shown: str) -> None:
    """The portal's "terms accepted at" field may not be after the registry clock.

    EPP allows a token up to ``max_future_hours`` ahead because a registrar's server
    clock may run ahead of the registry's; a person filling in the portal's form reads
    the time off the registrant's acceptance, which cannot lie in the future. ``shown``
    is the token as the form sends it (the reason's text echoes it, as EPP's does).
    """
    if accepted > now:
        raise err(2004, "token_threshold", shown, field=FIELD,
                  detail=Detail("accepted_after_registry_clock",
                                accepted=accepted.astimezone(COPENHAGEN),
                                now=now.astimezone(COPENHAGEN)))

"""Numbers read from outside (forms, paths, EPP ids) without surprises."""

from __future__ import annotations

ID_DIGITS = 18  # below 2**63: fits SQLite's INTEGER and PostgreSQL's BIGINT


def bounded_int(value: object, digits: int = ID_DIGITS) -> int | None:
    """A non-negative number of at most ``digits`` ASCII digits, else None; never raises.

    ``str.isdigit`` alone is not enough: it says yes to ``²`` (``int('²')`` raises) and
    to ``٣`` (``int`` makes it 3), and to a number wider than the database's integer
    (SQLite and PostgreSQL refuse it: a 500 instead of "not found")."""
    text = str(value if value is not None else "")
    if not (text.isascii() and text.isdigit()) or len(text) > digits:
        return None
    return int(text)

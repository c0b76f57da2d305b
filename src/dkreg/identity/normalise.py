"""Comparing a contact's data with a register's: case, spacing and accents do not count."""

from __future__ import annotations

import unicodedata

# Danish letters that do not decompose into a base letter and an accent
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"})


def fold(value: str | None) -> str:
    """``"  Søren  ÅGÅRD "`` and ``"soeren aagaard"`` compare equal; so do ``"José"`` and
    ``"Jose"``. Punctuation other than letters and digits is spacing."""
    text = (value or "").casefold().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


def same(a: str | None, b: str | None) -> bool:
    return bool(fold(a)) and fold(a) == fold(b)

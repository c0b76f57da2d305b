"""A detail is data until the edge: a key into ``detail_texts.DETAILS`` and typed parameters.

EPP renders it in English with the parameters as Python formats them (the text clients
have always seen); the web renders it in the page's language, and on a Danish page a
datetime is shown in Copenhagen time, a date as 31.7.2026, a number with Danish
separators and an amount of øre as kroner with a decimal comma.
"""

from __future__ import annotations

import string
from datetime import UTC, date, datetime
from typing import Any

from dkreg.clock import COPENHAGEN
from dkreg.detail_texts import DETAILS

LANGUAGES = ("en", "da")


class Kroner(int):
    """An amount in øre that reads as kroner: ``DKK {price}`` renders ``DKK 12.50`` in
    English, ``{price} kr.`` renders ``12,50 kr.`` in Danish."""

    def __format__(self, spec: str) -> str:
        return f"{int(self) / 100:.2f}"


class Detail:
    """Which rule refused a request, as a catalogue key and its parameters."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: Any) -> None:
        if key not in DETAILS:
            raise KeyError(f"detail {key!r} is not in dkreg.detail_texts.DETAILS")
        self.key = key
        self.params = params

    def render(self, lang: str = "en") -> str:
        english, danish = DETAILS[self.key]
        if lang == "da":
            return _DANISH.format(danish, **self.params)
        return english.format(**self.params)

    def __str__(self) -> str:
        return self.render("en")

    def __format__(self, spec: str) -> str:
        """A detail inside another (a phrase the sentence depends on) renders in English
        here; the Danish formatter renders it in Danish."""
        return self.render("en")

    def __repr__(self) -> str:
        return f"Detail({self.key!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Detail) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)

    def __contains__(self, text: str) -> bool:
        """``"x" in detail`` asks the English text, as it did when details were strings."""
        return text in self.render("en")


def danish_number(value: float, decimals: int = 0) -> str:
    """1.234.567 and 1.234,50: Danish groups thousands with a point, decimals with a comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


class _DanishFormatter(string.Formatter):
    """Formats the parameters of a Danish template the Danish way, whatever the English
    template's format spec was (the Danish template carries none for these types)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Kroner):
            return danish_number(int(value) / 100, 2)
        if isinstance(value, bool):
            return "ja" if value else "nej"
        if isinstance(value, datetime):
            aware = value if value.tzinfo else value.replace(tzinfo=UTC)
            local = aware.astimezone(COPENHAGEN)
            return f"{local.day}.{local.month}.{local.year} kl. {local:%H.%M}"
        if isinstance(value, date):
            return f"{value.day}.{value.month}.{value.year}"
        if isinstance(value, int) and not format_spec:
            return danish_number(value) if abs(value) >= 10000 else str(value)
        if isinstance(value, float) and not format_spec:
            return danish_number(value, 2)
        if isinstance(value, Detail):
            return value.render("da")
        return super().format_field(value, format_spec)


_DANISH = _DanishFormatter()


def render_detail(detail: Detail | None, lang: str = "en") -> str | None:
    """A detail in ``lang`` (None: the error has none)."""
    return None if detail is None else detail.render(lang)

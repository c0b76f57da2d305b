"""Errors as values.

An ``EppError`` carries the EPP result code, a reason key from ``messages.CATALOGUE``
(which owns the code), the field it concerns, the position of the offending item in a
list, the arguments for the text and a ``details.Detail`` (a template key with typed
parameters) saying which rule refused. Text is produced only at the edge (EPP renders
English with ``<extValue>``; the web renders the page's language), so tests assert
``code``, ``reason``, ``field`` and ``position`` rather than prose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dkreg.details import Detail
from dkreg.messages import render


@dataclass
class EppError(Exception):
    code: int
    reason: str
    field: str | None = None
    position: int | None = None
    args_: tuple[Any, ...] = ()
    detail: Detail | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        # a detail is a catalogue template, never pre-rendered text: text passed through
        # a variable or a dict (which mypy may see as Any) is refused here too
        if self.detail is not None and not isinstance(self.detail, Detail):
            raise TypeError(f"EppError({self.reason!r}): detail must be a dkreg.details."
                            f"Detail, not {type(self.detail).__name__} {self.detail!r}")
        super().__init__(self.code, self.reason)

    def message(self) -> str:
        return render(self)

    def __str__(self) -> str:
        return f"{self.code} {self.message()}"


def err(code: int, reason: str, *args: Any, field: str | None = None,
        position: int | None = None, detail: Detail | None = None) -> EppError:
    """Shorthand used throughout the actions. The catalogue owns each reason's code; a
    call that states another is a programming error (the two had drifted), refused here
    and, for every literal call site, by ``tests/test_error_catalogue.py``."""
    from dkreg.messages import CATALOGUE

    owned = CATALOGUE.get(reason)
    if owned is None or owned[0] != code:
        raise ValueError(f"err({code}, {reason!r}): the catalogue gives "
                         f"{owned[0] if owned else 'no code'} for {reason!r}")
    return EppError(code=code, reason=reason, field=field, position=position,
                    args_=tuple(args), detail=detail)

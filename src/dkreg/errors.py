"""Errors as values.

An ``EppError`` carries the EPP result code, a reason key from ``messages.CATALOGUE``,
the field it concerns, the position of the offending item in a list and the arguments
for the text. Text is produced only at the edge (EPP renders English; the web may
render Danish), so tests assert ``code`` and ``reason`` rather than prose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class EppError(Exception):
    code: int
    reason: str
    field: str | None = None
    position: int | None = None
    args_: tuple[Any, ...] = ()
    detail: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.code, self.reason)

    def message(self) -> str:
        from dkreg.messages import render

        return render(self)

    def __str__(self) -> str:
        return f"{self.code} {self.message()}"


def err(code: int, reason: str, *args: Any, field: str | None = None,
        position: int | None = None, detail: str | None = None) -> EppError:
    """Shorthand used throughout the actions."""
    return EppError(code=code, reason=reason, field=field, position=position,
                    args_=tuple(args), detail=detail)

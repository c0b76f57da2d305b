"""Field-level refusals of the NIS2 forms in the reader's language."""

from __future__ import annotations

from starlette.requests import Request

from dkreg.errors import EppError
from dkreg.web.error_text import error_text
from dkreg.web.i18n import CATALOGUES, language_of


def field_errors(problems: list[EppError], request: Request) -> dict[str, str]:
    """One text per field (its first problem): the form's own wording where it has one,
    else the catalogue's reason with its detail (which names the rule, e.g. the domain
    name's)."""
    lang = language_of(request)
    out: dict[str, str] = {}
    for e in problems:
        name = e.field or "form"
        if name in out:
            continue
        key = f"nis2.err.{e.reason}"
        out[name] = CATALOGUES[lang].get(key) or error_text(e, request)
    return out

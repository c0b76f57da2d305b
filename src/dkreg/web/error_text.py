"""The one place the web turns a refusal into text: the reason and its detail in the
page's language (Danish times in Copenhagen time), the EPP code as a small aside."""

from __future__ import annotations

from starlette.requests import Request

from dkreg.errors import EppError
from dkreg.messages import render_for
from dkreg.web.i18n import language_of


def error_text(e: EppError, request: Request | None) -> str:
    """English when there is no request (a caller outside a page)."""
    return render_for(e, language_of(request) if request is not None else "en")

"""Jinja2 pages: one environment, autoescaped, with the request's language at hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from dkreg.messages import result_text_in
from dkreg.model.money import format_amount, ore_to_dkk
from dkreg.web import flash
from dkreg.web.i18n import LANGUAGES, language_of, translator
from dkreg.web.navigation import PORTAL, SELFSERVICE, menu

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                  trim_blocks=True, lstrip_blocks=True)
env.filters["dkk"] = ore_to_dkk
# an amount as the reader writes it: {{ ore | money(lang) }} -> "102.175,50 kr." / "DKK 102,175.50"
env.filters["money"] = format_amount
# EPP's English result text in the page's language: {{ outcome.text | result_in(lang) }}
env.filters["result_in"] = lambda text, lang: result_text_in(lang, text)
env.filters["utc"] = lambda d: d.strftime("%Y-%m-%d %H:%M:%S") if d else ""


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return _render(request, name, status_code, language_of(request), None, context)


def render_in(request: Request, name: str, lang: str, switch_url: str,
              status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page whose address decides its language (NSU's ``/nsu/`` and ``/nsu/en/``)
    rather than the reader's choice; ``switch_url`` is the same page in the other
    language, for the language switch."""
    return _render(request, name, status_code, lang, switch_url, context)


def _render(request: Request, name: str, status_code: int, lang: str,
            switch_url: str | None, context: dict[str, Any]) -> HTMLResponse:
    other = next(code for code in LANGUAGES if code != lang)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if "menu" not in context:
        if context.get("user") is not None:
            context["menu"] = menu(PORTAL, request.url.path, context["user"])
        elif context.get("registrant") is not None:
            context["menu"] = menu(SELFSERVICE, request.url.path)
    shown = flash.take(request) if flash.COOKIE in request.cookies else None
    if shown is not None and "flash" not in context:
        context["flash"] = shown
    page = env.get_template(name).render(
        lang=lang, t=translator(lang), other_lang=other,
        lang_switch_url=switch_url or f"/lang/{other}?next={quote(here, safe='')}",
        request=request,
        **context)
    # X-Frame-Options, nosniff, Referrer-Policy and the CSP: dkreg.web.headers, for every
    # response of the app alike
    response = HTMLResponse(page, status_code=status_code,
                            headers={"Cache-Control": "no-store",
                                     "Content-Language": lang,
                                     "Vary": "Accept-Language, Cookie"})
    if flash.COOKIE in request.cookies:
        flash.clear(response)
    return response

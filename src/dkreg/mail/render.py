"""Mail templates: ``<kind>.<lang>.txt`` (first line ``Subject: ...``) and an optional
``<kind>.<lang>.html``, in Danish and English.

The text body is not escaped (it is plain text); the HTML body is autoescaped. Both
use StrictUndefined so a missing value fails the causing transaction instead of
sending a mail with a hole in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from dkreg.model.money import ore_to_dkk

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("da", "en")

_text = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False,
                    undefined=StrictUndefined, keep_trailing_newline=True)
_html = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                    undefined=StrictUndefined)
for _env in (_text, _html):
    _env.filters["dkk"] = ore_to_dkk


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str | None


def render_mail(kind: str, lang: str, context: dict[str, Any]) -> Rendered:
    if lang not in LANGUAGES:
        raise ValueError(f"no mail language {lang!r}")
    source = _text.get_template(f"{kind}.{lang}.txt").render(**context)
    head, sep, body = source.partition("\n\n")
    if not sep or not head.startswith("Subject: ") or "\n" in head:
        raise ValueError(f"{kind}.{lang}.txt must start with one 'Subject: ...' line and "
                         "a blank line")
    subject = head.removeprefix("Subject: ").strip()
    try:
        html = _html.get_template(f"{kind}.{lang}.html").render(subject=subject, **context)
    except TemplateNotFound:
        html = None
    return Rendered(subject, body.strip() + "\n", html)

"""Mail templates: ``<kind>.<lang>.txt`` (first line ``Subject: ...``) and an optional
``<kind>.<lang>.html``, in Danish and English.

The text body is not escaped (it is plain text); the HTML body is autoescaped. Both
use StrictUndefined so a missing value fails the causing transaction instead of
sending a mail with a hole in it.

A template gets two kinds of values, kept apart because only one of them is checked as
a link (``outbox.check_links``): ``context`` is data (names, organisations, handles —
anything a user typed), printed as text, escaped in HTML, never a link whatever it
looks like; ``links`` are the URLs the registry builds (``links.public_link``), which
the template places as ``href`` or on a line of their own. ``Rendered.links`` names
what the check must look at: those link values, and any URL written into the
template's own text (found by lexing the template source, not its output, so user
text can never add one).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from dkreg.model.money import ore_to_dkk

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("da", "en")
URL = re.compile(r"""(?i)\b(?:https?|ftp)://[^\s"'<>]+""")

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
    # the URLs the template itself put in the mail (link values and its own literal
    # URLs); user data is not among them
    links: tuple[str, ...] = ()


def urls_in_source(source: str, html: bool = False) -> tuple[str, ...]:
    """URLs written in a template's own text or string constants (not in what its
    ``{{ values }}`` print), from the lexed source."""
    found: list[str] = []
    for _line, kind, value in (_html if html else _text).lex(source):
        if kind in ("data", "string"):
            found += URL.findall(value)
    return tuple(found)


@functools.cache
def literal_urls(env_name: str, template: str) -> tuple[str, ...]:
    """``urls_in_source`` of a template file (read once)."""
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    return urls_in_source(source, html=env_name == "html")


def render_mail(kind: str, lang: str, context: dict[str, Any],
                links: Mapping[str, str] | None = None) -> Rendered:
    if lang not in LANGUAGES:
        raise ValueError(f"no mail language {lang!r}")
    links = dict(links or {})
    if clash := sorted(set(links) & set(context)):
        raise ValueError(f"{', '.join(clash)}: a value is either data or a link, not both")
    values = {**context, **links}
    text_name = f"{kind}.{lang}.txt"
    source = _text.get_template(text_name).render(**values)
    head, sep, body = source.partition("\n\n")
    if not sep or not head.startswith("Subject: ") or "\n" in head:
        raise ValueError(f"{kind}.{lang}.txt must start with one 'Subject: ...' line and "
                         "a blank line")
    subject = head.removeprefix("Subject: ").strip()
    own = list(links.values()) + list(literal_urls("text", text_name))
    html_name = f"{kind}.{lang}.html"
    try:
        html = _html.get_template(html_name).render(subject=subject, **values)
    except TemplateNotFound:
        html = None
    else:
        own += literal_urls("html", html_name)
    return Rendered(subject, body.strip() + "\n", html, tuple(own))

"""Queue a mail in the transaction that causes it (DESIGN rule 8).

The row commits or rolls back with the change, so a refused change sends nothing and a
committed one cannot lose its mail; ``sender.MailSender`` delivers it afterwards.

Before a mail is stored its links are checked (anti-phishing): every link must lie
under the configured public base URL. The check looks only at links the *template*
produced, never at user data, so a contact named ``Eve <img src=x onerror=alert(1)>``
or ``Ole https://shop.example`` gets its mail like anyone else:

* link values are passed apart from data (``links=``, plus ``base_url``) and each one is
  checked; data (``context=``) is never taken for a link, in the text part or the HTML;
* URLs written in a template's own text are found by lexing the template source
  (``render.literal_urls``), not by searching the rendered mail, where user text sits;
* in the HTML part every URL-bearing attribute (``href``, ``src``, ``action``, ...) of
  every tag is checked. Tags and attributes there can only come from the template:
  data is autoescaped (``<`` ``"`` become entities), so it is text to the parser, and
  ``src=x`` inside a name is just text.

Nothing here searches user text for URLs, so nothing in user text can make a mail fail
or pass the check.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import make_msgid
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import insert

from dkreg.mail.render import Rendered, render_mail
from dkreg.store.context import Ctx
from dkreg.store.schema import mail_outbox

# attributes whose value a mail client follows or fetches
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "background", "poster",
                            "cite", "srcset", "xlink:href", "data", "longdesc", "usemap"})


class MailLinkError(ValueError):
    """A mail would link outside the configured public base URL (anti-phishing rule)."""


class _Attributes(HTMLParser):
    """The URL-bearing attribute values of the tags in an HTML part."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in URL_ATTRIBUTES:
                parts = value.split(",") if name == "srcset" and value else [value or ""]
                self.urls += [p.strip().split(" ")[0] for p in parts]

    handle_startendtag = handle_starttag


def html_links(html: str) -> list[str]:
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    return parser.urls


def check_links(mail: Rendered, base_url: str) -> None:
    """Every link must start with the public base URL followed by '/' (or end there),
    so ``https://dkreg.example.evil.com`` does not pass for ``https://dkreg.example``."""
    base = base_url.rstrip("/")
    found = list(mail.links) + (html_links(mail.html) if mail.html else [])
    for url in found:
        if url.lower().startswith("mailto:"):
            continue
        if url != base and not url.startswith(base + "/") and not url.startswith(base + "?"):
            raise MailLinkError(f"the mail links to {url!r}, outside {base}")


def mail_row(ctx: Ctx, *, kind: str, to: str, lang: str, context: dict[str, Any],
             links: Mapping[str, str] | None = None,
             registrar_id: int | None = None) -> dict[str, Any]:
    """The outbox row of a mail, rendered and its links checked (``queue_mail`` inserts
    it; a caller on a raw PostgreSQL connection inserts it there, in its transaction)."""
    base = ctx.settings.public_base_url.rstrip("/")
    if "link" in context:  # data is never checked as a link: a link passed as data is a bug
        raise ValueError("a mail's link goes in links=, not in its context")
    mail = render_mail(kind, lang if lang in ("da", "en") else "da",
                       context, {**(links or {}), "base_url": base})
    check_links(mail, base)
    if "\n" in to or "\r" in to or "@" not in to:
        raise ValueError(f"not a single e-mail address: {to!r}")
    domain = urlsplit(base).hostname or "dkreg.invalid"
    return dict(
        kind=kind, lang=lang, to_addr=to, subject=mail.subject[:255], body_text=mail.text,
        body_html=mail.html, message_id=make_msgid("dkreg", domain=domain),
        registrar_id=registrar_id, created_at=ctx.now, status="queued", attempts=0,
        next_attempt_at=ctx.now)


async def queue_mail(ctx: Ctx, *, kind: str, to: str, lang: str, context: dict[str, Any],
                     links: Mapping[str, str] | None = None,
                     registrar_id: int | None = None) -> int:
    row = mail_row(ctx, kind=kind, to=to, lang=lang, context=context, links=links,
                   registrar_id=registrar_id)
    return (await ctx.conn.execute(insert(mail_outbox).values(**row)
                                   .returning(mail_outbox.c.id))).scalar_one()

"""Queue a mail in the transaction that causes it (DESIGN rule 8).

The row commits or rolls back with the change, so a refused change sends nothing and a
committed one cannot lose its mail; ``sender.MailSender`` delivers it afterwards.
"""

from __future__ import annotations

import re
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import insert

from dkreg.actions.context import Ctx
from dkreg.mail.render import Rendered, render_mail
from dkreg.store.schema import mail_outbox

_URL = re.compile(r"""(?i)\b(?:https?|ftp)://[^\s"'<>]+""")
_HREF = re.compile(r"""(?i)\b(?:href|src|action)\s*=\s*["']?([^"'\s>]+)""")


class MailLinkError(ValueError):
    """A mail would link outside the configured public base URL (anti-phishing rule)."""


def check_links(mail: Rendered, base_url: str) -> None:
    """Every link must start with the public base URL followed by '/' (or end there),
    so ``https://dkreg.example.evil.com`` does not pass for ``https://dkreg.example``."""
    base = base_url.rstrip("/")
    found = _URL.findall(mail.text) + _URL.findall(mail.subject)
    if mail.html:
        found += _URL.findall(mail.html) + _HREF.findall(mail.html)
    for url in found:
        if url.lower().startswith("mailto:"):
            continue
        if url != base and not url.startswith(base + "/") and not url.startswith(base + "?"):
            raise MailLinkError(f"the mail links to {url!r}, outside {base}")


def mail_row(ctx: Ctx, *, kind: str, to: str, lang: str, context: dict[str, Any],
             registrar_id: int | None = None) -> dict[str, Any]:
    """The outbox row of a mail, rendered and its links checked (``queue_mail`` inserts
    it; a caller on a raw PostgreSQL connection inserts it there, in its transaction)."""
    base = ctx.settings.public_base_url.rstrip("/")
    mail = render_mail(kind, lang if lang in ("da", "en") else "da",
                       {**context, "base_url": base})
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
                     registrar_id: int | None = None) -> int:
    row = mail_row(ctx, kind=kind, to=to, lang=lang, context=context,
                   registrar_id=registrar_id)
    return (await ctx.conn.execute(insert(mail_outbox).values(**row)
                                   .returning(mail_outbox.c.id))).scalar_one()

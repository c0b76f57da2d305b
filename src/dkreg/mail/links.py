"""Links in mails are built from the configured public base URL, never from a request.

A Host header is chosen by whoever sends the request; a reset link built from it could
point a victim at an attacker's site. The outbox also refuses a mail whose template
links anywhere else (``outbox.check_links``), so a template cannot slip one in either.
A link is passed to the mail as a link (``links=``), never as data: only links are
checked, and data (a contact's name) is never taken for one.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dkreg.config import Settings


def public_link(settings: Settings, path: str, **query: str) -> str:
    if not path.startswith("/"):
        raise ValueError(f"a link path starts with '/', not {path!r}")
    url = settings.public_base_url.rstrip("/") + path
    return url + ("?" + urlencode(query) if query else "")

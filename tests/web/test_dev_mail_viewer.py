"""The sandbox mail viewer refreshes itself: ``/dev/mail.json`` tells how many mails
are caught (and, with ``?since=``, whether that changed); the page carries the count it
was drawn with, loads ``static/dev_mail.js`` (no inline script) and, without it, has a
"Refresh" link."""

from __future__ import annotations

import mailbox
import re
from email.message import EmailMessage

from dkreg.mail.catcher import maildir_path


def catch(settings, to: str) -> None:  # type: ignore[no-untyped-def]
    """A mail as the catcher keeps it: a file in the data directory's Maildir."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "noreply@dkreg.invalid", to, "Hej " + to
    msg.set_content("Body")
    mailbox.Maildir(maildir_path(settings), create=True).add(msg)


async def test_the_viewer_polls_the_count_and_shows_new_mail(web) -> None:  # type: ignore[no-untyped-def]
    c = web.client()
    settings = web.registry.settings
    page = await c.get("/dev/mail")
    assert page.status_code == 200 and 'data-count="0"' in page.text
    assert 'id="refresh"' in page.text and 'href="/dev/mail"' in page.text  # without JS
    assert '<script src="/static/dev_mail.js" defer></script>' in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)  # no inline script (CSP)
    r = await c.get("/dev/mail.json?since=0")
    assert r.json() == {"count": 0, "changed": False}
    assert r.headers["cache-control"] == "no-store"
    catch(settings, "a@example.dk")
    assert (await c.get("/dev/mail.json?since=0")).json() == {"count": 1, "changed": True}
    assert (await c.get("/dev/mail.json")).json() == {"count": 1}
    assert (await c.get("/dev/mail.json?since=x")).json() == {"count": 1}
    assert (await c.get("/dev/mail.json?since=%C2%B2")).json() == {"count": 1}  # "²"
    page = await c.get("/dev/mail")
    assert 'data-count="1"' in page.text and "a@example.dk" in page.text
    script = await c.get("/static/dev_mail.js")
    assert script.status_code == 200 and "/dev/mail.json?since=" in script.text

"""``/dev/mail``: the sandbox's caught mails, so a tester can read them and click links.

Sandbox only (the routes do not exist in production). The text body is shown escaped
with links made clickable only when they point at the registry's own base URL; the
HTML body is served on its own URL with a Content-Security-Policy that allows no
script, no form and no outside request, so a mail cannot act on the registry's origin.

The list refreshes itself when a mail arrives: ``static/dev_mail.js`` asks
``/dev/mail.json`` every few seconds how many mails there are and reloads the page when
the number differs from the one the page was drawn with. Without JavaScript the page has
a "Refresh" link.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dkreg.mail.catcher import caught, caught_count, caught_one
from dkreg.web.request_services import services_of
from dkreg.web.templating import render

if TYPE_CHECKING:
    from dkreg.config import Settings

_URL = re.compile(r"https?://[^\s<>\"']+")
HTML_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               "form-action 'none'; frame-ancestors 'self'; base-uri 'none'; sandbox")


def linked_text(text: str, base_url: str) -> Markup:
    """The text body, escaped, with the registry's own links made clickable."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(escape(text[last:match.start()]))
        url = match.group(0)
        if url.startswith(base_url.rstrip("/") + "/"):
            out.append(Markup('<a href="{0}" rel="noreferrer">{0}</a>').format(url))
        else:
            out.append(escape(url))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def mounted(settings: Settings) -> bool:
    """Whether the app serves ``/dev/mail``: in the sandbox only."""
    return settings.sandbox


async def inbox(request: Request) -> Response:
    settings = services_of(request).settings
    mails = caught(settings)
    return render(request, "dev_mail.html", mails=mails, count=len(mails))


async def inbox_count(request: Request) -> Response:
    """``{"count": n}``; with ``?since=<n>`` also ``"changed"``: whether it is not n."""
    count = caught_count(services_of(request).settings)
    body: dict[str, object] = {"count": count}
    since = request.query_params.get("since", "")
    if since.isascii() and since.isdigit() and len(since) < 10:  # "²" is a digit, not an int
        body["changed"] = count != int(since)
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def one(request: Request) -> Response:
    settings = services_of(request).settings
    mail = caught_one(settings, request.path_params["key"])
    if mail is None:
        return render(request, "dev_mail_one.html", 404, mail=None)
    return render(request, "dev_mail_one.html", mail=mail,
                  body=linked_text(mail.text(), settings.public_base_url))


async def html_body(request: Request) -> Response:
    settings = services_of(request).settings
    mail = caught_one(settings, request.path_params["key"])
    body = mail.html() if mail is not None else None
    if body is None:
        return HTMLResponse("not found", 404)
    return HTMLResponse(body, headers={"Content-Security-Policy": HTML_POLICY,
                                       "X-Content-Type-Options": "nosniff",
                                       "Referrer-Policy": "no-referrer",
                                       "Cache-Control": "no-store"})


ROUTES: list[Route] = [
    Route("/dev/mail", inbox, methods=["GET"]),
    Route("/dev/mail.json", inbox_count, methods=["GET"]),
    Route("/dev/mail/{key:str}", one, methods=["GET"]),
    Route("/dev/mail/{key:str}/html", html_body, methods=["GET"]),
]

"""What a POST did, shown once on the page it redirects to (Post/Redirect/Get).

A change answers with 303 to the page that shows the result, so a reload repeats the
GET and never the change. The summary ("Renewed until 2029-12-03, DKK 90.00 debited")
rides along in a short-lived cookie as a catalogue key with its arguments — text is made
in the reader's language when the page is drawn, not when the change ran. The cookie is
signed with the installation's secret, so another site cannot plant words on our page,
and ``render`` deletes it as it shows it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dkreg.billing.links import secret_key
from dkreg.web.request_services import services_of

COOKIE = "dkreg_flash"
log = logging.getLogger("dkreg.web")
MAX_AGE = 120  # seconds: long enough for the redirect, short enough to never reappear
KINDS = ("success", "info", "warning", "error")


@dataclass(frozen=True)
class Flash:
    key: str                       # a text key in dkreg.web.i18n
    args: dict[str, str]           # its arguments, already formatted for display
    kind: str = "success"          # the alert's variant


def _sign(key: bytes, body: bytes) -> str:
    return hmac.new(key, b"flash\0" + body, hashlib.sha256).hexdigest()[:32]


def redirect(request: Request, url: str, flash: Flash) -> Response:
    """303 to ``url`` carrying ``flash`` for the next page."""
    if flash.kind not in KINDS:
        raise ValueError(f"unknown flash kind {flash.kind!r}")
    body = json.dumps([flash.key, flash.args, flash.kind], separators=(",", ":")).encode()
    try:
        secret = secret_key(services_of(request).settings)
    except RuntimeError as e:
        # production without secret_key: the change is done; lose its summary, not the page
        log.warning("no flash summary: %s", e)
        return RedirectResponse(url, status_code=303)
    value = base64.urlsafe_b64encode(body).decode().rstrip("=") + "." + _sign(secret, body)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, path="/", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


def take(request: Request) -> Flash | None:
    """The flash the request carries, when it is ours and intact; else None."""
    raw = request.cookies.get(COOKIE)
    if not raw or "." not in raw:
        return None
    data, _, sig = raw.rpartition(".")
    try:
        body = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        secret = secret_key(services_of(request).settings)
        if not hmac.compare_digest(sig, _sign(secret, body)):
            return None
        key, args, kind = json.loads(body)
    except (ValueError, TypeError, AttributeError, RuntimeError):
        return None
    if not isinstance(key, str) or not isinstance(args, dict) or kind not in KINDS:
        return None
    return Flash(key, {str(k): str(v) for k, v in args.items()}, kind)


def clear(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")

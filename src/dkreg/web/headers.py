"""The headers a browser should get on every response of the HTTP door.

One ASGI middleware, wrapped around the whole app in ``asgi.build_app``, so that no
route can forget them: ``/``, ``/healthz``, the PDFs, ``/ca.pem``, the static files,
redirects and error pages all carry

- ``X-Content-Type-Options: nosniff`` and ``X-Frame-Options: DENY`` (no framing: the
  portal's buttons must not be clickjacked);
- ``Referrer-Policy: no-referrer`` — magic links, payment links and invitation tokens
  are in URLs, and a Referer would carry them to whatever the next page loads;
- on HTML, a Content-Security-Policy that allows scripts, styles and images from dkreg
  itself only (no inline script or style: the pages' styles are ``/static/dkreg.css``),
  forms posting to dkreg or to the providers it sends a browser to (the payment
  provider's hosted page, the MitID broker: a form's redirect is checked against
  ``form-action`` too), no framing and no ``<base>``;
- in production only, and only over HTTPS (the request's scheme or an ``https://``
  ``public_base_url`` behind a TLS-terminating balancer),
  ``Strict-Transport-Security`` for ``hsts_max_age`` seconds.

A response that sets one of these itself keeps its own (the stricter policies of
``/dev/mail``'s HTML bodies and the staff's document files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from dkreg.config import Settings


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, else None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def form_targets(settings: Settings) -> list[str]:
    """Where a dkreg form may send the browser besides dkreg itself: its public base URL
    (the sandbox's simulators live there, and a browser may have come in by another
    name), the payment provider's hosted page, the MitID broker, and the origins
    listed in ``csp_form_action``."""
    from dkreg.billing.provider import provider_mode
    from dkreg.identity import mitid

    urls = [settings.public_base_url]
    if provider_mode(settings) == "http":
        urls.append(settings.payment_provider_url)
    urls.append(mitid.issuer(settings))
    urls += settings.csp_form_action.split()
    found: list[str] = []
    for url in urls:
        o = origin(url)
        if o and o not in found:
            found.append(o)
    return found


def html_policy(settings: Settings) -> str:
    """The Content-Security-Policy of dkreg's own HTML pages."""
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'",
        "img-src 'self' data:", "form-action " + " ".join(["'self'", *form_targets(settings)]),
        "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"])


def served_over_https(scope: Scope, settings: Settings) -> bool:
    return scope.get("scheme") == "https" or settings.public_base_url.startswith("https://")


class SecurityHeaders:
    """Add the browser headers (module docstring) to every HTTP response."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.settings

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if headers.get("content-type", "").startswith("text/html"):
                    # computed per response: a sandbox on port 0 learns its base URL late
                    headers.setdefault("Content-Security-Policy", html_policy(settings))
                if (not settings.sandbox and settings.hsts_max_age > 0
                        and served_over_https(scope, settings)):
                    headers.setdefault("Strict-Transport-Security",
                                       f"max-age={settings.hsts_max_age}")
            await send(message)

        await self.app(scope, receive, with_headers)

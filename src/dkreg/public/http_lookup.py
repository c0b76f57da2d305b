"""What the two HTTP lookup doors (WHOIS REST and RDAP) share: their rate limit from the
settings, the client's address, content negotiation and host names for display.

The client address is the TCP peer: X-Forwarded-For is not trusted (an operator's proxy
must pass the real address to uvicorn, ``--proxy-headers`` with ``--forwarded-allow-ips``,
or the limit counts the proxy).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import idna
from starlette.requests import Request
from starlette.responses import Response

from dkreg import runner
from dkreg.config import Settings
from dkreg.public.rate_limit import RateLimit, parse_networks

if TYPE_CHECKING:
    from dkreg.services import Services

Handler = Callable[[Request], Awaitable[Response]]


def services(request: Request) -> Services:
    """The container of the app that received ``request`` (``build_app`` puts it in
    ``app.state``; a mounted door's request still names the whole app)."""
    found: Services = request.app.state.services
    return found


def limit_of(request: Request, door: str) -> RateLimit:
    """The door's rate limit in the app that received ``request``: one per door and app
    (so per process), made from the app's settings on first use."""
    state = request.app.state
    limits: dict[str, RateLimit] | None = getattr(state, "lookup_limits", None)
    if limits is None:
        limits = state.lookup_limits = {}
    if door not in limits:
        limits[door] = limiter(services(request).settings)
    return limits[door]


def measured(door: str, name: str, endpoint: Handler) -> Handler:
    """``runner.measured_page`` for a module-level handler: counted and logged as the
    command ``name`` of ``door`` by its HTTP status, in the app that receives it."""

    async def handler(request: Request) -> Response:
        return await runner.measured_page(services(request), door, name, endpoint)(request)

    handler.__name__, handler.__doc__ = name, endpoint.__doc__
    return handler


def limiter(settings: Settings) -> RateLimit:
    """A request limit per source network with the lookup settings; connections are the
    HTTP server's concern (keep-alive), so only requests are counted."""
    return RateLimit(rate=settings.lookup_http_rate, burst=settings.lookup_http_burst,
                     max_connections=0, allow=parse_networks(settings.lookup_allow))


def peer(request: Request) -> str:
    return request.client.host if request.client else ""


def media_ranges(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values, lower-cased; a range
    with q=0 is left out (RFC 9110 §12.4.2: "not acceptable")."""
    out = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            out.append((media, q))
    return out


def accepts(header: str | None, types: tuple[str, ...], *, wildcards: bool) -> bool:
    """Whether an Accept header admits one of ``types``; with ``wildcards``, also
    ``*/*`` and ``application/*``."""
    for media, _q in media_ranges(header):
        if media in types:
            return True
        if wildcards and media in ("*/*", "application/*"):
            return True
    return False


def host_unicode(alabel: str) -> str:
    """A host name's U-label form for display (each ``xn--`` label decoded; a label that
    does not decode is shown as stored)."""
    labels = []
    for label in alabel.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(idna.IDNAError, UnicodeError):
                label = idna.decode(label)
        labels.append(label)
    return ".".join(labels)

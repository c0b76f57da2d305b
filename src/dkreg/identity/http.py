"""The HTTP client every adapter uses, and where the simulators are.

``MOUNTS`` lets an embedding (the tests: httpx's ASGI transport over the in-process app)
route an origin to another transport; the adapter's requests are the same either way.
"""

from __future__ import annotations

import httpx

from dkreg.config import Settings

MOUNTS: dict[str, httpx.AsyncBaseTransport] = {}


def client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=settings.identity_http_timeout,
                             mounts=dict(MOUNTS) or None, follow_redirects=False)


def simulator_url(settings: Settings, path: str) -> str:
    """A simulator's URL: the sandbox serves it on its own public base URL."""
    return settings.public_base_url.rstrip("/") + path


class ProviderError(Exception):
    """The outside service did not answer as its protocol says (network, HTTP status,
    malformed answer, bad signature). The message never contains personal data."""

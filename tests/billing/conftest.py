"""Billing tests use the web doors' fixtures (``web``: the real ASGI app in-process) and
self-service's (``ss``: the same, with self-service logins)."""

from selfservice.conftest import ss  # noqa: F401 - the fixture, shared
from web.conftest import web  # noqa: F401 - the fixture, shared

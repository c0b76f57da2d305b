"""RDAP for .dk (RFC 7480-7484, 9082, 9083), mounted at ``/rdap``: ``render`` builds the
JSON from the lookup read models (pure functions), ``routes`` is the HTTP door."""

from dkreg.public.rdap.routes import MOUNT, error_response

__all__ = ["MOUNT", "error_response"]

"""Random tokens handed out once — session cookies, one-time links, OAuth state — and
kept only as their SHA-256, so a copy of the database opens nothing."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """256 bits from the OS's CSPRNG, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

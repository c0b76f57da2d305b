"""Payment links: ``/pay/<invoice id>.<expiry>.<signature>`` — no login, one invoice.

The signature is HMAC-SHA256 over the purpose, the invoice id and the expiry under the
installation's ``secret_key``, so a link cannot be altered to another invoice or a later
expiry, and no table of issued links is needed. The link only shows and pays its own
invoice; paying twice is impossible because the invoice is paid once (``invoices``).
The sandbox generates a key into ``data_dir`` on first use; production must configure
one (a key that changes invalidates every link already mailed).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from datetime import UTC, datetime, timedelta

from dkreg.config import Settings
from dkreg.mail.links import public_link

_TOKEN = re.compile(r"(\d{1,18})\.(\d{1,12})\.([A-Za-z0-9_-]{43})")
KEY_FILE = "secret_key"


class LinkInvalid(ValueError):
    """A payment link that is malformed, forged, altered or expired (``reason``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def secret_key(settings: Settings) -> bytes:
    if settings.secret_key:
        return settings.secret_key.encode()
    if not settings.sandbox:
        raise RuntimeError("secret_key must be configured in production (payment links)")
    path = settings.data_dir / KEY_FILE
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


def derived_key(settings: Settings, purpose: str) -> bytes:
    """A key for one purpose, derived from ``secret_key`` (the links never share one)."""
    return hmac.new(secret_key(settings), purpose.encode(), hashlib.sha256).digest()


def _mac(settings: Settings, invoice_id: int, expires: int) -> str:
    digest = hmac.new(derived_key(settings, "payment-link"),
                      f"pay:{invoice_id}:{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(settings: Settings, invoice_id: int, now: datetime) -> str:
    expires = int((now + timedelta(days=settings.payment_link_days)).timestamp())
    return f"{invoice_id}.{expires}.{_mac(settings, invoice_id, expires)}"


def verify(settings: Settings, token: str, now: datetime) -> int:
    """The invoice id a link is for; LinkInvalid when it is not a valid, live link."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise LinkInvalid("malformed")
    invoice_id, expires, mac = int(match.group(1)), int(match.group(2)), match.group(3)
    if not hmac.compare_digest(mac, _mac(settings, invoice_id, expires)):
        raise LinkInvalid("signature")
    if now >= datetime.fromtimestamp(expires, UTC):
        raise LinkInvalid("expired")
    return invoice_id


def payment_link(settings: Settings, invoice_id: int, now: datetime) -> str:
    return public_link(settings, f"/pay/{sign(settings, invoice_id, now)}")

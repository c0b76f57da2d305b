"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): the portal's second factor.

SHA-1, six digits, 30-second steps, the code of the step before and after accepted too
(clocks of phones drift). Built from the standard library alone; every authenticator
app speaks this profile. A code is bound to its time step, and the caller stores the
last step used, so a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from datetime import datetime
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps either side


def new_secret() -> str:
    """160 random bits (RFC 4226's recommended key length) as unpadded base32."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret_b32: str) -> bytes:
    padded = secret_b32.upper() + "=" * (-len(secret_b32) % 8)
    return base64.b32decode(padded)


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 §5.3: HMAC-SHA-1 of the counter, dynamically truncated."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def time_step(moment: datetime | float) -> int:
    seconds = moment.timestamp() if isinstance(moment, datetime) else moment
    return int(seconds // STEP_SECONDS)


def totp(key: bytes, moment: datetime | float, digits: int = DIGITS) -> str:
    return hotp(key, time_step(moment), digits)


def verify(secret_b32: str, code: str, moment: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to (within the window), or None. A step at or before
    ``last_step`` is refused: each code works once."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    key = _key(secret_b32)
    now = time_step(moment)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def otpauth_uri(secret_b32: str, account: str, issuer: str) -> str:
    """The Key URI format authenticator apps read (also from a QR code of this text)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode({"secret": secret_b32, "issuer": issuer, "algorithm": "SHA1",
                       "digits": DIGITS, "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"

"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): the portal's second factor.

SHA-1, six digits, 30-second steps, the code of the step before and after accepted too
(clocks of phones drift): the profile every authenticator app speaks. The arithmetic and
the Key URI are ``pyotp``'s, a maintained implementation of both RFCs; what stays here is
the portal's rule on top: a code is bound to its time step, and the caller stores the
last step used, so a code seen over someone's shoulder cannot be replayed. ``pyotp``'s
own ``verify`` answers yes or no only, so the window is walked here to learn the step.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

import pyotp
from pyotp.utils import strings_equal

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps either side


def new_secret() -> str:
    """160 random bits (RFC 4226's recommended key length) as unpadded base32."""
    return pyotp.random_base32(32)


def _b32(key: bytes) -> str:
    return base64.b32encode(key).decode()


def _totp(secret_b32: str, digits: int = DIGITS) -> pyotp.TOTP:
    # pyotp pads and case-folds the secret itself, and the Key URI carries it as stored
    return pyotp.TOTP(secret_b32, digits=digits, digest=hashlib.sha1, interval=STEP_SECONDS)


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 §5.3: HMAC-SHA-1 of the counter, dynamically truncated."""
    return pyotp.HOTP(_b32(key), digits=digits, digest=hashlib.sha1).at(counter)


def time_step(moment: datetime | float) -> int:
    seconds = moment.timestamp() if isinstance(moment, datetime) else moment
    return int(seconds // STEP_SECONDS)


def totp(key: bytes, moment: datetime | float, digits: int = DIGITS) -> str:
    # by step, not by pyotp.TOTP.at(moment): a naive datetime would be read as local time
    return hotp(key, time_step(moment), digits)


def verify(secret_b32: str, code: str, moment: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to (within the window), or None. A step at or before
    ``last_step`` is refused: each code works once."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    generator = _totp(secret_b32)
    now = time_step(moment)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if strings_equal(generator.generate_otp(step), code):  # constant time
            return step
    return None


def otpauth_uri(secret_b32: str, account: str, issuer: str) -> str:
    """The Key URI format authenticator apps read (also from a QR code of this text);
    the defaults (SHA1, 6 digits, 30 s) are implied by leaving them out."""
    return _totp(secret_b32).provisioning_uri(name=account, issuer_name=issuer)

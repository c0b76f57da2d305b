"""TOTP against RFC 6238 appendix B (the SHA-1 rows) and the portal's verification rules:
six digits, ±1 step, no replay of a step already used."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from dkreg.model import totp

RFC_KEY = b"12345678901234567890"


@pytest.mark.parametrize(("unix", "step_hex", "code"), [
    (59, "0000000000000001", "94287082"),
    (1111111109, "00000000023523EC", "07081804"),
    (1111111111, "00000000023523ED", "14050471"),
    (1234567890, "000000000273EF07", "89005924"),
    (2000000000, "0000000003F940AA", "69279037"),
    (20000000000, "0000000027BC86AA", "65353130"),
])
def test_rfc6238_appendix_b_sha1(unix: int, step_hex: str, code: str) -> None:
    assert totp.time_step(unix) == int(step_hex, 16)
    assert totp.totp(RFC_KEY, unix, digits=8) == code
    moment = datetime.fromtimestamp(unix, UTC)
    assert totp.totp(RFC_KEY, moment, digits=8) == code
    assert totp.totp(RFC_KEY, unix) == code[-6:]  # six digits: the same value mod 10**6


def test_rfc4226_appendix_d_hotp() -> None:
    expected = ["755224", "287082", "359152", "969429", "338314",
                "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(RFC_KEY, n) for n in range(10)] == expected


def test_verify_accepts_one_step_either_side_and_never_a_used_step() -> None:
    secret = base64.b32encode(RFC_KEY).decode()
    now = datetime.fromtimestamp(1111111111, UTC)
    step = totp.time_step(now)
    for delta in (-1, 0, 1):
        code = totp.hotp(RFC_KEY, step + delta)
        assert totp.verify(secret, code, now, None) == step + delta
    for delta in (-2, 2):
        assert totp.verify(secret, totp.hotp(RFC_KEY, step + delta), now, None) is None
    code = totp.totp(RFC_KEY, now)
    assert totp.verify(secret, code, now, step) is None  # replay of the used step
    assert totp.verify(secret, code, now, step - 1) == step
    assert totp.verify(secret, f" {code[:3]} {code[3:]} ", now, None) == step
    for bad in ("", "12345", "1234567", "abcdef"):
        assert totp.verify(secret, bad, now, None) is None
    later = now + timedelta(seconds=90)
    assert totp.verify(secret, code, later, None) is None


def test_new_secrets_are_random_base32_and_make_an_otpauth_uri() -> None:
    a, b = totp.new_secret(), totp.new_secret()
    assert a != b and len(a) == 32 and len(base64.b32decode(a)) == 20
    uri = urlsplit(totp.otpauth_uri(a, "anna@example.dk", "dkreg REG-1"))
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == "/dkreg REG-1:anna@example.dk"  # issuer:account
    query = parse_qs(uri.query)
    assert query["secret"] == [a] and query["issuer"] == ["dkreg REG-1"]
    # the Key URI defaults are our profile: SHA1, 6 digits, 30 s (stated or left out)
    assert query.get("algorithm", ["SHA1"]) == ["SHA1"]
    assert query.get("digits", ["6"]) == ["6"] and query.get("period", ["30"]) == ["30"]

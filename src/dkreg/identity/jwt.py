"""Just enough JOSE for OpenID Connect: RS256 signatures with ``cryptography``.

``verify`` refuses anything but RS256 (no ``none``, no HMAC with a public key as secret)
and a key id the JWKS does not hold.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from dkreg.identity.http import ProviderError


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def jwk(key: rsa.RSAPublicKey) -> dict[str, str]:
    """The public key as a JWK with a thumbprint key id (RFC 7638)."""
    numbers = key.public_numbers()
    parts = {"e": _int(numbers.e), "kty": "RSA", "n": _int(numbers.n)}
    kid = b64url(hashlib.sha256(json.dumps(parts, separators=(",", ":"),
                                           sort_keys=True).encode()).digest())[:16]
    return {**parts, "kid": kid, "alg": "RS256", "use": "sig"}


def sign(claims: dict[str, Any], key: rsa.RSAPrivateKey, kid: str) -> str:
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": kid}).encode())
    body = b64url(json.dumps(claims).encode())
    signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{body}.{b64url(signature)}"


def verify(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The claims of an RS256 token signed by one of ``jwks``' keys; ProviderError else."""
    try:
        head_b64, body_b64, sig_b64 = token.split(".")
        header = json.loads(unb64url(head_b64))
        claims = json.loads(unb64url(body_b64))
        signature = unb64url(sig_b64)
    except (ValueError, TypeError) as exc:
        raise ProviderError("id_token is not a compact JWS") from exc
    if header.get("alg") != "RS256":
        raise ProviderError(f"id_token algorithm {header.get('alg')!r} is not RS256")
    keys = [k for k in jwks.get("keys", []) if k.get("kty") == "RSA"
            and (header.get("kid") is None or k.get("kid") == header.get("kid"))]
    if not keys:
        raise ProviderError("id_token key id is not in the broker's JWKS")
    for k in keys:
        public = rsa.RSAPublicNumbers(int.from_bytes(unb64url(k["e"]), "big"),
                                      int.from_bytes(unb64url(k["n"]), "big")).public_key()
        try:
            public.verify(signature, f"{head_b64}.{body_b64}".encode(), padding.PKCS1v15(),
                          hashes.SHA256())
        except InvalidSignature:
            continue
        if not isinstance(claims, dict):
            raise ProviderError("id_token claims are not an object")
        return claims
    raise ProviderError("id_token signature does not verify")

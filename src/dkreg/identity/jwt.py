"""OpenID Connect id_tokens: signed by the MitID simulator, verified by the adapter.

The JOSE work is ``joserfc``'s, a maintained implementation of RFC 7515-7519: we hand
it keys and an allow-list, never parse or check a signature ourselves. What is ours is
the policy: RS256 only (so no ``none``, no HMAC with the public key as its secret), a
key the broker's JWKS publishes for signing, and the claims OpenID Connect Core §3.1.3.7
asks the client to check (issuer, audience, authorised party, expiry, issue time, not
before, nonce, subject), judged at the injected clock's time with a small leeway.

Every refusal is a ``ProviderError`` whose message says which check failed; the
library's exceptions stay inside this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
    UnsupportedAlgorithmError,
)
from joserfc.jwk import KeySet, RSAKey

from dkreg.identity.http import ProviderError

ALGORITHMS = ["RS256"]  # what the broker signs with; anything else is refused
_SIGNING = {"use": "sig"}


def jwk(key: rsa.RSAPublicKey | rsa.RSAPrivateKey) -> dict[str, Any]:
    """The public key as a JWK whose key id is its RFC 7638 thumbprint."""
    public = RSAKey.import_key(key.public_key() if isinstance(key, rsa.RSAPrivateKey)
                               else key)
    return {**public.as_dict(private=False), "kid": public.thumbprint(), "alg": "RS256",
            "use": "sig"}


def sign(claims: dict[str, Any], key: rsa.RSAPrivateKey) -> str:
    """A compact RS256 JWS of ``claims``, its key id the key's thumbprint (as ``jwk``)."""
    private = RSAKey.import_key(key)
    return jwt.encode({"alg": "RS256", "kid": private.thumbprint()}, dict(claims), private,
                      algorithms=ALGORITHMS)


def _key_set(jwks: dict[str, Any]) -> KeySet:
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list):
        raise ProviderError("the broker's JWKS has no keys")
    # an encryption key or another algorithm's key never verifies an id_token
    usable = [k for k in keys if isinstance(k, dict) and k.get("kty") == "RSA"
              and k.get("use", "sig") == "sig" and k.get("alg", "RS256") == "RS256"]
    try:
        return KeySet.import_key_set({"keys": usable})
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise ProviderError("the broker's JWKS holds no usable RS256 key") from exc


def verify(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The claims of an RS256 token signed by one of ``jwks``' keys; ProviderError else.
    The claims are not judged here (``check_id_token`` does that). The header's key id
    picks the key; a token without one is accepted only from a JWKS of one usable key."""
    keys = _key_set(jwks)
    try:
        return dict(jwt.decode(token, keys, algorithms=ALGORITHMS).claims)
    except UnsupportedAlgorithmError as exc:
        raise ProviderError("id_token algorithm is not RS256") from exc
    except InvalidKeyIdError as exc:
        raise ProviderError("id_token key id is not in the broker's JWKS") from exc
    except BadSignatureError as exc:
        raise ProviderError("id_token signature does not verify") from exc
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise ProviderError("id_token is not a valid compact JWS") from exc


_WHY = {"iss": "id_token issuer is not the broker",
        "aud": "id_token audience is not this client",
        "azp": "id_token authorised party is not this client",
        "exp": "id_token has expired", "nbf": "id_token is not valid yet",
        "iat": "id_token was issued in the future", "nonce":
        "id_token nonce does not match the request", "sub": "id_token has no subject"}


def check_id_token(claims: dict[str, Any], issuer: str, client_id: str, nonce: str,
                   now: datetime, leeway_seconds: int) -> dict[str, Any]:
    """OpenID Connect Core §3.1.3.7 on verified claims: ``claims`` back, or ProviderError.

    The issuer may differ from ``issuer`` by a trailing slash only (brokers publish
    either form in discovery). With several audiences the authorised party must be us.
    """
    aud = claims.get("aud")
    registry = jwt.JWTClaimsRegistry(
        now=int(now.timestamp()), leeway=leeway_seconds,
        iss={"essential": True, "values": [issuer.rstrip("/"), issuer.rstrip("/") + "/"]},
        aud={"essential": True, "value": client_id},
        exp={"essential": True}, iat={"essential": True}, sub={"essential": True},
        nonce={"essential": True, "value": nonce},
        azp={"essential": isinstance(aud, list) and len(aud) > 1, "value": client_id})
    try:
        registry.validate(claims)
    except ExpiredTokenError as exc:
        raise ProviderError(_WHY["exp"]) from exc
    except MissingClaimError as exc:
        raise ProviderError(f"id_token lacks {exc.claim}"[:120]) from exc
    except ClaimError as exc:
        raise ProviderError(_WHY.get(str(exc.claim), "id_token has an invalid claim")) \
            from exc
    # the library lets a list claim match by one element: these two must be strings
    if not isinstance(claims.get("nonce"), str):
        raise ProviderError(_WHY["nonce"])
    if not isinstance(claims.get("azp", client_id), str):
        raise ProviderError(_WHY["azp"])
    return claims

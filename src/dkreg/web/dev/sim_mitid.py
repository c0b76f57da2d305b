"""A MitID broker simulator for the sandbox: OpenID Connect over HTTP under /dev/mitid.

Discovery, an authorize page where the tester picks a fixture person (or types a name)
and what MitID answers, a token endpoint (client secret, PKCE S256), the JWKS, and
id_tokens signed RS256 with a key generated into ``data_dir`` on first use. The adapter
(``identity/mitid.py``) cannot tell it from a real broker. Codes live in this process
only (the sandbox serves HTTP from one process); each works once, for two minutes.

Like a real provider it knows its clients: ``registered`` maps each client_id to its
redirect URIs — here ``mitid_client_id`` to the app's own callback
(``mitid.redirect_uri``, the very URL the adapter sends). An authorization request with
an unknown client_id or a redirect_uri that is not one of the client's (exact string
match) gets an error page from the simulator itself and is never redirected (RFC 6749
§4.1.2.1: the browser is not sent to an unverified URI); the other errors in a request
with a valid redirect_uri go back to it as ``error=…`` with the state (§4.1.2.1).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from dkreg.config import Settings
from dkreg.identity import mitid
from dkreg.identity.jwt import jwk, sign
from dkreg.web.i18n import language_of, translator
from dkreg.web.request_services import services_of
from dkreg.web.templating import render


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    cpr: str  # fixture numbers only: these people do not exist


# what the tester can choose; "invalid" has day 32, which no CPR number has
PEOPLE = (
    Person("jens", "Jens Hansen", "0101701234"),
    Person("mette", "Mette Sørensen", "1512851236"),
    Person("invalid", "Ib Ugyldig", "3213701234"),
)
SCENARIOS = ("login", "cancel", "broker_error")
CODE_SECONDS = 120


def signing_key(data_dir: Path) -> rsa.RSAPrivateKey:
    """The simulator's RSA key, generated on first use and kept (owner-only) in data_dir."""
    path = data_dir / "identity" / "mitid-simulator-key.pem"
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    tmp.chmod(0o600)
    tmp.replace(path)
    return key


def _error(error: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status)


def registered(settings: Settings) -> dict[str, frozenset[str]]:
    """The simulator's clients and their registered redirect URIs: the app itself, with
    the callback URL its adapter sends (so the sandbox works as configured)."""
    return {settings.mitid_client_id: frozenset({mitid.redirect_uri(settings)})}


@dataclass
class Broker:
    """What the simulator keeps between requests, for each app that serves it (as a real
    broker is one per deployment): the codes it issued and its signing key, read once."""

    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: list[rsa.RSAPrivateKey] = field(default_factory=list)


def broker_of(request: Request) -> Broker:
    """The simulator state of the app that received ``request``, made on its first use."""
    state = request.app.state
    broker: Broker | None = getattr(state, "mitid_simulator", None)
    if broker is None:  # no await between the look and the set: one per app
        broker = state.mitid_simulator = Broker()
    return broker


def key(settings: Settings, keys: list[rsa.RSAPrivateKey]) -> rsa.RSAPrivateKey:
    if not keys:
        keys.append(signing_key(settings.data_dir))
    return keys[0]


def base(settings: Settings) -> str:
    return mitid.issuer(settings)


async def discovery(request: Request) -> Response:
    settings = services_of(request).settings
    b = base(settings)
    return JSONResponse({
        "issuer": b, "authorization_endpoint": b + "/authorize",
        "token_endpoint": b + "/token", "jwks_uri": b + "/jwks",
        "response_types_supported": ["code"], "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                  "client_secret_post"],
        "claims_supported": ["sub", "name", settings.mitid_cpr_claim]})


async def jwks(request: Request) -> Response:
    settings, keys = services_of(request).settings, broker_of(request).keys
    return JSONResponse({"keys": [jwk(key(settings, keys).public_key())]})


async def authorize(request: Request) -> Response:
    settings, codes = services_of(request).settings, broker_of(request).codes
    params = dict(request.query_params) if request.method == "GET" else \
        {k: str(v) for k, v in (await request.form()).items()}
    uris = registered(settings).get(params.get("client_id", ""))
    if uris is None or params.get("redirect_uri") not in uris:
        # never redirect to a URI the client has not registered (RFC 6749 §4.1.2.1)
        return render(request, "dev_mitid_refused.html", 400,
                      problem="client" if uris is None else "redirect_uri")
    back = params["redirect_uri"]
    state = {"state": params.get("state", "")}
    if params.get("response_type") != "code" or \
            params.get("code_challenge_method") != "S256":
        return RedirectResponse(back + "?" + urlencode({"error": "invalid_request",
                                                        **state}), 303)
    if request.method == "GET":
        return render(request, "dev_mitid.html", people=PEOPLE, params=params, errors={})
    if params.get("scenario") == "cancel" or "cancel" in params:
        return RedirectResponse(back + "?" + urlencode({"error": "access_denied",
                                                        **state}), 303)
    person = next((p for p in PEOPLE if p.key == params.get("person")), None)
    name = (params.get("name") or "").strip() or (person.name if person else "")
    if not name:
        t = translator(language_of(request))
        return render(request, "dev_mitid.html", 400, people=PEOPLE, params=params,
                      errors={"name": t("idsim.mitid.name_missing")})
    code = secrets.token_urlsafe(24)
    codes[code] = {"name": name, "cpr": person.cpr if person else PEOPLE[0].cpr,
                   "scenario": params.get("scenario", "login"),
                   "nonce": params.get("nonce"), "redirect_uri": back,
                   "challenge": params.get("code_challenge"), "at": time.time()}
    return RedirectResponse(back + "?" + urlencode({"code": code, **state}), 303)


async def token(request: Request) -> Response:
    services, broker = services_of(request), broker_of(request)
    settings, codes = services.settings, broker.codes
    form = await request.form()
    client_id, secret = _client(request, form)
    if client_id != settings.mitid_client_id or \
            not secrets.compare_digest(secret.encode(),  # bytes: a str may be non-ASCII
                                       mitid.client_secret(settings).encode()):
        return _error("invalid_client", 401)
    grant = codes.pop(str(form.get("code", "")), None)
    if grant is None or time.time() - grant["at"] > CODE_SECONDS or \
            form.get("grant_type") != "authorization_code" or \
            form.get("redirect_uri") != grant["redirect_uri"] or \
            mitid.challenge(str(form.get("code_verifier", ""))) != grant["challenge"]:
        return _error("invalid_grant")
    if grant["scenario"] == "broker_error":
        return _error("server_error", 500)
    now = int(services.clock.now().timestamp())
    claims = {"iss": base(settings), "aud": settings.mitid_client_id, "iat": now,
              "exp": now + 300, "nonce": grant["nonce"], "name": grant["name"],
              "sub": hashlib.sha256(grant["cpr"].encode()).hexdigest()[:32],
              settings.mitid_cpr_claim: grant["cpr"]}
    signed = sign(claims, key(settings, broker.keys))
    return JSONResponse({"access_token": secrets.token_urlsafe(24), "token_type": "Bearer",
                         "expires_in": 300, "id_token": signed},
                        headers={"Cache-Control": "no-store"})


async def about(request: Request) -> Response:
    """The bare path: what this simulator is, its test people, where to start."""
    return render(request, "dev_sim_mitid.html", sim="mitid", people=PEOPLE,
                  base=mitid.SIMULATOR_PATH)


_P = mitid.SIMULATOR_PATH
ROUTES: list[Route] = [
    Route(_P, about), Route(_P + "/", about),
    Route(_P + "/.well-known/openid-configuration", discovery),
    Route(_P + "/authorize", authorize, methods=["GET", "POST"]),
    Route(_P + "/token", token, methods=["POST"]),
    Route(_P + "/jwks", jwks),
]


def _client(request: Request, form: Any) -> tuple[str, str]:
    """client_secret_basic, else client_secret_post."""
    import base64

    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return "", ""
        from urllib.parse import unquote

        return unquote(user), unquote(secret)
    return str(form.get("client_id", "")), str(form.get("client_secret", ""))

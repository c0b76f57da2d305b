"""MitID through an OpenID Connect broker: authorization code flow with PKCE, state and
nonce; the id_token's RS256 signature, issuer, audience, expiry and nonce are verified.

The broker returns the person's CPR number as a claim (``mitid_cpr_claim``) and name as
``name``. The CPR is checked with python-stdnum (format and birth date) and the name is
matched to the contact's; then the number is dropped. It is never written to the
database, a log line or the audit trail — only the outcome is (``checks.record``).

The flow's state lives in ``identity_flows`` between the redirect and the callback: the
state as SHA-256, its nonce and PKCE verifier and the redirect_uri it was sent with,
bound to one contact, single use. A callback must arrive at that redirect_uri, and the
code is exchanged with it (the broker checks the two are the same, RFC 6749 §4.1.3).

The redirect_uri is the app's own callback (``redirect_uri``): the one URL registered
with the broker for ``mitid_client_id``. The sandbox's simulator registers exactly it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import insert, select, update
from stdnum.dk import cpr as dk_cpr

from dkreg.actions.contact.verification_checks import MATCHED, CheckOutcome
from dkreg.config import Settings
from dkreg.identity import http
from dkreg.identity.http import ProviderError
from dkreg.identity.jwt import check_id_token, verify
from dkreg.identity.normalise import same
from dkreg.mail.links import public_link
from dkreg.model.secret_tokens import new_token, token_hash
from dkreg.store.context import Ctx
from dkreg.store.schema import identity_flows

SIMULATOR_PATH = "/dev/mitid"
CALLBACK_PATH = "/selfservice/verification/mitid/callback"
LEEWAY = timedelta(seconds=60)


def issuer(settings: Settings) -> str:
    if settings.identity_mode == "simulator":
        return http.simulator_url(settings, SIMULATOR_PATH)
    return settings.mitid_issuer.rstrip("/")


def redirect_uri(settings: Settings) -> str:
    """The app's MitID callback URL: what the adapter sends as redirect_uri, what is
    registered with the broker, what the simulator accepts (exact string match)."""
    return public_link(settings, CALLBACK_PATH)


def client_secret(settings: Settings) -> str:
    """The simulator accepts the configured secret, or a fixed sandbox one."""
    return settings.mitid_client_secret or "sandbox-secret"


@dataclass(frozen=True)
class Provider:
    """The broker's discovery document, the parts we use."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def challenge(verifier: str) -> str:
    """PKCE S256 (RFC 7636 §4.2): unpadded base64url of the verifier's SHA-256."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()) \
        .rstrip(b"=").decode()


def _json(resp: httpx.Response, what: str) -> dict[str, Any]:
    if resp.status_code != 200:
        raise ProviderError(f"{what} answered HTTP {resp.status_code}")
    try:
        data = resp.json()
    except ValueError as exc:
        raise ProviderError(f"{what} is not JSON") from exc
    if not isinstance(data, dict):
        raise ProviderError(f"{what} is not a JSON object")
    return data


class MitIdClient:
    """One broker, over HTTP (the real one or the simulator: the same requests)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.issuer = issuer(settings)

    async def discover(self, client: httpx.AsyncClient) -> Provider:
        data = _json(await client.get(self.issuer + "/.well-known/openid-configuration"),
                     "the discovery document")
        try:
            provider = Provider(data["issuer"], data["authorization_endpoint"],
                                data["token_endpoint"], data["jwks_uri"])
        except KeyError as exc:
            raise ProviderError(f"the discovery document lacks {exc.args[0]}") from None
        if provider.issuer.rstrip("/") != self.issuer:
            raise ProviderError("the discovery document names another issuer")
        return provider

    async def authorization_url(self, redirect_uri: str, state: str, nonce: str,
                                verifier: str) -> str:
        async with http.client(self.settings) as client:
            provider = await self.discover(client)
        query = {"response_type": "code", "client_id": self.settings.mitid_client_id,
                 "redirect_uri": redirect_uri, "scope": "openid", "state": state,
                 "nonce": nonce, "code_challenge": challenge(verifier),
                 "code_challenge_method": "S256"}
        return provider.authorization_endpoint + "?" + urlencode(query)

    async def identify(self, code: str, redirect_uri: str, verifier: str, nonce: str,
                       now: datetime) -> dict[str, Any]:
        """Exchange the code and return the verified id_token's claims."""
        s = self.settings
        async with http.client(s) as client:
            provider = await self.discover(client)
            token = _json(await client.post(
                provider.token_endpoint,
                data={"grant_type": "authorization_code", "code": code,
                      "redirect_uri": redirect_uri, "code_verifier": verifier},
                auth=(s.mitid_client_id, client_secret(s) if s.identity_mode == "simulator"
                      else s.mitid_client_secret)), "the token endpoint")
            jwks = _json(await client.get(provider.jwks_uri), "the JWKS")
        if not isinstance(token.get("id_token"), str):
            raise ProviderError("the token response has no id_token")
        return check_claims(verify(token["id_token"], jwks), self.issuer,
                            s.mitid_client_id, nonce, now)


def check_claims(claims: dict[str, Any], issuer_url: str, client_id: str, nonce: str,
                 now: datetime) -> dict[str, Any]:
    """OpenID Connect Core §3.1.3.7 (iss, aud, azp, exp, iat, nbf, nonce, sub) at ``now``
    with the broker's clock allowed ``LEEWAY`` of drift."""
    return check_id_token(claims, issuer_url, client_id, nonce, now,
                          int(LEEWAY.total_seconds()))


def judge(claims: dict[str, Any], contact: Any, cpr_claim: str) -> CheckOutcome:
    """The CPR must be a valid number (format and birth date) and the MitID name the
    contact's name. The number itself goes no further than this function."""
    number = claims.get(cpr_claim)
    if not isinstance(number, str) or not dk_cpr.is_valid(number):
        return CheckOutcome("mitid", "invalid_cpr", "the CPR number is not valid")
    if not same(claims.get("name"), contact.name):
        return CheckOutcome("mitid", "name_mismatch",
                            "the MitID name differs from the contact's name")
    return CheckOutcome("mitid", MATCHED)


# -- the flow's state --------------------------------------------------------------------


@dataclass(frozen=True)
class Flow:
    contact_id: int
    nonce: str
    verifier: str
    redirect_uri: str  # the one the authorization request sent


async def begin(ctx: Ctx, contact_id: int, redirect_to: str) -> tuple[str, Flow]:
    """A new flow for the contact whose authorization request sends ``redirect_to``:
    returns (state, flow) for the authorization URL."""
    state, flow = new_token(), Flow(contact_id, secrets.token_urlsafe(24),
                                    secrets.token_urlsafe(48), redirect_to)
    await ctx.conn.execute(insert(identity_flows).values(
        state_hash=token_hash(state), contact_id=contact_id, nonce=flow.nonce,
        code_verifier=flow.verifier, redirect_uri=redirect_to, created_at=ctx.now,
        expires_at=ctx.now + timedelta(minutes=ctx.settings.mitid_flow_minutes)))
    return state, flow


async def take(ctx: Ctx, state: str | None) -> Flow | None:
    """The flow ``state`` belongs to, spent; None when unknown, used or expired."""
    if not state or len(state) > 128:
        return None
    key = token_hash(state)
    row = (await ctx.conn.execute(select(identity_flows).where(
        identity_flows.c.state_hash == key, identity_flows.c.used_at.is_(None),
        identity_flows.c.expires_at > ctx.now))).first()
    if row is None:
        return None
    done = await ctx.conn.execute(update(identity_flows).where(
        identity_flows.c.state_hash == key, identity_flows.c.used_at.is_(None))
        .values(used_at=ctx.now, code_verifier="", nonce=""))
    return Flow(row.contact_id, row.nonce, row.code_verifier, row.redirect_uri) \
        if done.rowcount == 1 else None


async def finish(settings: Settings, flow: Flow, contact: Any, code: str | None,
                 error: str | None, received_at: str, now: datetime) -> CheckOutcome:
    """The broker's answer to the callback that arrived at ``received_at``, judged. No
    transaction is open meanwhile. A callback at another URL than the flow's redirect_uri
    is refused before any code is exchanged: the state was issued for that URL only."""
    if received_at != flow.redirect_uri:
        return CheckOutcome("mitid", "error", "the callback did not come back to the "
                            "redirect_uri the authorization request sent")
    if error is not None or not code:
        return CheckOutcome("mitid", "cancelled" if error == "access_denied" else "error",
                            f"the broker answered {error or 'without a code'}"[:255])
    try:
        claims = await MitIdClient(settings).identify(code, flow.redirect_uri, flow.verifier,
                                                      flow.nonce, now)
    except (ProviderError, httpx.HTTPError) as exc:
        return CheckOutcome("mitid", "error", str(exc)[:255] if isinstance(
            exc, ProviderError) else f"the broker could not be reached ({type(exc).__name__})")
    return judge(claims, contact, settings.mitid_cpr_claim)

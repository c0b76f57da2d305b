"""The payment provider: hosted payment page + signed callback, and its sandbox simulator.

The protocol (what ``HostedPageProvider`` speaks, and what the simulator under
``/dev/pay`` implements like a real provider would):

1. The registry sends the payer's browser to ``<provider>/checkout?merchant=…&reference=…
   &amount=<øre>&currency=DKK&description=…&callback=<url>&return=<url>&signature=<hex>``,
   signed with HMAC-SHA256 over the parameters in that order (``name=value`` lines), so
   the amount and the callback cannot be changed on the way.
2. After the card payment the provider POSTs JSON ``{"merchant", "reference", "status":
   "approved"|"declined", "amount", "currency", "transaction"}`` to the callback URL with
   ``X-Payment-Signature: sha256=<hex HMAC of the body>``, and sends the browser back to
   the return URL. The callback may arrive later than the browser (or more than once).

The shared secret is ``payment_provider_secret``; the sandbox derives one from
``secret_key`` when none is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlencode

import httpx
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from dkreg.billing.links import derived_key
from dkreg.config import Settings
from dkreg.web.templating import render

if TYPE_CHECKING:
    from dkreg.services import Services

log = logging.getLogger("dkreg.billing")
SIGNATURE_HEADER = "X-Payment-Signature"
CHECKOUT_FIELDS = ("merchant", "reference", "amount", "currency", "description", "callback",
                   "return")


class CallbackInvalid(ValueError):
    """A callback whose signature, merchant or body is wrong: ignored, never applied."""


@dataclass(frozen=True)
class Checkout:
    reference: str
    amount_ore: int
    description: str
    callback_url: str
    return_url: str
    currency: str = "DKK"


@dataclass(frozen=True)
class CallbackResult:
    reference: str
    status: str  # approved | declined
    amount_ore: int
    transaction: str


class PaymentProvider(Protocol):
    name: str

    def checkout_url(self, checkout: Checkout) -> str:
        """Where to send the payer's browser."""
        ...

    def parse_callback(self, body: bytes, signature: str | None) -> CallbackResult:
        """The verified callback; CallbackInvalid when it is not from the provider."""
        ...


def _hmac(secret: bytes, data: bytes) -> str:
    return hmac.new(secret, data, hashlib.sha256).hexdigest()


def checkout_signature(secret: bytes, params: dict[str, str]) -> str:
    return _hmac(secret, "\n".join(f"{k}={params.get(k, '')}" for k in CHECKOUT_FIELDS).encode())


def callback_signature(secret: bytes, body: bytes) -> str:
    return "sha256=" + _hmac(secret, body)


class HostedPageProvider:
    """The adapter: a provider with a hosted page at ``base_url`` and HMAC callbacks."""

    def __init__(self, name: str, base_url: str, merchant: str, secret: bytes) -> None:
        self.name, self.base_url, self.merchant, self.secret = name, base_url, merchant, secret

    def checkout_url(self, checkout: Checkout) -> str:
        params = {"merchant": self.merchant, "reference": checkout.reference,
                  "amount": str(checkout.amount_ore), "currency": checkout.currency,
                  "description": checkout.description, "callback": checkout.callback_url,
                  "return": checkout.return_url}
        params["signature"] = checkout_signature(self.secret, params)
        return f"{self.base_url.rstrip('/')}/checkout?{urlencode(params)}"

    def parse_callback(self, body: bytes, signature: str | None) -> CallbackResult:
        if not signature or not hmac.compare_digest(
                signature.encode(), callback_signature(self.secret, body).encode()):
            raise CallbackInvalid("signature")
        try:
            data = json.loads(body)
            result = CallbackResult(str(data["reference"]), str(data["status"]),
                                    int(data["amount"]), str(data["transaction"]))
        except (ValueError, KeyError, TypeError):
            raise CallbackInvalid("body") from None
        if data.get("merchant") != self.merchant or data.get("currency") != "DKK" \
                or result.status not in ("approved", "declined"):
            raise CallbackInvalid("content")
        return result


def provider_secret(settings: Settings) -> bytes:
    if settings.payment_provider_secret:
        return settings.payment_provider_secret.encode()
    if not settings.sandbox:
        raise RuntimeError("payment_provider_secret must be configured in production")
    return derived_key(settings, "payment-provider")


def provider_mode(settings: Settings) -> str:
    return settings.payment_provider or ("simulator" if settings.sandbox else "http")


def provider_for(settings: Settings) -> HostedPageProvider:
    if provider_mode(settings) == "simulator":
        return HostedPageProvider("simulator", settings.public_base_url + "/dev/pay",
                                  settings.payment_merchant_id, provider_secret(settings))
    if not settings.payment_provider_url:
        raise RuntimeError("payment_provider_url must be configured for the http provider")
    return HostedPageProvider("http", settings.payment_provider_url,
                              settings.payment_merchant_id, provider_secret(settings))


# --- the sandbox simulator (/dev/pay) -------------------------------------------------------

# Test cards a sandbox user can try (the hosted page lists them)
TEST_CARDS = {
    "4111111111111111": "approved",
    "4000000000000002": "declined",
    "4000000000003220": "delayed",  # approved, but the callback comes late
}
_pending: set[asyncio.Task[bool]] = set()


async def send_callback(url: str, secret: bytes, payload: dict[str, object],
                        delay: float = 0.0, attempts: int = 3) -> bool:
    """POST the signed callback over HTTP like a provider, retrying a few times."""
    await asyncio.sleep(delay)
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = {SIGNATURE_HEADER: callback_signature(secret, body),
               "Content-Type": "application/json"}
    for attempt in range(attempts):
        try:
            async with httpx.AsyncClient(timeout=10.0) as client:
                r = await client.post(url, content=body, headers=headers)
            if r.status_code < 500:
                return r.status_code == 200
        except httpx.HTTPError as exc:
            log.warning("payment simulator: callback to %s failed: %s", url, exc)
        await asyncio.sleep(0.5 * (attempt + 1))
    return False


def simulator_routes(services: Services) -> list[Route]:
    """``/dev/pay/checkout``: the simulator's hosted page (sandbox only)."""
    settings = services.settings

    def checked(params: dict[str, str]) -> dict[str, str] | None:
        provider = provider_for(settings)
        fields = {k: params.get(k, "") for k in CHECKOUT_FIELDS}
        # bytes: compare_digest raises TypeError on a str with non-ASCII characters
        ok = hmac.compare_digest(params.get("signature", "").encode(),
                                 checkout_signature(provider.secret, fields).encode())
        return fields if ok and fields["merchant"] == provider.merchant else None

    async def page(request: Request) -> Response:
        fields = checked(dict(request.query_params))
        if fields is None:
            return HTMLResponse("invalid checkout request", 400)
        return render(request, "pay/simulator.html", fields=fields,
                      signature=request.query_params["signature"], cards=TEST_CARDS)

    async def submit(request: Request) -> Response:
        form = await request.form()
        fields = checked({k: str(v) for k, v in form.items()})
        if fields is None:
            return HTMLResponse("invalid checkout request", 400)
        outcome = TEST_CARDS.get(str(form.get("card", "")).replace(" ", ""), "declined")
        payload: dict[str, object] = {
            "merchant": fields["merchant"], "reference": fields["reference"],
            "status": "declined" if outcome == "declined" else "approved",
            "amount": int(fields["amount"]), "currency": fields["currency"],
            "transaction": "SIM-" + secrets.token_hex(6)}
        secret = provider_for(settings).secret
        if outcome == "delayed":
            task = asyncio.create_task(send_callback(
                fields["callback"], secret, payload, settings.payment_sim_callback_delay))
            _pending.add(task)
            task.add_done_callback(_pending.discard)
        else:
            await send_callback(fields["callback"], secret, payload)
        return RedirectResponse(fields["return"], 303)

    async def about(request: Request) -> Response:
        """The bare path: what this simulator is and its test cards."""
        return render(request, "dev_sim_pay.html", sim="pay", cards=TEST_CARDS,
                      delay=f"{settings.payment_sim_callback_delay:g}")

    if provider_mode(settings) != "simulator":
        return []
    return [Route("/dev/pay", about), Route("/dev/pay/", about),
            Route("/dev/pay/checkout", page, methods=["GET"]),
            Route("/dev/pay/checkout", submit, methods=["POST"])]


async def drain_simulator() -> None:
    """Wait for delayed callbacks (tests; shutdown)."""
    with contextlib.suppress(Exception):
        await asyncio.gather(*_pending)

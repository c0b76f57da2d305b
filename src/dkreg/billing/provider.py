"""The payment provider: hosted payment page + signed callback.

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
``secret_key`` when none is set. The simulator's pages are ``web/dev/payment.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from dkreg.billing.links import derived_key
from dkreg.config import Settings

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

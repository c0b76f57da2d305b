"""The payment provider's sandbox simulator (``/dev/pay``): a hosted page with test cards
that calls back like a real provider (``billing.provider`` states the protocol).

A web page of the sandbox, so it lives with the other simulators under ``web/dev/``;
``billing.provider`` keeps the protocol both ends speak.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
from typing import TYPE_CHECKING

import httpx
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg.billing.provider import (
    CHECKOUT_FIELDS,
    SIGNATURE_HEADER,
    callback_signature,
    checkout_signature,
    provider_for,
    provider_mode,
)
from dkreg.web.error_pages import error_page
from dkreg.web.request_services import services_of
from dkreg.web.templating import render

if TYPE_CHECKING:
    from dkreg.config import Settings

log = logging.getLogger("dkreg.billing")

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


def mounted(settings: Settings) -> bool:
    """Whether the app serves ``/dev/pay``: only when the payment provider is this
    simulator (``provider_mode``)."""
    return provider_mode(settings) == "simulator"


def checked(settings: Settings, params: dict[str, str]) -> dict[str, str] | None:
    provider = provider_for(settings)
    fields = {k: params.get(k, "") for k in CHECKOUT_FIELDS}
    # bytes: compare_digest raises TypeError on a str with non-ASCII characters
    ok = hmac.compare_digest(params.get("signature", "").encode(),
                             checkout_signature(provider.secret, fields).encode())
    return fields if ok and fields["merchant"] == provider.merchant else None


async def page(request: Request) -> Response:
    settings = services_of(request).settings
    fields = checked(settings, dict(request.query_params))
    if fields is None:
        return error_page(request, 400)
    return render(request, "pay/simulator.html", fields=fields,
                  signature=request.query_params["signature"], cards=TEST_CARDS)


async def submit(request: Request) -> Response:
    settings = services_of(request).settings
    form = await request.form()
    fields = checked(settings, {k: str(v) for k, v in form.items()})
    if fields is None:
        return error_page(request, 400)
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
    settings = services_of(request).settings
    return render(request, "dev_sim_pay.html", sim="pay", cards=TEST_CARDS,
                  delay=f"{settings.payment_sim_callback_delay:g}")


# ``/dev/pay/checkout``: the simulator's hosted page (sandbox only)
ROUTES: list[Route] = [
    Route("/dev/pay", about), Route("/dev/pay/", about),
    Route("/dev/pay/checkout", page, methods=["GET"]),
    Route("/dev/pay/checkout", submit, methods=["POST"]),
]


async def drain_simulator() -> None:
    """Wait for delayed callbacks (tests; shutdown)."""
    with contextlib.suppress(Exception):
        await asyncio.gather(*_pending)

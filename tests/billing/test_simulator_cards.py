"""The payment simulator's test cards end to end on both backends: the app is served by
uvicorn on a real port at the configured public base URL, so the simulator's hosted page
(``/dev/pay/checkout``) calls the registry back over real HTTP like a provider.

* declined card: the invoice stays open, the return page says the payment was declined,
  and paying again later with the approved card works;
* "approved, callback delayed" card: the browser is back first — the return page says
  the payment is being processed — and the invoice becomes paid when the callback
  arrives;
* the return page shows only its own link's payments: another invoice's reference on
  it is refused (404) without a word of the other invoice."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest_asyncio
import uvicorn

from billing.helpers import invoice_rows, registrant_domain
from dkreg.app import Running
from dkreg.billing.links import sign
from dkreg.web.asgi import build_app
from dkreg.web.dev.payment import TEST_CARDS, drain_simulator

EXPIRES_AHEAD = timedelta(days=30)
CARD = {outcome: number for number, outcome in TEST_CARDS.items()}
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest_asyncio.fixture
async def served(registry) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """The app on a real port; the public base URL points at it. A client for it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    registry.settings.public_base_url = base
    registry.settings.payment_sim_callback_delay = 0.5
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=str(registry.ca_file))
    server = uvicorn.Server(uvicorn.Config(build_app(running), log_level="warning",
                                           lifespan="off", access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    client = httpx.AsyncClient(base_url=base, timeout=20)
    try:
        yield client
    finally:
        await client.aclose()
        await drain_simulator()
        server.should_exit = True
        await task
        sock.close()


async def open_invoices(registry, *names: str) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """Registrant-managed domains' open renewal invoices (one registrant each) and their
    payment link paths."""
    made = [await registrant_domain(registry, name, f"{name.split('.')[0]}@example.dk")
            for name in names]
    registry.clock.set(made[0][2].expires_at - EXPIRES_AHEAD)
    assert (await registry.tick()).done["renewal_invoices"] == len(names)
    return [(inv.id, "/pay/" + sign(registry.settings, inv.id, registry.clock.now()))
            for inv in await invoice_rows(registry, "renewal")]


async def open_invoice(registry) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """A registrant-managed domain's open renewal invoice and its payment link path."""
    [(invoice_id, link)] = await open_invoices(registry, "testkort.dk")
    return invoice_id, link


async def pay_with(c: httpx.AsyncClient, link: str, outcome: str) -> httpx.Response:
    """Press Pay, choose the test card on the simulator's page, submit; the page the
    browser returns to (the simulator redirects to the registry's return URL)."""
    r = await c.post(link)
    assert r.status_code == 303 and "/dev/pay/checkout?" in r.headers["location"]
    hosted = await c.get(r.headers["location"])
    assert hosted.status_code == 200 and CARD[outcome] in hosted.text
    fields = dict(_HIDDEN.findall(hosted.text))
    r = await c.post("/dev/pay/checkout", data={**fields, "card": CARD[outcome]})
    assert r.status_code == 303
    back = httpx.URL(r.headers["location"])
    assert back.path == f"{link}/return"
    return await c.get(back.raw_path.decode())


async def status_of(registry, invoice_id: int) -> str:  # type: ignore[no-untyped-def]
    return str(await registry.scalar("select status from invoices where id = :i",
                                     i=invoice_id))


async def test_declined_card_leaves_the_invoice_open_and_paying_again_works(
        registry, served) -> None:  # type: ignore[no-untyped-def]
    invoice_id, link = await open_invoice(registry)
    page = await pay_with(served, link, "declined")
    assert page.status_code == 200
    assert re.search(r'id="pay-state">Betalingen blev afvist', page.text), page.text
    assert f'href="{link}"' in page.text  # "try again"
    assert await status_of(registry, invoice_id) == "open"
    assert await registry.scalar("select status from payments where invoice_id = :i",
                                 i=invoice_id) == "declined"
    # the link's page still offers to pay; later, the approved card pays it
    assert 'id="pay"' in (await served.get(link)).text
    registry.clock.advance(timedelta(days=2))
    page = await pay_with(served, link, "approved")
    assert re.search(r'id="pay-state">Betalingen er gennemført', page.text), page.text
    assert await status_of(registry, invoice_id) == "paid"
    assert [tuple(r) for r in await registry.rows(
        "select status from payments where invoice_id = :i order by id", i=invoice_id)] == [
        ("declined",), ("approved",)]


async def test_delayed_callback_shows_processing_until_the_callback_pays_the_invoice(
        registry, served) -> None:  # type: ignore[no-untyped-def]
    invoice_id, link = await open_invoice(registry)
    page = await pay_with(served, link, "delayed")
    assert re.search(r'id="pay-state">Betalingen behandles', page.text), page.text
    # it reloads itself by script (no <meta refresh>: WCAG 2.2.1), else by its link
    assert 'src="/static/pay-wait.js"' in page.text and 'id="refresh"' in page.text
    assert 'http-equiv="refresh"' not in page.text
    assert await status_of(registry, invoice_id) == "open"
    await drain_simulator()  # the provider's late callback arrives
    assert await status_of(registry, invoice_id) == "paid"
    again = await served.get(page.url.raw_path.decode())
    assert re.search(r'id="pay-state">Betalingen er gennemført', again.text), again.text
    assert "pay-wait.js" not in again.text and 'id="refresh"' not in again.text
    assert await registry.scalar(
        "select count(*) from audit where command = 'pay_callback'") == 1


async def test_the_return_page_refuses_another_invoices_reference(
        registry, served) -> None:  # type: ignore[no-untyped-def]
    (a_id, a_link), (b_id, b_link) = await open_invoices(registry, "anna-faktura.dk",
                                                         "bent-faktura.dk")
    a_number, b_number = [await registry.scalar("select number from invoices where id = :i",
                                                i=i) for i in (a_id, b_id)]
    # B pays through the simulator; the browser comes back to B's return page
    b_page = await pay_with(served, b_link, "approved")
    assert re.search(r'id="pay-state">Betalingen er gennemført', b_page.text), b_page.text
    b_ref = b_page.url.params["ref"]
    # A's link with B's reference: refused, nothing of B's invoice shown
    for ref in (b_ref, "", "0" * 32, b_ref.upper()):
        r = await served.get(f"{a_link}/return", params={"ref": ref})
        assert r.status_code == 404, (ref, r.text)
        assert 'id="payment-unknown"' in r.text and f'href="{a_link}"' in r.text
        assert 'id="invoice-number"' not in r.text and f"Faktura {b_number}" not in r.text
        assert "bent-faktura" not in r.text and 'id="pay-state"' not in r.text
    r = await served.get(f"{a_link}/return")  # no reference at all
    assert r.status_code == 404 and 'id="payment-unknown"' in r.text
    assert await registry.scalar(
        "select count(*) from audit where command = 'pay_return_refused'") == 5
    # A's own payment attempt still shows on A's return page, B's on B's
    a_page = await pay_with(served, a_link, "declined")
    assert a_page.status_code == 200
    assert f'id="invoice-number">{a_number}<' in a_page.text
    assert re.search(r'id="pay-state">Betalingen blev afvist', a_page.text), a_page.text
    r = await served.get(f"{b_link}/return", params={"ref": a_page.url.params["ref"]})
    assert r.status_code == 404 and 'id="invoice-number"' not in r.text
    r = await served.get(f"{b_link}/return", params={"ref": b_ref})
    assert r.status_code == 200 and f'id="invoice-number">{b_number}<' in r.text
    assert await status_of(registry, a_id) == "open"

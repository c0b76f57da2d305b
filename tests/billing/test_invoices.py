"""Invoices on both backends: the renewal invoice ahead of expiry with its payment link,
an unpaid one blocking the renewal, paying (early or in redemption) renewing, the
provider's callback (verified, idempotent), refused links, the registrar's monthly
invoice and the portal's top-up through the provider."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from billing.helpers import domain_row, invoice_rows, registrant_domain
from dkreg.billing.links import sign
from dkreg.billing.provider import SIGNATURE_HEADER, callback_signature, provider_for
from dkreg.store.ledger import debit
from web.conftest import csrf_of

EXPIRES = datetime(2027, 6, 1, 21, 59, 59, tzinfo=UTC)  # a 1-year domain made at START
PRICE = 4500


async def pay_by_callback(web, link: str, status: str = "approved") -> tuple[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    """Press Pay on the link's page, then send the provider's signed callback."""
    c = web.client()
    r = await c.post(link.replace(web.registry.settings.public_base_url, ""))
    assert r.status_code == 303 and "/dev/pay/checkout?" in r.headers["location"]
    query = dict(x.split("=", 1) for x in r.headers["location"].split("?", 1)[1].split("&"))
    payload = {"merchant": "dkreg", "reference": query["reference"], "status": status,
               "amount": int(query["amount"]), "currency": "DKK", "transaction": "T-1"}
    body = json.dumps(payload).encode()
    secret = provider_for(web.registry.settings).secret
    r = await c.post("/pay/callback", content=body,
                     headers={SIGNATURE_HEADER: callback_signature(secret, body)})
    return r.text, {"body": body, "secret": secret, "client": c,
                    "reference": query["reference"]}


async def test_renewal_invoice_ahead_of_expiry_and_paid_through_its_link(
        registry, mailbox, web) -> None:  # type: ignore[no-untyped-def]
    _c, _rita, d = await registrant_domain(registry, "rødgrød.dk")
    assert d.expires_at == EXPIRES
    registry.clock.set(EXPIRES - timedelta(days=31))
    assert (await registry.tick()).done.get("renewal_invoices", 0) == 0
    registry.clock.set(EXPIRES - timedelta(days=30))
    assert (await registry.tick()).done["renewal_invoices"] == 1
    assert (await registry.tick()).done.get("renewal_invoices", 0) == 0  # once
    [inv] = await invoice_rows(registry, "renewal")
    assert (inv.status, inv.total_ore, inv.vat_ore, inv.due_at, inv.debtor_email) == (
        "open", PRICE, 900, EXPIRES, "rita@example.dk")
    await mailbox.deliver()
    [mail] = mailbox.to("rita@example.dk")
    assert f"Faktura {inv.number}" in mail["Subject"]
    link = mailbox.link(mail)
    assert link.startswith(registry.settings.public_base_url + "/pay/")
    assert link in (mailbox.html(mail) or "")
    page = await web.client().get(link.replace(registry.settings.public_base_url, ""))
    assert page.status_code == 200 and "rødgrød.dk" in page.text and "+71&lt;" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    pdf = await web.client().get(link.replace(registry.settings.public_base_url, "") + "/pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    outcome, sent = await pay_by_callback(web, link)
    assert outcome == "paid"
    [inv] = await invoice_rows(registry, "renewal")
    assert inv.status == "paid" and inv.paid_at is not None
    assert (await domain_row(registry, "rødgrød.dk")).expires_at == EXPIRES.replace(year=2028)
    # the provider repeats its callback: nothing changes twice
    r = await sent["client"].post("/pay/callback", content=sent["body"], headers={
        SIGNATURE_HEADER: callback_signature(sent["secret"], sent["body"])})
    assert r.text == "replay"
    assert (await domain_row(registry, "rødgrød.dk")).expires_at == EXPIRES.replace(year=2028)
    await mailbox.deliver()
    receipts = [m for m in mailbox.to("rita@example.dk") if "Kvittering" in m["Subject"]]
    assert len(receipts) == 1 and str(inv.number) in receipts[0]["Subject"]
    # at the old expiry nothing happens: the year is paid
    registry.clock.set(EXPIRES)
    report = await registry.tick()
    assert report.done.get("domain_expiry", 0) == 0
    # paid page says so, and offers no Pay button
    page = await web.client().get(link.replace(registry.settings.public_base_url, ""))
    assert 'id="pay"' not in page.text and "betalt" in page.text


async def test_unpaid_at_expiry_goes_to_redemption_and_a_late_payment_restores(
        registry, mailbox, web) -> None:  # type: ignore[no-untyped-def]
    await registrant_domain(registry, "sent-betaling.dk")
    registry.clock.set(EXPIRES)  # nobody ran the lifecycle ahead: invoiced now, unpaid
    report = await registry.tick()
    assert report.done["renewal_invoices"] == 1 and report.done["domain_expiry"] == 1
    d = await domain_row(registry, "sent-betaling.dk")
    assert (d.redemption_cause, set(d.statuses.split())) == ("nopay", {"pendingDelete",
                                                                        "serverHold"})
    # a forged callback is refused and changes nothing
    [inv] = await invoice_rows(registry, "renewal")
    c = web.client()
    body = json.dumps({"merchant": "dkreg", "reference": "x" * 32, "status": "approved",
                       "amount": PRICE, "currency": "DKK", "transaction": "T"}).encode()
    r = await c.post("/pay/callback", content=body,
                     headers={SIGNATURE_HEADER: callback_signature(b"not the secret", body)})
    assert r.status_code == 400
    r = await c.post("/pay/callback", content=body)
    assert r.status_code == 400
    # a declined card leaves it open; an approved one renews from the old expiry
    registry.clock.set(EXPIRES + timedelta(days=10))
    await mailbox.deliver()
    link = mailbox.link(mailbox.to("rita@example.dk")[0])
    assert (await pay_by_callback(web, link, "declined"))[0] == "declined"
    assert (await invoice_rows(registry, "renewal"))[0].status == "open"
    assert (await pay_by_callback(web, link))[0] == "paid"
    d = await domain_row(registry, "sent-betaling.dk")
    assert (d.statuses, d.redemption_until, d.redemption_cause, d.expires_at) == (
        "ok", None, None, EXPIRES.replace(year=2028))
    assert inv.number == (await invoice_rows(registry, "renewal"))[0].number


async def test_released_domain_cancels_its_open_invoice(registry) -> None:  # type: ignore[no-untyped-def]
    await registrant_domain(registry, "glemt.dk")
    registry.clock.set(EXPIRES)
    await registry.tick()
    registry.clock.set(EXPIRES + timedelta(days=31))
    report = await registry.tick()
    assert report.done["domain_release"] == 1 and report.done["renewal_invoices_cancel"] == 1
    assert (await invoice_rows(registry, "renewal"))[0].status == "cancelled"


async def test_payment_links_refused_when_altered_for_another_invoice_or_expired(
        registry, web) -> None:  # type: ignore[no-untyped-def]
    await registrant_domain(registry, "linket.dk")
    registry.clock.set(EXPIRES - timedelta(days=30))
    await registry.tick()
    [inv] = await invoice_rows(registry, "renewal")
    token = sign(registry.settings, inv.id, registry.clock.now())
    c = web.client()
    assert (await c.get(f"/pay/{token}")).status_code == 200
    number, expires, mac = token.split(".")
    for bad in (f"{int(number) + 1}.{expires}.{mac}", f"{number}.{int(expires) + 1}.{mac}",
                f"{number}.{expires}.{mac[::-1]}", "1.2.3"):
        r = await c.get(f"/pay/{bad}")
        assert r.status_code == 404 and 'id="link-invalid"' in r.text, bad
        assert (await c.post(f"/pay/{bad}")).status_code == 404
    registry.clock.advance(timedelta(days=registry.settings.payment_link_days))
    assert (await c.get(f"/pay/{token}")).status_code == 410
    assert await registry.scalar(
        "select count(*) from audit where command = 'pay_link_refused'") == 9


async def test_registrar_monthly_invoice_and_top_up_through_the_provider(
        registry, mailbox, web) -> None:  # type: ignore[no-untyped-def]
    handle = await web.registrar()
    email = await web.user(handle, "accounting")
    # this registrar's charges in June, as the EPP commands debit them
    rid = await registry.scalar("select id from registrars where handle = :h", h=handle)
    async with registry.db.begin() as conn:
        ctx = registry.ctx(conn)
        await debit(ctx, rid, 4500, "domain_create", "a.dk")
        await debit(ctx, rid, 4500, "domain_create", "b.dk")
        await debit(ctx, rid, 4500, "domain_renew", "c.dk 1y")
    assert (await registry.tick()).done.get("monthly_invoices", 0) == 0  # June is running
    registry.clock.set(datetime(2026, 6, 30, 22, 30, tzinfo=UTC))  # 1 July 00:30 in DK
    assert (await registry.tick()).done["monthly_invoices"] == 1
    assert (await registry.tick()).done.get("monthly_invoices", 0) == 0
    [inv] = await invoice_rows(registry, "monthly")
    assert (inv.status, inv.total_ore, inv.vat_ore, inv.payment_reference) == (
        "paid", 13500, 2700, "prepaid account")
    lines = await registry.rows("select description, quantity, amount_ore, prepaid from "
                                "invoice_lines where invoice_id = :i order by position",
                                i=inv.id)
    assert [tuple(x) for x in lines] == [("Oprettelse af domænenavne 2026-06", 2, 9000, True),
                                         ("Fornyelse af domænenavne 2026-06", 1, 4500, True)]
    await mailbox.deliver()
    [mail] = [m for m in mailbox.to(email) if "Faktura" in m["Subject"]]
    # the portal lists it with its PDF; another registrar's invoice is not there
    c = await web.login(email)
    page = await c.get("/portal/invoices")
    assert f'id="invoice-{inv.number}"' in page.text
    pdf = await c.get(f"/portal/invoices/{inv.id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-1.4")
    other, _h2, _e2 = await web.logged_in("administration")
    assert (await other.get(f"/portal/invoices/{inv.id}.pdf")).status_code == 404
    portfolio, _h3, _e3 = await web.logged_in("portfolio", handle=handle)
    assert (await portfolio.get("/portal/invoices")).status_code == 403
    # its payment link tops the prepaid account up by the invoice's total
    before = await registry.scalar("select balance_ore from registrars where id = :i", i=rid)
    link = mailbox.link(mail).replace(registry.settings.public_base_url, "")
    outcome, sent = await pay_by_callback(web, link)
    assert outcome == "paid"
    # its return page shows the top-up it paid (the payment is the top-up's, the link
    # the monthly invoice's)
    r = await sent["client"].get(f"{link}/return", params={"ref": sent["reference"]})
    assert r.status_code == 200 and 'id="pay-state">Betalingen er gennemført' in r.text
    after = await registry.scalar("select balance_ore from registrars where id = :i", i=rid)
    assert after == before + 13500
    # the portal's top-up through the provider: a top-up invoice, then its payment page
    page = await c.get("/portal/invoices")
    r = await c.post("/portal/invoices/topup", data={"amount": "12,5x",
                                                     "csrf": csrf_of(page.text)})
    assert r.status_code == 400 and 'id="amount-error"' in r.text
    r = await c.post("/portal/invoices/topup", data={"amount": "250",
                                                     "csrf": csrf_of(page.text)})
    assert r.status_code == 303 and r.headers["location"].startswith("/pay/")
    assert (await pay_by_callback(web, r.headers["location"]))[0] == "paid"
    assert await registry.scalar("select balance_ore from registrars where id = :i",
                                 i=rid) == after + 25000
    assert await registry.scalar("select count(*) from ledger where kind = 'topup' and "
                                 "reference like 'payment simulator T-1 invoice %'") == 2

"""``/selfservice/invoices`` over HTTP on both backends: a person sees the invoices of the
contacts they hold — the billing contact of a registrant-managed domain, not its
registrant — with a PDF and, while open, a payment link for that invoice; anyone
else's invoice (or one that does not exist) is a 404, the same answer."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from billing.helpers import MGMT, invoice_rows
from dkreg.billing import invoices as billing
from epp.helpers import NS, setup_registrant
from support import frames

EXPIRES = datetime(2027, 6, 1, 21, 59, 59, tzinfo=UTC)  # a 1-year domain made at START


async def contact(c, name: str, email: str, mgmt: bool = True) -> str:  # type: ignore[no-untyped-def]
    r = await c.request(frames.contact_create(name=name, email=email, verified=True,
                                              dkhm="4.5", extra_ext=MGMT if mgmt else ""))
    assert r.code == 1000, r.msg
    return r.text(".//contact:id")


async def billed_domains(ss):  # type: ignore[no-untyped-def]
    """Two registrant-managed domains invoiced 30 days ahead of expiry: betalt-af-bo.dk
    (registrant Rita, billing contact Bo) and ottos.dk (registrant Otto, no billing
    contact). Returns (rita, bo, otto, {domain: invoice row})."""
    c, _handle = await ss.registry.registrar_client()
    await setup_registrant(c)
    rita = await contact(c, "Rita Registrant", "rita@example.dk")
    bo = await contact(c, "Bo Betaler", "bo@example.dk", mgmt=False)
    otto = await contact(c, "Otto Anden", "otto@example.dk")
    for name, registrant, roles in (("betalt-af-bo.dk", rita, [("billing", bo)]),
                                    ("ottos.dk", otto, [])):
        r = await c.request(frames.domain_create(name, registrant, NS, token=ss.registry.token(),
                                                 contacts=roles,
                                                 extra_ext=MGMT.replace("4.5", "4.3")))
        assert r.code == 1001, r.msg
    await ss.registry.tick()
    ss.registry.clock.set(EXPIRES - timedelta(days=30))
    assert (await ss.registry.tick()).done["renewal_invoices"] == 2
    rows = await invoice_rows(ss.registry, "renewal")
    by_domain = {}
    for row in rows:
        uname = await ss.registry.scalar("select uname from domains where id = :i",
                                         i=row.domain_id)
        by_domain[uname] = row
    return rita, bo, otto, by_domain


def listed(page: str) -> list[str]:
    return re.findall(r'<tr id="invoice-(\d+)">', page)


async def test_the_billing_contact_sees_lists_downloads_and_pays_only_their_invoices(ss) -> None:  # type: ignore[no-untyped-def]
    rita, bo, otto, inv = await billed_domains(ss)
    mine, others = inv["betalt-af-bo.dk"], inv["ottos.dk"]
    assert (mine.debtor_email, others.debtor_email) == ("bo@example.dk", "otto@example.dk")

    anonymous = ss.client()
    r = await anonymous.get("/selfservice/invoices")
    assert r.status_code == 303 and r.headers["location"].startswith("/selfservice/login")
    r = await anonymous.get(f"/selfservice/invoices/{mine.id}.pdf")
    assert r.status_code == 303

    c = await ss.logged_in(bo)
    page = await c.get("/selfservice/invoices")
    assert page.status_code == 200 and page.headers["referrer-policy"] == "no-referrer"
    assert listed(page.text) == [str(mine.number)]
    pdf = await c.get(f"/selfservice/invoices/{mine.id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert f"invoice-{mine.number}.pdf" in pdf.headers["content-disposition"]
    # someone else's invoice and one that does not exist get the same answer
    for invoice_id in (others.id, max(mine.id, others.id) + 100):
        r = await c.get(f"/selfservice/invoices/{invoice_id}.pdf")
        assert (r.status_code, r.text) == (404, "not found"), invoice_id

    # the open invoice's pay link is a signed link for that invoice, usable without login
    [link] = re.findall(r'<a href="(/pay/[^"]+)">', page.text)
    assert link.startswith(f"/pay/{mine.id}.")
    pay_page = await ss.client().get(link)
    assert pay_page.status_code == 200 and "betalt-af-bo.dk" in pay_page.text
    assert 'id="pay"' in pay_page.text

    # the registrant who is not the billing contact sees none; Otto sees only his
    rita_c = await ss.logged_in(rita)
    page = await rita_c.get("/selfservice/invoices")
    assert listed(page.text) == [] and 'id="no-invoices"' in page.text
    assert (await rita_c.get(f"/selfservice/invoices/{mine.id}.pdf")).status_code == 404
    otto_c = await ss.logged_in(otto)
    assert listed((await otto_c.get("/selfservice/invoices")).text) == [str(others.number)]
    assert (await otto_c.get(f"/selfservice/invoices/{others.id}.pdf")).status_code == 200

    # once paid it is still listed with its PDF, but no longer offers a payment link
    async with ss.registry.db.begin() as conn:
        assert await billing.pay(ss.registry.ctx(conn), mine.id, "test transfer")
    page = await c.get("/selfservice/invoices")
    assert listed(page.text) == [str(mine.number)]
    assert not re.findall(r'href="/pay/', page.text)
    assert f'href="/selfservice/invoices/{mine.id}.pdf"' in page.text


async def test_a_login_link_shows_the_invoices_of_every_contact_with_that_address(
        ss, mailbox) -> None:  # type: ignore[no-untyped-def]
    _rita, _bo, _otto, inv = await billed_domains(ss)
    c = await ss.link_login(mailbox, "bo@example.dk")
    page = await c.get("/selfservice/invoices")
    assert listed(page.text) == [str(inv["betalt-af-bo.dk"].number)]
    r = await c.get(f"/selfservice/invoices/{inv['ottos.dk'].id}.pdf")
    assert r.status_code == 404

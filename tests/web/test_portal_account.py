"""The prepaid account in the portal: sandbox top-up (Administration and Accounting; a
resubmitted form credits once; bad amounts named at the field, nothing written, the
attempt audited) and the monthly statement as CSV in Copenhagen calendar months."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime

import pytest

from dkreg.model.money import format_amount
from dkreg.store.ledger import post_ledger
from web.conftest import csrf_of

ACCOUNT = "/portal/account"


def topup_form(page: str, amount: str) -> dict[str, str]:
    key = re.search(r'name="key" value="([^"]+)"', page)
    assert key, "no one-time key on the form"
    return {"csrf": csrf_of(page), "key": key.group(1), "amount": amount}


def field_error(page: str, field: str) -> str:
    """The error message the design system's field shows under its label."""
    match = re.search(rf'<span class="form-error-message" id="{field}-error">'
                      r'<span class="sr-only">[^<]*</span>([^<]*)</span>', page)
    assert match, f"no error at {field}"
    return html.unescape(match.group(1))


def flash_text(page: str) -> str:
    """The summary a redirect after a change carries to the page (web.flash)."""
    match = re.search(r'id="flash">.*?<p class="alert-text">([^<]*)</p>', page, re.S)
    assert match, "no flash summary on the page"
    return html.unescape(match.group(1))


async def balance(web, handle: str) -> int:  # type: ignore[no-untyped-def]
    return await web.registry.scalar("select balance_ore from registrars where handle = :h",
                                     h=handle)


async def counts(web) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    return (await web.registry.scalar("select count(*) from ledger"),
            await web.registry.scalar("select sum(balance_ore) from registrars"))


async def test_accounting_tops_up_once_per_form(web) -> None:
    c, handle, email = await web.logged_in("accounting")
    before = await balance(web, handle)
    page = (await c.get(ACCOUNT)).text
    assert 'for="amount"' in page and 'id="amount"' in page
    form = topup_form(page, "1000,50")
    r = await c.post(ACCOUNT + "/topup", data=form)
    assert r.status_code == 303 and r.headers["location"] == ACCOUNT
    assert await balance(web, handle) == before + 1000_50
    shown = await c.get(r.headers["location"])
    after = format_amount(before + 1000_50, "da")
    assert f'id="balance">{after}<' in shown.text
    assert flash_text(shown.text) == f"1.000,50 kr. er indsat på kontoen. Saldoen er nu {after}."
    # the same form again (double click, back button): not credited twice
    r = await c.post(ACCOUNT + "/topup", data=form)
    assert r.status_code == 303 and await balance(web, handle) == before + 1000_50
    [(kind, amount, ref)] = await web.registry.rows(
        "select l.kind, l.amount_ore, l.reference from ledger l join registrars r "
        "on r.id = l.registrar_id where r.handle = :h and l.reference like 'sandbox%'",
        h=handle)
    assert (kind, amount) == ("topup", 1000_50) and email in ref
    actors = await web.registry.rows(
        "select actor, result_code from audit where command = 'account:topup'")
    assert [tuple(a) for a in actors] == [(email, 1000), (email, 1000)]
    assert await web.registry.scalar("select count(*) from ledger where reference like "
                                     "'sandbox%'") == 1


async def test_bad_amounts_are_named_and_nothing_is_written(web) -> None:
    c, handle, email = await web.logged_in("administration")
    for amount, code in (("abc", 2005), ("", 2005), ("1.2345", 2005), ("-5", 2004),
                         ("0", 2004), ("0.99", 2004), ("2000000", 2004), ("1,2,3", 2005),
                         ("1e3", 2005), ("12,34.5", 2005)):
        page = (await c.get(ACCOUNT)).text
        before = await counts(web)
        r = await c.post(ACCOUNT + "/topup", data=topup_form(page, amount))
        assert r.status_code == 400, amount
        text = field_error(r.text, "amount")
        # the page's language (Danish), the EPP code only as an aside
        assert text.startswith("Værdien") and text.endswith(f"(EPP {code})"), text
        if code == 2005:  # what cannot be read: the forms that can
            assert "5000, 5000,50, 5.000,50 eller 5,000.50" in text, text
        assert 'id="errors"' in r.text and "<title>Fejl: " in r.text  # the summary
        assert await counts(web) == before, amount
        assert await web.registry.scalar(
            "select result_code from audit where command = 'account:topup' "
            "order by id desc limit 1") == code, amount


async def test_portfolio_may_read_but_not_top_up(web) -> None:
    c, handle, _ = await web.logged_in("portfolio")
    page = await c.get(ACCOUNT)
    assert page.status_code == 200 and 'id="amount"' not in page.text
    before = await counts(web)
    r = await c.post(ACCOUNT + "/topup", data={"csrf": csrf_of(page.text),
                                               "key": "k" * 32, "amount": "100"})
    assert r.status_code == 403 and await counts(web) == before
    # and an accounting user's form without the CSRF value is refused too
    a, _, _ = await web.logged_in("accounting")
    form = topup_form((await a.get(ACCOUNT)).text, "100")
    del form["csrf"]
    before = await counts(web)
    assert (await a.post(ACCOUNT + "/topup", data=form)).status_code == 403
    assert await counts(web) == before


async def test_no_play_money_in_production(web) -> None:
    c, handle, _ = await web.logged_in("accounting")
    page = (await c.get(ACCOUNT)).text
    form = topup_form(page, "100")
    web.registry.settings.mode = "production"
    try:
        shown = await c.get(ACCOUNT)
        assert 'id="amount"' not in shown.text
        assert "payment provider" in shown.text or "betalingsudbyderen" in shown.text
        before = await counts(web)
        r = await c.post(ACCOUNT + "/topup", data=form)
        assert r.status_code == 400 and "Ikke implementeret" in r.text and "(EPP 2101)" in r.text
        assert 'href="#topup"' in r.text and 'id="topup"' in r.text  # the summary's target
        assert await counts(web) == before
    finally:
        web.registry.settings.mode = "sandbox"


async def test_monthly_statement_csv_in_copenhagen_months(web) -> None:
    clock = web.registry.clock
    _c, handle, email = await web.logged_in("accounting")
    other = await web.registrar()  # another registrar's money must not show
    rid = await web.registry.scalar("select id from registrars where handle = :h", h=handle)
    oid = await web.registry.scalar("select id from registrars where handle = :h", h=other)
    opening = await balance(web, handle)

    async def post(when: datetime, registrar: int, amount: int, ref: str) -> None:
        clock.set(when)
        async with web.registry.db.begin() as conn:
            await post_ledger(web.registry.ctx(conn), registrar, amount, "domain_renew", ref)

    # 21:59 UTC on 30 June is still June in Copenhagen (CEST), 22:00 is July
    await post(datetime(2026, 6, 15, 12, tzinfo=UTC), rid, -45_00, "june.dk")
    await post(datetime(2026, 6, 30, 21, 59, tzinfo=UTC), rid, 500_00, "=HYPERLINK(1)")
    await post(datetime(2026, 6, 30, 21, 59, tzinfo=UTC), oid, 7_00, "other registrar")
    await post(datetime(2026, 6, 30, 22, 0, tzinfo=UTC), rid, -90_00, "july.dk")
    clock.set(datetime(2026, 7, 2, tzinfo=UTC))
    c = await web.login(email)  # the first session ended while the clock moved on
    page = (await c.get(ACCOUNT)).text
    assert '<option value="2026-07">' in page and '<option value="2026-06">' in page
    r = await c.get(ACCOUNT + "/statement", params={"month": "2026-06"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert f"dkreg-statement-{handle}-2026-06.csv" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["time_utc", "kind", "reference", "amount_dkk", "balance_after_dkk"]
    body = rows[1:]
    assert body[0][:2] == ["2026-05-31T22:00:00Z", "opening_balance"]
    assert [b[2] for b in body[1:-1]][-2:] == ["june.dk", "'=HYPERLINK(1)"]  # no formula
    assert body[-1][:2] == ["2026-06-30T22:00:00Z", "closing_balance"]
    amounts = sum(round(float(b[3]) * 100) for b in body[1:-1])
    assert round(float(body[0][4]) * 100) + amounts == round(float(body[-1][4]) * 100)
    assert round(float(body[-1][4]) * 100) == opening - 45_00 + 500_00
    assert "other registrar" not in r.text and "july.dk" not in r.text
    july = list(csv.reader(io.StringIO(
        (await c.get(ACCOUNT + "/statement", params={"month": "2026-07"})).text)))
    assert [b[2] for b in july[2:-1]] == ["july.dk"] and july[1][4] == rows[-1][4]
    for bad in ("2026-13", "June", "2026-6", "99999-01"):
        r = await c.get(ACCOUNT + "/statement", params={"month": bad})
        assert r.status_code == 400 and 'id="month-error"' in r.text, bad


async def test_amounts_are_read_in_either_form_on_either_language_s_page(web) -> None:
    """A Danish registrar pasting an English figure, or the other way round: each is read
    as the amount it says, on the sandbox top-up and on the top-up through the payment
    provider alike."""
    c, handle, _ = await web.logged_in("accounting")
    for lang in ("da", "en"):
        await c.get(f"/lang/{lang}?next=/portal/")
        for typed in ("1.234,50", "1,234.50", "1234,50", "1234.50", "DKK 1,234.50",
                      "1.234,50 kr."):
            before = await balance(web, handle)
            page = (await c.get(ACCOUNT)).text
            r = await c.post(ACCOUNT + "/topup", data=topup_form(page, typed))
            assert r.status_code == 303, (lang, typed, r.text)
            assert await balance(web, handle) == before + 1234_50, (lang, typed)
            shown = flash_text((await c.get(ACCOUNT)).text)
            assert shown.startswith("1.234,50 kr. er indsat" if lang == "da"
                                    else "DKK 1,234.50 is credited"), shown
        page = (await c.get("/portal/invoices")).text
        r = await c.post("/portal/invoices/topup", data={"csrf": csrf_of(page),
                                                         "amount": "2.500,00" if lang == "en"
                                                         else "2,500.00"})
        assert r.status_code == 303 and r.headers["location"].startswith("/pay/"), r.text
        assert await web.registry.scalar(
            "select total_ore from invoices where kind = 'topup' order by id desc limit 1"
        ) == 2500_00
    # what cannot be read names the forms that can, in the page's language
    r = await c.post("/portal/invoices/topup", data={"csrf": csrf_of(page), "amount": "1,2,3"})
    assert r.status_code == 400
    assert "5000, 5000.50, 5,000.50 or 5.000,50" in field_error(r.text, "amount")


async def test_the_ledger_shows_kinds_in_words_and_amounts_as_the_reader_writes_them(
        web) -> None:
    handle = await web.registrar()  # its opening balance is a top-up of DKK 10,000.00
    rid = await web.registry.scalar("select id from registrars where handle = :h", h=handle)
    async with web.registry.db.begin() as conn:
        ctx = web.registry.ctx(conn)
        await post_ledger(ctx, rid, -4500, "domain_create", "ord.dk")
        await post_ledger(ctx, rid, -102175_50, "domain_renew", "x.dk")
    c, _, _ = await web.logged_in("portfolio", handle)
    ledger = (await c.get(ACCOUNT)).text
    for kind, words in (("topup", "Indbetaling"), ("domain_create", "Registrering af domæne"),
                        ("domain_renew", "Fornyelse")):
        assert re.search(rf'data-kind="{kind}"><td>[^<]*</td><td>{words}</td>', ledger), kind
    assert ">-45,00 kr.<" in ledger and ">10.000,00 kr.<" in ledger
    assert ">-102.175,50 kr.<" in ledger and 'id="balance">-92.220,50 kr.<' in ledger
    await c.get("/lang/en?next=/portal/")
    ledger = (await c.get(ACCOUNT)).text
    for kind, words in (("topup", "Top-up"), ("domain_create", "Domain registration"),
                        ("domain_renew", "Renewal")):
        assert re.search(rf'data-kind="{kind}"><td>[^<]*</td><td>{words}</td>', ledger), kind
    assert ">-DKK 45.00<" in ledger and ">-DKK 102,175.50<" in ledger
    assert 'id="balance">-DKK 92,220.50<' in ledger


def test_every_kind_the_ledger_can_hold_has_words_in_both_languages() -> None:
    from dkreg.model.ledger_kinds import KINDS
    from dkreg.store.domain_applications import LEDGER_KIND
    from dkreg.web.i18n import CATALOGUES

    assert LEDGER_KIND in KINDS  # the PostgreSQL create writes its line in raw SQL
    for lang in ("da", "en"):
        missing = [k for k in KINDS if f"ledger.kind.{k}" not in CATALOGUES[lang]]
        assert not missing, (lang, missing)


async def test_the_ledger_takes_no_kind_without_words(web) -> None:
    handle = await web.registrar()
    rid = await web.registry.scalar("select id from registrars where handle = :h", h=handle)
    before = await counts(web)
    with pytest.raises(ValueError, match="not a ledger kind"):
        async with web.registry.db.begin() as conn:
            await post_ledger(web.registry.ctx(conn), rid, 100, "bonus", "no words for it")
    assert await counts(web) == before

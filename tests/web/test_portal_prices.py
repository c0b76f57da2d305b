"""The price list (``/portal/prices``, in the Account menu for every group): what each
command debits, from the registry's settings, written as the reader writes amounts — and
what the commands then really debit is what the list said."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from dkreg.actions.balance.prices import price_list
from epp.helpers import NS, setup_registrant
from support import frames

PRICES = "/portal/prices"


def row_of(page: str, command: str) -> str:
    match = re.search(rf'<tr id="price-{command}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no row for {command}"
    return re.sub(r"\s+", " ", match.group(1))


@pytest.mark.parametrize("group", ["administration", "portfolio", "accounting"])
async def test_every_group_finds_the_price_list_in_the_account_menu(web, group: str) -> None:
    c, _handle, _email = await web.logged_in(group)
    home = (await c.get("/portal/")).text
    assert 'href="/portal/prices"' in home
    page = await c.get(PRICES)
    assert page.status_code == 200
    assert 'aria-current="page"' in page.text.split('href="/portal/prices"', 1)[1][:80]
    assert 'id="prices-box"' in page.text  # the table scrolls in its own box on a phone


async def test_the_list_shows_the_settings_prices_in_both_languages(web) -> None:
    settings = web.registry.settings
    saved = (settings.domain_price_ore, settings.restore_fee_ore,
             settings.transfer_price_ore, settings.registrant_change_fee_ore)
    settings.domain_price_ore, settings.restore_fee_ore = 1234_50, 100_00
    settings.transfer_price_ore, settings.registrant_change_fee_ore = 0, 25_00
    try:
        c, _handle, _email = await web.logged_in("portfolio")
        page = (await c.get(PRICES)).text
        assert "1.234,50 kr. pr. år" in row_of(page, "domain_create")
        assert "1.234,50 kr. pr. år" in row_of(page, "domain_renew")
        restore = row_of(page, "domain_restore")
        assert "1.334,50 kr." in restore and "genoprettelsesgebyr 100,00 kr." in restore
        assert "Gratis" in row_of(page, "domain_transfer")
        assert "25,00 kr." in row_of(page, "registrant_change")
        assert "Gratis" in row_of(page, "domain_delete")
        assert "25 % moms" in page
        await c.get("/lang/en?next=/portal/")
        page = (await c.get(PRICES)).text
        assert "DKK 1,234.50 per year" in row_of(page, "domain_create")
        assert "DKK 1,334.50" in row_of(page, "domain_restore")
        assert "restore fee DKK 100.00" in row_of(page, "domain_restore")
        assert "Free" in row_of(page, "domain_transfer")
        assert "prices.command" not in page  # every command has its words
    finally:
        (settings.domain_price_ore, settings.restore_fee_ore,
         settings.transfer_price_ore, settings.registrant_change_fee_ore) = saved


async def test_the_commands_debit_what_the_list_says(web) -> None:
    registry = web.registry
    settings = registry.settings
    saved = (settings.domain_price_ore, settings.restore_fee_ore)
    settings.domain_price_ore, settings.restore_fee_ore = 61_00, 123_45
    try:
        listed = {p.command: p for p in price_list(settings)}
        c, handle = await registry.registrar_client()
        contact = await setup_registrant(c)
        r = await c.request(frames.domain_create("prisliste.dk", contact, NS,
                                                 token=registry.token(), period=2))
        assert r.code == 1001, r.msg
        await registry.tick()
        info = await c.request(frames.domain_info("prisliste.dk"))
        r = await c.request(frames.domain_renew("prisliste.dk",
                                                info.text(".//domain:exDate")[:10], period=3))
        assert r.code == 1000, r.msg
        assert (await c.request(frames.domain_delete("prisliste.dk"))).code == 1001
        registry.clock.advance(timedelta(days=1))
        assert (await c.request(frames.domain_restore("prisliste.dk"))).code == 1000
        debited = {row.kind: -row.amount_ore for row in await registry.rows(
            "select l.kind, l.amount_ore from ledger l join registrars r on r.id = "
            "l.registrar_id where r.handle = :h and l.kind <> 'topup'", h=handle)}
        assert debited == {"domain_create": 2 * listed["domain_create"].ore,
                           "domain_renew": 3 * listed["domain_renew"].ore,
                           "domain_restore": listed["domain_restore"].ore}
        assert listed["domain_restore"].ore == 61_00 + 123_45
        assert listed["domain_create"].per_year and not listed["domain_restore"].per_year
    finally:
        settings.domain_price_ore, settings.restore_fee_ore = saved

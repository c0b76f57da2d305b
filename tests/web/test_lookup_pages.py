"""Issue 15 §4: the public lookup page (``/lookup``) shows what WHOIS shows — a company
registrant by name, address and e-mail, a person by country only with the line saying
what is withheld and why; reserved and waiting-list names; a free name with the
registrars that sell .dk; a name server with its glue — and bad input gets the page
again, 400, naming the rule in the reader's language. The terms of use and the privacy
notice the services refer to, in Danish and English; the front page links them. Real
EPP creating the data, the real ASGI app (both backends)."""

from __future__ import annotations

import html
from datetime import timedelta

from sqlalchemy import insert, select

from dkreg.actions.account.public_info import PublicInfo, public_info_store
from dkreg.store.schema import domains, reserved_names, waiting_list_offers
from dkreg.web.lookup import local_date
from support.epp_objects import Agent, unique

DANISH_COMPANY = dict(user_type="company", org="Punktum dk A/S", cvr="24210375",
                      name="Ida Jensen", street="Ørestads Boulevard 108", city="København S",
                      pc="2300")


async def get(web, path: str, lang: str = "da"):  # type: ignore[no-untyped-def]
    c = web.client()
    c.cookies.set("dkreg_lang", lang)
    r = await c.get(path)
    return r, html.unescape(r.text)


async def test_a_company_registrant_is_shown_by_name_address_and_e_mail(web) -> None:  # type: ignore[no-untyped-def]
    agent = await Agent.new(web.registry, dkhm="4.5")
    firm = await agent.contact(email="kontakt@firma-opslag.dk", verified=True, **DANISH_COMPANY)
    await agent.domain("firma-opslag.dk", firm)
    r, page = await get(web, "/lookup?q=FIRMA-OPSLAG.dk")
    assert r.status_code == 200, page
    assert 'id="status" data-status="Active">Aktiv' in page
    assert 'id="r-name">Punktum dk A/S<' in page
    assert 'id="r-address">Ørestads Boulevard 108<' in page
    assert 'id="r-city">København S<' in page and 'id="r-country">DK<' in page
    assert 'id="r-email"><a href="mailto:kontakt@firma-opslag.dk">' in page
    assert firm not in page  # the handle is never shown
    assert 'data-withheld="handle phone"' in page
    assert "Ikke vist: kontakt-id, telefon" in page
    assert 'id="f-period">1 år<' in page and 'id="f-vid">Nej<' in page
    assert 'data-dnssec="Unsigned delegation, no records">Usigneret delegering, ingen poster' \
        in page
    ns = await web.registry.rows(  # type: ignore[attr-defined]
        "select h.name from hosts h join domain_ns dn on dn.host_id = h.id join domains d "
        "on d.id = dn.domain_id where d.name = 'firma-opslag.dk' order by dn.position")
    for row in ns:
        assert f'<a href="/lookup?q={row.name}">{row.name}</a>' in page
    async with web.registry.db.read() as conn:  # type: ignore[attr-defined]
        expires = (await conn.execute(select(domains.c.expires_at).where(
            domains.c.name == "firma-opslag.dk"))).scalar()
    assert f'id="f-expires">{local_date(expires)}<' in page
    # registrar-managed: the registrar is named
    assert 'id="f-registrar">' in page and 'id="registrant-managed"' not in page
    _r, english = await get(web, "/lookup?q=firma-opslag.dk", "en")
    assert 'data-status="Active">Active' in english and "Not shown: contact id, phone" in english
    assert 'id="f-period">1 year<' in english


async def test_a_person_is_shown_by_country_only(web) -> None:  # type: ignore[no-untyped-def]
    agent = await Agent.new(web.registry, dkhm="4.5")
    person = await agent.contact(name="Jens Privat", email="jens.privat@example.dk",
                                 street="Hemmeligvej 7", verified=True)
    await agent.domain("privat-opslag.dk", person)
    r, page = await get(web, "/lookup?q=privat-opslag.dk")
    assert r.status_code == 200
    assert 'id="r-country">DK<' in page
    for secret in ("Jens Privat", "jens.privat@example.dk", "Hemmeligvej", person, "1620"):
        assert secret not in page, secret
    assert 'id="r-name"' not in page and 'id="r-email"' not in page
    assert "efter NIS2-reglerne vises en person kun med land" in page
    assert 'href="/lookup/privacy"' in page
    _r, english = await get(web, "/lookup?q=privat-opslag.dk", "en")
    assert "under the NIS2 rules a person is shown by country only" in english
    assert "Jens Privat" not in english


async def test_reserved_and_waiting_list_names(web) -> None:  # type: ignore[no-untyped-def]
    registry = web.registry
    now = registry.clock.now()  # type: ignore[attr-defined]
    async with registry.db.begin() as conn:  # type: ignore[attr-defined]
        await conn.execute(insert(reserved_names).values(
            name="reserveret-opslag.dk", uname="reserveret-opslag.dk", reason="registry",
            created_at=now))
        await conn.execute(insert(waiting_list_offers).values(
            name="venteliste-opslag.dk", uname="venteliste-opslag.dk", offered_at=now,
            offered_until=now + timedelta(days=14)))
    _r, page = await get(web, "/lookup?q=reserveret-opslag.dk")
    assert 'data-kind="reserved"' in page and 'data-status="Reserved">Reserveret' in page
    assert 'id="available"' not in page
    _r, page = await get(web, "/lookup?q=venteliste-opslag.dk", "en")
    assert 'data-kind="waiting_list"' in page
    assert 'data-status="Offered to waiting list">Offered to waiting list' in page
    assert 'id="f-expires"' not in page and 'id="f-dnssec"' not in page


async def test_an_available_name_lists_the_registrars_that_sell_dk(web) -> None:  # type: ignore[no-untyped-def]
    registry = web.registry
    handle = await web.registrar()
    rid = await registry.scalar("select id from registrars where handle = :h", h=handle)  # type: ignore[attr-defined]
    shop = f"Navne {unique('shop')} ApS"
    async with registry.db.begin() as conn:  # type: ignore[attr-defined]
        await public_info_store(registry.ctx(conn), rid, PublicInfo(  # type: ignore[attr-defined]
            True, shop, "https://navne-shop.example", "salg@navne-shop.example", None, True),
            "test")
    name = f"{unique('ledig')}.dk"
    r, page = await get(web, f"/lookup?q={name}")
    assert r.status_code == 200
    assert 'id="available"' in page and f"{name} er ledigt" in page
    assert f'<a href="https://navne-shop.example" rel="nofollow noopener">{shop}</a>' in page
    assert 'href="mailto:salg@navne-shop.example"' in page
    # an unlisted registrar is not offered
    other = await web.registrar()
    assert other not in page


async def test_a_name_server_with_and_without_glue(web) -> None:  # type: ignore[no-untyped-def]
    agent = await Agent.new(web.registry, dkhm="4.5")
    zone = unique("glue")
    await agent.domain(f"{zone}.dk")
    inside = f"ns1.{zone}.dk"
    await agent.host(inside, "193.163.102.58")
    outside = f"ns.{unique('ekstern')}.net"
    await agent.host(outside)
    _r, page = await get(web, f"/lookup?q={inside}")
    assert 'id="host"' in page and f'id="f-nameserver">{inside}<' in page
    _r, page = await get(web, f"/lookup?q={outside}", "en")
    assert 'id="f-glue" data-glue="no">Not being spooled' in page
    _r, page = await get(web, "/lookup?q=ns9.ukendt-vaert.net")
    assert 'id="host-unknown"' in page and "ns9.ukendt-vaert.net er ikke registreret" in page


async def test_bad_input_is_400_with_the_rule_in_the_readers_language(web) -> None:  # type: ignore[no-untyped-def]
    r, page = await get(web, "/lookup?q=-d%C3%A5rlig-.dk")
    assert r.status_code == 400
    assert 'id="errors"' in page and 'aria-invalid="true"' in page
    assert "<title>Fejl: " in page
    r_en, english = await get(web, "/lookup?q=-d%C3%A5rlig-.dk", "en")
    assert r_en.status_code == 400 and 'id="errors"' in english
    # the same rule, each in its language
    da_text = page.split('data-field="q"')[1].split("</a>")[0]
    en_text = english.split('data-field="q"')[1].split("</a>")[0]
    assert da_text != en_text and "bindestreg" in da_text.lower() and "hyphen" in en_text.lower()
    r, page = await get(web, "/lookup?q=eksempel..dk")
    assert r.status_code == 400
    r, page = await get(web, "/lookup?q=" + "a" * 400)
    assert r.status_code == 400 and "højst 300 tegn" in page
    r, page = await get(web, "/lookup?q=1.2.3.4", "en")
    assert r.status_code == 400 and 'id="errors"' in page
    # no query: the form only
    r, page = await get(web, "/lookup")
    assert r.status_code == 200 and 'id="lookup-form"' in page and 'id="errors"' not in page


async def test_terms_and_privacy_in_both_languages_and_linked_from_the_front(web) -> None:  # type: ignore[no-untyped-def]
    for lang, terms_words, privacy_words in (
            ("da", ("Vilkår for opslagstjenesterne", "WHOIS på port 43", "RDAP", "DAS",
                    "markedsføring"),
             ("Privatlivserklæring", "kun med land", "navn, adresse og e-mail")),
            ("en", ("Terms of use of the lookup services", "WHOIS on port 43", "RDAP", "DAS",
                    "marketing"),
             ("Privacy notice", "by country only", "name, address and e-mail"))):
        r, page = await get(web, "/lookup/terms", lang)
        assert r.status_code == 200 and f'<html lang="{lang}">' in page
        for word in terms_words:
            assert word in page, (lang, word)
        r, page = await get(web, "/lookup/privacy", lang)
        assert r.status_code == 200
        for word in privacy_words:
            assert word in page, (lang, word)
        assert 'href="/nis2/access-request"' in page
    _r, front = await get(web, "/")
    for link in ("/lookup", "/lookup/terms", "/lookup/privacy", "/nsu/"):
        assert f'href="{link}"' in front, link

"""Danish and English: the same keys in both catalogues, and the switch."""

from __future__ import annotations

from dkreg.web.i18n import CATALOGUES, preferred_language
from dkreg.web.language import safe_next


def test_both_languages_have_the_same_texts() -> None:
    assert set(CATALOGUES["da"]) == set(CATALOGUES["en"])
    assert all(v.strip() for cat in CATALOGUES.values() for v in cat.values())


def test_switch_only_returns_to_a_local_page() -> None:
    assert safe_next("/registrars?registrar_management=true") == (
        "/registrars?registrar_management=true")
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example", "", None):
        assert safe_next(evil) == "/"


async def test_danish_by_default_and_english_on_request(web) -> None:
    c = web.client()
    page = await c.get("/portal/login")
    assert '<html lang="da">' in page.text and "Adgangskode" in page.text
    r = await c.get("/lang/en?next=%2Fportal%2Flogin")
    assert r.status_code == 303 and r.headers["location"] == "/portal/login"
    page = await c.get("/portal/login")
    assert '<html lang="en">' in page.text and "Password" in page.text
    assert (await c.get("/registrars")).headers["content-language"] == "en"


def test_the_best_supported_language_of_an_accept_language_header() -> None:
    assert preferred_language("en-GB,en;q=0.9,da;q=0.8") == "en"
    assert preferred_language("da, en") == "da"
    assert preferred_language("de-DE, en;q=0.5, da;q=0.4") == "en"
    assert preferred_language("en;q=0, da;q=0.1") == "da"
    assert preferred_language("EN-us") == "en"
    assert preferred_language("sv, de;q=0.8") is None
    assert preferred_language("en;q=bogus, da;q=0.3") == "da"
    assert preferred_language("") is None and preferred_language(None) is None


async def test_pages_follow_accept_language_until_the_visitor_picks(web) -> None:
    c = web.client()
    english = {"Accept-Language": "en-GB,en;q=0.9,da;q=0.5"}
    page = await c.get("/portal/login", headers=english)
    assert '<html lang="en">' in page.text and "Password" in page.text
    assert page.headers["content-language"] == "en"
    assert "Accept-Language" in page.headers["vary"]
    german = await c.get("/registrars", headers={"Accept-Language": "de"})
    assert german.headers["content-language"] == "da"  # nothing we speak: Danish
    # an explicit choice wins over the browser's header from then on
    await c.get("/lang/da?next=%2F")
    page = await c.get("/portal/login", headers=english)
    assert '<html lang="da">' in page.text and "Adgangskode" in page.text
    # and the other way round
    d = web.client()
    await d.get("/lang/en?next=%2F")
    page = await d.get("/registrars", headers={"Accept-Language": "da"})
    assert page.headers["content-language"] == "en"

"""Danish and English: the same keys in both catalogues, and the switch."""

from __future__ import annotations

from dkreg.web.i18n import CATALOGUES
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

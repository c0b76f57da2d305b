"""The index page (``/``) says where everything is: portal, self-service, staff page,
registrar list and, in the sandbox only, /dev/mail and the simulators that stand in for
MitID, CVR and the payment provider (both backends)."""

from __future__ import annotations

import re

SANDBOX_ONLY = ("/dev/mail", "/dev/mitid", "/dev/cvr", "/dev/pay")


async def test_sandbox_index_lists_every_door_and_simulator(web) -> None:  # type: ignore[no-untyped-def]
    page = (await web.client().get("/")).text
    for link in ("/portal/", "/selfservice/", "/staff/", "/registrars", *SANDBOX_ONLY):
        assert f'href="{link}"' in page, link
    # the links work: each simulator's bare path is a page saying what it is
    c = web.client()
    for path in SANDBOX_ONLY:
        assert (await c.get(path)).status_code == 200, path
    assert (await c.get("/staff/")).headers["location"] == "/staff/login"


async def test_production_index_has_no_sandbox_parts(web) -> None:  # type: ignore[no-untyped-def]
    settings = web.registry.settings
    settings.mode = "production"
    try:
        page = (await web.client().get("/")).text
    finally:
        settings.mode = "sandbox"
    assert 'href="/selfservice/"' in page and 'href="/staff/"' in page
    assert not [p for p in SANDBOX_ONLY if p in page]
    assert not re.search(r"[Ss]imulator", page)


async def test_the_index_is_in_the_frame_and_the_readers_language(web) -> None:  # type: ignore[no-untyped-def]
    c = web.client()
    da = (await c.get("/")).text
    en = (await c.get("/", headers={"accept-language": "en"})).text
    for page, lang, words in ((da, "da", ("Indgange", "Forbind med EPP", "(sandkasse)")),
                              (en, "en", ("Ways in", "Connect over EPP", "(sandbox)"))):
        assert f'<html lang="{lang}">' in page and 'class="header"' in page
        assert "/static/vendor/dkfds/css/dkfds.min.css" in page
        for word in words:
            assert word in page, (lang, word)
    assert f'id="epp-port">{web.registry.port}<' in da

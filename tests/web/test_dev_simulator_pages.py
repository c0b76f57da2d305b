"""The sandbox simulators answer their bare paths (``/dev/mitid``, ``/dev/cvr``,
``/dev/pay``, with or without a trailing slash) with a page saying what they simulate,
what they offer to test with and where to start — in Danish and English. In production
they do not exist (both backends)."""

from __future__ import annotations

import dataclasses
import html

import httpx
from starlette.applications import Starlette
from starlette.requests import Request

from dkreg.app import Running
from dkreg.web.asgi import build_app
from dkreg.web.dev.sim_mitid import broker_of

PAGES = ("/dev/mitid", "/dev/cvr", "/dev/pay")


async def test_each_simulator_page_says_what_it_is_in_danish_and_english(web) -> None:
    c = web.client()
    for path in PAGES:
        for variant in (path, path + "/"):
            r = await c.get(variant)
            assert r.status_code == 200, (variant, r.text)
            assert r.headers["content-language"] == "da"
    mitid = (await c.get("/dev/mitid")).text
    assert "<h1>MitID-broker (sandkassens simulator)</h1>" in mitid
    for text in ("Jens Hansen", "0101701234", "Mette Sørensen", "1512851236", "Ib Ugyldig",
                 "3213701234", "ugyldigt CPR-nummer", "kun i sandkassen"):
        assert text in mitid, text
    assert 'href="/selfservice/verification"' in mitid
    discovery = "/dev/mitid/.well-known/openid-configuration"
    assert f'href="{discovery}"' in mitid
    assert (await c.get(discovery)).json()["authorization_endpoint"].endswith(
        "/dev/mitid/authorize")
    cvr = (await c.get("/dev/cvr/")).text
    assert "<h1>CVR-datatjeneste (sandkassens simulator)</h1>" in cvr
    for text in ("Sandbox Hosting ApS", "Vesterbrogade 1, 1620 København V", "1012345678",
                 "10015081", "10016452", "10017823", "10020565", "10021936", "10057582",
                 "virksomheden er ophørt", "CVR-nummeret findes ikke", "EAN"):
        assert text in cvr, text
    pay = (await c.get("/dev/pay")).text
    assert "<h1>Betalingsudbyder (sandkassens simulator)</h1>" in pay
    for text in ("4111 1111 1111 1111", "4000 0000 0000 0002", "4000 0000 0000 3220",
                 "afvises", "Forsinkelsen er 3 sekunder", 'href="/selfservice/invoices"'):
        assert text in pay, text

    assert (await c.get("/lang/en?next=%2Fdev%2Fmitid")).status_code == 303
    english = {path: html.unescape((await c.get(path)).text) for path in PAGES}
    assert "<h1>MitID broker (the sandbox's simulator)</h1>" in english["/dev/mitid"]
    assert "invalid CPR number" in english["/dev/mitid"]
    assert "<h1>CVR data service (the sandbox's simulator)</h1>" in english["/dev/cvr"]
    assert "the company has ceased" in english["/dev/cvr"]
    assert "<h1>Payment provider (the sandbox's simulator)</h1>" in english["/dev/pay"]
    assert "The delay is 3 seconds" in english["/dev/pay"]
    for page in english.values():
        assert '<html lang="en">' in page and "only in the sandbox" in page


async def test_simulator_pages_do_not_exist_in_production(web) -> None:
    registry = web.registry
    production = dataclasses.replace(registry.settings, mode="production",
                                     secret_key="production-secret")
    services = dataclasses.replace(registry.services, settings=production)
    app = build_app(Running(services=services, epp=registry.server, tasks=[],
                            ca_file=None))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as c:
        for path in PAGES:
            for variant in (path, path + "/"):
                assert (await c.get(variant)).status_code == 404, variant


def test_the_mitid_simulator_keeps_its_codes_and_key_per_app() -> None:
    """Its handlers are module-level, but the codes it issued and its key stay the state
    of one app, as they were of one route table: not shared by every app in the process."""
    first, second = Starlette(), Starlette()

    def request(app: Starlette) -> Request:
        return Request({"type": "http", "app": app})

    assert broker_of(request(first)) is broker_of(request(first))
    assert broker_of(request(first)) is not broker_of(request(second))
    broker_of(request(first)).codes["x"] = {}
    assert broker_of(request(second)).codes == {}

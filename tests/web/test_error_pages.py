"""Issue 13 §1: every error is a page in the frame and the reader's language — 400, 403,
404, 405 and 500, on every kind of path (front, portal, self-service, staff, static, the
simulators, an unknown one), an unhandled exception included (logged, never a
traceback) — while the paths machines read keep a machine's answer (both backends)."""

from __future__ import annotations

import logging

import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg.web import error_pages

TITLES = {
    400: ("Ugyldig forespørgsel", "Bad request"),
    403: ("Adgang nægtet", "Access denied"),
    404: ("Siden findes ikke", "Page not found"),
    405: ("Metoden er ikke tilladt", "Method not allowed"),
    500: ("Der opstod en fejl", "Something went wrong"),
}
CODE = {"da": "Fejlkode {}", "en": "Error code {}"}


async def boom(_request: Request) -> Response:
    raise RuntimeError("the handler broke: secret-detail-42")


async def refuse(_request: Request) -> Response:
    raise HTTPException(403)


def add_routes(app) -> None:  # type: ignore[no-untyped-def]
    """Routes that fail on purpose, before the doors' mounts so that they are reached."""
    for path, endpoint in (("/test-boom", boom), ("/portal/test-boom", boom),
                           ("/selfservice/test-boom", boom), ("/test-refuse", refuse),
                           ("/staff/test-refuse", refuse), ("/metrics-test-boom", boom)):
        app.router.routes.insert(0, Route(path, endpoint, methods=["GET"]))


def assert_error_page(r, status: int, lang: str) -> None:  # type: ignore[no-untyped-def]
    where = f"{r.request.method} {r.request.url.path}"
    assert r.status_code == status, (where, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html"), where
    text = r.text
    assert f'<html lang="{lang}">' in text, where
    # the frame: the design system's header and footer, dkreg's own styles, the CSP
    assert 'class="header"' in text and "<footer>" in text, where
    assert "/static/vendor/dkfds/css/dkfds.min.css" in text, where
    assert "default-src 'self'" in r.headers["content-security-policy"], where
    title = TITLES[status][0 if lang == "da" else 1]
    assert f'<h1 id="error-title">{title}</h1>' in text, where
    assert f"<title>{title} — " in text, where
    assert CODE[lang].format(status) in text, where
    assert r.headers["content-language"] == lang, where
    assert "Traceback" not in text and "secret-detail-42" not in text, where


CASES = [
    ("GET", "/nowhere", 404),
    ("GET", "/portal/nowhere", 404),
    ("GET", "/selfservice/nowhere/at/all", 404),
    ("GET", "/staff/nowhere", 404),
    ("GET", "/static/nowhere.css", 404),
    ("GET", "/dev/nowhere", 404),
    ("POST", "/", 405),
    ("DELETE", "/registrars", 405),
    ("GET", "/registrars?filter=%00", 400),
    ("GET", "/portal/domains/a%FFb", 400),
    ("GET", "/test-refuse", 403),
    ("GET", "/staff/test-refuse", 403),
    ("GET", "/test-boom", 500),
    ("GET", "/portal/test-boom", 500),
    ("GET", "/selfservice/test-boom", 500),
]


@pytest.mark.parametrize("lang", ["da", "en"])
async def test_each_error_is_a_page_in_the_frame_and_language(web, lang: str) -> None:  # type: ignore[no-untyped-def]
    add_routes(web.app)
    c = web.client()
    headers = {"accept-language": "en-GB,en;q=0.9" if lang == "en" else "da"}
    for method, path, status in CASES:
        r = await c.request(method, path, headers=headers)
        assert_error_page(r, status, lang)
    # 405 still says which methods the path takes
    assert "GET" in (await c.post("/registrars")).headers["allow"]
    # a picked language wins over the browser's, on error pages as everywhere
    await c.get("/lang/" + ("da" if lang == "en" else "en"))
    other = "da" if lang == "en" else "en"
    assert_error_page(await c.get("/nowhere", headers=headers), 404, other)


async def test_an_error_inside_a_door_leads_back_to_that_door(web) -> None:  # type: ignore[no-untyped-def]
    add_routes(web.app)
    c = web.client()
    portal = (await c.get("/portal/nowhere")).text
    assert 'href="/portal/" class="function-link"' in portal and "Til Registrarportal" in portal
    assert '<a href="/portal/">Registrarportal</a>' in portal  # the frame names the door
    staff = (await c.get("/staff/nowhere", headers={"accept-language": "en"})).text
    assert 'href="/staff/" class="function-link"' in staff and "To Registry staff" in staff
    front = (await c.get("/nowhere")).text
    assert 'href="/" class="function-link"' in front and "error.door_home" not in front
    assert 'id="error-ways"' in front and "Til Registrarportal" not in front


async def test_an_unhandled_exception_is_logged_and_answered_with_the_500_page(  # type: ignore[no-untyped-def]
        web, caplog: pytest.LogCaptureFixture) -> None:
    add_routes(web.app)
    assert web.app.debug is False  # Starlette's debug page would show the traceback
    with caplog.at_level(logging.ERROR, logger="dkreg.web"):
        r = await web.client().get("/portal/test-boom", headers={"accept-language": "en"})
    assert_error_page(r, 500, "en")
    assert r.headers["x-frame-options"] == "DENY"  # inside the browser headers
    logged = [rec for rec in caplog.records if rec.name == "dkreg.web"]
    assert len(logged) == 1, caplog.records
    assert "GET /portal/test-boom" in logged[0].getMessage()
    assert logged[0].exc_info and "secret-detail-42" in str(logged[0].exc_info[1])


async def test_the_500_page_survives_a_broken_frame(web, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    add_routes(web.app)

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the template broke")

    monkeypatch.setattr(error_pages, "render", broken)
    r = await web.client().get("/test-boom")
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "Der opstod en fejl" in r.text and "Something went wrong" in r.text
    assert "secret-detail-42" not in r.text and "the template broke" not in r.text


async def test_machine_paths_keep_a_machine_answer(web) -> None:  # type: ignore[no-untyped-def]
    add_routes(web.app)
    c = web.client()
    for method, path, status in (("POST", "/healthz", 405), ("DELETE", "/metrics", 405),
                                 ("POST", "/registrars.json", 405),
                                 ("GET", "/registrars.json?x=%00", 400),
                                 ("POST", "/ca.pem", 405),
                                 ("GET", "/dev/mitid/token", 405),
                                 ("POST", "/dev/mitid/jwks", 405),
                                 ("GET", "/dev/cvr/cvr-permanent/virksomhed/_search", 405)):
        r = await c.request(method, path)
        assert r.status_code == status, (method, path, r.status_code)
        assert r.headers["content-type"] == "application/json", (method, path)
        assert r.json()["status"] == status, (method, path, r.json())
    assert (await c.get("/registrars.json?x=%00")).json()["field"] == "x"
    # the payment provider's callback answers in plain words, as it always did
    r = await c.post("/pay/callback", content=b"{}")
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    # a client asking for JSON, not HTML, gets JSON anywhere
    r = await c.get("/nowhere", headers={"accept": "application/json"})
    assert (r.status_code, r.json()) == (404, {"status": 404, "error": "Not Found"})
    r = await c.get("/test-boom", headers={"accept": "application/json"})
    assert (r.status_code, r.json()) == (500, {"status": 500, "error": "Internal Server Error"})
    # a browser (HTML first, anything else after) gets the page
    r = await c.get("/nowhere", headers={"accept": "text/html,application/json;q=0.9,*/*"})
    assert r.headers["content-type"].startswith("text/html")
    # a path that only begins like a machine path is a page
    assert (await c.get("/metrics-test-boom")).headers["content-type"].startswith("text/html")

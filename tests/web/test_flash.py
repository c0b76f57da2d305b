"""The one-time summary after a change: signed, shown once, never in the way."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from starlette.requests import Request

from dkreg.config import Settings
from dkreg.web import flash


def request(settings: Settings, cookie: str = "") -> Request:
    app = SimpleNamespace(state=SimpleNamespace(services=SimpleNamespace(settings=settings)))
    headers = [(b"cookie", f"{flash.COOKIE}={cookie}".encode())] if cookie else []
    return Request({"type": "http", "app": app, "headers": headers, "scheme": "https",
                    "path": "/", "query_string": b"", "server": ("testserver", 443)})


def cookie_of(response: object) -> str:
    header = response.headers["set-cookie"]  # type: ignore[attr-defined]
    return header.split(";")[0].split("=", 1)[1]


def test_a_summary_survives_the_redirect_and_a_changed_one_does_not(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="k" * 32)
    r = flash.redirect(request(settings), "/portal/", flash.Flash("a.key", {"n": "3"}))
    assert r.status_code == 303 and r.headers["location"] == "/portal/"
    value = cookie_of(r)
    assert flash.take(request(settings, value)) == flash.Flash("a.key", {"n": "3"})
    data, _, sig = value.rpartition(".")
    assert flash.take(request(settings, data[:-2] + "xx." + sig)) is None
    other = Settings(data_dir=tmp_path, secret_key="o" * 32)
    assert flash.take(request(other, value)) is None  # another installation's key


def test_production_without_a_secret_key_still_redirects(tmp_path: Path) -> None:
    """The change is done when the summary is made: a missing key costs the summary,
    never a 500 after the write."""
    settings = Settings(mode="production", data_dir=tmp_path)
    r = flash.redirect(request(settings), "/portal/", flash.Flash("a.key", {}))
    assert r.status_code == 303 and "set-cookie" not in r.headers
    assert flash.take(request(settings, "abc.def")) is None

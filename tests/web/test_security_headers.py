"""Issue 11, item 8: every response of the HTTP door carries the headers a browser
should get — on every route of the app (walked from its routing tree), for visitors
with and without a session: nosniff, no framing, no Referer, and on HTML a
Content-Security-Policy that allows only dkreg's own scripts and styles; HSTS in
production over HTTPS only."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from dkreg.web.headers import html_policy
from support.routes import visitors, walk


def header_problems(path: str, r) -> list[str]:  # type: ignore[no-untyped-def]
    h = r.headers
    problems = []
    if h.get("x-content-type-options") != "nosniff":
        problems.append("nosniff")
    if h.get("x-frame-options") != "DENY":
        problems.append("X-Frame-Options")
    if h.get("referrer-policy") not in ("no-referrer", "same-origin"):
        problems.append("Referrer-Policy")
    if h.get("content-type", "").startswith("text/html"):
        csp = h.get("content-security-policy", "")
        directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
        if "frame-ancestors" not in directives or "base-uri" not in directives:
            problems.append(f"CSP without frame-ancestors/base-uri: {csp!r}")
        if "unsafe-inline" in csp and not path.startswith("/dev/mail/"):
            problems.append(f"CSP allows inline code: {csp!r}")
        for name in ("script-src", "style-src"):
            allowed = directives.get(name, directives.get("default-src", []))
            if not allowed or any(v not in ("'self'", "'none'") for v in allowed):
                problems.append(f"{name} not dkreg's own: {csp!r}")
    if "strict-transport-security" in h:
        problems.append("HSTS in the sandbox")
    return [f"{r.request.method} {path} {r.status_code}: {p}" for p in problems]


async def test_every_route_sends_the_browser_headers(web) -> None:  # type: ignore[no-untyped-def]
    routes = walk(web.app.routes)
    templates = {r.template for r in routes}
    # the walk reaches the doors and the static files, not only the top level
    assert {"/", "/healthz", "/portal/invoices/{invoice_id:id}.pdf", "/static/{path:path}",
            "/selfservice/login", "/staff/documents/{id}/file", "/pay/{token:str}/pdf",
            "/dev/mail/{key:str}/html"} <= templates, sorted(templates)
    problems: list[str] = []
    seen = 0
    for visitor in await visitors(web.registry, web.app):
        for route in routes:
            path = route.path()
            for method in route.methods:
                r = await visitor.client.request(method, path)  # type: ignore[attr-defined]
                seen += 1
                problems += header_problems(path, r)
    assert seen > 200
    assert not problems, "\n".join(problems[:20])


_ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"')
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_ICON = re.compile(r'<use href="([^"#]+)#')


async def test_pages_styles_come_from_dkreg_itself(web) -> None:  # type: ignore[no-untyped-def]
    """Styles, scripts, fonts and icons all come from dkreg itself (no CDN): every one the
    page loads is a path under /static that answers, and so is every font the design
    system's stylesheet asks for."""
    c = web.client()
    page = await c.get("/portal/login")
    assert "<style" not in page.text and " style=" not in page.text
    assets = _ASSET.findall(page.text) + _ICON.findall(page.text)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert "/static/dkreg.css" in stylesheets
    assert any(s.startswith("/static/vendor/dkfds/css/") for s in stylesheets), stylesheets
    assert any(a.startswith("/static/vendor/dkfds/js/") for a in assets), assets
    for asset in assets:
        assert asset.startswith("/static/"), f"{asset} is not dkreg's own"
        r = await c.get(asset)
        assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff", asset
    css = await c.get("/static/dkreg.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    fonts = 0
    for sheet in stylesheets:
        text = (await c.get(sheet)).text
        base = sheet.rsplit("/", 1)[0] + "/"
        for ref in _CSS_URL.findall(text):
            assert "//" not in ref and not ref.startswith("http"), f"{sheet} loads {ref}"
            if ref.startswith("data:") or not ref.endswith((".woff2", ".woff")):
                continue  # old formats (eot, ttf) no browser that reads woff asks for
            url = urljoin("http://testserver" + base, ref)
            r = await c.get(url)
            assert r.status_code == 200 and "font" in r.headers["content-type"], (url, r)
            fonts += 1
    assert fonts >= 8  # the IBM Plex Sans faces, woff2 and woff
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "font-src" not in csp  # fonts fall back to default-src 'self'
    assert "base-uri 'none'" in csp and "img-src 'self' data:" in csp
    # the sandbox's simulators are dkreg itself, reached at its public base URL
    assert "form-action 'self' http://127.0.0.1:8000" in csp
    assert page.headers["referrer-policy"] == "no-referrer"


async def test_form_action_allows_the_configured_providers(web) -> None:  # type: ignore[no-untyped-def]
    s = web.registry.settings
    s.mode, s.payment_provider_url = "production", "https://pay.example.net/hosted/"
    s.mitid_issuer, s.public_base_url = "https://broker.example.org/op", "https://dkreg.example"
    s.csp_form_action = "https://login.broker.example.org"
    assert ("form-action 'self' https://dkreg.example https://pay.example.net "
            "https://broker.example.org https://login.broker.example.org;") in html_policy(s)


async def test_hsts_in_production_over_https_only(web) -> None:  # type: ignore[no-untyped-def]
    s = web.registry.settings
    sandbox = await web.client(scheme="https").get("/healthz")
    assert "strict-transport-security" not in sandbox.headers
    s.mode = "production"
    over_http = await web.client().get("/healthz")
    assert "strict-transport-security" not in over_http.headers
    over_https = await web.client(scheme="https").get("/healthz")
    assert over_https.headers["strict-transport-security"] == "max-age=31536000"
    # behind a TLS-terminating balancer the app sees http, but its public URL is https
    s.public_base_url = "https://dkreg.example"
    behind = await web.client().get("/")
    assert behind.headers["strict-transport-security"] == "max-age=31536000"
    s.hsts_max_age = 0
    assert "strict-transport-security" not in (await web.client(scheme="https").get("/")).headers

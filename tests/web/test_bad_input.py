"""Issue 11, item 10: bad input gets a 400 or 404 page, never a 500. Every route of the
app (walked from its routing tree) is sent numbers wider than the database's integer,
digits ``int`` refuses, NUL bytes and bytes that are not UTF-8 — in every path
parameter, in every query field and (POST) every form field the doors read, with the
right CSRF value — by an anonymous visitor and by visitors logged in to the portal,
self-service and the staff pages, so that the handlers behind the guards run too. On
SQLite and PostgreSQL (which refuses NUL in text)."""

from __future__ import annotations

import pytest

from support.routes import HOSTILE, encoded, field_names, route_field_names, visitors, walk

FORM = {"content-type": "application/x-www-form-urlencoded"}


# one field at a time (the others absent), so that a handler that validates field by
# field reaches each: a number wider than BIGINT, and six superscript twos (a TOTP
# code's length; str.isdigit says yes)
ONE_FIELD = ("99999999999999999999999", "%C2%B2" * 6)


def walks(visitor_name: str, template: str) -> bool:
    """Whether the one-field round is run by this visitor on this route: the visitor of
    the route's door, and the anonymous one everywhere (the doors' logins)."""
    door = {"/portal": "portal", "/selfservice": "selfservice", "/staff": "staff"}
    owner = next((v for k, v in door.items() if template.startswith(k)), None)
    return visitor_name in ("anonymous", owner)


# every route × every visitor × every hostile value: more than 8,000 requests, and the
# route count grows with each area of the web
@pytest.mark.timeout(900)
async def test_no_route_answers_5xx_to_bad_input(web) -> None:  # type: ignore[no-untyped-def]
    routes = walk(web.app.routes)
    names = field_names()
    assert {"email", "password", "q", "id", "amount", "period", "renew_period",
            "code", "client_secret", "signature"} <= set(names)
    failures: list[str] = []
    sent = 0

    def check(visitor, method: str, target: str, r) -> None:  # type: ignore[no-untyped-def]
        nonlocal sent
        sent += 1
        # 501 is no failure: RDAP's answer to the searches and IP/autnum queries it does
        # not offer, whatever the input (dkreg.public.rdap.routes)
        if r.status_code >= 500 and r.status_code != 501:
            failures.append(f"{visitor.name}: {method} {target[:160]} -> {r.status_code}")

    for visitor in await visitors(web.registry, web.app):
        c = visitor.client
        for route in routes:
            for method in route.methods:
                for path in route.hostile_paths():
                    data = {"csrf": visitor.csrf_values(path)[0]} if method == "POST" else None
                    check(visitor, method, path, await c.request(method, path, data=data))
                base = route.path()
                for value in HOSTILE:
                    target = f"{base}?{encoded(names, value)}"
                    if method == "GET":
                        check(visitor, method, target, await c.get(target))
                        continue
                    for csrf in visitor.csrf_values(base):
                        body = encoded(names, value, csrf=csrf)
                        check(visitor, method, f"{base} <{value} in every field>",
                              await c.post(base, content=body, headers=FORM))
                        check(visitor, method, f"{base} <{value} in a multipart form>",
                              await c.post(base, data={"csrf": csrf, "name": "a\x00b"},
                                           files={"document": ("x\x00.pdf", b"%PDF-1.4\x00",
                                                               "application/pdf")}))
                if method == "POST" and walks(visitor.name, route.template):
                    for name in route_field_names(web.app, route.template):
                        for value in ONE_FIELD:
                            for csrf in visitor.csrf_values(base)[:1]:
                                check(visitor, method, f"{base} <{name}={value}>",
                                      await c.post(base, content=f"csrf={csrf}&{name}={value}",
                                                   headers=FORM))
            if not route.template.endswith("/logout"):
                assert await visitor.still_logged_in(), \
                    f"{visitor.name}: walking {route.template} ended the session"
    assert not failures, f"{len(failures)} of {sent}:\n" + "\n".join(failures[:40])
    assert sent > 8000


async def test_oversized_invoice_number_is_a_404_page(web) -> None:  # type: ignore[no-untyped-def]
    portal, _handle, _email = await web.logged_in()
    for path in ("/portal/invoices/99999999999999999999999.pdf",
                 "/portal/invoices/9223372036854775808.pdf"):
        r = await portal.get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert r.headers["content-type"].startswith("text/html")
        assert '<html lang="da">' in r.text and "Siden findes ikke" in r.text
    r = await web.client().get("/selfservice/invoices/99999999999999999999999.pdf",
                               headers={"accept-language": "en"})
    assert r.status_code == 404 and "Page not found" in r.text


async def test_nul_in_a_login_field_is_a_400_page_naming_the_field(web) -> None:  # type: ignore[no-untyped-def]
    c = web.client()
    page = await c.get("/portal/login", headers={"accept-language": "en"})
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    r = await c.post("/portal/login", content=f"csrf={csrf}&email=a%00b&password=x",
                     headers={**FORM, "accept-language": "en"})
    assert r.status_code == 400
    assert "The field “email” contains a NUL character" in r.text
    assert r.headers["x-frame-options"] == "DENY"
    portal, _handle, _email = await web.logged_in()
    r = await portal.get("/portal/domains?q=%00")
    assert r.status_code == 400 and "Feltet »q« indeholder et NUL-tegn" in r.text
    r = await portal.get("/portal/domains?q=%FF")
    assert r.status_code == 400 and "ikke er gyldig UTF-8" in r.text
    r = await portal.get("/portal/contacts/A%00B")
    assert r.status_code == 400 and "»path«" in r.text
    # the guard leaves good input alone: the search still answers
    assert (await portal.get("/portal/domains?q=%C3%A6")).status_code == 200

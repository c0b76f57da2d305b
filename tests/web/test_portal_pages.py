"""Portal pages: Registrar Management and the public list, referral programme, prepaid
account and poll messages — each with its privilege group and CSRF rule enforced on
the server (a refused POST changes nothing)."""

from __future__ import annotations

import json

from dkreg.seed import DEMO_REGISTRAR, seed_if_empty
from dkreg.store.context import Ctx
from dkreg.store.ledger import post_ledger
from web.conftest import csrf_of

PUBLIC_INFO = "/portal/administration/public-information/registrar-management"
REFERRAL = "/portal/administration/referral"


def info_form(csrf: str | None, **kw: str) -> dict[str, str]:
    form = {"offers_registrar_management": "yes", "public_name": "Hansen Hosting ApS",
            "website": "https://hansen.example", "email": "sales@hansen.example",
            "logo_url": "https://hansen.example/logo.png", "listed": "yes", **kw}
    if csrf is not None:
        form["csrf"] = csrf
    return form


async def stored_info(web) -> int:  # type: ignore[no-untyped-def]
    return await web.registry.scalar("select count(*) from registrar_public_info")


async def test_administrator_switches_registrar_management_on_and_the_list_shows_it(web) -> None:
    c, handle, email = await web.logged_in("administration")
    public = web.client("192.0.2.200")
    assert (await public.get("/registrars.json")).json() == []
    page = await c.get(PUBLIC_INFO)
    assert page.status_code == 200 and f"Registrar {handle[4:]}" in page.text  # default name
    r = await c.post(PUBLIC_INFO, data=info_form(csrf_of(page.text)))
    assert r.status_code == 303 and r.headers["location"] == PUBLIC_INFO
    assert 'id="flash"' in (await c.get(PUBLIC_INFO)).text  # the summary, once
    listed = (await public.get("/registrars.json")).json()
    assert listed == [{"handle": handle, "name": "Hansen Hosting ApS",
                       "website": "https://hansen.example", "email": "sales@hansen.example",
                       "logo_url": "https://hansen.example/logo.png",
                       "offers_registrar_management": True}]
    html = await public.get("/registrars?registrar_management=true")
    assert "Hansen Hosting ApS" in html.text
    [event] = await web.registry.rows(
        "select door, actor, object from audit where command = 'registrar_public_info_update'")
    assert (event.door, event.actor, event.object) == ("portal", email, handle)

    # a second registrar is listed without registrar management: the filter leaves it out
    c2, handle2, _ = await web.logged_in("administration")
    page = await c2.get(PUBLIC_INFO)
    form = info_form(csrf_of(page.text), public_name="Andersen Domains")
    del form["offers_registrar_management"]
    assert (await c2.post(PUBLIC_INFO, data=form)).status_code == 303
    everyone = (await public.get("/registrars.json")).json()
    assert [r["handle"] for r in everyone] == [handle2, handle]  # by public name
    only = (await public.get("/registrars.json?registrar_management=true")).json()
    assert [r["handle"] for r in only] == [handle]
    html = await public.get("/registrars?registrar_management=true")
    assert "Hansen Hosting ApS" in html.text and "Andersen Domains" not in html.text

    # unlisting removes it at once
    page = await c.get(PUBLIC_INFO)
    form = info_form(csrf_of(page.text))
    del form["listed"]
    assert (await c.post(PUBLIC_INFO, data=form)).status_code == 303
    assert [r["handle"] for r in (await public.get("/registrars.json")).json()] == [handle2]


async def test_a_wrong_value_is_shown_on_the_page_naming_the_field(web) -> None:
    c, _handle, _email = await web.logged_in("administration")
    csrf = await web.csrf(c, PUBLIC_INFO)
    for field, value, words in (("website", "ftp://files.example", "Hjemmeside"),
                                ("email", "not-an-address", "Kontakt-e-mail"),
                                ("logo_url", "http://plain.example/logo.png", "https://"),
                                ("public_name", "   ", "Offentligt navn")):
        r = await c.post(PUBLIC_INFO, data=info_form(csrf, **{field: value}))
        assert r.status_code == 400, field
        assert f'id="{field}-error"' in r.text and words in r.text
        assert f'aria-describedby="{field}-error"' in r.text
    assert await stored_info(web) == 0
    # English
    await c.get("/lang/en?next=/portal/")
    r = await c.post(PUBLIC_INFO, data=info_form(csrf, website="javascript:alert(1)"))
    assert "Website must be an address starting with http:// or https://" in r.text


async def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(web) -> None:
    c, _handle, _email = await web.logged_in("administration")
    r = await c.post(PUBLIC_INFO, data=info_form(None))
    assert r.status_code == 403
    r = await c.post(PUBLIC_INFO, data=info_form("forged-token"))
    assert r.status_code == 403
    # another user's valid token is not this session's token
    other, _h, _e = await web.logged_in("administration")
    r = await c.post(PUBLIC_INFO, data=info_form(await web.csrf(other)))
    assert r.status_code == 403
    r = await c.post(REFERRAL, data={"action": "join", "accept_terms": "yes"})
    assert r.status_code == 403
    assert await stored_info(web) == 0
    assert await web.registry.scalar("select count(*) from registrar_referral") == 0


async def test_portfolio_user_is_refused_administration_pages_and_posts(web) -> None:
    handle = await web.registrar()
    c, _h, email = await web.logged_in("portfolio", handle)
    home = await c.get("/portal/")
    assert "public-information" not in home.text and "referral" not in home.text
    csrf = csrf_of(home.text)
    assert (await c.get(PUBLIC_INFO)).status_code == 403
    assert (await c.post(PUBLIC_INFO, data=info_form(csrf))).status_code == 403
    assert (await c.get(REFERRAL)).status_code == 403
    assert (await c.post(REFERRAL, data={"csrf": csrf, "action": "join",
                                         "accept_terms": "yes"})).status_code == 403
    assert await stored_info(web) == 0
    assert await web.registry.scalar("select count(*) from registrar_referral") == 0
    refused = await web.registry.rows(
        "select actor, result_code from audit where command = 'portal_forbidden'")
    assert len(refused) == 4 and {r.actor for r in refused} == {email}
    assert (await c.get("/portal/poll")).status_code == 200
    assert (await c.get("/portal/account")).status_code == 200


async def test_unauthenticated_requests_go_to_the_login_page(web) -> None:
    c = web.client()
    for path in ("/portal/", PUBLIC_INFO, REFERRAL, "/portal/account", "/portal/poll"):
        r = await c.get(path)
        assert r.status_code == 303 and r.headers["location"] == "/portal/login", path
    r = await c.post(PUBLIC_INFO, data=info_form("x"))
    assert r.status_code == 303
    assert await stored_info(web) == 0


async def queue(web, registrar_handle: str, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert, select

    from dkreg.store.schema import poll_messages, registrars

    async with web.registry.db.begin() as conn:
        rid = (await conn.execute(select(registrars.c.id).where(
            registrars.c.handle == registrar_handle))).scalar_one()
        ids = []
        for i in range(n):
            ids.append((await conn.execute(insert(poll_messages).values(
                registrar_id=rid, created_at=web.registry.clock.now(),
                msg=f"Test message {i}", kind="none", data=json.dumps({}),
            ).returning(poll_messages.c.id))).scalar_one())
    return ids


async def test_poll_messages_are_read_and_acknowledged_from_the_epp_queue(web) -> None:
    handle = await web.registrar()
    ids = await queue(web, handle, 2)
    c, _h, email = await web.logged_in("portfolio", handle)
    page = await c.get("/portal/poll")
    assert "Test message 0" in page.text and "Test message 1" in page.text
    r = await c.post("/portal/poll/ack", data={"csrf": csrf_of(page.text), "id": str(ids[0])})
    assert r.status_code == 303
    page = await c.get(r.headers["location"])
    assert "Test message 0" not in page.text and "Test message 1" in page.text
    acked = await web.registry.scalar("select acked_at from poll_messages where id = :i",
                                      i=ids[0])
    assert acked is not None
    [event] = await web.registry.rows("select actor, object from audit where command='poll_ack'")
    assert (event.actor, event.object) == (email, str(ids[0]))
    # again, or another registrar's message: not in your queue
    r = await c.post("/portal/poll/ack", data={"csrf": csrf_of(page.text), "id": str(ids[0])})
    assert r.status_code == 404


async def test_accounting_user_cannot_ack_poll_messages(web) -> None:
    handle = await web.registrar()
    [msg] = await queue(web, handle, 1)
    c, _h, _e = await web.logged_in("accounting", handle)
    csrf = await web.csrf(c, "/portal/account")
    assert (await c.get("/portal/poll")).status_code == 403
    r = await c.post("/portal/poll/ack", data={"csrf": csrf, "id": str(msg)})
    assert r.status_code == 403
    assert await web.registry.scalar(
        "select acked_at from poll_messages where id = :i", i=msg) is None


async def test_prepaid_account_shows_balance_and_paged_ledger(web) -> None:
    handle = await web.registrar()  # opening balance DKK 10,000.00 (one ledger line)
    rid = await web.registry.scalar("select id from registrars where handle = :h", h=handle)
    async with web.registry.db.begin() as conn:
        ctx: Ctx = web.registry.ctx(conn)
        for n in range(30):
            await post_ledger(ctx, rid, -100, "domain_create", f"line-{n}.dk")
    c, _h, _e = await web.logged_in("accounting", handle)
    page = await c.get("/portal/account")
    assert "9.970,00 kr." in page.text  # the Danish page writes amounts the Danish way
    assert "line-29.dk" in page.text and "line-0.dk" not in page.text  # newest first
    assert "1 af 2" in page.text
    page2 = await c.get("/portal/account?page=2")
    assert "line-0.dk" in page2.text and "opening balance" in page2.text


async def test_referral_programme_opt_in_and_out(web) -> None:
    c, handle, email = await web.logged_in("administration")
    page = await c.get(REFERRAL)
    assert 'id="referral-terms"' in page.text and "unikpånettet.dk" in page.text
    csrf = csrf_of(page.text)
    r = await c.post(REFERRAL, data={"csrf": csrf, "action": "join"})
    assert r.status_code == 400 and 'id="referral-error"' in r.text
    assert await web.registry.scalar("select count(*) from registrar_referral") == 0
    r = await c.post(REFERRAL, data={"csrf": csrf, "action": "join", "accept_terms": "yes"})
    assert r.status_code == 303
    [row] = await web.registry.rows("select member, consented_at, consented_by, terms_version "
                                    "from registrar_referral")
    assert row.member and row.consented_by == email and row.terms_version == "2024-08"
    consented = row.consented_at
    if isinstance(consented, str):  # SQLite through text()
        consented = consented.replace(" ", "T")
    assert str(consented).startswith(web.registry.clock.now().strftime("%Y-%m-%d"))
    assert email in (await c.get(REFERRAL)).text
    r = await c.post(REFERRAL, data={"csrf": csrf, "action": "leave"})
    assert r.status_code == 303
    [row] = await web.registry.rows("select member, consented_at from registrar_referral")
    assert not row.member and row.consented_at is None
    events = await web.registry.rows(
        "select command from audit where command like 'referral_%' order by id")
    assert [e.command for e in events] == ["referral_opt_in", "referral_opt_out"]


async def test_a_fresh_sandbox_lists_its_demo_registrar(web, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with web.registry.db.begin() as conn:
        await seed_if_empty(web.registry.ctx(conn), tmp_path)
    public = web.client()
    listed = (await public.get("/registrars.json")).json()
    demo = [r for r in listed if r["handle"] == DEMO_REGISTRAR]
    assert len(demo) == 1 and demo[0]["name"] == "Demo Registrar ApS"
    assert demo[0]["offers_registrar_management"] is True
    assert "Demo Registrar ApS" in (await public.get("/registrars")).text
    only = await public.get("/registrars?registrar_management=true")
    assert "Demo Registrar ApS" in only.text


async def test_poll_messages_read_in_the_pages_language(web) -> None:
    """EPP keeps the registry's English text; a Danish page shows it in Danish."""
    from sqlalchemy import insert, select

    from dkreg.poll_texts import poll_text
    from dkreg.store.schema import poll_messages, registrars

    handle = await web.registrar()
    kind, text = poll_text("transfer_in", name="flyttet.dk")
    async with web.registry.db.begin() as conn:
        rid = (await conn.execute(select(registrars.c.id).where(
            registrars.c.handle == handle))).scalar_one()
        await conn.execute(insert(poll_messages).values(
            registrar_id=rid, created_at=web.registry.clock.now(), msg=text, kind=kind,
            data=json.dumps({})))
    c, _h, _email = await web.logged_in("portfolio", handle)
    page = await c.get("/portal/poll")
    assert "flyttet.dk er tilføjet din portefølje" in page.text, page.text
    assert text not in page.text
    english = await c.get("/portal/poll", headers={"accept-language": "en"})
    assert text in english.text

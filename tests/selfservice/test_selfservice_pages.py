"""Self-service pages: my domains and roles, requests waiting for me (only the asked
party answers; the registrar hears it by EPP poll), Flow 2 acceptance before and after
the deadline, OWN-TRANSFER tokens used by a registrar's EPP transfer (both backends)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from epp.helpers import NS, setup_registrant
from epp.update_support import drain, ready_registrar
from selfservice.conftest import csrf_of
from support import frames

MGMT = '<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.5">registrant</dkhm:management>'


async def new_contact(c, email: str, *, verified: bool = True, ext: str = "") -> str:  # type: ignore[no-untyped-def]
    r = await c.request(frames.contact_create(verified=verified, dkhm="4.5", email=email,
                                              extra_ext=ext))
    assert r.code == 1000, r.msg
    return r.text(".//contact:id")


async def pending_change(ss):  # type: ignore[no-untyped-def]
    """A registrar's domain ejer.dk whose change to an unverified registrant waits for
    that contact; returns (epp client, old registrant, new registrant, request id)."""
    c, _handle, old = await ready_registrar(ss.registry, "ejer.dk")
    new = await new_contact(c, "ny.ejer@example.dk", verified=False)
    r = await c.request(frames.domain_update("ejer.dk", registrant=new,
                                             ext=frames.order_token_ext(ss.registry.token())))
    assert r.code == 1001, r.msg
    await drain(c)
    rid = await ss.registry.scalar("select id from pending_requests where state = 'pending'")
    return c, old, new, rid


async def answer(c: httpx.AsyncClient, rid: object, outcome: str) -> httpx.Response:
    csrf = csrf_of((await c.get("/selfservice/requests")).text)
    return await c.post(f"/selfservice/requests/{rid}", data={"outcome": outcome,
                                                               "csrf": csrf})


async def test_home_shows_my_domains_roles_registrar_and_verification(ss) -> None:
    c, handle, registrant = await ready_registrar(ss.registry, "mit.dk", "andet.dk")
    page = (await (await ss.logged_in(registrant)).get("/selfservice/")).text
    rows = r'<tr class="domain" data-domain="([^"]+)">.*?<td class="roles"[^>]*>([^<]+)</td>'
    assert re.findall(rows, page, re.S) == [("andet.dk", "registrant"), ("mit.dk", "registrant")]
    name = await ss.registry.scalar("select name from registrars where handle = :h", h=handle)
    assert f"{name} ({handle})" in page
    assert 'class="id-status">completed<' in page.replace("gennemført", "completed")
    assert "/selfservice/verification" in page  # the nav always links there
    unverified = await new_contact(c, "ukendt@example.dk", verified=False)
    page = (await (await ss.logged_in(unverified)).get("/selfservice/")).text
    assert 'class="alert-text next-step"><a href="/selfservice/verification"' in page


async def test_only_the_asked_registrant_accepts_and_the_registrar_is_told(ss, mailbox) -> None:
    c, old, new, rid = await pending_change(ss)
    stranger = await ss.logged_in(old)  # the current registrant is not the one asked
    assert f'id="request-{rid}"' not in (await stranger.get("/selfservice/requests")).text
    r = await answer(stranger, rid, "accepted")
    assert r.status_code == 403
    assert await ss.registry.scalar("select state from pending_requests where id = :i",
                                    i=rid) == "pending"
    assert await drain(c) == []
    assert await ss.count("select count(*) from audit where command = 'selfservice_refused' "
                          "and result_code = 2201") == 1
    asked = await ss.link_login(mailbox, "ny.ejer@example.dk")
    assert f'id="request-{rid}"' in (await asked.get("/selfservice/requests")).text
    r = await answer(asked, rid, "accepted")
    assert r.status_code == 303, r.text
    [(text, reply)] = await drain(c)
    assert text == f"The registrant has been changed to {new} for ejer.dk"
    assert reply.find(".//domain:name").get("paResult") == "1"  # type: ignore[attr-defined]
    assert (await c.request(frames.domain_info("ejer.dk"))).text(".//domain:registrant") == new
    r = await answer(asked, rid, "rejected")  # answered once only
    assert r.status_code == 400
    assert await ss.registry.scalar("select state from pending_requests where id = :i",
                                    i=rid) == "accepted"


async def test_the_asked_registrant_rejects(ss, mailbox) -> None:
    c, old, new, rid = await pending_change(ss)
    asked = await ss.link_login(mailbox, "ny.ejer@example.dk")
    assert (await answer(asked, rid, "rejected")).status_code == 303
    [(text, reply)] = await drain(c)
    assert text.startswith(f"The registrant has not been changed to {new}"), text
    assert reply.find(".//domain:name").get("paResult") == "0"  # type: ignore[attr-defined]
    assert (await c.request(frames.domain_info("ejer.dk"))).text(".//domain:registrant") == old


async def flow2_application(ss, mailbox, name: str):  # type: ignore[no-untyped-def]
    """A Flow 2 create (no token, January 2025); returns (epp, registrant, link)."""
    ss.registry.clock.set(datetime(2025, 1, 2, 12, 0, tzinfo=UTC))
    c, _handle = await ss.registry.registrar_client()
    email = f"{name.split('.')[0]}@example.dk"
    registrant = await setup_registrant(c, email=email)
    r = await c.request(frames.domain_create(name, registrant, NS))
    assert r.code == 1001, r.msg
    await mailbox.deliver()
    [mail] = mailbox.to(email)
    link = mailbox.link(mail)
    tn = await ss.registry.scalar("select tracking_no from applications a join domains d "
                                  "on d.id = a.domain_id where d.uname = :n", n=name)
    assert link == f"{ss.registry.settings.public_base_url}/selfservice/applications/{tn}"
    return c, registrant, httpx.URL(link).path


async def test_flow2_acceptance_before_the_deadline_activates(ss, mailbox) -> None:
    c, registrant, path = await flow2_application(ss, mailbox, "flow-to.dk")
    someone = await ss.logged_in(await new_contact(c, "fremmed@example.dk"))
    assert (await someone.get(path)).status_code == 403
    ss.registry.clock.set(datetime(2025, 1, 6, 22, 59, tzinfo=UTC))  # before 24:00 CET
    me = await ss.logged_in(registrant)
    home = await me.get("/selfservice/")  # a registrant who logged in first finds it there
    assert f'<a href="{path}" class="accept-terms">' in home.text
    page = await me.get(path)
    assert page.status_code == 200 and 'id="app-accept"' in page.text
    assert ss.registry.settings.registry_terms_url in page.text
    r = await me.post(path, data={"answer": "accept", "csrf": csrf_of(page.text)})
    assert r.status_code == 303  # Post/Redirect/Get: the summary shows once
    done = await me.get(r.headers["location"])
    assert 'id="flash"' in done.text and "flow-to.dk" in done.text
    assert 'id="app-closed"' not in done.text
    await ss.registry.tick()
    [(text, reply)] = await drain(c)
    assert "flow-to.dk" in text
    assert reply.find(".//domain:name").get("paResult") == "1"  # type: ignore[attr-defined]
    assert await ss.registry.scalar("select state from domains where uname = 'flow-to.dk'") \
        == "active"


async def test_flow2_acceptance_after_the_deadline_is_refused(ss, mailbox) -> None:
    c, registrant, path = await flow2_application(ss, mailbox, "flow-sen.dk")
    balance = await ss.registry.scalar("select sum(balance_ore) from registrars")
    ss.registry.clock.set(datetime(2025, 1, 6, 23, 0, tzinfo=UTC))  # midnight Copenhagen
    me = await ss.logged_in(registrant)
    assert 'class="accept-terms"' not in (await me.get("/selfservice/")).text  # too late
    page = await me.get(path)
    csrf = csrf_of(page.text)
    assert 'id="app-closed"' in page.text and 'id="app-accept"' not in page.text
    r = await me.post(path, data={"answer": "accept", "csrf": csrf})
    assert r.status_code == 409 and 'id="app-error"' in r.text
    assert await ss.registry.scalar(
        "select a.state from applications a join domains d on d.id = a.domain_id "
        "where d.uname = 'flow-sen.dk'") == "awaiting_acceptance"
    assert await ss.registry.scalar("select sum(balance_ore) from registrars") == balance
    assert await drain(c) == []


async def own_domain(ss, c, email: str) -> str:  # type: ignore[no-untyped-def]
    """A registrant-managed domain selv.dk; returns its registrant."""
    await setup_registrant(c)
    rita = await new_contact(c, email, ext=MGMT)
    r = await c.request(frames.domain_create("selv.dk", rita, NS, token=ss.registry.token(),
                                             extra_ext=MGMT.replace("4.5", "4.3")))
    assert r.code == 1001, r.msg
    await ss.registry.tick()
    await drain(c)
    return rita


async def token_post(c: httpx.AsyncClient, name: str, do: str) -> httpx.Response:
    csrf = csrf_of((await c.get("/selfservice/")).text)
    return await c.post(f"/selfservice/domains/{name}/transfer-token",
                        data={"do": do, "csrf": csrf})


async def test_own_transfer_token_moves_the_domain_by_epp(ss) -> None:
    a, _a_handle = await ss.registry.registrar_client()
    rita = await own_domain(ss, a, "rita@example.dk")
    other = await ss.logged_in(await new_contact(a, "anden@example.dk"))
    assert (await token_post(other, "selv.dk", "generate")).status_code == 403
    assert await ss.count("select count(*) from auth_tokens") == 0
    me = await ss.logged_in(rita)
    assert (await token_post(me, "selv.dk", "generate")).status_code == 303
    assert (await token_post(me, "selv.dk", "retract")).status_code == 303
    assert (await token_post(me, "selv.dk", "generate")).status_code == 303
    page = (await me.get("/selfservice/domains/selv.dk")).text
    [token] = re.findall(r'<code class="own-token">([^<]+)</code>', page)
    assert re.fullmatch(r"OWN-TRANSFER-[0-9a-f]{32}", token)
    assert await ss.count("select count(*) from auth_tokens where retracted_at is not null") == 1
    b, b_handle = await ss.registry.registrar_client()
    r = await b.request(frames.domain_transfer("selv.dk", token))
    assert r.code == 1000, r.msg
    assert r.text(".//domain:acID") == rita and r.text(".//domain:reID") == b_handle
    c, _c_handle = await ss.registry.registrar_client()
    r = await c.request(frames.domain_transfer("selv.dk", token))  # single use
    assert r.code == 2202, r.msg


async def test_no_own_token_for_a_registrar_managed_domain(ss) -> None:
    c, _handle, registrant = await ready_registrar(ss.registry, "reg.dk")
    me = await ss.logged_in(registrant)
    r = await token_post(me, "reg.dk", "generate")
    assert r.status_code == 409 and 'id="errors"' in r.text and 'id="token"' in r.text
    assert await ss.count("select count(*) from auth_tokens") == 0
    assert (await token_post(me, "ukendt.dk", "generate")).status_code == 403

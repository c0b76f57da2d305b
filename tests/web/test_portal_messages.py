"""The portal's messages (issue 13): the poll queue EPP reads, each message with its
domain (or contact, host) as a link, the application's tracking number, the risk
assessment a create result carries, and its text in the reader's language;
acknowledging one, or all after a confirmation — only the registrar's own messages,
each audited as a single acknowledgement is, with a redirect and a one-time summary."""

from __future__ import annotations

import html
import json
import re

from sqlalchemy import insert, select

from dkreg.store.schema import poll_messages, registrars
from epp.helpers import setup_registrant
from epp.update_support import active_domains
from support import frames
from web.conftest import csrf_of
from web.test_portal_contacts_hosts import flash_of

POLL = "/portal/poll"


def row_of(page: str, msg_id: int) -> str:
    match = re.search(rf'<tr data-message="{msg_id}">(.*?)</tr>', page, re.S)
    assert match, f"message {msg_id} is not on the page"
    return match.group(1)


def shown_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-message="(\d+)">', page)]


async def queue_raw(web, handle: str, kind: str, data: dict, msg: str = "A message"  # type: ignore[no-untyped-def]
                    ) -> int:
    async with web.registry.db.begin() as conn:
        rid = (await conn.execute(select(registrars.c.id).where(
            registrars.c.handle == handle))).scalar_one()
        return (await conn.execute(insert(poll_messages).values(
            registrar_id=rid, created_at=web.registry.clock.now(), msg=msg, kind=kind,
            data=json.dumps(data)).returning(poll_messages.c.id))).scalar_one()


async def waiting(web, handle: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [r.id for r in await web.registry.rows(
        "select p.id from poll_messages p join registrars r on r.id = p.registrar_id "
        "where r.handle = :h and p.acked_at is null order by p.id", h=handle)]


async def test_each_message_shows_its_domain_tracking_number_and_risk(web) -> None:
    epp, handle = await web.registry.registrar_client()
    contact = await setup_registrant(epp)
    await active_domains(web.registry, epp, contact, "beskeder.dk")
    tracking = await web.registry.scalar(
        "select a.tracking_no from applications a join domains d on d.id = a.domain_id "
        "where d.uname = 'beskeder.dk'")
    [created] = await waiting(web, handle)
    about_contact = await queue_raw(web, handle, "contact:panData",
                                    {"id": contact, "paResult": "1", "paDate": "x"})
    about_host = await queue_raw(web, handle, "host:infData", {"name": "ns1.example.net"})
    c = await web.login(await web.user(handle, "portfolio"))

    page = (await c.get(POLL)).text
    row = row_of(page, created)
    assert 'href="/portal/domains/beskeder.dk"' in row
    assert f'href="/portal/applications/{tracking}"' in row and tracking
    assert re.search(r'data-risk="BLUE">Blå \(BLUE\)<', row)
    assert "beskeder.dk er registreret og aktiveret" in row  # the reader's language
    assert f'href="/portal/contacts/{contact}"' in row_of(page, about_contact)
    assert 'href="/portal/hosts/ns1.example.net"' in row_of(page, about_host)
    assert "data-risk" not in row_of(page, about_host)
    assert "/portal/applications/" not in row_of(page, about_host)
    # EPP's own text for an English reader, the same one poll req gives
    r = await epp.request(frames.poll_req())
    await c.get("/lang/en?next=%2F")
    row = row_of((await c.get(POLL)).text, created)
    assert html.unescape(r.text(".//epp:msgQ/epp:msg")) in html.unescape(row)
    assert "Blue (BLUE)" in row


async def test_acknowledge_one_message(web) -> None:
    handle = await web.registrar()
    first = await queue_raw(web, handle, "none", {}, "First")
    second = await queue_raw(web, handle, "none", {}, "Second")
    c, _h, email = await web.logged_in("portfolio", handle)
    page = await c.get(POLL)
    r = await c.post(POLL + "/ack", data={"csrf": csrf_of(page.text), "id": str(first)})
    assert r.status_code == 303 and r.headers["location"] == POLL
    page = await c.get(POLL)
    assert flash_of(page.text) == f"Besked {first} er kvitteret."
    assert shown_ids(page.text) == [second]
    assert await waiting(web, handle) == [second]


async def test_acknowledge_all_asks_first_and_takes_only_our_messages(web) -> None:
    handle = await web.registrar()
    other = await web.registrar()
    ours = [await queue_raw(web, handle, "none", {}, f"Ours {i}") for i in range(12)]
    theirs = [await queue_raw(web, other, "none", {}, f"Theirs {i}") for i in range(2)]
    c, _h, email = await web.logged_in("portfolio", handle)
    page = await c.get(POLL)
    assert 'href="/portal/poll/ack-all"' in page.text
    confirm = await c.get(POLL + "/ack-all")
    assert confirm.status_code == 200
    assert "Vil I kvittere alle 12 beskeder i køen?" in confirm.text
    assert 'name="confirmed" value="1"' in confirm.text
    csrf = csrf_of(confirm.text)
    upto = re.search(r'name="upto" value="(\d+)"', confirm.text).group(1)  # type: ignore[union-attr]
    assert int(upto) == ours[-1]
    # not confirmed: asked again, nothing acknowledged
    r = await c.post(POLL + "/ack-all", data={"csrf": csrf, "upto": upto})
    assert r.status_code == 200 and "Vil I kvittere alle 12" in r.text
    assert await waiting(web, handle) == ours
    # a message that arrives after the question was asked is not acknowledged unseen
    later = await queue_raw(web, handle, "none", {}, "Later")
    r = await c.post(POLL + "/ack-all", data={"csrf": csrf, "upto": upto, "confirmed": "1"})
    assert r.status_code == 303 and r.headers["location"] == POLL
    page = await c.get(POLL)
    assert flash_of(page.text) == "12 beskeder kvitteret."
    assert await waiting(web, handle) == [later]
    assert await waiting(web, other) == theirs
    # one audit event per message, as a single acknowledgement writes
    events = await web.registry.rows(
        "select actor, object, result_code from audit where command = 'poll_ack' "
        "order by id")
    assert [(e.actor, e.object, e.result_code) for e in events] == [
        (email, str(i), 1000) for i in ours]
    # another registrar's messages cannot be acknowledged from here
    r = await c.post(POLL + "/ack", data={"csrf": csrf, "id": str(theirs[0])})
    assert r.status_code == 404
    assert await waiting(web, other) == theirs


async def test_an_empty_queue_has_nothing_to_acknowledge(web) -> None:
    c, _handle, _email = await web.logged_in("portfolio")
    page = await c.get(POLL)
    assert 'id="poll-empty"' in page.text and "ack-all" not in page.text
    confirm = await c.get(POLL + "/ack-all")
    assert 'name="confirmed"' not in confirm.text and 'id="poll-empty"' in confirm.text

"""Portfolio pages of the third slice: the domain list and detail, and "register a
domain" through the form — the same action as EPP create, so the token rule, its error
text, the pending application (1001, tracking number) and the poll message are EPP's.
Portfolio and Administration may; Accounting is refused, also by direct POST."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dkreg.clock import COPENHAGEN
from dkreg.store.schema import applications, domains
from epp.helpers import NS, setup_registrant
from support import PASSWORD, frames
from support.web_error import assert_same_error
from web.conftest import csrf_of

DOMAINS = "/portal/domains"
REGISTER = "/portal/domains/register"
CPH = ZoneInfo("Europe/Copenhagen")


def local(when: datetime) -> str:
    return when.astimezone(CPH).strftime("%Y-%m-%dT%H:%M")


def error_of(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert match, f"no error on {field}"
    return html.unescape(match.group(1))


def fds_error_of(page: str, field: str) -> str:
    """A field's error in fds.field's markup (its screen-reader prefix left out)."""
    match = re.search(rf'<span class="form-error-message" id="{re.escape(field)}-error">'
                      r'<span class="sr-only">[^<]*</span>([^<]*)</span>', page)
    assert match, f"no error on {field}"
    return html.unescape(match.group(1))


async def registrar_epp(web, handle: str):  # type: ignore[no-untyped-def]
    login = await web.registry.scalar(
        "select u.login from users u join registrars r on r.id = u.registrar_id "
        "where r.handle = :h and u.service = 'epp'", h=handle)
    epp = await web.registry.client(login, PASSWORD)
    return epp, await setup_registrant(epp)


async def written(web) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    return (await web.registry.scalar("select count(*) from domains"),
            await web.registry.scalar("select count(*) from applications"),
            await web.registry.scalar("select sum(balance_ore) from registrars"),
            await web.registry.scalar(
                "select count(*) from audit where command = 'domain:create' and door = 'portal' "
                "and result_code < 2000"))


def form(csrf: str, contact: str, accepted: str, name: str = "portal-made.dk",
         ns: str = "\n".join(NS), period: str = "1") -> dict[str, str]:
    return {"csrf": csrf, "name": name, "registrant": contact, "ns": ns, "period": period,
            "accepted_at": accepted}


async def test_register_through_the_form_then_epp_info_and_poll(web) -> None:
    c, handle, email = await web.logged_in("portfolio")
    epp, contact = await registrar_epp(web, handle)
    page = await c.get(REGISTER)
    assert page.status_code == 200
    now = web.registry.clock.now()
    # entered in Copenhagen time (the form starts empty: tests/web/test_portal_register.py)
    assert 'type="datetime-local" id="accepted_at" name="accepted_at" value=""' in page.text
    assert 'for="accepted_at"' in page.text and 'for="ns"' in page.text
    r = await c.post(REGISTER, data=form(csrf_of(page.text), contact, local(now),
                                         ns="\n" + NS[0] + "\r\n" + NS[1] + "\n", period="2"))
    assert r.status_code == 303, r.text
    r = await c.get(r.headers["location"])  # the application's page (PRG)
    tracking = re.search(r'id="tracking-no">([^<]+)<', r.text).group(1)  # type: ignore[union-attr]
    async with web.registry.db.read() as conn:
        [app] = list(await conn.execute(
            select(applications.c.tracking_no, applications.c.terms_accepted_at,
                   applications.c.period_years)
            .join(domains, domains.c.id == applications.c.domain_id)
            .where(domains.c.name == "portal-made.dk")))
    assert app.tracking_no == tracking and app.period_years == 2
    # the minute shown in Copenhagen time, stored as that UTC moment
    assert app.terms_accepted_at == now.replace(second=0, microsecond=0)
    [event] = await web.registry.rows(
        "select actor, door, object, result_code from audit where command = 'domain:create'")
    assert (event.actor, event.door, event.object, event.result_code) == (
        email, "portal", "portal-made.dk", 1001)

    info = await epp.request(frames.domain_info("portal-made.dk"))
    assert info.code == 1000
    assert [s.get("s") for s in info.findall(".//domain:status")] == [
        "pendingCreate", "serverDeleteProhibited"]
    await web.registry.tick()
    info = await epp.request(frames.domain_info("portal-made.dk"))
    assert [s.get("s") for s in info.findall(".//domain:status")] == ["ok"]
    assert info.text(".//domain:registrant") == contact
    poll = await epp.request(frames.poll_req())
    assert poll.code == 1301
    assert poll.text(".//epp:msgQ/epp:msg") == "portal-made.dk has been registered and activated"
    assert poll.find(".//domain:name").get("paResult") == "1"  # type: ignore[union-attr]

    # the list and the detail page
    listing = await c.get(DOMAINS, params={"q": "portal-made"})
    assert 'data-domain="portal-made.dk"' in listing.text
    assert (await c.get(DOMAINS, params={"q": "nothing-like-it"})).text.count(
        "data-domain=") == 0
    detail = await c.get(DOMAINS + "/portal-made.dk")
    assert detail.status_code == 200
    assert f'id="registrant">{contact}<' in detail.text
    assert all(f"<li>{h}</li>" in detail.text for h in NS)
    assert re.findall(r'data-status="([^"]+)"', detail.text) == ["ok"]  # in words: Aktiv
    assert (await c.get(DOMAINS + "/not-there.dk")).status_code == 404


async def test_list_is_paged_sortable_and_only_the_registrars(web) -> None:
    c, handle, _email = await web.logged_in("administration")
    epp, contact = await registrar_epp(web, handle)
    for name in ("bbb.dk", "aaa.dk", "ccc.dk"):
        r = await epp.request(frames.domain_create(name, contact, NS,
                                                   token=web.registry.token()))
        assert r.code == 1001, r.msg
    other = await web.registrar()
    other_epp, other_contact = await registrar_epp(web, other)
    r = await other_epp.request(frames.domain_create("zzz-other.dk", other_contact, NS,
                                                     token=web.registry.token()))
    assert r.code == 1001, r.msg
    page = await c.get(DOMAINS, params={"sort": "name"})
    assert re.findall(r'data-domain="([^"]+)"', page.text) == ["aaa.dk", "bbb.dk", "ccc.dk"]
    page = await c.get(DOMAINS, params={"sort": "expiry", "page": "9"})
    assert page.status_code == 200 and "zzz-other.dk" not in page.text
    assert 'aria-sort="ascending"><a href="/portal/domains?sort=expiry"' in page.text


async def test_wrong_acceptance_time_shows_the_rule_and_writes_nothing(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    epp, contact = await registrar_epp(web, handle)
    csrf = await web.csrf(c, REGISTER)
    now = web.registry.clock.now()
    before = await written(web)
    for when in (now + timedelta(hours=24, minutes=2), now - timedelta(days=30, minutes=2)):
        r = await c.post(REGISTER, data=form(csrf, contact, local(when)))
        assert r.status_code == 400
        shown = fds_error_of(r.text, "accepted_at")
        token = int(when.replace(second=0, microsecond=0).timestamp())
        # EPP's refusal for the same token, in Danish: the time as entered (Copenhagen
        # time), not the raw token in UTC
        answer = await epp.request(frames.domain_create("portal-made.dk", contact, NS,
                                                        token=token))
        assert answer.code == 2004 and assert_same_error(shown, answer) is None
        assert answer.msg.startswith(f"dkhm:orderconfirmationToken: >{token}< exceeds allowed")
        entered = when.astimezone(COPENHAGEN)
        assert f"{entered.day}.{entered.month}.{entered.year} kl. {entered:%H.%M}" in shown, shown
        assert str(token) not in shown and "UTC" not in shown, shown
        assert f'value="{local(when)}"' in r.text  # the form keeps what was entered
    assert await written(web) == before
    # other fields name theirs, with the catalogue's text
    r = await c.post(REGISTER, data=form(csrf, "NOSUCH-DK", local(now)))
    assert r.status_code == 400 and "findes ikke" in fds_error_of(r.text, "registrant")
    r = await c.post(REGISTER, data=form(csrf, contact, local(now), ns=NS[0]))
    assert r.status_code == 400 and fds_error_of(r.text, "ns")
    r = await c.post(REGISTER, data=form(csrf, contact, "yesterday"))
    assert r.status_code == 400 and fds_error_of(r.text, "accepted_at")
    assert await written(web) == before
    # each refused attempt that reached the action is audited with its code; the form
    # judges the time and the name-server list itself first (EPP's own rules), so those
    # never reach it
    assert [row.result_code for row in await web.registry.rows(
        "select result_code from audit where command = 'domain:create' and door = 'portal' "
        "order by id")] == [2303]


async def test_accounting_is_refused_also_by_direct_post(web) -> None:
    admin, handle, _email = await web.logged_in("administration")
    _epp, contact = await registrar_epp(web, handle)
    c, _handle, _email = await web.logged_in("accounting", handle=handle)
    csrf = await web.csrf(c, "/portal/")
    assert 'href="/portal/domains"' not in (await c.get("/portal/")).text
    assert (await c.get(REGISTER)).status_code == 403
    assert (await c.get(DOMAINS)).status_code == 403
    assert (await c.get(DOMAINS + "/portal-made.dk")).status_code == 403
    before = await written(web)
    r = await c.post(REGISTER, data=form(csrf, contact, local(web.registry.clock.now())))
    assert r.status_code == 403
    assert await written(web) == before
    assert await web.registry.scalar(
        "select count(*) from audit where command = 'portal_forbidden' "
        "and object = :p", p=REGISTER) == 2  # GET and POST of the form
    assert (await admin.get(REGISTER)).status_code == 200


async def test_register_needs_the_csrf_token(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    _epp, contact = await registrar_epp(web, handle)
    before = await written(web)
    data = form("", contact, local(web.registry.clock.now()))
    del data["csrf"]
    assert (await c.post(REGISTER, data=data)).status_code == 403
    data["csrf"] = "forged"
    assert (await c.post(REGISTER, data=data)).status_code == 403
    assert await written(web) == before


async def test_danish_and_english_texts(web) -> None:
    c, _handle, _email = await web.logged_in("portfolio")
    page = await c.get(REGISTER)
    assert "Punktum dk's vilkår accepteret — dato og tidspunkt" in html.unescape(page.text)
    await c.get("/lang/en?next=%2F")
    page = await c.get(REGISTER)
    assert "Punktum dk's terms accepted — date and time" in html.unescape(page.text)
    assert "register." not in page.text.replace("/portal/domains/register", "")

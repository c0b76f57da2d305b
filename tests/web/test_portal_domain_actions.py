"""Portfolio actions on a domain's page (issue 4, item 5): renew, delete, restore, name
servers, DS records, transfer tokens and a change of registrant, each through the same
action as EPP — checked afterwards through a real EPP client (info, poll, transfer) —
with EPP's result code and text on the page, EPP's message at the field on a refusal
(nothing written, the attempt audited), and the portal user named in the audit event
written with the change. Accounting is refused every page and POST; a foreign domain
is 404 and its history shows no other registrar's events."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import pytest

from dkreg.actions import pending
from dkreg.clock import COPENHAGEN
from dkreg.messages import CATALOGUE
from dkreg.messages_da import DANISH
from epp.helpers import NS
from epp.update_support import MORE_NS, SHA256, drain, ds_of, fingerprint, ready_registrar
from support import frames
from support.web_error import assert_same_error
from web.conftest import csrf_of
from web.test_portal_portfolio import error_of, local

DOMAIN = "portal-act.dk"
PAGE = f"/portal/domains/{DOMAIN}"


@pytest.fixture
async def ready(web):  # type: ignore[no-untyped-def]
    """A portfolio user of a registrar with the active domain, its EPP client and contact."""
    epp, handle, contact = await ready_registrar(web.registry, DOMAIN)
    email = await web.user(handle, "portfolio")
    return await web.login(email), epp, handle, contact, email


# a success text as the Danish page shows it -> the catalogue's English text (EPP's <msg>)
_ENGLISH_OF = {DANISH[reason]: english for reason, (code, english) in CATALOGUE.items()
               if code < 2000 and reason in DANISH}


def result_of(page: str) -> tuple[int, str]:
    """The result code and which catalogue text the page shows (in its own language),
    named by the English text EPP gives it."""
    code = re.search(r'id="result-code">(\d+)<', page)
    text = re.search(r'id="result-text">([^<]*)<', page)
    assert code and text, "no EPP result on the page"
    shown = html.unescape(text.group(1))
    return int(code.group(1)), _ENGLISH_OF.get(shown, shown)


async def act(c, action: str, page: str = PAGE, **data: str):  # type: ignore[no-untyped-def]
    r = await c.get(page)
    assert r.status_code == 200, r.text
    return await c.post(f"{page}/{action}", data={"csrf": csrf_of(r.text), **data})


async def state(web) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    """Everything a domain action may write, except the audit."""
    return (await fingerprint(web.registry, DOMAIN),
            await web.registry.scalar("select expires_at from domains where uname = :n",
                                      n=DOMAIN))


async def portal_events(web, email: str) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    return [(r.command, r.result_code, r.object) for r in await web.registry.rows(
        "select command, result_code, object from audit where door = 'portal' "
        "and actor = :a and command like 'domain:%' order by id", a=email)]


async def ex_date(epp) -> str:  # type: ignore[no-untyped-def]
    return (await epp.request(frames.domain_info(DOMAIN))).text(".//domain:exDate")


async def statuses(epp) -> list[str]:  # type: ignore[no-untyped-def]
    info = await epp.request(frames.domain_info(DOMAIN))
    return [s.get("s") for s in info.findall(".//domain:status")]


async def test_renew_moves_the_expiry_debits_and_is_in_the_history(web, ready) -> None:
    c, epp, handle, _contact, email = ready
    balance = "select balance_ore from registrars where handle = :h"
    before_balance = await web.registry.scalar(balance, h=handle)
    before = await ex_date(epp)
    page = await c.get(PAGE)
    ids = re.findall(r'\sid="([^"]+)"', page.text)
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    shown = re.search(r'name="cur_exp_date" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    # the expiry as a Copenhagen calendar day, as EPP clients compare it
    assert shown == datetime.fromisoformat(before.replace("Z", "+00:00")).astimezone(
        COPENHAGEN).date().isoformat()
    r = await act(c, "renew", cur_exp_date=shown, renew_period="2")
    assert r.status_code == 200, r.text
    assert result_of(r.text) == (1000, "Command completed successfully")
    after = await ex_date(epp)
    assert int(after[:4]) == int(before[:4]) + 2 and after[4:] == before[4:]
    assert await web.registry.scalar(balance, h=handle) == (
        before_balance - 2 * web.registry.settings.domain_price_ore)
    # the page shows the new date for the next renewal; the history names the user
    next_date = date.fromisoformat(shown).replace(year=int(shown[:4]) + 2)
    assert f'name="cur_exp_date" value="{next_date}"' in r.text
    assert await portal_events(web, email) == [("domain:renew", 1000, DOMAIN)]
    rows = re.findall(r'<tr class="event"><td>[^<]+</td><td>(\w+)</td><td>([^<]+)</td>'
                      r'<td>(\d+)</td><td>([^<]*)</td>', r.text)
    assert rows[0] == ("portal", "domain:renew", "1000", email)
    assert ("epp", "domain:create", "1001") in [row[:3] for row in rows]


async def test_a_stale_expiry_date_is_epps_2306_at_the_field(web, ready) -> None:
    c, epp, _handle, _contact, email = ready
    stale = (date.fromisoformat((await ex_date(epp))[:10]) - timedelta(days=365)).isoformat()
    before = await state(web)
    r = await act(c, "renew", cur_exp_date=stale, renew_period="1")
    assert r.status_code == 400
    answer = await epp.request(frames.domain_renew(DOMAIN, stale))
    assert answer.code == 2306
    assert assert_same_error(error_of(r.text, "cur_exp_date"), answer) is None
    assert await state(web) == before
    assert await portal_events(web, email) == [("domain:renew", 2306, DOMAIN)]
    # a value the form cannot read never reaches the action (Danish by default)
    r = await act(c, "renew", cur_exp_date=stale, renew_period="to")
    assert r.status_code == 400
    assert error_of(r.text, "renew_period") == "Periode skal være et helt antal år."
    assert "Skift navneservere" in r.text
    assert await state(web) == before and len(await portal_events(web, email)) == 1


async def test_delete_then_restore_as_epp(web, ready) -> None:
    c, epp, handle, _contact, email = ready
    page = await c.get(PAGE)
    assert 'id="restore-form"' not in page.text  # only in redemption
    r = await act(c, "delete")
    assert result_of(r.text) == (1001, "Command completed successfully; action pending")
    assert "pendingDelete" in await statuses(epp)
    assert 'id="restore-form"' in r.text
    r = await act(c, "restore", restore_reason="deleted by mistake")
    assert result_of(r.text) == (1000, "Command completed successfully")
    assert await statuses(epp) == ["ok"]
    sv_trid = await web.registry.scalar(
        "select sv_trid from audit where actor = :a and command = 'domain:update'", a=email)
    [(text, reply)] = await drain(epp)
    assert text == f"{DOMAIN} has been restored, extended and cancellation stopped"
    assert reply.text(".//domain:paTRID/epp:svTRID") == sv_trid  # type: ignore[attr-defined]
    # restoring outside redemption fails exactly like EPP
    before = await state(web)
    r = await act(c, "restore")
    answer = await epp.request(frames.domain_restore(DOMAIN))
    assert r.status_code == 400 and answer.code == 2304
    assert assert_same_error(error_of(r.text, "restore"), answer) is None
    assert await state(web) == before
    assert [e[:2] for e in await portal_events(web, email)] == [
        ("domain:delete", 1001), ("domain:update", 1000), ("domain:update", 2304)]


async def test_name_servers_are_the_whole_wanted_list(web, ready) -> None:
    c, epp, _handle, _contact, email = ready
    r = await act(c, "ns", ns=f"{NS[1]}\n{MORE_NS[0].upper()}.\n\n{MORE_NS[1]}")
    assert result_of(r.text) == (1000, "Command completed successfully")
    info = await epp.request(frames.domain_info(DOMAIN))
    assert sorted(h.text for h in info.findall(".//domain:hostObj")) == sorted(
        [NS[1], *MORE_NS])
    # the count rule is the action's: one name server is refused with EPP's text
    before = await state(web)
    r = await act(c, "ns", ns=NS[1])
    assert r.status_code == 400
    answer = await epp.request(frames.domain_update(DOMAIN, rem_ns=MORE_NS))
    assert answer.code == 2308
    assert assert_same_error(error_of(r.text, "ns"), answer) is None
    assert 'aria-describedby="ns-hint ns-error"' in r.text
    assert await state(web) == before
    assert await portal_events(web, email) == [("domain:update", 1000, DOMAIN),
                                               ("domain:update", 2308, DOMAIN)]


async def test_ds_records_add_remove_and_a_bad_digest(web, ready) -> None:
    c, epp, _handle, _contact, email = ready
    r = await act(c, "ds-add", key_tag="12345", alg="13", digest_type="2", digest=SHA256)
    assert result_of(r.text) == (1000, "Command completed successfully")
    info = await epp.request(frames.domain_info(DOMAIN))
    assert info.text(".//secDNS:dsData/secDNS:digest") == SHA256
    assert await ds_of(web.registry, DOMAIN) == [(12345, 13, 2, SHA256)]
    before = await state(web)
    r = await act(c, "ds-add", key_tag="2", alg="13", digest_type="2", digest="ABCD")
    assert r.status_code == 400
    answer = await epp.request(frames.domain_update(DOMAIN, ext=frames.secdns_update(
        add=[frames.ds_data(2, 13, 2, "ABCD")])))
    assert answer.code == 2004 and assert_same_error(error_of(r.text, "digest"), answer) is None
    assert await state(web) == before
    r = await act(c, "ds-remove", rem_key_tag="12345", rem_alg="13", rem_digest_type="2",
                  rem_digest=SHA256)
    assert result_of(r.text)[0] == 1000 and await ds_of(web.registry, DOMAIN) == []
    for tag in ("1", "2"):
        await act(c, "ds-add", key_tag=tag, alg="13", digest_type="2", digest=SHA256)
    assert len(await ds_of(web.registry, DOMAIN)) == 2
    r = await act(c, "ds-remove-all")
    assert result_of(r.text)[0] == 1000 and await ds_of(web.registry, DOMAIN) == []
    assert [e[1] for e in await portal_events(web, email)] == [1000, 2004, 1000, 1000, 1000,
                                                                1000]


async def test_token_transfer_by_another_registrar_and_the_histories(web, ready) -> None:
    c, epp, handle, _contact, email = ready
    r = await act(c, "retract")  # nothing live: still 1000, as EPP answers
    assert result_of(r.text)[0] == 1000
    r = await act(c, "token")
    assert result_of(r.text) == (1000, "Command completed successfully")
    [first] = re.findall(r"<code>(REG-TRANSFER-[0-9a-f]{32})</code>", r.text)
    r = await act(c, "retract")
    assert result_of(r.text)[0] == 1000 and "REG-TRANSFER-" not in r.text
    other, other_handle = await web.registry.registrar_client()
    assert (await other.request(frames.domain_transfer(DOMAIN, first))).code == 2202
    r = await act(c, "token")
    [token] = re.findall(r"<code>(REG-TRANSFER-[0-9a-f]{32})</code>", r.text)
    assert token != first
    answer = await other.request(frames.domain_transfer(DOMAIN, token))
    assert answer.code == 1000, answer.msg

    # the domain has left the portfolio: not listed, page and actions are 404
    listing = await c.get("/portal/domains")
    assert DOMAIN not in listing.text
    csrf = csrf_of(listing.text)
    assert (await c.get(PAGE)).status_code == 404
    assert (await c.post(f"{PAGE}/renew", data={"csrf": csrf})).status_code == 404
    # the new sponsor's history shows its own transfer, none of the old sponsor's events
    new_user = await web.login(await web.user(other_handle, "administration"))
    page = await new_user.get(PAGE)
    assert page.status_code == 200
    assert re.findall(r'<tr class="event"><td>[^<]+</td><td>(\w+)</td><td>([^<]+)</td>',
                      page.text) == [("epp", "domain:transfer")]
    assert email not in page.text
    assert await web.registry.scalar(
        "select count(*) from audit where actor = :a and object = :o", a=email, o=DOMAIN) == 4
    # (retract, token, retract, token: recorded, but not shown to the new sponsor)


async def new_contact(epp, email: str, *, verified: bool) -> str:  # type: ignore[no-untyped-def]
    r = await epp.request(frames.contact_create(verified=verified, dkhm="4.5", email=email))
    assert r.code == 1000, r.msg
    return r.text(".//contact:id")


async def test_change_of_registrant_pending_then_immediate(web, ready) -> None:
    c, epp, _handle, old, email = ready
    now = web.registry.clock.now()
    unchecked = await new_contact(epp, "ukendt@example.dk", verified=False)
    # the acceptance time follows EPP's token rule
    before = await state(web)
    late = now + timedelta(hours=25)
    r = await act(c, "registrant", new_registrant=unchecked, accepted_at=local(late))
    assert r.status_code == 400
    shown = error_of(r.text, "accepted_at")  # in Danish, the time as entered (Copenhagen)
    entered = late.astimezone(COPENHAGEN)
    assert shown.endswith("(EPP 2004)") and "dkhm:orderconfirmationToken" in shown, shown
    assert f"{entered.day}.{entered.month}.{entered.year} kl. {entered:%H.%M}" in shown, shown
    assert await state(web) == before

    r = await act(c, "registrant", new_registrant=unchecked, accepted_at=local(now))
    assert result_of(r.text) == (1001, "Command completed. Pending registrant accept")
    assert await statuses(epp) == ["pendingUpdate"]
    await drain(epp)  # the new registrant's check started
    request_id = await web.registry.scalar("select id from pending_requests")
    async with web.registry.db.begin() as conn:
        await pending.decide(web.registry.ctx(conn), request_id, "accepted")
    [(text, reply)] = await drain(epp)
    assert text == f"The registrant has been changed to {unchecked} for {DOMAIN}"
    assert reply.find(".//domain:name").get("paResult") == "1"  # type: ignore[attr-defined]
    assert (await epp.request(frames.domain_info(DOMAIN))).text(
        ".//domain:registrant") == unchecked

    r = await act(c, "registrant", new_registrant=old, accepted_at=local(now))
    assert result_of(r.text) == (1000, "Command completed successfully")
    assert (await epp.request(frames.domain_info(DOMAIN))).text(".//domain:registrant") == old
    assert f'id="registrant">{old}<' in r.text
    assert [e[:2] for e in await portal_events(web, email)] == [
        ("domain:update", 2004), ("domain:update", 1001), ("domain:update", 1000)]


ACTIONS = {"renew": {"cur_exp_date": "2027-06-01", "renew_period": "1"}, "delete": {},
           "restore": {}, "ns": {"ns": NS[0]}, "ds-add": {"key_tag": "1", "alg": "13",
           "digest_type": "2", "digest": SHA256}, "ds-remove": {}, "ds-remove-all": {},
           "token": {}, "retract": {}, "registrant": {"new_registrant": "X", "accepted_at": ""}}


async def test_accounting_and_forged_posts_change_nothing(web, ready) -> None:
    admin, _epp, handle, _contact, _email = ready
    c, _handle, _email = await web.logged_in("accounting", handle=handle)
    csrf = await web.csrf(c)
    assert (await c.get(PAGE)).status_code == 403
    assert 'href="/portal/contacts"' not in (await c.get("/portal/")).text
    before = await state(web)
    for action, data in ACTIONS.items():
        r = await c.post(f"{PAGE}/{action}", data={"csrf": csrf, **data})
        assert r.status_code == 403, action
    # a permitted user without (or with a forged) CSRF token is refused before the handler
    for forged in ({}, {"csrf": "forged"}):
        for action, data in ACTIONS.items():
            r = await admin.post(f"{PAGE}/{action}", data={**forged, **data})
            assert r.status_code == 403, action
    assert await state(web) == before
    assert await web.registry.scalar(
        "select count(*) from audit where door = 'portal' and command like 'domain:%'") == 0
    assert await web.registry.scalar(
        "select count(*) from audit where command = 'portal_forbidden'") == len(ACTIONS) + 1


async def test_a_foreign_domain_is_not_found(web, ready) -> None:
    c, _epp, _handle, _contact, _email = ready
    other, _other_handle = await web.registry.registrar_client()
    from epp.helpers import setup_registrant
    contact = await setup_registrant(other, email="fremmed@example.dk")
    r = await other.request(frames.domain_create("fremmed.dk", contact, NS,
                                                 token=web.registry.token()))
    assert r.code == 1001, r.msg
    await web.registry.tick()
    csrf = await web.csrf(c)
    assert (await c.get("/portal/domains/fremmed.dk")).status_code == 404
    for action in ACTIONS:
        r = await c.post(f"/portal/domains/fremmed.dk/{action}", data={"csrf": csrf})
        assert r.status_code == 404
    assert (await c.post(f"{PAGE}/no-such-action", data={"csrf": csrf})).status_code == 404
    assert await web.registry.scalar(
        "select count(*) from audit where door = 'portal' and object = 'fremmed.dk'") == 0


async def test_the_result_text_is_in_the_pages_language(web, ready) -> None:  # type: ignore[no-untyped-def]
    c, epp, *_ = ready
    page = (await c.get(PAGE)).text
    shown = re.search(r'name="cur_exp_date" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = await act(c, "renew", cur_exp_date=shown, renew_period="1")
    assert re.search(r'id="result-text">([^<]*)<', r.text).group(1) == DANISH["ok"]  # type: ignore[union-attr]
    c.cookies.set("dkreg_lang", "en")
    page = (await c.get(PAGE)).text
    shown = re.search(r'name="cur_exp_date" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = await act(c, "renew", cur_exp_date=shown, renew_period="1")
    assert re.search(r'id="result-text">([^<]*)<', r.text).group(1) == CATALOGUE["ok"][1]  # type: ignore[union-attr]

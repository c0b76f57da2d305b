"""Portfolio actions on a domain's page (issue 4, item 5; issue 13): renew, delete, restore,
name servers, DS records (named choices, or computed from a pasted DNSKEY), transfer codes
and a change of registrant, each through the same action as EPP — checked afterwards
through a real EPP client (info, poll, transfer). A change that went through answers 303
to the domain's page, which shows once what the action did (the real new expiry and the
amount the ledger debited); a refusal answers 400 with EPP's message at the field and in
the error summary, nothing written, the attempt audited. Delete and restore show what
they would do and run only when confirmed. Accounting is refused every page and POST; a
foreign domain is 404 and its history shows no other registrar's events."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import dns.dnssec
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import pytest

from dkreg.actions import pending
from dkreg.clock import COPENHAGEN
from dkreg.messages import CATALOGUE
from dkreg.messages_da import DANISH
from dkreg.model.money import format_amount
from epp.helpers import NS
from epp.update_support import MORE_NS, SHA256, drain, ds_of, fingerprint, ready_registrar
from support import frames
from support.web_error import assert_same_error
from web.conftest import csrf_of
from web.test_portal_portfolio import local

DOMAIN = "portal-act.dk"
PAGE = f"/portal/domains/{DOMAIN}"
# RFC 6605 §6.1's ECDSA P-256 key (its DS there is for example.net; here it is for DOMAIN)
P256_RDATA = ("257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb"
              "krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==")


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
    named by the English text EPP gives it (pages that answer with EPP's result)."""
    code = re.search(r'id="result-code">(\d+)<', page)
    text = re.search(r'id="result-text">([^<]*)<', page)
    assert code and text, "no EPP result on the page"
    shown = html.unescape(text.group(1))
    return int(code.group(1)), _ENGLISH_OF.get(shown, shown)


def field_error(page: str, field: str) -> str:
    """The error shown at a field (or at a form's own slot), in the design system's markup."""
    match = re.search(rf'id="{field}-error"><span class="sr-only">[^<]*</span>([^<]*)</span>',
                      page)
    assert match, f"no error on {field}"
    return html.unescape(match.group(1))


def summary_of(page: str) -> list[tuple[str, str]]:
    """(field, line) of each error in the summary at the top of the page."""
    return [(f, html.unescape(text)) for f, text in re.findall(
        r'<li data-field="([^"]+)"><a href="#[^"]+" class="function-link">([^<]*)</a>', page)]


def flash_of(page: str) -> str | None:
    match = re.search(r'id="flash">\s*<div class="alert-body">\s*<p class="alert-text">'
                      r'([^<]*)</p>', page)
    return html.unescape(match.group(1)) if match else None


async def act(c, action: str, page: str = PAGE, **data: str):  # type: ignore[no-untyped-def]
    r = await c.get(page)
    assert r.status_code == 200, r.text
    return await c.post(f"{page}/{action}", data={"csrf": csrf_of(r.text), **data})


async def changed(c, action: str, **data: str) -> str:  # type: ignore[no-untyped-def]
    """POST a change that goes through: 303 to the domain's page, whose summary is
    returned; the page shows it once, and reloading it repeats nothing."""
    r = await act(c, action, **data)
    assert r.status_code == 303, (r.status_code, r.text)
    assert r.headers["location"] == PAGE
    page = await c.get(PAGE)
    assert page.status_code == 200
    shown = flash_of(page.text)
    assert shown, "no summary after the redirect"
    assert flash_of((await c.get(PAGE)).text) is None  # once
    return shown


async def state(web) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    """Everything a domain action may write, except the audit."""
    return (await fingerprint(web.registry, DOMAIN),
            await web.registry.scalar("select expires_at from domains where uname = :n",
                                      n=DOMAIN),
            await web.registry.scalar("select sum(amount_ore) from ledger"))


async def portal_events(web, email: str) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    return [(r.command, r.result_code, r.object) for r in await web.registry.rows(
        "select command, result_code, object from audit where door = 'portal' "
        "and actor = :a and command like 'domain:%' order by id", a=email)]


async def last_debit(web, handle: str) -> int:  # type: ignore[no-untyped-def]
    """The amount of the registrar's newest ledger entry, as a positive debit."""
    return -await web.registry.scalar(
        "select l.amount_ore from ledger l join registrars r on r.id = l.registrar_id "
        "where r.handle = :h order by l.id desc limit 1", h=handle)


async def ex_date(epp) -> str:  # type: ignore[no-untyped-def]
    return (await epp.request(frames.domain_info(DOMAIN))).text(".//domain:exDate")


def local_day(epp_date: str) -> date:
    return datetime.fromisoformat(epp_date.replace("Z", "+00:00")).astimezone(
        COPENHAGEN).date()


async def statuses(epp) -> list[str]:  # type: ignore[no-untyped-def]
    info = await epp.request(frames.domain_info(DOMAIN))
    return [s.get("s") for s in info.findall(".//domain:status")]


async def test_renew_redirects_with_the_new_date_and_the_debit(web, ready) -> None:
    c, epp, handle, _contact, email = ready
    balance = "select balance_ore from registrars where handle = :h"
    before_balance = await web.registry.scalar(balance, h=handle)
    before = await ex_date(epp)
    page = await c.get(PAGE)
    ids = re.findall(r'\sid="([^"]+)"', page.text)
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    shown = re.search(r'name="cur_exp_date" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    # the expiry as a Copenhagen calendar day, as EPP clients compare it
    assert shown == local_day(before).isoformat()
    summary = await changed(c, "renew", cur_exp_date=shown, renew_period="2")
    after = await ex_date(epp)
    assert int(after[:4]) == int(before[:4]) + 2 and after[4:] == before[4:]
    debited = before_balance - await web.registry.scalar(balance, h=handle)
    assert debited == 2 * web.registry.settings.domain_price_ore == await last_debit(web, handle)
    assert summary == f"Fornyet til {local_day(after)}, {format_amount(debited, 'da')} trukket."
    # reloading repeated nothing; the page shows the new date for the next renewal and
    # the history names the user
    assert await web.registry.scalar(balance, h=handle) == before_balance - debited
    assert await portal_events(web, email) == [("domain:renew", 1000, DOMAIN)]
    page = await c.get(PAGE)
    next_date = date.fromisoformat(shown).replace(year=int(shown[:4]) + 2)
    assert f'name="cur_exp_date" value="{next_date}"' in page.text
    rows = re.findall(r'<tr class="event"><td>[^<]+</td><td>(\w+)</td><td>([^<]+)</td>'
                      r'<td>(\d+)</td><td>([^<]*)</td>', page.text)
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
    assert assert_same_error(field_error(r.text, "cur_exp_date"), answer) is None
    # every error in the summary at the top, linked to its place; the title says so
    assert summary_of(r.text) == [("cur_exp_date", "Nuværende udløbsdato: "
                                   + field_error(r.text, "cur_exp_date"))]
    assert 'href="#cur_exp_date"' in r.text and 'id="cur_exp_date" tabindex="-1"' in r.text
    assert re.search(r"<title>Fejl: ", r.text)
    assert await state(web) == before
    assert await portal_events(web, email) == [("domain:renew", 2306, DOMAIN)]
    # a value the form cannot read never reaches the action (Danish by default)
    r = await act(c, "renew", cur_exp_date=stale, renew_period="to")
    assert r.status_code == 400
    assert field_error(r.text, "renew_period") == "Periode skal være et helt antal år."
    assert 'id="renew_period" name="renew_period" value="to" aria-invalid="true"' in r.text
    assert "Skift navneservere" in r.text
    assert await state(web) == before and len(await portal_events(web, email)) == 1


async def test_delete_and_restore_ask_first_then_run_as_epp(web, ready) -> None:
    c, epp, handle, _contact, email = ready
    settings, today = web.registry.settings, web.registry.clock.now().astimezone(COPENHAGEN)
    page = await c.get(PAGE)
    assert 'id="restore-form"' not in page.text  # only in redemption
    before = await state(web)
    # the first POST only asks: domain, day and cost, a confirm button and a way back
    r = await act(c, "delete")
    assert r.status_code == 200
    assert "Slet portal-act.dk nu, " + today.date().isoformat() + "? Det koster 0,00 kr." in (
        html.unescape(r.text))
    until = (today + timedelta(days=settings.redemption_days)).date().isoformat()
    assert f"kan genoprettes indtil {until}" in r.text
    assert 'name="confirmed" value="1"' in r.text and 'id="cancel"' in r.text
    assert f'href="{PAGE}" class="button button-secondary" id="cancel"' in r.text
    assert await state(web) == before and await portal_events(web, email) == []
    # a GET asks the same
    asked = await c.get(PAGE + "?confirm=delete")
    assert "Det koster 0,00 kr." in asked.text and 'action="' + PAGE + '/delete"' in asked.text
    summary = await changed(c, "delete", confirmed="1")
    redemption = await web.registry.scalar(
        "select redemption_until from domains where uname = :n", n=DOMAIN)
    assert summary == (f"Sletning begyndt: {DOMAIN} er taget ud af zonen og slettes endeligt "
                       f"{until}, medmindre det genoprettes inden da.")
    assert until == (redemption if isinstance(redemption, datetime) else datetime.fromisoformat(
        str(redemption))).astimezone(COPENHAGEN).date().isoformat()
    assert "pendingDelete" in await statuses(epp)
    page = await c.get(PAGE)
    assert 'id="restore-form"' in page.text and "I genoprettelsesperioden" in page.text
    price = settings.domain_price_ore + settings.restore_fee_ore
    assert f"Genoprettelse koster {format_amount(price, 'da')}" in page.text

    # restore asks first too, naming the cost and the new expiry
    before = await state(web)
    r = await act(c, "restore", restore_reason="deleted by mistake")
    old_expiry = local_day(await ex_date(epp))
    new_expiry = old_expiry.replace(year=old_expiry.year + 1)
    assert r.status_code == 200 and html.unescape(r.text).count(
        f"Genopret {DOMAIN}? Det koster {format_amount(price, 'da')}, og domænet udløber "
        f"derefter {new_expiry}.") == 1
    assert 'name="restore_reason" value="deleted by mistake"' in r.text
    assert await state(web) == before and len(await portal_events(web, email)) == 1
    summary = await changed(c, "restore", restore_reason="deleted by mistake", confirmed="1")
    assert await last_debit(web, handle) == price
    assert local_day(await ex_date(epp)) == new_expiry
    assert summary == f"Genoprettet til {new_expiry}, {format_amount(price, 'da')} trukket."
    assert await statuses(epp) == ["ok"]
    sv_trid = await web.registry.scalar(
        "select sv_trid from audit where actor = :a and command = 'domain:update'", a=email)
    [(text, reply)] = await drain(epp)
    assert text == f"{DOMAIN} has been restored, extended and cancellation stopped"
    assert reply.text(".//domain:paTRID/epp:svTRID") == sv_trid  # type: ignore[attr-defined]
    # restoring outside redemption fails exactly like EPP, once confirmed
    before = await state(web)
    r = await act(c, "restore", confirmed="1")
    answer = await epp.request(frames.domain_restore(DOMAIN))
    assert r.status_code == 400 and answer.code == 2304
    assert assert_same_error(field_error(r.text, "restore"), answer) is None
    assert [f for f, _line in summary_of(r.text)] == ["restore"]
    assert await state(web) == before
    assert [e[:2] for e in await portal_events(web, email)] == [
        ("domain:delete", 1001), ("domain:update", 1000), ("domain:update", 2304)]


async def test_a_scheduled_deletion_names_its_day(web, ready) -> None:
    c, epp, _handle, _contact, email = ready
    day = (local_day(await ex_date(epp)) - timedelta(days=10)).isoformat()
    r = await act(c, "delete", del_date=day)
    assert f"Slet {DOMAIN} pr. {day}? Det koster 0,00 kr." in html.unescape(r.text)
    assert f'name="del_date" value="{day}"' in r.text
    assert await portal_events(web, email) == []
    # a day the form cannot read is its error, before anything is asked
    r = await act(c, "delete", del_date="5. januar")
    assert r.status_code == 400
    assert field_error(r.text, "del_date") == "Datoen skal angives som ÅÅÅÅ-MM-DD."
    c.cookies.set("dkreg_lang", "en")
    summary = await changed(c, "delete", del_date=day, confirmed="1")
    assert summary == (f"Deletion ordered for {day}. The domain works until then; a renewal "
                       "before then stops the deletion.")
    assert "pendingDelete" in await statuses(epp)
    assert await portal_events(web, email) == [("domain:delete", 1001, DOMAIN)]


async def test_name_servers_are_the_whole_wanted_list(web, ready) -> None:
    c, epp, _handle, _contact, email = ready
    summary = await changed(c, "ns", ns=f"{NS[1]}\n{MORE_NS[0].upper()}.\n\n{MORE_NS[1]}")
    assert summary == (f"Navneservere ændret: +{MORE_NS[0]}, +{MORE_NS[1]}, \u2212{NS[0]}.")
    info = await epp.request(frames.domain_info(DOMAIN))
    assert sorted(h.text for h in info.findall(".//domain:hostObj")) == sorted(
        [NS[1], *MORE_NS])
    # the same list again changes nothing, and says so
    assert await changed(c, "ns", ns="\n".join([NS[1], *MORE_NS])) == (
        "Navneserverne var allerede de ønskede; intet er ændret.")
    # the count rule is the action's: one name server is refused with EPP's text
    before = await state(web)
    r = await act(c, "ns", ns=NS[1])
    assert r.status_code == 400
    answer = await epp.request(frames.domain_update(DOMAIN, rem_ns=MORE_NS))
    assert answer.code == 2308
    assert assert_same_error(field_error(r.text, "ns"), answer) is None
    assert 'aria-describedby="ns-hint ns-error"' in r.text
    assert f">{NS[1]}</textarea>" in r.text  # re-filled
    assert await state(web) == before
    assert await portal_events(web, email) == [("domain:update", 1000, DOMAIN),
                                               ("domain:update", 1000, DOMAIN),
                                               ("domain:update", 2308, DOMAIN)]


async def test_ds_records_add_remove_and_a_bad_digest(web, ready) -> None:
    c, epp, _handle, _contact, email = ready
    page = (await c.get(PAGE)).text
    # algorithm and digest type are named choices, the usual ones preselected
    assert re.search(r'<select class="form-select" id="alg" name="alg"', page)
    assert '<option value="13" selected>13 — ECDSA P-256/SHA-256</option>' in page
    assert '<option value="15">15 — Ed25519</option>' in page
    assert '<option value="5">5 — RSA/SHA-1 (frarådes)</option>' in page
    assert '<option value="2" selected>2 — SHA-256</option>' in page
    assert '<option value="4">4 — SHA-384</option>' in page
    summary = await changed(c, "ds-add", key_tag="12345", alg="13", digest_type="2",
                            digest=SHA256)
    assert summary == "DS-post tilføjet (nøgle-ID 12345)."
    info = await epp.request(frames.domain_info(DOMAIN))
    assert info.text(".//secDNS:dsData/secDNS:digest") == SHA256
    assert await ds_of(web.registry, DOMAIN) == [(12345, 13, 2, SHA256)]
    assert "13 — ECDSA P-256/SHA-256</td>" in (await c.get(PAGE)).text
    before = await state(web)
    r = await act(c, "ds-add", key_tag="2", alg="13", digest_type="2", digest="ABCD")
    assert r.status_code == 400
    answer = await epp.request(frames.domain_update(DOMAIN, ext=frames.secdns_update(
        add=[frames.ds_data(2, 13, 2, "ABCD")])))
    assert answer.code == 2004
    assert assert_same_error(field_error(r.text, "digest"), answer) is None
    assert [f for f, _line in summary_of(r.text)] == ["digest"]
    assert await state(web) == before
    assert await changed(c, "ds-remove", rem_key_tag="12345", rem_alg="13",
                         rem_digest_type="2", rem_digest=SHA256) == (
        "DS-post fjernet (nøgle-ID 12345).")
    assert await ds_of(web.registry, DOMAIN) == []
    for tag in ("1", "2"):
        await changed(c, "ds-add", key_tag=tag, alg="13", digest_type="2", digest=SHA256)
    assert len(await ds_of(web.registry, DOMAIN)) == 2
    assert await changed(c, "ds-remove-all") == "Alle DS-poster er fjernet."
    assert await ds_of(web.registry, DOMAIN) == []
    assert [e[1] for e in await portal_events(web, email)] == [1000, 2004, 1000, 1000, 1000,
                                                                1000]


async def test_a_ds_record_computed_from_a_pasted_dnskey(web, ready) -> None:
    c, epp, _handle, _contact, email = ready
    key = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY, P256_RDATA)
    want = dns.dnssec.make_ds(dns.name.from_text(DOMAIN + "."), key, "SHA384")
    record = f"{DOMAIN}. 3600 IN DNSKEY ( {P256_RDATA[:53]}\n   {P256_RDATA[53:]} ) ; KSK"
    summary = await changed(c, "ds-dnskey", dnskey=record, dnskey_digest="4")
    assert summary == "DS-post beregnet af DNSKEY og tilføjet (nøgle-ID 55648, SHA-384)."
    assert await ds_of(web.registry, DOMAIN) == [(55648, 13, 4, want.digest.hex().upper())]
    info = await epp.request(frames.domain_info(DOMAIN))
    assert info.text(".//secDNS:dsData/secDNS:keyTag") == "55648"
    # what is wrong with a pasted text is said at the field; nothing reaches the action
    before = await state(web)
    for text, error in [
            (f"andet.dk. IN DNSKEY {P256_RDATA}", f"Posten gælder andet.dk, ikke {DOMAIN}."),
            (P256_RDATA[:53], "Den offentlige nøgle er 33 byte; ECDSA P-256/SHA-256-nøgler "
                              "er 64 byte. Mangler der en linje?"),
            (f"{DOMAIN}. IN DS 55648 13 2 {SHA256}",
             "Det er en DS-post, ikke en DNSKEY-post. En DS-post indtastes med felterne "
             "ovenfor.")]:
        r = await act(c, "ds-dnskey", dnskey=text, dnskey_digest="2")
        assert r.status_code == 400
        assert field_error(r.text, "dnskey") == error
        assert summary_of(r.text) == [("dnskey", f"DNSKEY-post: {error}")]
    r = await act(c, "ds-dnskey", dnskey=P256_RDATA, dnskey_digest="1")
    assert r.status_code == 400 and field_error(r.text, "dnskey_digest") == (
        "Vælg en af mulighederne.")
    assert await state(web) == before
    # the same DS again is the action's refusal (EPP's rule), at the DNSKEY field
    r = await act(c, "ds-dnskey", dnskey=record, dnskey_digest="4")
    assert r.status_code == 400
    assert field_error(r.text, "dnskey").endswith(f"55648 13 4 {want.digest.hex().upper()} "
                                                  "(EPP 2302)")
    assert [e[1] for e in await portal_events(web, email)] == [1000, 2302]


async def test_token_transfer_by_another_registrar_and_the_histories(web, ready) -> None:
    c, epp, handle, _contact, email = ready
    # nothing live: still done, as EPP answers 1000
    assert await changed(c, "retract") == "Overførselskoderne er tilbagekaldt."
    summary = await changed(c, "token")
    page = (await c.get(PAGE)).text
    [first] = re.findall(r"<code>(REG-TRANSFER-[0-9a-f]{32})</code>", page)
    valid = web.registry.clock.now() + timedelta(days=web.registry.settings.auth_token_days)
    assert summary == (f"Ny overførselskode oprettet, gyldig til "
                       f"{valid.astimezone(COPENHAGEN).date()}. Den står under "
                       "Overførselskoder.")
    assert "Overførsel til anden registrar" in page
    await changed(c, "retract")
    assert "REG-TRANSFER-" not in (await c.get(PAGE)).text
    other, other_handle = await web.registry.registrar_client()
    assert (await other.request(frames.domain_transfer(DOMAIN, first))).code == 2202
    await changed(c, "token")
    [token] = re.findall(r"<code>(REG-TRANSFER-[0-9a-f]{32})</code>", (await c.get(PAGE)).text)
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
    page = (await new_user.get(PAGE)).text
    assert re.findall(r'<tr class="event"><td>[^<]+</td><td>(\w+)</td><td>([^<]+)</td>',
                      page) == [("epp", "domain:transfer")]
    assert email not in page
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
    shown = field_error(r.text, "accepted_at")  # in Danish, the time as entered (Copenhagen)
    entered = late.astimezone(COPENHAGEN)
    assert shown.endswith("(EPP 2004)") and "dkhm:orderconfirmationToken" in shown, shown
    assert f"{entered.day}.{entered.month}.{entered.year} kl. {entered:%H.%M}" in shown, shown
    assert f'name="new_registrant" value="{unchecked}"' in r.text  # re-filled
    assert await state(web) == before

    summary = await changed(c, "registrant", new_registrant=unchecked.lower(),
                            accepted_at=local(now))
    assert summary.startswith(f"Skiftet til {unchecked} afventer den nye registrants "
                              "ID-kontrol, som nu er startet."), summary
    assert await statuses(epp) == ["pendingUpdate"]
    assert "Ændring afventer" in (await c.get(PAGE)).text
    await drain(epp)  # the new registrant's check started
    request_id = await web.registry.scalar("select id from pending_requests")
    async with web.registry.db.begin() as conn:
        await pending.decide(web.registry.ctx(conn), request_id, "accepted")
    [(text, reply)] = await drain(epp)
    assert text == f"The registrant has been changed to {unchecked} for {DOMAIN}"
    assert reply.find(".//domain:name").get("paResult") == "1"  # type: ignore[attr-defined]
    assert (await epp.request(frames.domain_info(DOMAIN))).text(
        ".//domain:registrant") == unchecked

    summary = await changed(c, "registrant", new_registrant=old, accepted_at=local(now))
    assert summary == f"Registranten er skiftet til {old}."
    assert (await epp.request(frames.domain_info(DOMAIN))).text(".//domain:registrant") == old
    assert f'id="registrant">{old}<' in (await c.get(PAGE)).text
    assert [e[:2] for e in await portal_events(web, email)] == [
        ("domain:update", 2004), ("domain:update", 1001), ("domain:update", 1000)]


async def test_a_registrant_change_fee_is_in_the_summary(web, ready, monkeypatch) -> None:
    c, epp, handle, _old, _email = ready
    monkeypatch.setattr(web.registry.settings, "registrant_change_fee_ore", 12_550)
    checked = await new_contact(epp, "kendt@example.dk", verified=True)
    c.cookies.set("dkreg_lang", "en")
    summary = await changed(c, "registrant", new_registrant=checked,
                            accepted_at=local(web.registry.clock.now()))
    assert await last_debit(web, handle) == 12_550
    assert summary == f"The registrant has been changed to {checked}, DKK 125.50 debited."


ACTIONS = {"renew": {"cur_exp_date": "2027-06-01", "renew_period": "1"},
           "delete": {"confirmed": "1"}, "restore": {"confirmed": "1"}, "ns": {"ns": NS[0]},
           "ds-add": {"key_tag": "1", "alg": "13", "digest_type": "2", "digest": SHA256},
           "ds-dnskey": {"dnskey": P256_RDATA, "dnskey_digest": "2"}, "ds-remove": {},
           "ds-remove-all": {}, "token": {}, "retract": {},
           "registrant": {"new_registrant": "X", "accepted_at": ""}}


async def test_accounting_and_forged_posts_change_nothing(web, ready) -> None:
    admin, _epp, handle, _contact, _email = ready
    c, _handle, _email = await web.logged_in("accounting", handle=handle)
    csrf = await web.csrf(c)
    assert (await c.get(PAGE)).status_code == 403
    assert (await c.get(PAGE + "?confirm=delete")).status_code == 403
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
        "select count(*) from audit where command = 'portal_forbidden'") == len(ACTIONS) + 2


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
    assert (await c.get("/portal/domains/fremmed.dk?confirm=delete")).status_code == 404
    for action, data in ACTIONS.items():
        r = await c.post(f"/portal/domains/fremmed.dk/{action}", data={"csrf": csrf, **data})
        assert r.status_code == 404
    assert (await c.post(f"{PAGE}/no-such-action", data={"csrf": csrf})).status_code == 404
    assert await web.registry.scalar(
        "select count(*) from audit where door = 'portal' and object = 'fremmed.dk'") == 0


async def test_the_summary_is_in_the_readers_language(web, ready) -> None:
    c, epp, handle, *_ = ready
    price = web.registry.settings.domain_price_ore
    shown = local_day(await ex_date(epp))
    summary = await changed(c, "renew", cur_exp_date=shown.isoformat(), renew_period="1")
    new = shown.replace(year=shown.year + 1)
    assert summary == f"Fornyet til {new}, {format_amount(price, 'da')} trukket."
    c.cookies.set("dkreg_lang", "en")
    summary = await changed(c, "renew", cur_exp_date=new.isoformat(), renew_period="1")
    assert summary == f"Renewed until {new.replace(year=new.year + 1)}, DKK 45.00 debited."
    assert await last_debit(web, handle) == price == 4500
    page = (await c.get(PAGE)).text
    assert "Active <span" in page and "Price: DKK 45.00 a year." in page

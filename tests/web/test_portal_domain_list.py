"""The portal's domain list (issue 13, lists): filters by status, expiry window and
registrant, alone and combined with the name search, sort and pager; a filter value that
makes no sense is a field error (400); the CSV exports of domains and contacts (format,
filter, privileges, formula guard); bulk renew and bulk name-server change, each domain
its own command with its own audit event, answered by a per-domain result page (PRG).
Both backends (the ``web`` fixture)."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from dkreg.actions.domain.renew import local_date
from dkreg.store.schema import contacts, domains
from epp.helpers import NS, setup_registrant
from support import PASSWORD, frames
from web.conftest import Web, csrf_of

LIST = "/portal/domains"
BULK = "/portal/domains/bulk"
MORE_NS = ["ns3.example.net", "ns4.example.net"]


@dataclass
class Portfolio:
    client: httpx.AsyncClient
    handle: str
    hansen: str  # kontakt-ID of "Jens Hansen" (alfa, gamma, delta)
    jensen: str  # kontakt-ID of "Mette Jensen" (beta)


async def portfolio(web: Web, group: str = "administration") -> Portfolio:
    """alfa.dk (ok, a year ahead), beta.dk (ok, expires in 20 days, another registrant),
    gamma.dk (serverHold, expired 5 days ago), delta.dk (an application, pendingCreate);
    and another registrar's other.dk, which no list of ours shows."""
    c, handle, _email = await web.logged_in(group)
    login = await web.registry.scalar(
        "select u.login from users u join registrars r on r.id = u.registrar_id "
        "where r.handle = :h and u.service = 'epp'", h=handle)
    epp = await web.registry.client(login, PASSWORD)
    hansen = await setup_registrant(epp)
    r = await epp.request(frames.contact_create(name="Mette Jensen", email="mette@example.dk",
                                                verified=True, dkhm="4.5"))
    assert r.code == 1000, r.msg
    jensen = r.text(".//contact:id")
    for name in MORE_NS:
        assert (await epp.request(frames.host_create(name))).code == 1000
    for name, who in (("alfa.dk", hansen), ("beta.dk", jensen), ("gamma.dk", hansen)):
        r = await epp.request(frames.domain_create(name, who, NS, token=web.registry.token()))
        assert r.code == 1001, r.msg
    other_epp, other_handle = await web.registry.registrar_client()
    other_contact = await setup_registrant(other_epp)
    r = await other_epp.request(frames.domain_create("other.dk", other_contact, NS,
                                                     token=web.registry.token()))
    assert r.code == 1001, r.msg
    await web.registry.tick()
    r = await epp.request(frames.domain_create("delta.dk", hansen, NS,
                                               token=web.registry.token()))
    assert r.code == 1001, r.msg
    now = web.registry.clock.now()
    async with web.registry.db.begin() as conn:
        await conn.execute(update(domains).where(domains.c.name == "beta.dk")
                           .values(expires_at=now + timedelta(days=20)))
        await conn.execute(update(domains).where(domains.c.name == "gamma.dk")
                           .values(expires_at=now - timedelta(days=5), statuses="serverHold"))
    return Portfolio(c, handle, hansen, jensen)


def shown(page: httpx.Response) -> list[str]:
    return re.findall(r'<tr data-domain="([^"]+)"', page.text)


def field_error(page: str, field: str) -> str:
    match = re.search(rf'id="{field}-error"><span class="sr-only">[^<]*</span>([^<]*)</span>',
                      page)
    assert match, f"no error at {field}"
    return html.unescape(match.group(1))


async def expiry_of(web: Web, name: str) -> object:
    async with web.registry.db.read() as conn:
        return (await conn.execute(select(domains.c.expires_at)
                                   .where(domains.c.name == name))).scalar_one()


# --- filters ------------------------------------------------------------------------------

async def test_each_filter_alone(web: Web) -> None:
    p = await portfolio(web)
    c = p.client

    async def names(**params: str) -> list[str]:
        page = await c.get(LIST, params=params)
        assert page.status_code == 200, page.text
        return shown(page)

    assert await names() == ["alfa.dk", "beta.dk", "delta.dk", "gamma.dk"]
    assert await names(status="ok") == ["alfa.dk", "beta.dk"]
    assert await names(status="serverHold") == ["gamma.dk"]
    assert await names(status="pendingCreate") == ["delta.dk"]
    assert await names(status="pendingDelete") == []
    assert await names(expiry="30") == ["beta.dk"]
    assert await names(expiry="90") == ["beta.dk"]
    assert await names(expiry="expired") == ["gamma.dk"]
    alfa = local_date(await expiry_of(web, "alfa.dk"))  # type: ignore[arg-type]
    assert await names(expires_from=alfa.isoformat()) == ["alfa.dk"]
    assert await names(expires_from=alfa.isoformat(), expires_to=alfa.isoformat()) == [
        "alfa.dk"]
    assert await names(expires_to=(alfa - timedelta(days=1)).isoformat()) == [
        "beta.dk", "gamma.dk"]
    assert await names(registrant=p.jensen.lower()) == ["beta.dk"]
    assert await names(registrant="HANSEN") == ["alfa.dk", "delta.dk", "gamma.dk"]
    assert await names(registrant="mette jen") == ["beta.dk"]
    assert await names(registrant="nobody-like-this") == []
    # the statuses in words, the registrant's kontakt-ID in its column
    page = await c.get(LIST, params={"status": "serverHold"})
    held = "På hold (ikke i zonen)"  # the domain page's words (texts/domain_page)
    assert f'<span class="dkreg-status" data-status="serverHold">{held}</span>' in page.text
    assert f'<td data-title="Registrant">{p.hansen}</td>' in page.text
    assert f'<option value="serverHold" selected>{held}</option>' in page.text


async def test_filters_combine_with_search_sort_and_pager(web: Web, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    p = await portfolio(web)
    c = p.client
    page = await c.get(LIST, params={"q": "a", "registrant": p.hansen, "status": "ok"})
    assert shown(page) == ["alfa.dk"]
    page = await c.get(LIST, params={"registrant": "hansen", "sort": "expiry"})
    assert shown(page) == ["gamma.dk", "alfa.dk", "delta.dk"]  # no expiry (application) last
    assert 'id="domain-count" role="status">3 domæner<' in page.text
    page = await c.get(LIST, params={"status": "ok", "expiry": "30", "q": "beta"})
    assert shown(page) == ["beta.dk"]

    # the pager and the sort links keep the filter
    from dkreg.actions.portal import portfolio_domains
    monkeypatch.setattr(portfolio_domains, "PAGE_SIZE", 1)
    page = await c.get(LIST, params={"registrant": "hansen", "sort": "expiry"})
    assert shown(page) == ["gamma.dk"]
    nxt = html.unescape(re.search(r'<a href="([^"]+)" rel="next"', page.text).group(1))  # type: ignore[union-attr]
    assert nxt == "/portal/domains?sort=expiry&registrant=hansen&page=2"
    assert shown(await c.get(nxt)) == ["alfa.dk"]
    sort = html.unescape(re.search(r'<a href="([^"]+)" id="sort-name"', page.text).group(1))  # type: ignore[union-attr]
    assert sort == "/portal/domains?sort=name&registrant=hansen"
    csv_link = html.unescape(re.search(r'<a href="([^"]+)" id="csv-link"', page.text).group(1))  # type: ignore[union-attr]
    assert csv_link == "/portal/domains.csv?sort=expiry&registrant=hansen"


async def test_bad_filter_values_are_field_errors(web: Web) -> None:
    p = await portfolio(web)
    c = p.client
    cases = [({"status": "hacked"}, "status", "Vælg en af statusserne på listen."),
             ({"expiry": "7"}, "expiry", "Vælg et af tidsrummene på listen."),
             ({"expires_from": "2027-13-01"}, "expires_from",
              "Skriv datoen som åååå-mm-dd, fx 2027-01-31."),
             ({"expires_to": "31-01-2027"}, "expires_to",
              "Skriv datoen som åååå-mm-dd, fx 2027-01-31."),
             ({"expires_from": "2027-02-01", "expires_to": "2027-01-01"}, "expires_to",
              "Slutdatoen ligger før startdatoen.")]
    for params, field, message in cases:
        page = await c.get(LIST, params={"q": "alfa", **params})
        assert page.status_code == 400, (params, page.status_code)
        assert field_error(page.text, field) == message
        assert "<title>Fejl: " in page.text
        assert f'<li data-field="{field}"><a href="#{field}"' in page.text  # the summary
        assert shown(page) == []  # no list filtered by something else
        assert 'value="alfa"' in page.text  # the form as sent
        csv_page = await c.get(LIST + ".csv", params=params)
        assert csv_page.status_code == 400 and field_error(csv_page.text, field) == message
    en = await c.get(LIST, params={"status": "hacked"}, headers={"Accept-Language": "en"},
                     cookies={"dkreg_lang": "en"})
    assert en.status_code == 400
    assert field_error(en.text, "status") == "Choose one of the statuses in the list."


# --- CSV ----------------------------------------------------------------------------------

def read_csv(r: httpx.Response) -> list[list[str]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"].startswith('attachment; filename="')
    assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    text = r.content.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.split("\r\n", 1)[0].count("\n") == 0  # CRLF
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


async def test_domains_csv_is_the_filtered_portfolio(web: Web, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    p = await portfolio(web)
    rows = read_csv(await p.client.get(LIST + ".csv"))
    assert rows[0] == ["Domæne", "A-label", "Status (EPP)", "Status", "Udløber", "Oprettet",
                       "Registrant (kontakt-ID)", "Registrantens navn"]
    assert [r[0] for r in rows[1:]] == ["alfa.dk", "beta.dk", "delta.dk", "gamma.dk"]
    gamma = rows[4]
    now = web.registry.clock.now()
    assert gamma[2:5] == ["serverHold", "På hold (ikke i zonen)",
                          local_date(now - timedelta(days=5)).isoformat()]
    assert gamma[5] == local_date(now).isoformat() and gamma[6:] == [p.hansen, "Jens Hansen"]
    assert rows[3][4] == ""  # the application has no expiry yet

    filtered = read_csv(await p.client.get(LIST + ".csv", params={"status": "ok",
                                                                  "registrant": "jensen"}))
    assert [r[0] for r in filtered[1:]] == ["beta.dk"]
    en = read_csv(await p.client.get(LIST + ".csv", cookies={"dkreg_lang": "en"}))
    assert en[0][0] == "Domain" and en[4][3] == "On hold (not in the zone)"

    # read in chunks (keyset by name): every domain once
    from dkreg.web.portal import exports
    monkeypatch.setattr(exports, "CHUNK", 1)
    assert [r[0] for r in read_csv(await p.client.get(LIST + ".csv"))[1:]] == [
        "alfa.dk", "beta.dk", "delta.dk", "gamma.dk"]


async def test_contacts_csv_guards_formulas(web: Web) -> None:
    p = await portfolio(web)
    async with web.registry.db.begin() as conn:
        await conn.execute(update(contacts).where(contacts.c.handle == p.hansen)
                           .values(name="=HYPERLINK(\"http://evil.example\")",
                                   org="+45 tal", city="-2+3"))
        await conn.execute(update(contacts).where(contacts.c.handle == p.jensen)
                           .values(name="@SUM(A1)", org="Mette; \"ApS\"\nAfd. 2"))
    page = await p.client.get("/portal/contacts")
    assert 'href="/portal/contacts.csv" id="csv-link"' in page.text
    rows = read_csv(await p.client.get("/portal/contacts.csv"))
    assert rows[0] == ["Kontakt-ID", "Navn", "Organisation", "E-mail", "Telefon", "Land",
                       "By", "Oprettet"]
    by_handle = {r[0]: r for r in rows[1:]}
    assert set(by_handle) == {p.hansen, p.jensen}  # not the other registrar's
    assert by_handle[p.hansen][1:3] == ["'=HYPERLINK(\"http://evil.example\")", "'+45 tal"]
    assert by_handle[p.hansen][6] == "'-2+3"
    assert by_handle[p.jensen][1:3] == ["'@SUM(A1)", "Mette; \"ApS\"\nAfd. 2"]
    assert by_handle[p.jensen][3:5] == ["mette@example.dk", "'+45.12345678"]
    assert by_handle[p.jensen][7] == local_date(web.registry.clock.now()).isoformat()
    # the contact list's search
    only = read_csv(await p.client.get("/portal/contacts.csv", params={"q": "mette"}))
    assert [r[0] for r in only[1:]] == [p.jensen]
    # the domain export guards the same way
    domain_rows = read_csv(await p.client.get(LIST + ".csv", params={"q": "alfa"}))
    assert domain_rows[1][7] == "'+45 tal"


async def test_csv_needs_the_lists_privileges(web: Web) -> None:
    c, _handle, _email = await web.logged_in("accounting")
    assert (await c.get(LIST + ".csv")).status_code == 403
    assert (await c.get("/portal/contacts.csv")).status_code == 403
    anonymous = web.client()
    r = await anonymous.get(LIST + ".csv")
    assert r.status_code == 303 and r.headers["location"].startswith("/portal/login")


# --- bulk ---------------------------------------------------------------------------------

def picks(page: str, *names: str) -> list[str]:
    """The checkbox values of ``names`` as the list page offers them."""
    values = re.findall(r'name="domain" class="form-checkbox" value="([^"]+)"', page)
    return [v for v in values if v.split(" ")[0] in names]


async def bulk_form(c: httpx.AsyncClient, action: str, *names: str, period: str = "1",
                    ns: str = "", params: dict[str, str] | None = None
                    ) -> dict[str, object]:
    page = await c.get(LIST, params=params or {})
    assert page.status_code == 200
    return {"csrf": csrf_of(page.text), "back": html.unescape(
        re.search(r'name="back" value="([^"]*)"', page.text).group(1)),  # type: ignore[union-attr]
        "domain": picks(page.text, *names), "action": action, "bulk_period": period,
        "bulk_ns": ns}


async def test_bulk_renew_one_refused_others_renewed(web: Web) -> None:
    p = await portfolio(web)
    c = p.client
    before = {n: await expiry_of(web, n) for n in ("alfa.dk", "beta.dk", "gamma.dk")}
    balance = await web.registry.scalar("select balance_ore from registrars where handle = :h",
                                        h=p.handle)
    form = await bulk_form(c, "renew", "alfa.dk", "beta.dk", "gamma.dk", period="2")
    assert len(form["domain"]) == 3  # type: ignore[arg-type]
    r = await c.post(BULK, data=form)
    assert r.status_code == 303, r.text
    result_url = r.headers["location"]
    assert re.fullmatch(r"/portal/domains/bulk/[A-Za-z0-9_-]{20,}", result_url)

    for name in ("alfa.dk", "beta.dk"):  # two years on, each from its own expiry
        after = await expiry_of(web, name)
        assert local_date(after) == local_date(before[name]).replace(  # type: ignore[arg-type]
            year=local_date(before[name]).year + 2)  # type: ignore[arg-type]
    assert await expiry_of(web, "gamma.dk") == before["gamma.dk"]
    price = web.registry.settings.domain_price_ore * 2
    assert await web.registry.scalar("select balance_ore from registrars where handle = :h",
                                     h=p.handle) == balance - 2 * price  # type: ignore[operator]
    events = await web.registry.rows(
        "select object, result_code, door from audit where command = 'domain:renew' "
        "order by object")
    assert [(e.object, e.result_code, e.door) for e in events] == [
        ("alfa.dk", 1000, "portal"), ("beta.dk", 1000, "portal"), ("gamma.dk", 2105, "portal")]

    page = await c.get(result_url)
    assert page.status_code == 200
    assert 'id="flash"' in page.text and "2 fornyet, 1 afvist" in page.text
    rows = re.findall(r'<tr data-domain="([^"]+)" data-ok="(yes|no)">.*?'
                      r'<td class="bulk-outcome"[^>]*>(?:<svg.*?</svg>)?([^<]*)</td>\s*'
                      r'<td class="num bulk-code"[^>]*>(\d+)</td>\s*'
                      r'<td class="bulk-detail"[^>]*>([^<]*)</td>', page.text, re.S)
    new_alfa = local_date(await expiry_of(web, "alfa.dk")).isoformat()  # type: ignore[arg-type]
    assert rows[0] == ("alfa.dk", "yes", "Fornyet", "1000", f"Udløber nu {new_alfa}")
    assert rows[1][:4] == ("beta.dk", "yes", "Fornyet", "1000")
    assert rows[2][:4] == ("gamma.dk", "no", "Afvist", "2105")
    assert "(EPP 2105)" in rows[2][4]
    # a reload shows the result again and runs nothing
    again = await c.get(result_url)
    assert again.status_code == 200 and 'id="flash"' not in again.text
    assert len(await web.registry.rows(
        "select 1 from audit where command = 'domain:renew'")) == 3
    # the same form sent again renews nothing (curExpDate as the list showed it)
    r = await c.post(BULK, data=form)
    assert r.status_code == 303
    page = await c.get(r.headers["location"])
    assert page.text.count('data-ok="no"') == 3
    assert "(EPP 2306)" in page.text
    assert local_date(await expiry_of(web, "alfa.dk")).isoformat() == new_alfa  # type: ignore[arg-type]
    # in English, the refusal in English
    en = await c.get(result_url, cookies={"dkreg_lang": "en"})
    assert "Refused" in en.text and "Renewed" in en.text
    # only the user who ran it sees it
    other, _h, _e = await web.logged_in("administration", handle=p.handle)
    assert (await other.get(result_url)).status_code == 404


async def test_bulk_name_server_change(web: Web) -> None:
    p = await portfolio(web)
    c = p.client
    form = await bulk_form(c, "ns", "alfa.dk", "beta.dk", "delta.dk",
                           ns=f" {MORE_NS[0].upper()}.\r\n{MORE_NS[1]}\n\n{MORE_NS[0]}")
    r = await c.post(BULK, data=form)
    assert r.status_code == 303, r.text
    for name in ("alfa.dk", "beta.dk"):
        hosts = await web.registry.rows(
            "select h.name from domain_ns n join hosts h on h.id = n.host_id "
            "join domains d on d.id = n.domain_id where d.name = :n and d.released_at is null "
            "order by h.name", n=name)
        assert [h.name for h in hosts] == MORE_NS
    events = await web.registry.rows(
        "select object, result_code from audit where command = 'domain:update' "
        "and door = 'portal' order by object")
    codes = {e.object: e.result_code for e in events}
    assert codes["alfa.dk"] == codes["beta.dk"] == 1000 and codes["delta.dk"] >= 2000
    page = await c.get(r.headers["location"])
    assert page.text.count('data-ok="yes"') == 2 and page.text.count('data-ok="no"') == 1
    assert f'data-title="Ny udløbsdato, navneservere eller fejl">{MORE_NS[0]}, {MORE_NS[1]}</td>' \
        in page.text
    assert "Navneservere skiftet" in page.text


async def test_bulk_form_refusals_show_the_list_again(web: Web) -> None:
    p = await portfolio(web)
    c = p.client
    before = await web.registry.scalar("select count(*) from audit")
    form = await bulk_form(c, "renew", params={"status": "ok"})
    r = await c.post(BULK, data=form)
    assert r.status_code == 400
    assert "Vælg mindst ét domæne i tabellen." in r.text
    assert '<li data-field="selection"><a href="#selection"' in r.text
    assert shown(r) == ["alfa.dk", "beta.dk"]  # the list as it was (status=ok)

    form = await bulk_form(c, "ns", "alfa.dk")
    r = await c.post(BULK, data=form)
    assert r.status_code == 400
    assert field_error(r.text, "bulk_ns") == "Skriv mindst én navneserver, én pr. linje."
    assert 'value="alfa.dk ' in r.text and " checked>" in r.text  # the ticks kept

    form = await bulk_form(c, "renew", "alfa.dk")
    form["domain"] = [f"d{i}.dk" for i in range(101)]
    r = await c.post(BULK, data=form)
    assert r.status_code == 400
    assert "Vælg højst 100 domæner ad gangen (du valgte 101)." in html.unescape(r.text)
    assert await web.registry.scalar("select count(*) from audit") == before  # nothing ran

    # the privilege and the CSRF token, as every portal POST
    form = await bulk_form(c, "renew", "alfa.dk")
    form["csrf"] = "wrong"
    assert (await c.post(BULK, data=form)).status_code == 403
    accounting, _h, _e = await web.logged_in("accounting", handle=p.handle)
    csrf = await web.csrf(accounting)
    r = await accounting.post(BULK, data={"csrf": csrf, "action": "renew",
                                          "domain": ["alfa.dk"]})
    assert r.status_code == 403
    assert await web.registry.scalar(
        "select count(*) from audit where command = 'domain:renew'") == 0

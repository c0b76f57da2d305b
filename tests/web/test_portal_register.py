"""The portal's "register a domain" (issue 13 §2): a registrant picked or made inline, the
missing name servers made in the same step (glue only under .dk), the acceptance time
empty and never in the future, the price, every field error at once, and Post/Redirect/
Get to the application's page, which shows the outcome and its risk assessment once the
registry has processed it. Each step is EPP's own action, audited as EPP's command."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

from dkreg.clock import COPENHAGEN
from epp.helpers import NS
from support import PASSWORD, frames
from web.conftest import csrf_of
from web.test_portal_portfolio import registrar_epp

REGISTER = "/portal/domains/register"


def local(when: datetime) -> str:
    return when.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")


def field_error(page: str, field: str) -> str:
    """The error fds.field shows under ``field`` (its screen-reader prefix left out)."""
    match = re.search(rf'<span class="form-error-message" id="{re.escape(field)}-error">'
                      r'<span class="sr-only">[^<]*</span>([^<]*)</span>', page)
    assert match, f"no error on {field}"
    return html.unescape(match.group(1))


def listed(page: str) -> list[str]:
    """The fields the error summary names, in its order."""
    box = page.split('id="errors"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li data-field="([^"]+)">', box)


def form(csrf: str, **kw: str) -> dict[str, str]:
    data = {"csrf": csrf, "name": "portal-made.dk", "registrant_source": "existing",
            "registrant": "", "ns": "\n".join(NS), "period": "1", "accepted_at": ""}
    data.update(kw)
    return data


def new_registrant(**kw: str) -> dict[str, str]:
    data = {"registrant_source": "new", "new_user_type": "individual",
            "new_name": "Karen Blixen", "new_street1": "Rungsted Strandvej 111",
            "new_pc": "2960", "new_city": "Rungsted Kyst", "new_cc": "DK",
            "new_voice": "+45.12345678", "new_email": "karen@example.dk"}
    data.update(kw)
    return data


async def counts(web: Any) -> tuple[object, ...]:
    return (await web.registry.scalar("select count(*) from domains"),
            await web.registry.scalar("select count(*) from contacts"),
            await web.registry.scalar("select count(*) from hosts"),
            await web.registry.scalar("select count(*) from applications"))


async def test_the_form_starts_without_a_time_and_shows_rule_price_and_contacts(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    _epp, contact = await registrar_epp(web, handle)
    other = await web.registrar()
    _other_epp, foreign = await registrar_epp(web, other)
    page = await c.get(REGISTER)
    assert page.status_code == 200
    now = web.registry.clock.now()
    text = html.unescape(page.text)
    # empty, at most the registry clock's minute (Copenhagen time), and the hint says so
    assert (f'type="datetime-local" id="accepted_at" name="accepted_at" value="" '
            f'aria-describedby="accepted_at-hint" required max="{local(now)}"') in page.text
    assert "kan ikke ligge i fremtiden" in text
    # the price of each period, and of the chosen one
    assert '<option value="1" selected>1 år — 45,00 kr.</option>' in text
    assert '<option value="3">3 år — 135,00 kr.</option>' in text
    assert "Pris for den valgte periode: 45,00 kr." in text
    # the picker offers the registrar's own contacts, not another registrar's
    assert f'<option value="{contact}">' in page.text
    assert f'value="{foreign}"' not in page.text
    assert 'list="registrant-options"' in page.text
    await c.get("/lang/en?next=%2F")
    text = html.unescape((await c.get(REGISTER)).text)
    assert "3 years — DKK 135.00" in text and "cannot be in the future" in text


async def test_the_search_finds_a_contact_without_javascript(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    _epp, contact = await registrar_epp(web, handle)
    page = await c.get(REGISTER, params={"registrant_q": "jens@exa"})
    assert f'<tr data-contact="{contact}">' in page.text
    choose = re.search(r'href="(/portal/domains/register\?registrant=[^"]+)"', page.text)
    assert choose, page.text
    picked = await c.get(html.unescape(choose.group(1)))
    assert f'id="registrant" name="registrant" value="{contact}"' in picked.text
    nothing = await c.get(REGISTER, params={"registrant_q": "nobody-like-this"})
    assert 'id="no-candidates"' in nothing.text and "<tr data-contact" not in nothing.text


async def test_every_field_error_at_once_and_nothing_is_made(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    await registrar_epp(web, handle)
    csrf = await web.csrf(c, REGISTER)
    now = web.registry.clock.now()
    before = await counts(web)
    r = await c.post(REGISTER, data=form(csrf, name="-bad-.dk", ns=NS[0], period="11",
                                         accepted_at=local(now + timedelta(hours=2)),
                                         **new_registrant(new_name="", new_email="nope",
                                                          new_pc="12")))
    assert r.status_code == 400
    assert listed(r.text) == ["name", "new_name", "new_pc", "new_email", "ns", "period",
                              "accepted_at"]
    assert "<title>Fejl: " in r.text
    assert re.search(r'<div class="alert alert-error"[^>]* id="errors"[^>]* autofocus', r.text)
    # each field keeps what was typed
    assert 'id="name" name="name" value="-bad-.dk"' in r.text
    assert f'value="{local(now + timedelta(hours=2))}"' in r.text
    assert 'id="new_email" name="new_email" value="nope"' in r.text
    assert await counts(web) == before
    assert await web.registry.scalar(
        "select count(*) from audit where door = 'portal' and command like :c",
        c="%:create") == 0


async def test_a_time_after_the_registry_clock_is_refused_though_epp_allows_a_day(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    epp, contact = await registrar_epp(web, handle)
    csrf = await web.csrf(c, REGISTER)
    soon = web.registry.clock.now() + timedelta(minutes=2)
    r = await c.post(REGISTER, data=form(csrf, registrant=contact, accepted_at=local(soon)))
    assert r.status_code == 400 and listed(r.text) == ["accepted_at"]
    shown = field_error(r.text, "accepted_at")
    assert "kan ikke være accepteret i fremtiden" in shown and shown.endswith("(EPP 2004)")
    entered = soon.astimezone(COPENHAGEN)
    assert f"{entered.day}.{entered.month}.{entered.year} kl. {entered:%H.%M}" in shown
    # EPP, whose clients' clocks may run ahead, takes the same moment
    token = int(soon.replace(second=0, microsecond=0).timestamp())
    answer = await epp.request(frames.domain_create("epp-made.dk", contact, NS, token=token))
    assert answer.code == 1001, answer.msg
    # empty and unreadable times have their own words
    r = await c.post(REGISTER, data=form(csrf, registrant=contact, accepted_at=""))
    assert "Angiv, hvornår registranten" in field_error(r.text, "accepted_at")
    r = await c.post(REGISTER, data=form(csrf, registrant=contact, accepted_at="i går"))
    assert "dato og klokkeslæt" in field_error(r.text, "accepted_at")


async def test_success_redirects_to_the_application_with_a_summary_shown_once(web) -> None:
    c, handle, email = await web.logged_in("portfolio")
    _epp, contact = await registrar_epp(web, handle)
    csrf = await web.csrf(c, REGISTER)
    now = web.registry.clock.now()
    r = await c.post(REGISTER, data=form(csrf, registrant=contact, period="2",
                                         accepted_at=local(now)))
    assert r.status_code == 303, r.text
    [app] = await web.registry.rows(
        "select a.tracking_no, a.period_years, a.terms_accepted_at from applications a "
        "join domains d on d.id = a.domain_id where d.name = 'portal-made.dk'")
    assert r.headers["location"] == f"/portal/applications/{app.tracking_no}"
    assert app.period_years == 2
    page = await c.get(r.headers["location"])
    assert page.status_code == 200
    flash = re.search(r'id="flash">.*?<p class="alert-text">([^<]*)</p>', page.text, re.S)
    assert flash, page.text
    assert html.unescape(flash.group(1)) == (
        f"Ansøgningen om portal-made.dk er modtaget med sagsnummer {app.tracking_no}; "
        "90,00 kr. er trukket fra den forudbetalte konto.")
    assert f'id="tracking-no">{app.tracking_no}<' in page.text
    # a reload shows the page again, not the summary, and registers nothing more
    before = await counts(web)
    again = await c.get(r.headers["location"])
    assert again.status_code == 200 and 'id="flash"' not in again.text
    assert await counts(web) == before
    assert [(e.actor, e.result_code) for e in await web.registry.rows(
        "select actor, result_code from audit where command = 'domain:create'")] == [
        (email, 1001)]


async def test_an_inline_registrant_is_created_first_then_the_domain(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    await registrar_epp(web, handle)
    csrf = await web.csrf(c, REGISTER)
    r = await c.post(REGISTER, data=form(csrf, accepted_at=local(web.registry.clock.now()),
                                         **new_registrant()))
    assert r.status_code == 303, r.text
    [made] = await web.registry.rows(
        "select c.handle, c.name, r.handle as sponsor from contacts c "
        "join registrars r on r.id = c.sponsor_id where c.email = 'karen@example.dk'")
    assert made.name == "Karen Blixen" and made.sponsor == handle
    assert await web.registry.scalar(
        "select c.handle from domains d join contacts c on c.id = d.registrant_id "
        "where d.name = 'portal-made.dk'") == made.handle
    page = await c.get(r.headers["location"])
    assert f"Registranten {made.handle} er oprettet." in html.unescape(page.text)
    assert f'id="app-registrant">{made.handle}<' in page.text
    assert [e.command for e in await web.registry.rows(
        "select command from audit where door = 'portal' and result_code < 2000 "
        "and command in ('contact:create', 'domain:create') order by id")] == [
        "contact:create", "domain:create"]


async def test_a_refused_domain_keeps_the_new_registrant_and_says_so(web) -> None:
    handle, _login, _pw = await web.registry.new_registrar(balance_ore=0)  # cannot pay
    c, _handle, _email = await web.logged_in("portfolio", handle=handle)
    await _hosts_for(web, handle)
    csrf = await web.csrf(c, REGISTER)
    now = web.registry.clock.now()
    r = await c.post(REGISTER, data=form(csrf, accepted_at=local(now), **new_registrant()))
    assert r.status_code == 400
    assert listed(r.text) == ["form"]
    assert "(EPP 2104)" in html.unescape(r.text)
    made = await web.registry.scalar(
        "select handle from contacts where email = 'karen@example.dk'")
    assert made is not None
    # the page names it, and the form now picks it instead of making another
    assert f'id="made-contact">Registranten {made} er oprettet' in html.unescape(r.text)
    assert f'id="registrant" name="registrant" value="{made}"' in r.text
    assert 'id="registrant_source-existing" name="registrant_source" value="existing" ' \
           'class="form-radio" data-controls="#registrant-existing" checked' in r.text
    assert 'id="new_name" name="new_name" value=""' in r.text
    assert await web.registry.scalar("select count(*) from applications") == 0


async def _hosts_for(web: Any, handle: str) -> None:
    login = await web.registry.scalar(
        "select u.login from users u join registrars r on r.id = u.registrar_id "
        "where r.handle = :h and u.service = 'epp'", h=handle)
    epp = await web.registry.client(login, PASSWORD)
    for name in NS:
        if (await epp.request(frames.host_create(name))).code not in (1000, 2302):
            raise AssertionError(name)


async def _active_domain(web: Any, handle: str, name: str) -> None:
    epp, contact = await registrar_epp(web, handle)
    r = await epp.request(frames.domain_create(name, contact, NS, token=web.registry.token()))
    assert r.code == 1001, r.msg
    await web.registry.tick()


async def test_missing_name_servers_are_made_in_the_same_step_glue_only_under_dk(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    _epp, contact = await registrar_epp(web, handle)
    await _active_domain(web, handle, "hosting-firma.dk")
    csrf = await web.csrf(c, REGISTER)
    ns = "ns1.hosting-firma.dk\nns.example-hosting.com"
    data = form(csrf, registrant=contact, ns=ns, accepted_at=local(web.registry.clock.now()))
    before = await counts(web)
    # without the tick: the hosts are named, and the .dk one gets its glue field
    r = await c.post(REGISTER, data=data)
    assert r.status_code == 400 and listed(r.text) == ["ns"]
    assert "ns1.hosting-firma.dk, ns.example-hosting.com" in field_error(r.text, "ns")
    assert 'id="glue-ns1.hosting-firma.dk"' in r.text
    assert 'glue-ns.example-hosting.com' not in r.text
    # ticked, but no glue for the host under .dk: that field is named
    r = await c.post(REGISTER, data=data | {"create_hosts": "1"})
    assert r.status_code == 400 and listed(r.text) == ["glue-ns1.hosting-firma.dk"]
    # a glue address that may not be glue: host:create's own rule, before anything is made
    r = await c.post(REGISTER, data=data | {"create_hosts": "1",
                                            "glue-ns1.hosting-firma.dk": "10.0.0.1"})
    assert r.status_code == 400 and "(EPP 2004)" in field_error(r.text,
                                                                "glue-ns1.hosting-firma.dk")
    assert await counts(web) == before
    r = await c.post(REGISTER, data=data | {"create_hosts": "1",
                                            "glue-ns1.hosting-firma.dk": "193.163.102.24, "
                                                                         "2a01:3f0::53"})
    assert r.status_code == 303, r.text
    rows = await web.registry.rows(
        "select h.name, a.ip from hosts h left join host_addrs a on a.host_id = h.id "
        "where h.name in ('ns1.hosting-firma.dk', 'ns.example-hosting.com') order by h.name, a.ip")
    assert [(x.name, x.ip) for x in rows] == [
        ("ns.example-hosting.com", None), ("ns1.hosting-firma.dk", "193.163.102.24"),
        ("ns1.hosting-firma.dk", "2a01:3f0::53")]
    assert [x.name for x in await web.registry.rows(
        "select h.name from domain_ns n join hosts h on h.id = n.host_id "
        "join domains d on d.id = n.domain_id where d.name = 'portal-made.dk' "
        "order by n.position")] == ["ns1.hosting-firma.dk", "ns.example-hosting.com"]
    assert [e.object for e in await web.registry.rows(
        "select object from audit where command = 'host:create' and door = 'portal' "
        "order by id")] == ["ns1.hosting-firma.dk", "ns.example-hosting.com"]
    page = await c.get(r.headers["location"])
    assert "Navneservere oprettet: ns1.hosting-firma.dk, ns.example-hosting.com." in \
        html.unescape(page.text)


async def test_a_host_under_the_name_being_registered_is_refused_as_host_create_does(
        web) -> None:
    """EPP's host:create needs the superordinate domain registered; the name applied for
    is not yet, so its own name servers cannot be made in the same step."""
    c, handle, _email = await web.logged_in("portfolio")
    _epp, contact = await registrar_epp(web, handle)
    csrf = await web.csrf(c, REGISTER)
    data = form(csrf, registrant=contact, ns=f"ns1.portal-made.dk\n{NS[0]}",
                accepted_at=local(web.registry.clock.now()), create_hosts="1")
    data["glue-ns1.portal-made.dk"] = "193.163.102.24"
    r = await c.post(REGISTER, data=data)
    assert r.status_code == 400
    shown = field_error(r.text, "glue-ns1.portal-made.dk")
    assert shown.endswith("(EPP 2303)") and "portal-made.dk" in shown
    assert await web.registry.scalar("select count(*) from applications") == 0


async def test_the_application_page_shows_the_outcome_and_risk_when_it_arrives(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    await registrar_epp(web, handle)
    csrf = await web.csrf(c, REGISTER)
    r = await c.post(REGISTER, data=form(csrf, accepted_at=local(web.registry.clock.now()),
                                         **new_registrant()))
    where = r.headers["location"]
    page = await c.get(where)
    assert 'data-state="queued"' in page.text and 'data-outcome=""' in page.text
    assert "Udfaldet er ikke kommet endnu" in html.unescape(page.text)
    await web.registry.tick()
    page = await c.get(where)
    # a new registrant nobody vouched for: registered, not activated until the ID check
    assert 'data-state="done"' in page.text
    assert 'data-outcome="awaiting_verification"' in page.text
    assert 'data-risk="BLUE"' in page.text and "Blå: dansk registrant" in html.unescape(page.text)
    await c.get("/lang/en?next=%2F")
    page = await c.get(where)
    assert "Registered, but not activated until the registrant" in html.unescape(page.text)
    # another registrar's user: as if it did not exist
    stranger, _h, _e = await web.logged_in("portfolio")
    assert (await stranger.get(where)).status_code == 404
    assert (await c.get("/portal/applications/99999999999999")).status_code == 404
    assert (await c.get("/portal/applications/" + "9" * 60)).status_code == 404


async def test_accounting_may_not_register_nor_see_applications(web) -> None:
    admin, handle, _email = await web.logged_in("administration")
    await registrar_epp(web, handle)
    csrf = await web.csrf(admin, REGISTER)
    r = await admin.post(REGISTER, data=form(csrf, accepted_at=local(web.registry.clock.now()),
                                             **new_registrant()))
    where = r.headers["location"]
    c, _handle, _email = await web.logged_in("accounting", handle=handle)
    assert (await c.get(REGISTER)).status_code == 403
    assert (await c.get(where)).status_code == 403
    page = await c.get("/portal/")
    assert csrf_of(page.text)

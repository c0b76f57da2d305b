"""The registrar's contacts and hosts in the portal (issue 4, item 5): lists that are the
registrar's own objects, searched, sorted and paged 50 at a time; detail pages; and
create forms that run EPP's create actions, so EPP info shows what the form made and a
refusal shows EPP's message at the field with nothing written and the attempt audited.
Accounting may not see or post any of it."""

from __future__ import annotations

import html
import re

from sqlalchemy import select, text

from dkreg.actions.contact.create import ContactCreate, contact_create
from dkreg.actions.host.create import HostCreate, host_create
from dkreg.model.contact_rules import ContactInput, PostalInfo
from dkreg.store.context import Actor
from dkreg.store.schema import registrars
from epp.update_support import ready_registrar
from support import frames
from support.web_error import assert_same_error
from web.conftest import csrf_of

CONTACTS, HOSTS = "/portal/contacts", "/portal/hosts"


async def bulk(web, handle: str, contacts: int, hosts: int) -> None:  # type: ignore[no-untyped-def]
    """Many contacts and hosts at once, through the actions, in one transaction."""
    async with web.registry.db.begin() as conn:
        rid = (await conn.execute(select(registrars.c.id).where(
            registrars.c.handle == handle))).scalar_one()
        ctx = web.registry.ctx(conn, Actor(rid, handle, "bulk"))
        for i in range(contacts):
            await contact_create(ctx, ContactCreate(id="force", data=ContactInput(
                postal=[PostalInfo("loc", f"Person {i:02d}", None, ["Gade 1"], "Aarhus",
                                   None, "8000", "DK")],
                voice=None, fax=None, email=f"p{i:02d}@example.dk", user_type="individual",
                cvr=None, ean=None, pnumber=None, mobilephone=None, secondary_email=None)))
        for i in range(hosts):
            await host_create(ctx, HostCreate(name=f"ns{i:02d}.bulk.example"))


def field_error(page: str, field: str) -> str:
    """The error shown at a field (the design system's markup)."""
    match = re.search(rf'id="{field}-error"><span class="sr-only">[^<]*</span>([^<]*)</span>',
                      page)
    assert match, f"no error on {field}"
    return html.unescape(match.group(1))


def summary_fields(page: str) -> list[str]:
    """The fields the error summary at the top names, in order."""
    return re.findall(r'<li data-field="([^"]+)">', page)


def summary_text(page: str, field: str, label: str = "") -> str:
    """What the error summary says of ``field`` (after its label, if it has one)."""
    match = re.search(rf'<li data-field="{field}"><a [^>]*>([^<]*)</a>', page)
    assert match, f"no summary line for {field}"
    text = html.unescape(match.group(1))
    assert text.startswith(f"{label}: " if label else ""), text
    return text[len(label) + 2:] if label else text


def flash_of(page: str) -> str | None:
    """The one-time summary a redirect left for this page, if any."""
    match = re.search(r'id="flash">\s*<div class="alert-body">\s*(?:<p class="alert-heading">'
                      r'[^<]*</p>\s*)?<p class="alert-text">([^<]*)</p>', page)
    return html.unescape(match.group(1)) if match else None


def column(page: str, attr: str) -> list[str]:
    return re.findall(rf'<tr {attr}="([^"]+)">', page)


async def test_contact_list_is_paged_sorted_searched_and_only_ours(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    await bulk(web, handle, 53, 0)
    other = await web.registrar()
    await bulk(web, other, 1, 0)
    page = await c.get(CONTACTS)
    assert page.status_code == 200
    assert "53" in re.search(r'id="count">([^<]+)<', page.text).group(1)  # type: ignore[union-attr]
    first = column(page.text, "data-handle")
    assert len(first) == 50 and first == sorted(first)
    second = column((await c.get(CONTACTS, params={"page": "2"})).text, "data-handle")
    assert len(second) == 3 and not set(first) & set(second)
    assert sorted(first + second) == first + second
    by_name = await c.get(CONTACTS, params={"sort": "name"})
    names = re.findall(r"<td[^>]*>(Person \d\d)</td>", by_name.text)
    assert names == [f"Person {i:02d}" for i in range(50)]
    newest = await c.get(CONTACTS, params={"sort": "created"})
    latest = await web.registry.scalar(
        "select c.handle from contacts c join registrars r on r.id = c.sponsor_id "
        "where r.handle = :h order by c.id desc limit 1", h=handle)
    assert column(newest.text, "data-handle")[0] == latest  # newest first
    found = await c.get(CONTACTS, params={"q": "P07@EXAMPLE"})
    assert re.findall(r"<td[^>]*>(Person \d\d)</td>", found.text) == ["Person 07"]
    # the other registrar's contact is neither listed nor shown
    [theirs] = [r.handle for r in await web.registry.rows(
        "select c.handle from contacts c join registrars r on r.id = c.sponsor_id "
        "where r.handle = :h", h=other)]
    assert theirs not in first + second
    assert (await c.get(f"{CONTACTS}/{theirs}")).status_code == 404
    detail = await c.get(f"{CONTACTS}/{first[0]}")
    assert detail.status_code == 200 and 'id="email">p' in detail.text


async def test_host_list_is_paged_sorted_and_searched(web) -> None:
    c, handle, _email = await web.logged_in("administration")
    await bulk(web, handle, 0, 52)
    page = await c.get(HOSTS)
    first = column(page.text, "data-host")
    assert first == [f"ns{i:02d}.bulk.example" for i in range(50)]
    assert 'rel="next"' in page.text
    second = column((await c.get(HOSTS, params={"page": "2"})).text, "data-host")
    assert second == ["ns50.bulk.example", "ns51.bulk.example"]
    assert column((await c.get(HOSTS, params={"q": "NS3"})).text, "data-host") == [
        f"ns{i}.bulk.example" for i in range(30, 40)]
    created = await c.get(HOSTS, params={"sort": "created"})
    assert column(created.text, "data-host")[0] == "ns51.bulk.example"
    assert (await c.get(f"{HOSTS}/ns00.bulk.example")).status_code == 200
    assert (await c.get(f"{HOSTS}/ns1.example.net")).status_code == 404  # not there


CONTACT = {"user_type": "company", "name": "Anna Berg", "org": "Portal Hosting ApS",
           "street1": "Havnegade 2", "street2": "", "street3": "", "pc": "5000",
           "city": "Odense C", "cc": "dk", "voice": "+45.66123456",
           "email": "anna@portal.example", "cvr": "", "ean": "", "pnumber": ""}


async def test_create_a_contact_and_a_host_through_the_forms(web) -> None:
    epp, handle, _contact = await ready_registrar(web.registry, "mine.dk")
    email = await web.user(handle, "portfolio")
    c = await web.login(email)
    form = await c.get(f"{CONTACTS}/create")
    assert form.status_code == 200 and 'for="street1"' in form.text
    csrf = csrf_of(form.text)
    contacts = "select count(*) from contacts"
    before = await web.registry.scalar(contacts)
    # a Danish company needs its CVR number: EPP's text at the field and in the summary,
    # nothing written
    r = await c.post(f"{CONTACTS}/create", data={"csrf": csrf, **CONTACT})
    assert r.status_code == 400
    answer = await epp.request(frames.contact_create(
        name="Anna Berg", org="Portal Hosting ApS", user_type="company", email="a@b.dk"))
    assert answer.code == 2003 and assert_same_error(field_error(r.text, "cvr"), answer) is None
    assert summary_fields(r.text) == ["cvr"]
    assert await web.registry.scalar(contacts) == before
    assert f'value="{CONTACT["street1"]}"' in r.text  # the form keeps what was entered

    r = await c.post(f"{CONTACTS}/create", data={"csrf": csrf, **CONTACT, "cvr": "13585628"})
    assert r.status_code == 303, r.text
    handle_made = r.headers["location"].rsplit("/", 1)[1]
    page = await c.get(r.headers["location"])
    assert flash_of(page.text) == f"Kontakten {handle_made} er oprettet."
    assert flash_of((await c.get(r.headers["location"])).text) is None  # shown once
    info = await epp.request(frames.contact_info(handle_made))
    assert info.code == 1000
    assert info.text(".//contact:org") == "Portal Hosting ApS"
    assert info.text(".//contact:cc") == "DK"
    assert info.text(".//contact:email") == "anna@portal.example"
    # the same data again re-uses the contact, as EPP's "auto" does
    r = await c.post(f"{CONTACTS}/create", data={"csrf": csrf, **CONTACT, "cvr": "13585628"})
    assert r.status_code == 303 and r.headers["location"].endswith("/" + handle_made)
    assert flash_of((await c.get(r.headers["location"])).text) == (
        f"Der findes allerede en kontakt med de samme data: {handle_made}. Den bruges igen.")

    # a host under our own .dk domain needs glue
    hosts = "select count(*) from hosts"
    before = await web.registry.scalar(hosts)
    r = await c.post(f"{HOSTS}/create", data={"csrf": csrf, "name": "ns1.mine.dk",
                                              "addrs": ""})
    assert r.status_code == 400
    answer = await epp.request(frames.host_create("ns1.mine.dk"))
    assert answer.code == 2003 and assert_same_error(field_error(r.text, "addrs"), answer) \
        is None
    assert await web.registry.scalar(hosts) == before
    r = await c.post(f"{HOSTS}/create", data={
        "csrf": csrf, "name": "NS1.mine.dk", "addrs": "193.163.102.53\n2a01:3f0:0:1::53\n"})
    assert r.status_code == 303 and r.headers["location"] == f"{HOSTS}/ns1.mine.dk"
    assert flash_of((await c.get(r.headers["location"])).text) == \
        "Værten ns1.mine.dk er oprettet."
    info = await epp.request(frames.host_info("ns1.mine.dk"))
    assert info.code == 1000
    assert sorted(a.text for a in info.findall(".//host:addr")) == ["193.163.102.53",
                                                                    "2a01:3f0:0:1::53"]
    assert [(r.command, r.result_code, r.object) for r in await web.registry.rows(
        "select command, result_code, object from audit where actor = :a "
        "and command in ('contact:create', 'host:create') order by id", a=email)] == [
        ("contact:create", 2003, None), ("contact:create", 1000, handle_made),
        ("contact:create", 1000, handle_made), ("host:create", 2003, None),
        ("host:create", 1000, "ns1.mine.dk")]
    listing = await c.get(HOSTS)
    assert 'data-host="ns1.mine.dk"' in listing.text


async def test_accounting_sees_no_contacts_or_hosts(web) -> None:
    _admin, handle, _email = await web.logged_in("administration")
    c, _handle, _email = await web.logged_in("accounting", handle=handle)
    csrf = await web.csrf(c)
    home = (await c.get("/portal/")).text
    assert 'href="/portal/contacts"' not in home and 'href="/portal/hosts"' not in home
    for path in (CONTACTS, f"{CONTACTS}/create", HOSTS, f"{HOSTS}/create",
                 f"{CONTACTS}/JH1-DK", f"{HOSTS}/ns1.example.net", f"{CONTACTS}/JH1-DK/edit",
                 f"{HOSTS}/ns1.example.net/edit", f"{HOSTS}/ns1.example.net/delete"):
        assert (await c.get(path)).status_code == 403, path
    counts = "select (select count(*) from contacts) + (select count(*) from hosts)"
    before = await web.registry.scalar(counts)
    assert (await c.post(f"{CONTACTS}/create", data={"csrf": csrf, **CONTACT})).status_code \
        == 403
    assert (await c.post(f"{HOSTS}/create", data={"csrf": csrf, "name": "ns9.example.org"})
            ).status_code == 403
    for path in (f"{HOSTS}/ns1.example.net/edit", f"{HOSTS}/ns1.example.net/delete",
                 f"{CONTACTS}/JH1-DK/edit"):
        assert (await c.post(path, data={"csrf": csrf, "confirmed": "1", "addrs": "",
                                         "voice": ""})).status_code == 403, path
    assert await web.registry.scalar(counts) == before


async def contact_row(web, handle: str) -> tuple:  # type: ignore[no-untyped-def]
    """Everything an update may write of a contact, for "nothing was written" checks."""
    [row] = await web.registry.rows(
        "select name, org, street, city, pc, cc, voice, email, pending_email, user_type, "
        "cvr, updated_at from contacts where handle = :h", h=handle)
    return tuple(row)


async def test_edit_a_contact_with_the_rules_of_update_contact(web) -> None:
    epp, handle, contact = await ready_registrar(web.registry, "mine.dk", "mine2.dk")
    email = await web.user(handle, "portfolio")
    c = await web.login(email)
    url = f"{CONTACTS}/{contact}"
    page = await c.get(url)
    # what may change and why not: the registrant's name is locked; it is in use
    assert 'id="locked-registrant"' in page.text and 'id="edit-link"' in page.text
    assert "Kontakten er knyttet til 2 domæner og kan ikke slettes." in page.text
    form = await c.get(url + "/edit")
    assert form.status_code == 200
    assert 'data-locked="name"' in form.text and 'name="name"' not in form.text
    assert 'name="voice"' in form.text and 'name="city"' in form.text
    csrf = csrf_of(form.text)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.text))
    sent = {k: html.unescape(v) for k, v in fields.items() if k != "csrf"}
    sent["user_type"] = "individual"

    # the locked name sent anyway (not from this form): EPP's refusal at the field,
    # in the summary, nothing written, the attempt audited
    before = await contact_row(web, contact)
    r = await c.post(url + "/edit", data={"csrf": csrf, **sent, "name": "Someone Else"})
    assert r.status_code == 400
    answer = await epp.request(frames.contact_update(
        contact, chg="<contact:postalInfo type=\"loc\"><contact:name>Someone Else"
                     "</contact:name></contact:postalInfo>"))
    assert answer.code == 2304
    assert assert_same_error(field_error(r.text, "name"), answer) is None
    assert summary_fields(r.text) == ["name"] and "<title>Fejl: " in r.text
    assert await contact_row(web, contact) == before

    # a bad phone number too: the rule's text at that field, still nothing written
    r = await c.post(url + "/edit", data={"csrf": csrf, **sent, "voice": "12345678"})
    assert r.status_code == 400 and summary_fields(r.text) == ["voice"]
    assert 'value="12345678"' in r.text  # re-filled as sent
    assert await contact_row(web, contact) == before

    # what is open changes, with a redirect and a summary
    r = await c.post(url + "/edit", data={"csrf": csrf, **sent, "voice": "+45.87654321",
                                          "city": "Aarhus C", "pc": "8000"})
    assert r.status_code == 303 and r.headers["location"] == url
    page = await c.get(url)
    assert flash_of(page.text) == f"Kontakten {contact} er opdateret."
    info = await epp.request(frames.contact_info(contact))
    assert (info.text(".//contact:voice"), info.text(".//contact:city"),
            info.text(".//contact:pc")) == ("+45.87654321", "Aarhus C", "8000")

    # a new e-mail address waits for the contact's confirmation, as over EPP
    r = await c.post(url + "/edit", data={"csrf": csrf, **sent, "voice": "+45.87654321",
                                          "city": "Aarhus C", "pc": "8000",
                                          "email": "new@example.dk"})
    assert r.status_code == 303
    assert "new@example.dk" in (flash_of((await c.get(url)).text) or "")
    assert await web.registry.scalar("select pending_email from contacts where handle = :h",
                                     h=contact) == "new@example.dk"
    assert [(e.command, e.result_code, e.object) for e in await web.registry.rows(
        "select command, result_code, object from audit where actor = :a "
        "and command = 'contact:update' order by id", a=email)] == [
        ("contact:update", 2304, contact), ("contact:update", 2005, contact),
        ("contact:update", 1000, contact), ("contact:update", 1001, contact)]


async def test_register_locked_contact_shows_its_identity_as_text(web) -> None:
    _epp, handle, contact = await ready_registrar(web.registry)
    async with web.registry.db.begin() as conn:
        await conn.execute(text("update contacts set register_locked = true "
                                "where handle = :h"), {"h": contact})
    c = await web.login(await web.user(handle, "portfolio"))
    form = await c.get(f"{CONTACTS}/{contact}/edit")
    for locked in ("name", "street1", "city", "pc", "cc", "user_type"):
        assert f'data-locked="{locked}"' in form.text, locked
    assert 'id="locked-register"' in form.text and 'name="voice"' in form.text
    before = await contact_row(web, contact)
    r = await c.post(f"{CONTACTS}/{contact}/edit", data={
        "csrf": csrf_of(form.text), "cc": "SE"})
    assert r.status_code == 400 and summary_fields(r.text) == ["cc"]
    assert 'id="cc" tabindex="-1"' in r.text  # the summary's link lands on the value
    assert await contact_row(web, contact) == before


async def test_a_contact_is_never_deleted_by_the_registrar(web) -> None:
    c, handle, _email = await web.logged_in("portfolio")
    await bulk(web, handle, 1, 0)
    contact = await web.registry.scalar(
        "select c.handle from contacts c join registrars r on r.id = c.sponsor_id "
        "where r.handle = :h", h=handle)
    page = await c.get(f"{CONTACTS}/{contact}")
    assert "Kontakten er ikke knyttet til noget domæne." in page.text
    assert f"når den ikke har været i brug i {web.registry.settings.contact_autodelete_days} " \
        "dage" in page.text and 'id="all-open"' in page.text
    # .dk has no delete contact, and neither has the portal
    assert (await c.get(f"{CONTACTS}/{contact}/delete")).status_code == 404


async def test_edit_and_delete_hosts_with_the_rules_of_update_and_delete_host(web) -> None:
    epp, handle, _contact = await ready_registrar(web.registry, "mine.dk")
    r = await epp.request(frames.host_create("ns1.mine.dk", "193.163.102.53"))
    assert r.code == 1000, r.msg
    email = await web.user(handle, "portfolio")
    c = await web.login(email)
    csrf = await web.csrf(c)

    # a name server of a live domain: the page says which, and delete is refused
    page = await c.get(f"{HOSTS}/ns1.example.net")
    assert "navneserver for 1 domæne og kan ikke slettes: mine.dk" in page.text
    assert 'id="delete-link"' not in page.text
    assert 'id="no-glue"' in page.text and 'id="edit-link"' not in page.text
    r = await c.post(f"{HOSTS}/ns1.example.net/delete", data={"csrf": csrf, "confirmed": "1"})
    assert r.status_code == 400
    answer = await epp.request(frames.host_delete("ns1.example.net"))
    assert answer.code == 2305
    assert assert_same_error(summary_text(r.text, "delete"), answer) is None
    assert await web.registry.scalar(
        "select count(*) from hosts where name = 'ns1.example.net'") == 1

    # no glue outside .dk: the edit page says so, and EPP's refusal if sent anyway
    form = await c.get(f"{HOSTS}/ns3.example.net/edit")
    assert 'id="no-glue"' in form.text and 'name="addrs"' not in form.text
    r = await c.post(f"{HOSTS}/ns3.example.net/edit", data={"csrf": csrf,
                                                            "addrs": "193.163.102.9"})
    assert r.status_code == 400
    answer = await epp.request(frames.host_update("ns3.example.net", add=["193.163.102.9"]))
    assert assert_same_error(summary_text(r.text, "addrs", "IP-adresser"), answer) is None

    # delete an unused host: asked first, naming it; only confirmed=1 deletes
    page = await c.get(f"{HOSTS}/ns3.example.net")
    assert 'id="delete-link"' in page.text
    confirm = await c.get(f"{HOSTS}/ns3.example.net/delete")
    assert "Vil I slette værten ns3.example.net?" in confirm.text
    assert 'name="confirmed" value="1"' in confirm.text
    r = await c.post(f"{HOSTS}/ns3.example.net/delete", data={"csrf": csrf})
    assert r.status_code == 200 and 'id="delete-question"' in r.text
    assert await web.registry.scalar(
        "select count(*) from hosts where name = 'ns3.example.net'") == 1
    r = await c.post(f"{HOSTS}/ns3.example.net/delete", data={"csrf": csrf, "confirmed": "1"})
    assert r.status_code == 303 and r.headers["location"] == HOSTS
    assert flash_of((await c.get(HOSTS)).text) == "Værten ns3.example.net er slettet."
    assert (await epp.request(frames.host_info("ns3.example.net"))).code == 2303

    # edit the glue of an in-zone host: the list it should become
    form = await c.get(f"{HOSTS}/ns1.mine.dk/edit")
    assert ">193.163.102.53</textarea>" in form.text
    addrs = "select ip from host_addrs a join hosts h on h.id = a.host_id " \
        "where h.name = 'ns1.mine.dk' order by ip"
    r = await c.post(f"{HOSTS}/ns1.mine.dk/edit", data={"csrf": csrf, "addrs": ""})
    assert r.status_code == 400  # at least one address stays
    answer = await epp.request(frames.host_update("ns1.mine.dk", rem=["193.163.102.53"]))
    assert answer.code == 2304
    assert assert_same_error(field_error(r.text, "addrs"), answer) is None
    r = await c.post(f"{HOSTS}/ns1.mine.dk/edit", data={"csrf": csrf,
                                                        "addrs": "193.163.102.53"})
    assert r.status_code == 400 and "intet at gemme" in field_error(r.text, "addrs")
    assert [a.ip for a in await web.registry.rows(addrs)] == ["193.163.102.53"]
    r = await c.post(f"{HOSTS}/ns1.mine.dk/edit", data={
        "csrf": csrf, "addrs": "193.163.102.54\n2A01:3F0:0:1::53"})
    assert r.status_code == 303 and r.headers["location"] == f"{HOSTS}/ns1.mine.dk"
    assert flash_of((await c.get(r.headers["location"])).text) == \
        "Værten ns1.mine.dk har nu adresserne 193.163.102.54, 2a01:3f0:0:1::53."
    info = await epp.request(frames.host_info("ns1.mine.dk"))
    assert sorted(a.text for a in info.findall(".//host:addr")) == ["193.163.102.54",
                                                                    "2a01:3f0:0:1::53"]
    assert [(e.command, e.result_code, e.object) for e in await web.registry.rows(
        "select command, result_code, object from audit where actor = :a "
        "and command in ('host:update', 'host:delete') order by id", a=email)] == [
        ("host:delete", 2305, "ns1.example.net"), ("host:update", 2306, "ns3.example.net"),
        ("host:delete", 1000, "ns3.example.net"), ("host:update", 2304, "ns1.mine.dk"),
        ("host:update", 1000, "ns1.mine.dk")]

"""The registrar's contacts and hosts in the portal (issue 4, item 5): lists that are the
registrar's own objects, searched, sorted and paged 50 at a time; detail pages; and
create forms that run EPP's create actions, so EPP info shows what the form made and a
refusal shows EPP's message at the field with nothing written and the attempt audited.
Accounting may not see or post any of it."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from dkreg.actions.contact.create import ContactCreate, contact_create
from dkreg.actions.host.create import HostCreate, host_create
from dkreg.model.contact_rules import ContactInput, PostalInfo
from dkreg.store.context import Actor
from dkreg.store.schema import registrars
from epp.update_support import ready_registrar
from support import frames
from support.web_error import assert_same_error
from web.conftest import csrf_of
from web.test_portal_domain_actions import result_of
from web.test_portal_portfolio import error_of

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
    names = re.findall(r"<td>(Person \d\d)</td>", by_name.text)
    assert names == [f"Person {i:02d}" for i in range(50)]
    newest = await c.get(CONTACTS, params={"sort": "created"})
    latest = await web.registry.scalar(
        "select c.handle from contacts c join registrars r on r.id = c.sponsor_id "
        "where r.handle = :h order by c.id desc limit 1", h=handle)
    assert column(newest.text, "data-handle")[0] == latest  # newest first
    found = await c.get(CONTACTS, params={"q": "P07@EXAMPLE"})
    assert re.findall(r"<td>(Person \d\d)</td>", found.text) == ["Person 07"]
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
    # a Danish company needs its CVR number: EPP's text at the field, nothing written
    r = await c.post(f"{CONTACTS}/create", data={"csrf": csrf, **CONTACT})
    assert r.status_code == 400
    answer = await epp.request(frames.contact_create(
        name="Anna Berg", org="Portal Hosting ApS", user_type="company", email="a@b.dk"))
    assert answer.code == 2003 and assert_same_error(error_of(r.text, "cvr"), answer) is None
    assert await web.registry.scalar(contacts) == before
    assert f'value="{CONTACT["street1"]}"' in r.text  # the form keeps what was entered

    r = await c.post(f"{CONTACTS}/create", data={"csrf": csrf, **CONTACT, "cvr": "13585628"})
    assert r.status_code == 200, r.text
    assert result_of(r.text) == (1000, "Contact created.")
    handle_made = html.unescape(re.search(r"<h1>([^<]+)</h1>", r.text).group(1))  # type: ignore[union-attr]
    info = await epp.request(frames.contact_info(handle_made))
    assert info.code == 1000
    assert info.text(".//contact:org") == "Portal Hosting ApS"
    assert info.text(".//contact:cc") == "DK"
    assert info.text(".//contact:email") == "anna@portal.example"
    # the same data again re-uses the contact, as EPP's "auto" does
    r = await c.post(f"{CONTACTS}/create", data={"csrf": csrf, **CONTACT, "cvr": "13585628"})
    assert result_of(r.text) == (1000, "Contact already exists. Please re-use.")
    assert handle_made in r.text

    # a host under our own .dk domain needs glue
    hosts = "select count(*) from hosts"
    before = await web.registry.scalar(hosts)
    r = await c.post(f"{HOSTS}/create", data={"csrf": csrf, "name": "ns1.mine.dk",
                                              "addrs": ""})
    assert r.status_code == 400
    answer = await epp.request(frames.host_create("ns1.mine.dk"))
    assert answer.code == 2003 and assert_same_error(error_of(r.text, "addrs"), answer) is None
    assert await web.registry.scalar(hosts) == before
    r = await c.post(f"{HOSTS}/create", data={
        "csrf": csrf, "name": "NS1.mine.dk", "addrs": "193.163.102.53\n2a01:3f0:0:1::53\n"})
    assert result_of(r.text) == (1000, "Command completed successfully")
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
                 f"{CONTACTS}/JH1-DK", f"{HOSTS}/ns1.example.net"):
        assert (await c.get(path)).status_code == 403, path
    counts = "select (select count(*) from contacts) + (select count(*) from hosts)"
    before = await web.registry.scalar(counts)
    assert (await c.post(f"{CONTACTS}/create", data={"csrf": csrf, **CONTACT})).status_code \
        == 403
    assert (await c.post(f"{HOSTS}/create", data={"csrf": csrf, "name": "ns9.example.org"})
            ).status_code == 403
    assert await web.registry.scalar(counts) == before

"""A domain's own self-service page over HTTP (both backends): the registrant of a
registrant-managed domain changes its name servers (through EPP's update action: the
host and count rules stand, every error at once with the form as sent), turns
auto-renew off and on (the registry's renewal invoicing and the expiry follow), and
sees what WHOIS/RDAP disclose; each domain shows its status in words, why and what to
do; a contact's mails come in its own language."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx

from epp.update_support import MORE_NS, create_hosts, drain, ns_of, ready_registrar
from selfservice.conftest import csrf_of
from selfservice.test_selfservice_pages import new_contact, own_domain
from support import frames

PAGE = "/selfservice/domains/selv.dk"


async def owner(ss):  # type: ignore[no-untyped-def]
    """selv.dk, registrant-managed, with ns3/ns4 available: (epp client, its registrant,
    a browser logged in as it)."""
    a, _handle = await ss.registry.registrar_client()
    rita = await own_domain(ss, a, "rita@example.dk")
    await create_hosts(a, *MORE_NS)
    return a, rita, await ss.logged_in(rita)


async def post(c: httpx.AsyncClient, path: str, **data: str) -> httpx.Response:
    csrf = csrf_of((await c.get(PAGE if path.startswith(PAGE) else "/selfservice/")).text)
    return await c.post(path, data={**data, "csrf": csrf})


async def test_the_registrant_changes_name_servers_through_the_update_action(ss) -> None:
    a, _rita, me = await owner(ss)
    page = await me.get(PAGE)
    assert page.status_code == 200 and 'id="ns-submit"' in page.text
    assert "ns1.example.net, ns2.example.net" in page.text
    r = await post(me, PAGE + "/nameservers", nameservers="ns3.example.net\nNS4.example.net.")
    assert r.status_code == 303 and r.headers["location"] == PAGE
    done = await me.get(PAGE)
    assert 'id="flash"' in done.text and "ns3.example.net, ns4.example.net" in done.text
    assert 'id="flash"' not in (await me.get(PAGE)).text  # shown once: a reload repeats nothing
    assert await ns_of(ss.registry, "selv.dk") == ["ns3.example.net", "ns4.example.net"]
    assert await ss.count("select count(*) from audit where command = "
                          "'selfservice_domain_ns'") == 1
    # refused by EPP's own rules: the page again, 400, the error summary, the form as sent
    bad = await post(me, PAGE + "/nameservers", nameservers="ns3.example.net\nnope.example.net")
    assert bad.status_code == 400
    assert 'id="errors"' in bad.text and 'href="#nameservers"' in bad.text
    assert "<title>Fejl: " in bad.text or "<title>Error: " in bad.text
    assert "ns3.example.net\nnope.example.net</textarea>" in bad.text
    assert 'aria-invalid="true"' in bad.text and "nope.example.net" in bad.text
    one = await post(me, PAGE + "/nameservers", nameservers="ns3.example.net")
    assert one.status_code == 400 and 'id="errors"' in one.text  # 2–7 name servers
    assert await ns_of(ss.registry, "selv.dk") == ["ns3.example.net", "ns4.example.net"]
    # someone else may not, and a stranger's POST changes nothing
    other = await ss.logged_in(await new_contact(a, "anden@example.dk"))
    assert (await post(other, PAGE + "/nameservers",
                       nameservers="ns1.example.net\nns2.example.net")).status_code == 403
    assert (await other.get(PAGE)).status_code == 404
    assert await ns_of(ss.registry, "selv.dk") == ["ns3.example.net", "ns4.example.net"]


async def test_a_registrar_managed_domain_s_name_servers_are_its_registrar_s(ss) -> None:
    c, _handle, registrant = await ready_registrar(ss.registry, "reg.dk")
    me = await ss.logged_in(registrant)
    page = await me.get("/selfservice/domains/reg.dk")
    assert page.status_code == 200 and 'id="ns-submit"' not in page.text
    assert 'id="ask-registrar-to-change"' in page.text
    r = await post(me, "/selfservice/domains/reg.dk/nameservers",
                   nameservers="ns3.example.net\nns4.example.net")
    assert r.status_code == 409 and 'id="errors"' in r.text
    assert await ns_of(ss.registry, "reg.dk") == ["ns1.example.net", "ns2.example.net"]
    assert (await post(me, "/selfservice/domains/reg.dk/autorenew",
                       autorenew="off")).status_code == 409


async def renewal_invoices(ss, status: str | None = None) -> int:  # type: ignore[no-untyped-def]
    where = " and status = :s" if status else ""
    return await ss.count("select count(*) from invoices where kind = 'renewal'" + where,
                          s=status)


async def test_auto_renew_off_and_on_and_the_lifecycle_follows(ss) -> None:
    _a, rita, me = await owner(ss)
    assert "id=\"autorenew-off\"" in (await me.get(PAGE)).text
    r = await post(me, PAGE + "/autorenew", autorenew="off")
    assert r.status_code == 303
    assert 'id="flash"' in (await me.get(PAGE)).text
    assert await ss.registry.scalar("select autorenew from domains where uname = 'selv.dk'") \
        in (False, 0)
    raw = await ss.registry.scalar("select expires_at from domains where uname = 'selv.dk'")
    expires = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    ss.registry.clock.set(expires - timedelta(days=20))  # inside the invoicing window
    me = await ss.password_login(rita)  # the old session is long idle
    await ss.registry.tick()
    assert await renewal_invoices(ss) == 0  # off: the registry does not invoice it
    assert (await post(me, PAGE + "/autorenew", autorenew="on")).status_code == 303
    await ss.registry.tick()
    assert await renewal_invoices(ss, "open") == 1  # on again: invoiced
    home = (await me.get("/selfservice/")).text
    assert 'data-reason="invoice_open"' in home and 'class="step-pay"' in home
    assert re.search(r'class="step-pay"[^>]*>|href="/pay/[^"]+" class="step-pay"', home)
    assert (await post(me, PAGE + "/autorenew", autorenew="off")).status_code == 303
    assert await renewal_invoices(ss, "cancelled") == 1  # withdrawn: cannot be paid for nothing
    assert (await post(me, PAGE + "/autorenew", autorenew="on")).status_code == 303
    assert await renewal_invoices(ss, "open") == 1  # the same invoice again
    assert (await post(me, PAGE + "/autorenew", autorenew="off")).status_code == 303
    ss.registry.clock.set(expires + timedelta(minutes=1))
    await ss.registry.tick()
    me = await ss.password_login(rita)
    row = (await ss.registry.rows(
        "select redemption_cause, statuses from domains where uname = 'selv.dk'"))[0]
    assert row.redemption_cause == "expiry" and "pendingDelete" in row.statuses
    page = (await me.get(PAGE)).text
    assert 'data-reason="expired"' in page and 'id="ns-submit"' not in page


async def test_the_public_data_page_lists_what_a_lookup_discloses(ss) -> None:
    _a, _rita, me = await owner(ss)
    page = await me.get("/selfservice/public-data")
    assert page.status_code == 200
    text = page.text
    assert 'id="public-selv.dk"' in text
    domain = text.split('id="domain-selv.dk"', 1)[1].split("</dl>", 1)[0]
    assert 'data-field="nameservers">ns1.example.net, ns2.example.net<' in domain
    assert 'data-field="registrar"' not in domain  # registrant-managed: no registrar shown
    person = text.split('id="domain-selv.dk-registrant"', 1)[1].split("</dl>", 1)[0]
    assert re.findall(r'data-field="([a-z_]+)"', person) == ["country"]  # a person: country only
    assert "rita@example.dk" not in text.split("<main", 1)[1]
    assert 'id="domain-selv.dk-registrant-withheld"' in text
    assert "/selfservice/public-data" in (await me.get("/selfservice/")).text


async def test_each_domain_shows_its_status_why_and_what_to_do(ss) -> None:
    c, handle, _registrant = await ready_registrar(ss.registry, "aktiv.dk")
    unverified = await new_contact(c, "venter@example.dk", verified=False)
    r = await c.request(frames.domain_create("venter.dk", unverified, ["ns1.example.net",
                                                                       "ns2.example.net"],
                                             token=ss.registry.token()))
    assert r.code == 1001, r.msg
    await ss.registry.tick()
    await drain(c)
    assert await ss.registry.scalar("select statuses from domains where uname = 'venter.dk'") \
        == "serverHold"
    me = await ss.logged_in(unverified)
    home = (await me.get("/selfservice/")).text
    row = home.split('data-domain="venter.dk"', 1)[1].split("</tr>", 1)[0]
    assert 'data-status="on_hold"' in row
    box = home.split('id="situation-venter.dk"', 1)[1].split("</div>\n</div>", 1)[0]
    assert 'data-reason="awaiting_id_check"' in box
    assert 'href="/selfservice/verification" class="step-verify"' in box
    assert f"({handle})" in box  # ask the registrar: its name and handle
    page = (await me.get("/selfservice/domains/venter.dk")).text
    assert 'data-reason="awaiting_id_check"' in page and 'class="step-verify"' in page


async def test_a_contact_s_mails_are_in_its_own_language(ss) -> None:  # type: ignore[no-untyped-def]
    """Danish for a Danish address, English for one abroad (mail.language): the e-mail
    check's mail that starts with a new registrant's data check."""
    for email, extra in (("dansk@example.dk", {}),
                         ("svensk@example.se", {"name": "Astrid Lindgren", "cc": "SE",
                                                "street": "Drottninggatan 1",
                                                "city": "Stockholm", "pc": "11151"})):
        handle = await ss.agent.contact(email=email, verified=False, **extra)
        await ss.agent.domain(f"{handle.lower()}.dk", registrant=handle)
    langs = {r.to_addr: (r.lang, r.subject) for r in await ss.registry.rows(
        "select to_addr, lang, subject from mail_outbox where kind = 'email_verification'")}
    assert langs["dansk@example.dk"][0] == "da" and "Bekræft" in langs["dansk@example.dk"][1]
    assert langs["svensk@example.se"][0] == "en" and "Confirm" in langs["svensk@example.se"][1]

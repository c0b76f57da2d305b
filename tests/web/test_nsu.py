"""Issue 15 §3, NSU: the public redelegation request form (``/nsu/`` Danish, ``/nsu/en/``
English, the specification's GET fields and texts). A request for a registrant-managed
domain is checked against the registry's data and DNS (the sandbox's real Knot DNS with
a test zone naming the new servers), stored as a request waiting for the registrant and
mailed to it; the registrant approves in self-service and the name servers are replaced
through EPP's update action — DS records deleted, the zone journal written, audited.
Refused, with the specification's text in either language, for registrar-managed, VID
and deactivated domains and unknown hosts; throttled per address. Both backends."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest_asyncio
from sqlalchemy import insert, select, update

from dkreg.app import Running
from dkreg.dns import check as check_module
from dkreg.dns import test_zones
from dkreg.store.schema import domains, ds_records, mail_outbox, pending_requests
from dkreg.web.asgi import build_app
from epp.helpers import NS, setup_registrant
from epp.update_support import MORE_NS, create_hosts, ns_of
from selfservice.conftest import SelfService, csrf_of
from selfservice.test_selfservice_pages import MGMT, new_contact, own_domain
from support import frames
from support.epp_objects import Agent
from support.name_servers import name_servers

SUBMITTED = {"da": "Redelegeringsanmodning afsendt", "en": "Request submitted"}


@pytest_asyncio.fixture
async def ss(registry) -> AsyncIterator[SelfService]:  # type: ignore[no-untyped-def]
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=str(registry.ca_file))
    s = SelfService(registry, build_app(running), await Agent.new(registry, dkhm="4.5"))
    try:
        yield s
    finally:
        for c in s.clients:
            await c.aclose()


def query(domain: str, nameserver: str, lang: str = "da", **extra: str) -> str:
    fields = {"id": "52" if lang == "da" else "250", "redel": "true", "domain": domain,
              "nameserver": nameserver, "submit": "bekræft" if lang == "da" else "confirm",
              **extra}
    return ("/nsu/" if lang == "da" else "/nsu/en/") + "?" + urlencode(fields)


async def ask(ss, path: str, ip: str = "198.51.100.7"):  # type: ignore[no-untyped-def]
    r = await ss.client(ip=ip).get(path)
    return r, html.unescape(r.text)


async def registrant_domain(ss):  # type: ignore[no-untyped-def]
    """selv.dk (registrant-managed, ns1/ns2) with a DS record, and ns3/ns4 registered."""
    a, _handle = await ss.registry.registrar_client()
    rita = await own_domain(ss, a, "rita@example.dk")
    await create_hosts(a, *MORE_NS)
    async with ss.registry.db.begin() as conn:
        did = (await conn.execute(select(domains.c.id).where(
            domains.c.name == "selv.dk"))).scalar_one()
        await conn.execute(insert(ds_records).values(
            domain_id=did, key_tag=12345, alg=13, digest_type=2, digest="AB" * 32,
            created_at=ss.registry.clock.now()))
    return a, rita, did


async def test_a_request_is_approved_in_self_service_and_the_name_servers_change(
        ss, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    registry = ss.registry
    _a, rita, did = await registrant_domain(ss)
    with name_servers(tmp_path, {"127.0.0.1": {}}) as (knot,):
        s = registry.settings
        s.ns_check, s.dns_host, s.dns_port = "sandbox", knot.host, knot.port
        check_module.clear_cache()
        try:
            async with registry.db.begin() as conn:
                zone = await test_zones.store(conn, registry.clock.now(), "selv.dk", MORE_NS)
            await test_zones.push(knot, zone)
            # the form itself, in each language
            r, page = await ask(ss, "/nsu/")
            assert r.status_code == 200 and 'id="nsu-form"' in page
            assert 'name="id" value="52"' in page and 'value="bekræft"' in page
            r, page = await ask(ss, "/nsu/en/")
            assert 'name="id" value="250"' in page and '<html lang="en">' in page
            # one name server named: the set its zone serves is what is asked for
            r, page = await ask(ss, query("selv.dk", "ns3.example.net"))
            assert r.status_code == 200, page
            assert f'id="nsu-done-text">{SUBMITTED["da"]}<' in page
            assert "<li>ns3.example.net</li><li>ns4.example.net</li>" in page
            async with registry.db.read() as conn:
                req = (await conn.execute(select(pending_requests).where(
                    pending_requests.c.kind == "nsu_redelegation"))).one()
                mail = (await conn.execute(select(mail_outbox).where(
                    mail_outbox.c.kind == "nsu_request"))).one()
            assert req.state == "pending" and req.domain_id == did
            assert req.target == "ns3.example.net, ns4.example.net"
            assert mail.to_addr == "rita@example.dk" and mail.lang == "da"
            assert "/selfservice/requests" in mail.body_text and "selv.dk" in mail.subject
            assert await ns_of(registry, "selv.dk") == ["ns1.example.net", "ns2.example.net"]
            journal_before = await ss.count(
                "select count(*) from zone_changes where name = 'selv.dk'")
            # the registrant sees it in self-service and accepts
            me = await ss.logged_in(rita)
            page = html.unescape((await me.get("/selfservice/requests")).text)
            assert f'id="request-{req.id}"' in page
            assert "Flyt selv.dk til navneserverne ns3.example.net, ns4.example.net" in page
            csrf = csrf_of(page)
            r = await me.post(f"/selfservice/requests/{req.id}",
                              data={"outcome": "accepted", "csrf": csrf})
            assert r.status_code == 303, r.text
        finally:
            s.ns_check = "off"
            check_module.clear_cache()
    assert await ns_of(registry, "selv.dk") == MORE_NS
    assert await ss.count(f"select count(*) from ds_records where domain_id = {did}") == 0
    assert await ss.count("select count(*) from zone_changes where name = 'selv.dk'") \
        > journal_before
    assert await ss.count("select count(*) from pending_requests where kind = "
                          "'nsu_redelegation' and state = 'accepted'") == 1
    assert await ss.count("select count(*) from audit where command = 'nsu_redelegation' "
                          "and object = 'selv.dk'") == 1
    assert await ss.count("select count(*) from audit where command = "
                          "'nsu_redelegation_request' and door = 'nsu'") == 1


async def test_rejection_and_expiry_change_nothing(ss) -> None:  # type: ignore[no-untyped-def]
    registry = ss.registry
    _a, rita, did = await registrant_domain(ss)
    r, page = await ask(ss, query("selv.dk", "ns3.example.net ns4.example.net", "en"))
    assert r.status_code == 200 and SUBMITTED["en"] in page, page
    rid = await registry.scalar("select id from pending_requests where kind = "
                                "'nsu_redelegation'")
    me = await ss.logged_in(rita)
    csrf = csrf_of((await me.get("/selfservice/requests")).text)
    r = await me.post(f"/selfservice/requests/{rid}", data={"outcome": "rejected",
                                                            "csrf": csrf})
    assert r.status_code == 303
    assert await ns_of(registry, "selv.dk") == ["ns1.example.net", "ns2.example.net"]
    assert await ss.count(f"select count(*) from ds_records where domain_id = {did}") == 1
    # a second request nobody answers lapses at its deadline
    r, _page = await ask(ss, query("selv.dk", "ns3.example.net ns4.example.net"))
    assert r.status_code == 200
    registry.clock.advance(timedelta(days=registry.settings.pending_request_days + 1))
    await registry.tick()
    assert await ss.count("select count(*) from pending_requests where kind = "
                          "'nsu_redelegation' and state = 'expired'") == 1
    assert await ns_of(registry, "selv.dk") == ["ns1.example.net", "ns2.example.net"]


async def test_a_proxy_may_answer_and_a_stranger_may_not(ss) -> None:  # type: ignore[no-untyped-def]
    """The domain's admin contact (proxy) is asked too; another person is not."""
    registry = ss.registry
    a, _handle = await registry.registrar_client()
    await setup_registrant(a)
    owner = await new_contact(a, "ejer@example.dk", ext=MGMT)
    proxy = await new_contact(a, "proxy@example.dk", ext=MGMT)
    r = await a.request(frames.domain_create(
        "fuldmagt.dk", owner, NS, token=registry.token(), contacts=[("admin", proxy)],
        extra_ext=MGMT.replace("4.5", "4.3")))
    assert r.code == 1001, r.msg
    await registry.tick()
    await create_hosts(a, *MORE_NS)
    r, page = await ask(ss, query("fuldmagt.dk", "ns3.example.net ns4.example.net"))
    assert r.status_code == 200, page
    rid = await registry.scalar("select id from pending_requests where kind = "
                                "'nsu_redelegation'")
    stranger = await ss.logged_in(await new_contact(a, "fremmed@example.dk"))
    page = (await stranger.get("/selfservice/requests")).text
    assert f'id="request-{rid}"' not in page
    r = await stranger.post(f"/selfservice/requests/{rid}",
                            data={"outcome": "accepted", "csrf": csrf_of(page)})
    assert r.status_code == 403
    me = await ss.logged_in(proxy)
    page = (await me.get("/selfservice/requests")).text
    assert f'id="request-{rid}"' in page
    r = await me.post(f"/selfservice/requests/{rid}",
                      data={"outcome": "accepted", "csrf": csrf_of(page)})
    assert r.status_code == 303, r.text
    assert await ns_of(registry, "fuldmagt.dk") == MORE_NS


async def test_refusals_in_both_languages(ss) -> None:  # type: ignore[no-untyped-def]
    registry = ss.registry
    registry.settings.nsu_requests_per_domain = 100  # the limit is the next test's
    await registrant_domain(ss)
    dealer = await Agent.new(registry, dkhm="4.5")  # a registrar-managed domain
    await dealer.domain("forhandler.dk", await dealer.contact(
        email="forhandler@example.dk", verified=True))
    cases = [
        (query("forhandler.dk", "ns3.example.net"),
         "Domænet må ikke være forhandler håndteret",
         "Provided domain name may not be registrar handled"),
        (query("selv.dk", "ns9.ukendt-vaert.net"),
         "Angivet navneserver er ikke registreret hos Punktum dk",
         "Provided nameserver is not registered with Punktum dk"),
        (query("ukendt-domaene.dk", "ns3.example.net"),
         "Angivet domæne navn er ikke registreret hos Punktum dk",
         "Provided domain name is not registered with Punktum dk"),
        (query("selv.dk", "ns3.example.net"),  # only one: 2 at least
         "For få værter", "Too few hosts"),
    ]
    for path, danish, english in cases:
        r, page = await ask(ss, path)
        assert r.status_code == 400 and f'id="nsu-error">{danish}<' in page, (path, page)
        r, page = await ask(ss, path.replace("/nsu/?", "/nsu/en/?")
                            .replace("id=52", "id=250").replace("submit=bek", "submit=x"))
        assert r.status_code == 400 and "submit field is required" in page
        en_path = path.replace("/nsu/?", "/nsu/en/?").replace("id=52", "id=250")
        r, page = await ask(ss, en_path)
        assert r.status_code == 400 and f'id="nsu-error">{english}<' in page, (en_path, page)
    # VID, then deactivated (suspended): the same domain, refused by the rule that applies
    async with registry.db.begin() as conn:
        await conn.execute(update(domains).where(domains.c.name == "selv.dk").values(vid=True))
    for lang, words in (("da", "Domænet må ikke være et VID domæne"),
                        ("en", "Provided domain name can not be a VID domain")):
        r, page = await ask(ss, query("selv.dk", "ns3.example.net ns4.example.net", lang))
        assert r.status_code == 400 and words in page
    async with registry.db.begin() as conn:
        await conn.execute(update(domains).where(domains.c.name == "selv.dk").values(
            vid=False, suspended_at=registry.clock.now()))
    for lang, words in (("da", "Domænenavn er ikke i en tilstand som kan redelegeres"),
                        ("en", "Domain name is not in a state eligible for redelegation")):
        r, page = await ask(ss, query("selv.dk", "ns3.example.net ns4.example.net", lang))
        assert r.status_code == 400 and words in page
    # the parameters, in the specification's order
    r, page = await ask(ss, "/nsu/?domain=selv.dk")
    assert r.status_code == 400 and "id felt er påkrævet" in page
    r, page = await ask(ss, "/nsu/en/?id=250&domain=selv.dk")
    assert r.status_code == 400 and "redel field is required" in page
    r, page = await ask(ss, "/nsu/en/?id=250&redel=true&domain=selv.dk&submit=confirm")
    assert r.status_code == 400 and "nameserver field is required" in page
    assert await ss.count("select count(*) from pending_requests where kind = "
                          "'nsu_redelegation'") == 0


async def test_the_form_is_throttled_per_address(ss) -> None:  # type: ignore[no-untyped-def]
    registry = ss.registry
    registry.settings.nsu_requests_per_ip = 3
    try:
        for i in range(3):
            r, _page = await ask(ss, query(f"ingen{i}.dk", "ns3.example.net"), ip="203.0.113.9")
            assert r.status_code == 400
        r, page = await ask(ss, query("ingen9.dk", "ns3.example.net"), ip="203.0.113.9")
        assert r.status_code == 429 and "For mange anmodninger fra din adresse" in page
        r, page = await ask(ss, query("ingen9.dk", "ns3.example.net", "en"), ip="203.0.113.9")
        assert r.status_code == 429 and "Too many requests from your address" in page
        # another address is not held back
        r, _page = await ask(ss, query("ingen9.dk", "ns3.example.net"), ip="203.0.113.10")
        assert r.status_code == 400
    finally:
        registry.settings.nsu_requests_per_ip = 20
    assert await ss.count("select count(*) from audit where command = "
                          "'nsu_redelegation_request' and result_code = 2502") == 2

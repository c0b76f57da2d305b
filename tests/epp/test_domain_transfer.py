"""transfer domain: the gaining registrar pulls a domain with an AuthInfo token, at once.

Every refusal leaves the domain, its token, the contacts, balances and poll queues as
they were.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, update

from dkreg.actions.account.registrars import user_create
from dkreg.actions.domain import auth_tokens
from dkreg.store.schema import contacts, domains, ds_records, pending_requests
from epp.helpers import NS, setup_registrant
from epp.test_auth_tokens import active_domain, domain_id, live, make_token, registrar_id
from support import frames

NOW = "2026-06-01T10:00:00.0Z"
MGMT = '<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.5">registrant</dkhm:management>'


async def drain(c) -> list:  # type: ignore[type-arg]
    """Every queued poll message (acked), oldest first."""
    out = []
    while True:
        r = await c.request(frames.poll_req())
        if r.code == 1300:
            return out
        assert r.code == 1301, r.msg
        out.append(r)
        assert (await c.request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000


async def snapshot(registry) -> tuple:  # type: ignore[type-arg]
    """What a refused transfer must leave untouched."""
    return (await registry.rows("select id, sponsor_id, management, registrant_id, "
                                "transferred_at, billing_registrar_id from domains order by id"),
            await registry.scalar("select count(*) from contacts"),
            await registry.rows("select id, balance_ore from registrars order by id"),
            await registry.scalar("select count(*) from ledger"),
            await registry.scalar("select count(*) from poll_messages"),
            await registry.rows("select sponsor_id from hosts order by id"))


async def set_domain(registry, name: str, **values) -> None:  # type: ignore[no-untyped-def]
    async with registry.db.begin() as conn:
        await conn.execute(update(domains).where(domains.c.name == name).values(**values))


@pytest.fixture
async def pair(registry):
    """Registrar A with the active domain flyt.dk; registrar B (dkhm-4.5 session) wants it."""
    a, a_handle = await registry.registrar_client()
    await active_domain(registry, a, "flyt.dk")
    b_handle, b_login, b_pw = await registry.new_registrar()
    b = await registry.client(b_login, b_pw, dkhm="4.5")
    return registry, a, a_handle, b, b_handle, b_login


async def test_transfer_moves_the_domain_and_what_hangs_on_it(pair) -> None:
    registry, a, a_handle, b, b_handle, _ = pair
    r = await a.request(frames.host_create("ns1.flyt.dk", "193.163.102.10"))
    assert r.code == 1000, r.msg
    did = await domain_id(registry, "flyt.dk")
    async with registry.db.begin() as conn:
        await conn.execute(insert(ds_records).values(
            domain_id=did, key_tag=12345, alg=13, digest_type=2, digest="AB" * 32,
            created_at=registry.clock.now()))
    old = (await registry.rows("select c.* from contacts c join domains d "
                               "on d.registrant_id = c.id where d.id = :d", d=did))[0]
    ex_date = (await a.request(frames.domain_info("flyt.dk"))).text(".//domain:exDate")
    token = await make_token(registry, a_handle, "flyt.dk")
    await make_token(registry, a_handle, "flyt.dk", "redel")
    await drain(a)  # the create result
    balances = await registry.rows("select id, balance_ore from registrars order by id")
    registry.clock.advance(timedelta(minutes=5))
    now = "2026-06-01T10:05:00.0Z"

    r = await b.request(frames.domain_transfer("flyt.dk", f"  {token}\n"))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    trn = {k: r.text(f".//domain:trnData/domain:{k}") for k in
           ("name", "trStatus", "reID", "reDate", "acID", "acDate", "exDate")}
    assert trn == {"name": "flyt.dk", "trStatus": "clientApproved", "reID": b_handle,
                   "reDate": now, "acID": a_handle, "acDate": now, "exDate": ex_date}

    b_id, a_id = await registrar_id(registry, b_handle), await registrar_id(registry, a_handle)
    dom = (await registry.rows("select * from domains where id = :d", d=did))[0]
    assert (dom.sponsor_id, dom.management, dom.updated_by) == (b_id, "registrar", b_handle)
    assert dom.transferred_at is not None and dom.registrant_id != old.id
    # the registrant is cloned into B's portfolio: new handle, same person and checks
    new = (await registry.rows("select * from contacts where id = :c",
                               c=dom.registrant_id))[0]
    assert new.handle != old.handle and re.fullmatch(r"JH\d+-DK", new.handle)
    same = ("user_type", "name", "org", "street", "city", "pc", "cc", "postal_type", "voice",
            "email", "id_status", "email_status", "register_locked")
    assert {k: getattr(new, k) for k in same} == {k: getattr(old, k) for k in same}
    assert (new.sponsor_id, new.management, new.created_by) == (b_id, "registrar", b_handle)
    assert old.unlinked_at is None
    assert await registry.scalar("select unlinked_at from contacts where id = :c",
                                 c=old.id) is not None
    # hosts follow the domain (the NSA role stays); DS and NS stay; the period does not grow
    assert (await registry.rows("select sponsor_id, nsa_id from hosts where name = "
                                "'ns1.flyt.dk'"))[0] == (b_id, a_id)
    assert await registry.scalar("select count(*) from ds_records where domain_id = :d",
                                 d=did) == 1
    assert await registry.scalar("select count(*) from domain_ns where domain_id = :d",
                                 d=did) == 2
    # the token is used, the other one retracted: nothing works any more
    assert await live(registry, "flyt.dk") == []
    assert await registry.scalar("select used_at from auth_tokens where token = :t",
                                 t=token) is not None
    # free by default: no money moves
    assert await registry.rows("select id, balance_ore from registrars order by id") == balances
    assert await registry.scalar("select count(*) from ledger where kind = 'domain_transfer'") == 0

    r = await b.request(frames.domain_info("flyt.dk"))
    assert r.text(".//domain:clID") == b_handle
    assert r.text(".//domain:registrant") == new.handle
    assert r.text(".//domain:exDate") == ex_date
    assert r.text(".//domain:trDate") == now
    assert [h.text for h in r.findall(".//domain:host")] == ["ns1.flyt.dk"]
    assert r.dkhm("autoRenew") == "true"
    r = await a.request(frames.domain_info("flyt.dk"))
    assert r.text(".//domain:clID") == b_handle
    assert r.dkhm("autoRenew") is None and r.findall(".//domain:host") == []

    (got,) = await drain(b)
    assert got.text(".//epp:msgQ/epp:msg") == "flyt.dk has been added to your portfolio"
    (lost,) = await drain(a)
    assert lost.text(".//epp:msgQ/epp:msg") == "flyt.dk has been removed from your portfolio"
    for msg in (got, lost):
        assert msg.text(".//domain:trnData/domain:reID") == b_handle
        assert msg.text(".//domain:trnData/domain:acID") == a_handle
        assert msg.text(".//domain:trnData/domain:trStatus") == "clientApproved"
    # the same token cannot be used twice, not even by the new sponsor's competitor
    c, _ = await registry.registrar_client()
    r = await c.request(frames.domain_transfer("flyt.dk", token))
    assert r.code == 2202


async def test_transfer_is_billed_when_priced(registry_factory) -> None:
    async with registry_factory(transfer_price_ore=12500) as registry:
        a, a_handle = await registry.registrar_client()
        await active_domain(registry, a, "pris.dk")
        b, b_handle = await registry.registrar_client(balance_ore=20000)
        token = await make_token(registry, a_handle, "pris.dk")
        a_balance = await registry.scalar(
            "select balance_ore from registrars where handle = :h", h=a_handle)
        r = await b.request(frames.domain_transfer("pris.dk", token))
        assert r.code == 1000, r.msg
        assert await registry.scalar("select balance_ore from registrars where handle = :h",
                                     h=b_handle) == 20000 - 12500
        assert await registry.scalar("select balance_ore from registrars where handle = :h",
                                     h=a_handle) == a_balance
        assert (await registry.rows(
            "select amount_ore, reference from ledger where kind = 'domain_transfer'")) == [
            (-12500, "pris.dk")]


async def test_transfer_without_funds_changes_nothing(registry_factory) -> None:
    async with registry_factory(transfer_price_ore=12500) as registry:
        a, a_handle = await registry.registrar_client()
        await active_domain(registry, a, "pris.dk")
        b, _ = await registry.registrar_client(balance_ore=12499)
        token = await make_token(registry, a_handle, "pris.dk")
        before = await snapshot(registry)
        r = await b.request(frames.domain_transfer("pris.dk", token))
        assert r.code == 2104
        assert r.msg == "Billing failure; the price is DKK 125.00"
        assert await snapshot(registry) == before
        assert [t.token for t in await live(registry, "pris.dk")] == [token]


async def test_refusals_leave_everything_as_it_was(pair) -> None:
    registry, a, a_handle, _, _, b_login = pair
    token = await make_token(registry, a_handle, "flyt.dk")
    redel = await make_token(registry, a_handle, "flyt.dk", "redel")
    before = await snapshot(registry)
    not_offered = "Unimplemented option"
    no_token = "Change of registrar without authinfo token is not currently allowed"
    bad_token = "Supplied authinfo token is not valid for this domain/operation"
    cases = [
        ("b", frames.domain_transfer("flyt.dk", token, op="query"), 2102, not_offered),
        ("b", frames.domain_transfer("flyt.dk", token, op="approve"), 2102, not_offered),
        ("b", frames.domain_transfer("flyt.dk", token, op="reject"), 2102, not_offered),
        ("b", frames.domain_transfer("flyt.dk", token, op="cancel"), 2102, not_offered),
        ("b", frames.domain_transfer("flyt.dk", token, period=1), 2102, not_offered),
        ("b", frames.domain_transfer("flyt.dk", auth=False), 2201, no_token),
        ("b", frames.domain_transfer("flyt.dk"), 2201, no_token),
        ("b", frames.domain_transfer("flyt.dk", "   "), 2201, no_token),
        ("b", frames.domain_transfer("flyt.dk", token.lower()), 2202, bad_token),
        ("b", frames.domain_transfer("flyt.dk", redel), 2202, bad_token),
        ("b", frames.domain_transfer("flyt.dk", "REG-TRANSFER-" + "A" * 32), 2202, bad_token),
        ("b", frames.domain_transfer("findes-ikke.dk", token), 2303,
         "Cannot change registrar on non-existent domain"),
        ("b", frames.domain_transfer("-ugyldig.dk", token), 2303,
         "Cannot change registrar on non-existent domain"),
        ("a", frames.domain_transfer("flyt.dk", token), 2302,
         "Domain is already registrar managed."),
        ("b", frames.domain_transfer(
            "flyt.dk", token,
            ext='<dkhm:autoRenew xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.5">true'
                "</dkhm:autoRenew>"), 2001, "Command syntax error"),
    ]
    for who, xml, code, text in cases:
        # a fresh session each time: three errors of one kind would close it
        c = a if who == "a" else await registry.client(b_login, dkhm="4.5")
        r = await c.request(xml)
        assert (r.code, r.msg.split(";")[0]) == (code, text), (xml, r.msg)
    assert await snapshot(registry) == before
    assert {t.token for t in await live(registry, "flyt.dk")} == {token, redel}
    b = await registry.client(b_login, dkhm="4.5")
    assert (await b.request(frames.domain_transfer("flyt.dk", token))).code == 1000


async def test_registrar_meta_role_is_needed(pair) -> None:
    registry, _, a_handle, _, b_handle, _ = pair
    async with registry.db.begin() as conn:
        await user_create(registry.ctx(conn), b_handle, "b-proxy", "epp", "Test-Passw0rd",
                          roles="proxy payer nsa")
    c = await registry.client("b-proxy")
    token = await make_token(registry, a_handle, "flyt.dk")
    r = await c.request(frames.domain_transfer("flyt.dk", token))
    assert r.code == 2201
    assert r.msg.startswith("No privilege. You are not authorized to transfer domain")
    assert [t.token for t in await live(registry, "flyt.dk")] == [token]


STATES = {
    "redemption": ("Object is not eligible for transfer, domain status prohibits transfer",
                   {"statuses": "pendingDelete redemptionPeriod",
                    "redemption_until": timedelta(days=30), "redemption_cause": "delete"}),
    "scheduled_deletion": (
        "Object is not eligible for transfer, domain status prohibits transfer",
        {"delete_at": timedelta(days=10)}),
    "prohibited": ("Object is not eligible for transfer, domain status prohibits transfer",
                   {"statuses": "serverTransferProhibited"}),
    "pending_update": ("Object is not ready for transfer at this time",
                       {"statuses": "pendingUpdate"}),
    "suspended": ("Domain is blocked", {"statuses": "serverHold", "suspended_at": timedelta()}),
    "vid": ("Domain is locked", {"management": "registrant", "sponsor_id": None, "vid": True}),
}


@pytest.mark.parametrize("state", sorted(STATES))
async def test_not_eligible_states_are_2106(pair, state: str) -> None:
    registry, _, a_handle, b, _, _ = pair
    text, values = STATES[state]
    now = registry.clock.now()
    await set_domain(registry, "flyt.dk", **{
        k: now + v if isinstance(v, timedelta) else v for k, v in values.items()})
    token = await make_token(registry, a_handle, "flyt.dk")
    before = await snapshot(registry)
    r = await b.request(frames.domain_transfer("flyt.dk", token))
    assert r.code == 2106, r.msg
    assert r.msg.startswith(text + "; ")
    assert await snapshot(registry) == before
    assert [t.token for t in await live(registry, "flyt.dk")] == [token]


async def test_unvalidated_registrant_and_waiting_request_are_2106(pair) -> None:
    registry, _, a_handle, b, _, _ = pair
    token = await make_token(registry, a_handle, "flyt.dk")
    did = await domain_id(registry, "flyt.dk")
    a_id = await registrar_id(registry, a_handle)
    async with registry.db.begin() as conn:
        await conn.execute(insert(pending_requests).values(
            kind="registrant_change", registrar_id=a_id,
            domain_id=did, data=json.dumps({}), state="pending",
            created_at=registry.clock.now(), due_at=registry.clock.now() + timedelta(days=14)))
    r = await b.request(frames.domain_transfer("flyt.dk", token))
    assert r.code == 2106
    assert r.msg.startswith("Object is not ready for transfer at this time; ")
    assert "2026-06-15 10:00 UTC" in r.msg
    async with registry.db.begin() as conn:
        await conn.execute(pending_requests.delete())
        await conn.execute(update(contacts).values(id_status="pending"))
    before = await snapshot(registry)
    r = await b.request(frames.domain_transfer("flyt.dk", token))
    assert (r.code, r.msg.split(";")[0]) == (2106, "Registrant has not been id validated")
    assert await snapshot(registry) == before


async def test_application_cannot_be_transferred(registry) -> None:
    a, a_handle = await registry.registrar_client()
    contact = await setup_registrant(a)
    assert (await a.request(frames.domain_create("ny.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    token = await make_token(registry, a_handle, "ny.dk")
    b, _ = await registry.registrar_client()
    r = await b.request(frames.domain_transfer("ny.dk", token))
    assert r.code == 2106
    assert r.msg.startswith(
        "Object is not eligible for transfer, domain status prohibits transfer; ")
    assert "pendingCreate" in r.msg


async def test_registrant_managed_domain_becomes_registrar_managed(registry) -> None:
    """From the registry (clID DKHM1-DK) to B: roles of the registrant-managed model go,
    the registrar that was billing contact hears it has been removed."""
    a, a_handle = await registry.registrar_client()
    await setup_registrant(a)
    handles = []
    for name, email in (("Rita Registrant", "rita@example.dk"), ("Adam Admin", "adam@x.dk")):
        r = await a.request(frames.contact_create(name=name, email=email, verified=True,
                                                  dkhm="4.5", extra_ext=MGMT))
        assert r.code == 1000, r.msg
        handles.append(r.text(".//contact:id"))
    rita, adam = handles
    r = await a.request(frames.domain_create("selv.dk", rita, NS, token=registry.token(),
                                             contacts=[("admin", adam)],
                                             extra_ext=MGMT.replace("4.5", "4.3")))
    assert r.code == 1001, r.msg
    await registry.tick()
    await drain(a)
    a_id = await registrar_id(registry, a_handle)
    await set_domain(registry, "selv.dk", billing_registrar_id=a_id)
    did = await domain_id(registry, "selv.dk")
    async with registry.db.begin() as conn:  # the registrant's own token, from self-service
        token = await auth_tokens.generate(registry.ctx(conn), did, role="OWN")

    b, b_handle = await registry.registrar_client()
    r = await b.request(frames.domain_transfer("selv.dk", token))
    assert r.code == 1000, r.msg
    assert r.text(".//domain:acID") == rita  # the registrant released it (spec example)
    assert r.text(".//domain:reID") == b_handle
    dom = (await registry.rows("select * from domains where id = :d", d=did))[0]
    assert (dom.management, dom.sponsor_id, dom.billing_registrar_id) == (
        "registrar", await registrar_id(registry, b_handle), None)
    assert await registry.scalar("select count(*) from domain_contacts where domain_id = :d",
                                 d=did) == 0
    clone = (await registry.rows("select * from contacts where id = :c",
                                 c=dom.registrant_id))[0]
    assert (clone.name, clone.management, clone.created_by) == (
        "Rita Registrant", "registrar", b_handle)
    # both of the old role holders are no longer linked to anything
    assert await registry.scalar(
        "select count(*) from contacts where handle in (:r, :a) and unlinked_at is not null",
        r=rita, a=adam) == 2
    r = await b.request(frames.domain_info("selv.dk"))
    assert r.findall(".//domain:contact") == []
    (got,) = await drain(b)
    assert got.text(".//epp:msgQ/epp:msg") == "selv.dk has been added to your portfolio"
    (billing,) = await drain(a)
    assert billing.text(".//epp:msgQ/epp:msg") == (
        f"{a_handle} has been removed as billing contact for selv.dk")
    assert billing.text(".//domain:infData/domain:clID") == b_handle


async def test_one_token_one_winner_when_registrars_race(pair) -> None:
    """Sessions presenting the same token at once: the domain row lock lets exactly one
    transfer happen; the others find the token spent."""
    registry, _, a_handle, b, b_handle, _ = pair
    token = await make_token(registry, a_handle, "flyt.dk")
    rivals = [(b, b_handle)] + [await registry.registrar_client() for _ in range(3)]
    contacts_before = await registry.scalar("select count(*) from contacts")
    replies = await asyncio.gather(*(c.request(frames.domain_transfer("flyt.dk", token))
                                     for c, _ in rivals))
    codes = sorted(r.code for r in replies)
    assert codes == [1000, 2202, 2202, 2202], [r.msg for r in replies]
    winner = next(h for (_, h), r in zip(rivals, replies, strict=True) if r.code == 1000)
    assert await registry.scalar(
        "select r.handle from domains d join registrars r on r.id = d.sponsor_id "
        "where d.name = 'flyt.dk'") == winner
    assert await registry.scalar("select count(*) from contacts") == contacts_before + 1
    assert await registry.scalar(
        "select count(*) from poll_messages where msg like '%added to your portfolio'") == 1

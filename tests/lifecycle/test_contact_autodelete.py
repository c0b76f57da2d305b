"""Contact auto-delete (SPEC-DIGEST §4.1): a contact nothing uses is deleted after
``contact_autodelete_days`` of inactivity; its handle is never reused and nothing can
refer to it any more."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from dkreg.lifecycle.domains import release
from dkreg.store.schema import domains
from epp.test_contact_update import drain, poll_msg, row
from support import frames
from support.epp_objects import Agent, unique

DAYS = timedelta(days=1)
SECOND = timedelta(seconds=1)


async def test_unused_contact_is_deleted_after_14_days(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(email="gone@example.dk")
    registry.clock.advance(14 * DAYS - SECOND)
    assert (await registry.tick()).done["contact_autodelete"] == 0
    registry.clock.advance(SECOND)
    assert (await registry.tick()).done["contact_autodelete"] == 1
    assert (await row(registry, handle)).deleted_at == registry.clock.now()
    msgs = await drain(a)
    assert [poll_msg(m) for m in msgs] == [f"{handle} has been deleted"]
    assert msgs[0].text(".//contact:id") == handle
    assert msgs[0].text(".//contact:email") == "gone@example.dk"
    assert (await registry.tick()).total == 0
    # gone for info, still taken for check, never matched by smart create again
    r = await a.send(frames.contact_info(handle))
    assert (r.code, r.msg.split(";")[0]) == (2303, "Contact not found")
    r = await a.send(frames.contact_check(handle))
    cd = r.find(".//contact:cd/contact:id")
    assert (cd.get("avail"), r.text(".//contact:reason")) == ("0", "In use")
    r = await a.send(frames.contact_create(email="gone@example.dk"))
    assert (r.msg, r.text(".//contact:id") != handle) == ("Contact created.", True)
    r = await a.send(frames.contact_update(handle, voice="+45.87654321"))
    assert r.code == 2303
    # nor can a domain use it
    await a.host("ns1.gone.example")
    await a.host("ns2.gone.example")
    r = await a.send(frames.domain_create("gone.dk", handle,
                                          ["ns1.gone.example", "ns2.gone.example"],
                                          token=registry.token()))
    assert r.code == 2303, r.msg
    assert "domain:registrant" in r.msg


async def test_activity_restarts_the_clock(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    registry.clock.advance(10 * DAYS)
    assert (await a.send(frames.contact_update(handle, voice="+45.87654321"))).code == 1000
    registry.clock.advance(14 * DAYS - SECOND)
    assert (await registry.tick()).done["contact_autodelete"] == 0
    registry.clock.advance(SECOND)
    assert (await registry.tick()).done["contact_autodelete"] == 1


async def test_registrants_are_kept_until_their_domain_is_gone(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=True)
    name = f"{unique('kept')}.dk"
    await a.domain(name, registrant=handle, tick=False)  # an application counts too
    registry.clock.advance(20 * DAYS)
    await registry.tick()
    assert (await row(registry, handle)).deleted_at is None
    # the domain is released (as its redemption ends): 14 days later the contact goes
    async with registry.db.begin() as conn:
        dom = (await conn.execute(select(domains).where(domains.c.uname == name))).one()
        await release(registry.ctx(conn), dom)
    registry.clock.advance(14 * DAYS - SECOND)
    await registry.tick()
    assert (await row(registry, handle)).deleted_at is None
    registry.clock.advance(SECOND)
    await registry.tick()
    assert (await row(registry, handle)).deleted_at == registry.clock.now()


async def test_role_holders_and_waiting_requests_keep_a_contact(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    mgmt = frames.dkhm_el("management", "registrant")
    owner = await a.contact(verified=True, extra_ext=mgmt, email="owner@example.dk")
    admin = await a.contact(verified=True, extra_ext=mgmt, email="admin@example.dk")
    await a.host("ns1.roles.example")
    await a.host("ns2.roles.example")
    r = await a.send(frames.domain_create(
        f"{unique('roles')}.dk", owner, ["ns1.roles.example", "ns2.roles.example"],
        token=registry.token(), contacts=[("admin", admin)],
        extra_ext=frames.dkhm_el("management", "registrant")))
    assert r.code == 1001, r.msg
    # a change of registrant waits for the new registrant's check (25 days)
    old = await a.contact(verified=True, email="old-owner@example.dk")
    name = f"{unique('change')}.dk"
    await a.domain(name, registrant=old)
    newcomer = await a.contact(verified=False, email="newcomer@example.dk")
    r = await a.send(frames.domain_update(name, registrant=newcomer,
                                          ext=frames.order_token_ext(registry.token(), "4.5")))
    assert r.code == 1001, r.msg
    registry.clock.advance(14 * DAYS)
    await registry.tick()
    assert (await row(registry, admin)).deleted_at is None
    assert (await row(registry, owner)).deleted_at is None
    assert (await row(registry, newcomer)).deleted_at is None


async def test_a_waiting_request_keeps_a_contact(registry_factory) -> None:
    async with registry_factory(nis2_email_change_hours=20 * 24) as registry:
        a = await Agent.new(registry)
        changing = await a.contact(email="before@example.dk")
        r = await a.send(frames.contact_update(changing, email="after@example.dk"))
        assert r.code == 1001
        registry.clock.advance(14 * DAYS)
        assert (await registry.tick()).done["contact_autodelete"] == 0
        registry.clock.advance(6 * DAYS)  # the change expires: nothing waits any more
        report = await registry.tick()
        assert (report.done["pending_requests"], report.done["contact_autodelete"]) == (1, 1)
        assert (await row(registry, changing)).email == "before@example.dk"


async def test_registry_managed_contacts_go_silently(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(extra_ext=frames.dkhm_el("management", "registrant", "4.3"))
    registry.clock.advance(14 * DAYS)
    assert (await registry.tick()).done["contact_autodelete"] == 1
    assert (await row(registry, handle)).deleted_at is not None
    assert await drain(a) == []


async def test_several_workers_delete_each_contact_once(registry) -> None:
    a = await Agent.new(registry)
    for i in range(5):
        await a.contact(email=f"many{i}@example.dk")
    registry.clock.advance(14 * DAYS)
    reports = await asyncio.gather(*(registry.tick() for _ in range(3)))
    assert sum(r.done["contact_autodelete"] for r in reports) == 5
    assert len(await drain(a)) == 5

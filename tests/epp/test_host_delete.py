"""delete host over TLS EPP, and the registry's removal of hosts whose domain is released
(SPEC-DIGEST §6: only the NS administrator — or the sponsoring registrar — may delete;
2305 while a live domain uses the host; poll "The name server % has been deleted")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from dkreg.actions import pending
from dkreg.actions.host.delete import remove_host
from dkreg.errors import EppError
from support import frames
from support.epp_objects import Agent, count, unique
from support.eppclient import Reply

V4 = "193.163.102.58"
V6 = "2a01:4f8:c0c:1234::1"


async def drain(agent: Agent) -> None:
    """Ack whatever is queued (domain create results) so the next poll is ours."""
    while (r := await agent.send(frames.poll_req())).code == 1301:
        assert (await agent.send(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000


async def poll_one(agent: Agent) -> Reply:
    r = await agent.send(frames.poll_req())
    assert r.code == 1301, r.msg
    assert (await agent.send(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000
    return r


async def host_rows(registry, name: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    hosts = await registry.scalar("select count(*) from hosts where name = :n", n=name)
    addrs = await registry.scalar(
        "select count(*) from host_addrs a join hosts h on h.id = a.host_id where h.name = :n",
        n=name)
    return hosts, addrs  # type: ignore[return-value]


async def hand_nsa_role(registry, owner: Agent, host: str, to: Agent) -> None:  # type: ignore[no-untyped-def]
    """``owner`` asks ``to`` to become NSA of ``host`` and ``to`` accepts."""
    r = await owner.send(frames.host_update(host, nsa=to.handle))
    assert r.code == 1001, r.msg
    rid = await registry.scalar("select id from pending_requests where state = 'pending' "
                                "and kind = 'host_nsa' and target = :t", t=to.handle)
    async with registry.db.begin() as conn:
        await pending.decide(registry.ctx(conn), rid, "accepted")


async def test_delete_own_out_of_zone_host(registry) -> None:
    a = await Agent.new(registry)
    await a.host("ns1.example.net")
    r = await a.send(frames.host_delete("NS1.example.net"))
    assert r.code == 1000, r.msg
    assert r.msg == "Command completed successfully"
    assert r.find(".//epp:resData") is None
    assert await host_rows(registry, "ns1.example.net") == (0, 0)
    assert (await a.send(frames.poll_req())).code == 1300  # deleting your own: no message
    # the name is free again
    r = await a.send(frames.host_check("ns1.example.net"))
    assert r.find(".//host:name").get("avail") == "1"


async def test_delete_in_bailiwick_host_removes_its_glue(registry) -> None:
    a = await Agent.new(registry)
    domain = f"{unique('glue')}.dk"
    await a.domain(domain)
    await a.host(f"ns1.{domain}", V4, V6)
    await a.host(f"ns2.{domain}", V4)
    assert (await a.send(frames.host_delete(f"ns1.{domain}"))).code == 1000
    assert await host_rows(registry, f"ns1.{domain}") == (0, 0)
    assert await host_rows(registry, f"ns2.{domain}") == (1, 1)


async def test_delete_unknown_or_invalid_host(registry) -> None:
    a = await Agent.new(registry)
    for name, detail in (("ns9.example.net", "does not exist"), ("-ns.example.net", "hyphen")):
        r = await a.send(frames.host_delete(name))
        assert r.code == 2303, r.msg
        assert r.msg.startswith("Host does not exist; host:name"), r.msg
        assert detail in r.msg


async def test_unrelated_registrar_cannot_delete(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    await a.host("ns1.example.net")
    r = await b.send(frames.host_delete("ns1.example.net"))
    assert r.code == 2201, r.msg
    assert r.msg.startswith("No privilege; host:name")
    assert await host_rows(registry, "ns1.example.net") == (1, 0)


async def test_linked_host_cannot_be_deleted_until_the_domain_is_gone(registry) -> None:
    a = await Agent.new(registry)
    zone = unique("dns")
    ns = [f"ns1.{zone}.net", f"ns2.{zone}.net"]
    for h in ns:
        await a.host(h)
    domain = f"{unique('uses')}.dk"
    await a.domain(domain, ns=ns)
    links = await count(registry, "domain_ns")
    r = await a.send(frames.host_delete(ns[0]))
    assert r.code == 2305, r.msg
    assert r.msg.startswith("Nameserver has active domains, cannot be deleted; host:name")
    assert domain in r.msg
    assert await host_rows(registry, ns[0]) == (1, 0)
    assert await count(registry, "domain_ns") == links
    # a released domain no longer holds the host (its links are history)
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set released_at = :t where name = :n"),
                           {"t": registry.clock.now(), "n": domain})
    assert (await a.send(frames.host_delete(ns[0]))).code == 1000
    assert await host_rows(registry, ns[0]) == (0, 0)
    assert await count(registry, "domain_ns") == links - 1


async def test_administrator_deletes_a_host_its_registrar_sponsors(registry) -> None:
    """The NSA may delete; the sponsor, who did not do it, is told with host:infData."""
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    domain = f"{unique('nsa')}.dk"
    await a.domain(domain)
    host = f"ns1.{domain}"
    await a.host(host, V4)
    await hand_nsa_role(registry, a, host, b)
    await drain(a)
    registry.clock.advance(timedelta(hours=1))
    r = await b.send(frames.host_delete(host))
    assert r.code == 1000, r.msg
    assert await host_rows(registry, host) == (0, 0)
    assert (await b.send(frames.poll_req())).code == 1300
    m = await poll_one(a)
    assert m.text(".//epp:msgQ/epp:msg") == f"The name server {host} has been deleted"
    assert m.text(".//host:infData/host:name") == host
    assert [e.text for e in m.findall(".//host:infData/host:addr")] == [V4]
    assert m.text(".//host:infData/host:clID") == a.handle
    assert m.text(".//host:infData/host:upID") == b.handle


async def test_deleting_a_pending_create_withdraws_the_request(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    r = await a.send(frames.host_create("ns1.example.net", ext=frames.requested_nsa(b.handle)))
    assert r.code == 1001, r.msg
    rid = await registry.scalar("select id from pending_requests where state = 'pending'")
    assert (await a.send(frames.host_delete("ns1.example.net"))).code == 1000
    assert await count(registry, "pending_requests") == 0
    assert await host_rows(registry, "ns1.example.net") == (0, 0)
    with pytest.raises(EppError) as exc:
        async with registry.db.begin() as conn:
            await pending.decide(registry.ctx(conn), rid, "accepted")
    assert exc.value.code == 2303
    assert (await a.send(frames.poll_req())).code == 1300


# ---------------------------------------------------------------------------------------
# The registry removes a host (its superordinate domain is being released)


async def test_remove_host_takes_links_glue_requests_and_tells_the_sponsor(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    zone = f"{unique('gone')}.dk"
    await a.domain(zone)
    host = f"ns1.{zone}"
    await a.host(host, V4, V6)
    await a.host("ns9.example.net")
    user = f"{unique('user')}.dk"
    await a.domain(user, ns=[host, "ns9.example.net"])
    r = await a.send(frames.host_update(host, nsa=b.handle))  # an open request for the host
    assert r.code == 1001, r.msg
    await drain(a)
    hid = await registry.scalar("select id from hosts where name = :n", n=host)
    links = await count(registry, "domain_ns")

    async with registry.db.begin() as conn:
        await remove_host(registry.ctx(conn), hid)  # type: ignore[arg-type]
        await remove_host(registry.ctx(conn), hid)  # type: ignore[arg-type]  # gone: no-op

    assert await host_rows(registry, host) == (0, 0)
    assert await count(registry, "domain_ns") == links - 1
    assert await registry.scalar(
        "select count(*) from pending_requests where host_id = :h", h=hid) == 0
    assert await count(registry, "pending_requests") == 0
    m = await poll_one(a)
    assert m.text(".//epp:msgQ/epp:msg") == f"The name server {host} has been deleted"
    assert [s.get("s") for s in m.findall(".//host:infData/host:status")] == [
        "linked", "serverDeleteProhibited", "pendingUpdate"]
    assert sorted(e.text for e in m.findall(".//host:infData/host:addr")) == sorted([V4, V6])
    assert (await a.send(frames.poll_req())).code == 1300  # exactly one message
    assert (await b.send(frames.poll_req())).code == 1300

"""Requests a host waits for (SPEC-DIGEST §6, poll texts "host" rows): a requested
name-server administrator (``dkhm:requestedNsAdmin`` on create and update) and the
registrant of a registrant-managed superordinate domain. Answers arrive through
``pending.decide`` (what self-service, the portal and ``dkreg request`` call); silence
ends through ``registry.tick()`` once the deadline has passed. Every outcome is polled,
so each message is schema-validated.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from dkreg.actions import pending
from support import frames
from support.epp_objects import Agent, unique
from support.eppclient import Reply

V4 = "193.163.102.58"
V6 = "2a01:4f8:c0c:1234::1"
DAYS = 14  # settings.pending_request_days


def when(value: object) -> datetime:
    """A timestamp column as naive UTC (SQLite hands raw SQL results back as text)."""
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return dt.replace(tzinfo=None)


async def agents(registry, n: int) -> list[Agent]:  # type: ignore[no-untyped-def]
    return [await Agent.new(registry) for _ in range(n)]


async def decide(registry, request_id: int, outcome: str) -> None:  # type: ignore[no-untyped-def]
    async with registry.db.begin() as conn:
        await pending.decide(registry.ctx(conn), request_id, outcome)


async def open_requests(registry) -> list:  # type: ignore[no-untyped-def,type-arg]
    return await registry.rows(
        "select id, kind, target, registrar_id, host_id, domain_id, cl_trid, sv_trid, due_at "
        "from pending_requests where state = 'pending' order by id")


async def drain(agent: Agent) -> None:
    while (r := await agent.send(frames.poll_req())).code == 1301:
        assert (await agent.send(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000


async def poll_one(agent: Agent) -> Reply:
    """The one message queued for ``agent`` (checked: nothing else follows)."""
    r = await agent.send(frames.poll_req())
    assert r.code == 1301, r.msg
    assert r.find(".//epp:msgQ").get("count") == "1"
    assert (await agent.send(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000
    return r


def pan(r: Reply) -> tuple[str | None, str | None, str | None, str | None]:
    """(message, name, paResult, clTRID) of a host:panData poll message."""
    name = r.find(".//host:panData/host:name")
    assert name is not None, r.raw
    return (r.text(".//epp:msgQ/epp:msg"), name.text, name.get("paResult"),
            r.text(".//host:panData/host:paTRID/epp:clTRID"))


async def host_row(registry, name: str):  # type: ignore[no-untyped-def]
    rows = await registry.rows(
        "select h.statuses, r.handle as nsa from hosts h join registrars r on r.id = h.nsa_id "
        "where h.name = :n", n=name)
    return rows[0] if rows else None


async def statuses(agent: Agent, host: str) -> list[str]:
    r = await agent.send(frames.host_info(host))
    assert r.code == 1000, r.msg
    return [s.get("s") for s in r.findall(".//host:status")]


async def glue_host(registry, a: Agent) -> str:  # type: ignore[no-untyped-def]
    domain = f"{unique('zone')}.dk"
    await a.domain(domain)
    host = f"ns1.{domain}"
    await a.host(host, V4)
    await drain(a)
    return host


async def registrant_managed(registry, a: Agent) -> str:  # type: ignore[no-untyped-def]
    """A domain of ``a``'s, turned registrant-managed (clID DKHM1-DK); ``a`` stays NSA of
    its two (out-of-zone) name servers."""
    domain = f"{unique('selv')}.dk"
    await a.domain(domain)
    await drain(a)
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set sponsor_id = NULL, "
                                "management = 'registrant' where name = :n"), {"n": domain})
    return domain


# ---------------------------------------------------------------------------------------
# update host: hand the administrator role to another registrar


async def test_nsa_change_accepted(registry) -> None:
    a, b, c = await agents(registry, 3)
    host = await glue_host(registry, a)
    r = await a.send(frames.host_update(host, nsa=b.handle, cl_trid="NSA-CHANGE-1"))
    assert r.code == 1001, r.msg
    assert r.msg == "Command completed successfully; action pending"
    assert r.find(".//epp:resData") is None
    sv_trid = r.text(".//epp:svTRID")
    [req] = await open_requests(registry)
    assert (req.kind, req.target, req.cl_trid, req.sv_trid) == (
        "host_nsa", b.handle, "NSA-CHANGE-1", sv_trid)
    assert await statuses(a, host) == ["pendingUpdate"]
    assert (await host_row(registry, host)).nsa == a.handle  # until the answer

    registry.clock.advance(timedelta(days=3))
    await decide(registry, req.id, "accepted")
    row = await host_row(registry, host)
    assert (row.statuses, row.nsa) == ("ok", b.handle)
    m = await poll_one(a)
    assert pan(m) == (f"The name server manager role for {host} has been accepted by "
                      f"{b.handle}", host, "1", "NSA-CHANGE-1")
    assert m.text(".//host:paTRID/epp:svTRID") == sv_trid
    assert m.text(".//host:paDate") == "2026-06-04T10:00:00.0Z"
    assert (await b.send(frames.poll_req())).code == 1300

    # the administrator is named to related registrars only
    for who in (a, b):
        r = await who.send(frames.host_info(host))
        assert r.dkhm("contact") == b.handle
        assert r.text(".//host:upID") == b.handle
    assert (await c.send(frames.host_info(host))).dkhm("contact") is None
    # the new administrator may now change the glue and hand the role on
    assert (await b.send(frames.host_update(host, add=[V6]))).code == 1000
    r = await a.send(frames.host_update(host, nsa=c.handle))  # a is only the sponsor now
    assert r.code == 2201, r.msg
    assert r.msg.startswith("No privilege; dkhm:requestedNsAdmin")
    assert (await b.send(frames.host_update(host, nsa=c.handle))).code == 1001


@pytest.mark.parametrize(("outcome", "verb"), [("rejected", "has been rejected by"),
                                               ("expired", "has not been accepted by")])
async def test_nsa_change_not_accepted(registry, outcome, verb) -> None:
    a, b = await agents(registry, 2)
    host = await glue_host(registry, a)
    r = await a.send(frames.host_update(host, nsa=b.handle, cl_trid="NSA-CHANGE-2"))
    assert r.code == 1001, r.msg
    [req] = await open_requests(registry)
    if outcome == "rejected":
        await decide(registry, req.id, "rejected")
    else:
        registry.clock.advance(timedelta(days=DAYS) - timedelta(seconds=1))
        assert (await registry.tick()).done.get("pending_requests", 0) == 0
        registry.clock.advance(timedelta(seconds=1))
        assert (await registry.tick()).done["pending_requests"] == 1
    row = await host_row(registry, host)
    assert (row.statuses, row.nsa) == ("ok", a.handle)
    suffix = " in time" if outcome == "expired" else ""
    assert pan(await poll_one(a)) == (
        f"The name server manager role for {host} {verb} {b.handle}{suffix}", host, "0",
        "NSA-CHANGE-2")
    assert await statuses(a, host) == ["ok"]


async def test_nsa_change_rules(registry) -> None:
    a, b, c = await agents(registry, 3)
    host = await glue_host(registry, a)
    # unknown administrator: a contact handle or a registrar that does not exist
    for who in ("ADMIN2-DK", "REG-999999999"):
        r = await a.send(frames.host_update(host, nsa=who))
        assert r.code == 2303, r.msg
        assert r.msg.startswith("Object does not exist; dkhm:requestedNsAdmin"), r.msg
    # naming yourself (handle or login) asks nobody
    for me in (a.handle, a.login):
        r = await a.send(frames.host_update(host, nsa=me))
        assert r.code == 1000, r.msg
    assert await open_requests(registry) == []
    # a registrar with no relation to the host
    r = await c.send(frames.host_update(host, nsa=c.handle))
    assert r.code == 2201, r.msg
    # one change at a time
    assert (await a.send(frames.host_update(host, nsa=b.login))).code == 1001  # by login
    r = await a.send(frames.host_update(host, nsa=c.handle))
    assert r.code == 2304, r.msg
    assert "pendingUpdate" in r.msg
    [req] = await open_requests(registry)
    assert req.target == b.handle
    # glue may still change while the request waits
    assert (await a.send(frames.host_update(host, add=[V6]))).code == 1000
    assert await statuses(a, host) == ["pendingUpdate"]


# ---------------------------------------------------------------------------------------
# create host naming another administrator


async def test_create_with_requested_administrator_accepted(registry) -> None:
    a, b = await agents(registry, 2)
    r = await a.send(frames.command(
        f"<create><host:create {frames.HOST}><host:name>ns1.example.net</host:name>"
        "</host:create></create>", frames.requested_nsa(b.handle), cl_trid="HC-1"))
    assert r.code == 1001, r.msg
    assert r.msg == "Command completed. Pending approval by nameserver contact"
    assert r.find(".//epp:resData") is None
    assert await statuses(a, "ns1.example.net") == ["pendingCreate"]
    # not usable or changeable meanwhile
    r = await a.send(frames.host_update("ns1.example.net", nsa=a.handle))
    assert r.code == 2304 and "pendingCreate" in r.msg, r.msg
    [req] = await open_requests(registry)
    assert (req.kind, req.target, req.cl_trid) == ("host_nsa", b.handle, "HC-1")

    await decide(registry, req.id, "accepted")
    row = await host_row(registry, "ns1.example.net")
    assert (row.statuses, row.nsa) == ("ok", b.handle)
    assert pan(await poll_one(a)) == (
        f"The name server ns1.example.net has been registered, as {b.handle} has accepted "
        "the name server manager role", "ns1.example.net", "1", "HC-1")
    r = await a.send(frames.host_info("ns1.example.net"))
    assert r.text(".//host:clID") == a.handle
    assert r.dkhm("contact") == b.handle


@pytest.mark.parametrize(("outcome", "message"), [
    ("rejected", "has not been registered, as the name server manager role has been rejected"),
    ("expired", "has not been registered, as the name server manager role was not accepted "
                "in time"),
])
async def test_create_with_requested_administrator_not_accepted(registry, outcome,
                                                               message) -> None:
    a, b = await agents(registry, 2)
    host = await glue_host(registry, a)
    host2 = "ns2." + host.split(".", 1)[1]
    r = await a.send(frames.host_create(host2, V4, V6, ext=frames.requested_nsa(b.handle)))
    assert r.code == 1001, r.msg
    [req] = await open_requests(registry)
    if outcome == "rejected":
        await decide(registry, req.id, "rejected")
    else:
        registry.clock.advance(timedelta(days=DAYS))
        await registry.tick()
    assert await host_row(registry, host2) is None
    assert await registry.scalar("select count(*) from host_addrs") == 1  # host's own
    assert pan(await poll_one(a)) == (f"The name server {host2} {message}", host2, "0",
                                      req.cl_trid)
    r = await a.send(frames.host_check(host2))
    assert r.find(".//host:name").get("avail") == "1"


async def test_create_naming_yourself_is_a_plain_create(registry) -> None:
    a = await Agent.new(registry)
    for i, me in enumerate((a.handle, a.login.upper())):
        r = await a.send(frames.host_create(f"ns{i}.example.net",
                                            ext=frames.requested_nsa(me)))
        assert r.code == 1000, r.msg
        assert r.text(".//host:name") == f"ns{i}.example.net"
    assert await open_requests(registry) == []


async def test_create_naming_an_unknown_administrator(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.host_create("ns1.example.net",
                                        ext=frames.requested_nsa("ADMIN1-DK")))
    assert r.code == 2303, r.msg
    assert r.msg.startswith("Object does not exist; dkhm:requestedNsAdmin")
    assert await registry.scalar("select count(*) from hosts") == 0


# ---------------------------------------------------------------------------------------
# hosts under registrant-managed domains


@pytest.mark.parametrize(("outcome", "message", "result"), [
    ("accepted", "has been registered, as the registrant has approved it", "1"),
    ("rejected", "has not been registered, as it has been rejected by the registrant", "0"),
    ("expired", "has not been registered, as it was not approved by the registrant in time",
     "0"),
])
async def test_registrant_approves_host_under_registrant_managed_domain(
        registry, outcome, message, result) -> None:
    a, c = await agents(registry, 2)
    domain = await registrant_managed(registry, a)
    host = f"ns1.{domain}"
    r = await c.send(frames.host_create(host, V4))
    assert r.code == 1001, r.msg
    assert r.msg == "Command completed. Pending registrant approval."
    assert r.find(".//epp:resData") is None
    [req] = await open_requests(registry)
    registrant = await registry.scalar(
        "select c.handle from contacts c join domains d on d.registrant_id = c.id "
        "where d.name = :n", n=domain)
    assert (req.kind, req.target) == ("host_create", registrant)
    assert await statuses(c, host) == ["pendingCreate"]
    if outcome == "expired":
        registry.clock.advance(timedelta(days=DAYS))
        await registry.tick()
    else:
        await decide(registry, req.id, outcome)
    assert pan(await poll_one(c)) == (f"The name server {host} {message}", host, result,
                                      req.cl_trid)
    row = await host_row(registry, host)
    if outcome == "accepted":
        assert (row.statuses, row.nsa) == ("ok", c.handle)
    else:
        assert row is None
        assert await registry.scalar("select count(*) from host_addrs") == 0
    assert (await a.send(frames.poll_req())).code == 1300


async def test_registrant_then_requested_administrator(registry) -> None:
    """Registrant first; only then is the requested administrator asked; one message."""
    a, b, c = await agents(registry, 3)
    domain = await registrant_managed(registry, a)
    host = f"ns1.{domain}"
    r = await c.send(frames.host_create(host, V4, ext=frames.requested_nsa(b.handle)))
    assert r.code == 1001, r.msg
    assert r.msg == "Command completed. Pending registrant approval."
    [first] = await open_requests(registry)
    assert first.kind == "host_create"
    registry.clock.advance(timedelta(days=10))
    await decide(registry, first.id, "accepted")
    [second] = await open_requests(registry)
    assert (second.kind, second.target, second.cl_trid, second.sv_trid) == (
        "host_nsa", b.handle, first.cl_trid, first.sv_trid)
    assert when(second.due_at) - when(first.due_at) == timedelta(days=10)  # a fresh deadline
    assert (await c.send(frames.poll_req())).code == 1300  # nothing final yet
    assert await statuses(c, host) == ["pendingCreate"]
    await decide(registry, second.id, "accepted")
    row = await host_row(registry, host)
    assert (row.statuses, row.nsa) == ("ok", b.handle)
    assert pan(await poll_one(c)) == (
        f"The name server {host} has been registered, as the registrant has approved it and "
        f"{b.handle} has accepted the name server manager role", host, "1", first.cl_trid)


async def test_registrant_rejects_before_administrator_is_asked(registry) -> None:
    a, b, c = await agents(registry, 3)
    domain = await registrant_managed(registry, a)
    host = f"ns1.{domain}"
    assert (await c.send(frames.host_create(host, V4,
                                            ext=frames.requested_nsa(b.handle)))).code == 1001
    [first] = await open_requests(registry)
    await decide(registry, first.id, "rejected")
    assert await open_requests(registry) == []
    assert await host_row(registry, host) is None
    assert pan(await poll_one(c))[0] == (
        f"The name server {host} has not been registered, as it has been rejected by the "
        "registrant")


async def test_administrator_of_the_domains_dns_needs_no_approval(registry) -> None:
    """``a`` is NSA of the registrant-managed domain's name servers: it runs the zone."""
    a = await Agent.new(registry)
    domain = await registrant_managed(registry, a)
    r = await a.send(frames.host_create(f"ns1.{domain}", V4))
    assert r.code == 1000, r.msg
    assert await open_requests(registry) == []
    assert await statuses(a, f"ns1.{domain}") == ["ok"]


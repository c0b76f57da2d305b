"""create host over TLS EPP: the narrow glue policy (SPEC-DIGEST §6).

A host under a .dk domain must carry at least one public address, and only such a
host may carry addresses. Every refusal is checked for code, the field named in the
message, and unchanged ``hosts`` / ``host_addrs`` tables.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from support import frames
from support.epp_objects import Agent, count, unique

V4 = "193.163.102.58"
V6 = "2a01:4f8:c0c:1234::1"


async def refused(agent: Agent, frame: str, code: int, field: str) -> str:
    hosts, addrs = await count(agent.registry, "hosts"), await count(agent.registry,
                                                                      "host_addrs")
    r = await agent.send(frame)
    assert r.code == code, r.msg
    assert field in r.msg, r.msg
    assert r.find(".//epp:resData") is None
    assert await count(agent.registry, "hosts") == hosts
    assert await count(agent.registry, "host_addrs") == addrs
    return r.msg


def addr_frame(name: str, *addrs: tuple[str, str | None]) -> str:
    """host:create with explicit ip attributes (None: attribute omitted)."""
    parts = "".join(
        f"<host:addr{'' if ip is None else f' ip={ip!r}'}>{text}</host:addr>"
        for text, ip in addrs)
    return frames.command(f"<create><host:create {frames.HOST}><host:name>{name}</host:name>"
                          f"{parts}</host:create></create>")


async def own_domain(registry, dkhm: str = "4.3") -> tuple[Agent, str]:  # type: ignore[no-untyped-def]
    a = await Agent.new(registry, dkhm=dkhm)
    domain = f"{unique('zone')}.dk"
    await a.domain(domain)
    return a, domain


# ---------------------------------------------------------------------------------------
# Out-of-zone hosts (not under .dk): no glue


async def test_out_of_zone_host_without_addresses(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.host_create("ns1.example.net"))
    assert r.code == 1000, r.msg
    assert r.text(".//host:name") == "ns1.example.net"
    assert r.text(".//host:crDate") == "2026-06-01T10:00:00.0Z"
    assert await count(registry, "hosts") == 1


async def test_out_of_zone_host_name_is_normalised(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.host_create("  NS1.Example.NET "))
    assert r.code == 1000, r.msg
    assert r.text(".//host:name") == "ns1.example.net"


@pytest.mark.parametrize("addrs", [(V4,), (V6,), (V4, V6)])
async def test_out_of_zone_host_with_addresses_is_refused(registry, addrs) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.host_create("ns1.example.net", *addrs), 2306, "host:addr")


async def test_out_of_zone_host_under_another_tld_that_ends_in_dk_letters(registry) -> None:
    """Label-wise: ``ns.example.sdk`` is not under .dk."""
    a = await Agent.new(registry)
    r = await a.send(frames.host_create("ns.example.sdk"))
    assert r.code == 1000, r.msg


# ---------------------------------------------------------------------------------------
# Hosts under .dk domains


async def test_host_under_unregistered_dk_domain(registry) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.host_create("ns1.ikke-registreret.dk", V4), 2303, "host:name")
    await refused(a, frames.host_create("ns1.ikke-registreret.dk"), 2303, "host:name")


async def test_in_bailiwick_host_without_address(registry) -> None:
    a, domain = await own_domain(registry)
    await refused(a, frames.host_create(f"ns1.{domain}"), 2003, "host:addr")


async def test_in_bailiwick_host_with_public_v4_and_v6(registry) -> None:
    a, domain = await own_domain(registry)
    r = await a.send(frames.host_create(f"ns1.{domain}", V4, V6))
    assert r.code == 1000, r.msg
    assert r.text(".//host:name") == f"ns1.{domain}"
    r = await a.send(frames.host_info(f"ns1.{domain}"))
    assert r.code == 1000, r.msg
    assert [(e.text, e.get("ip")) for e in r.findall(".//host:addr")] == [
        (V4, "v4"), (V6, "v6")]
    assert await count(registry, "host_addrs") == 2


@pytest.mark.parametrize("ip", [V4, V6])
async def test_in_bailiwick_host_with_one_address(registry, ip) -> None:
    a, domain = await own_domain(registry)
    r = await a.send(frames.host_create(f"ns.{domain}", ip))
    assert r.code == 1000, r.msg


async def test_host_named_like_the_domain_and_deeper_names(registry) -> None:
    a, domain = await own_domain(registry)
    for name in (domain, f"a.b.ns.{domain}"):
        await refused(a, frames.host_create(name), 2003, "host:addr")
        r = await a.send(frames.host_create(name, V4))
        assert r.code == 1000, r.msg


async def test_host_under_domain_still_being_applied_for(registry) -> None:
    """The name is held by the application; its registrar may add its hosts."""
    a = await Agent.new(registry)
    domain = f"{unique('ansog')}.dk"
    await a.domain(domain, tick=False)
    r = await a.send(frames.host_create(f"ns1.{domain}", V4))
    assert r.code == 1000, r.msg


async def test_host_under_a_domain_being_deleted(registry) -> None:
    """Subordinate hosts of a cancelled domain cannot be created [RP §Cancel Domain Name]."""
    a, domain = await own_domain(registry)
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set statuses = 'pendingDelete redemptionPeriod'"
                                " where name = :n"), {"n": domain})
    msg = await refused(a, frames.host_create(f"ns1.{domain}", V4), 2304, "host:name")
    assert msg.startswith("Object status prohibits operation")


async def test_host_under_idn_domain(registry) -> None:
    a = await Agent.new(registry)
    label = unique("æblegrød")
    await a.domain(f"{label}.dk")
    r = await a.send(frames.host_create(f"ns1.{label}.dk", V4))
    assert r.code == 1000, r.msg
    alabel = r.text(".//host:name")
    assert alabel.startswith("ns1.xn--") and alabel.endswith(".dk")
    r = await a.send(frames.host_create(alabel))  # same host, A-label spelling
    assert r.code == 2302, r.msg


@pytest.mark.parametrize("ip", ["10.0.0.1", "192.168.1.1", "127.0.0.1", "172.16.0.1",
                                "169.254.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1",
                                "192.0.2.1", "255.255.255.255", "::1", "fe80::1",
                                "2001:db8::1", "fc00::1", "::ffff:193.163.102.58", "::"])
async def test_non_public_address_is_refused(registry, ip) -> None:
    a, domain = await own_domain(registry)
    msg = await refused(a, frames.host_create(f"ns1.{domain}", ip), 2004, "host:addr")
    assert msg.startswith("Parameter value range error")


async def test_non_public_address_among_public_ones_names_its_position(registry) -> None:
    a, domain = await own_domain(registry)
    msg = await refused(a, frames.host_create(f"ns1.{domain}", V4, "10.0.0.1"), 2004,
                        "host:addr[2]")
    assert "10.0.0.1" in msg


@pytest.mark.parametrize("addrs", [
    (V4, V4),
    (V6, V6),
    ("2a01:4f8:c0c:1234:0:0:0:1", V6),  # same address, different spelling
    ("2A01:4F8:C0C:1234::1", V6),
])
async def test_duplicate_address_is_refused(registry, addrs) -> None:
    a, domain = await own_domain(registry)
    msg = await refused(a, frames.host_create(f"ns1.{domain}", *addrs), 2004, "host:addr")
    assert msg.startswith("Host IP address already exists")


@pytest.mark.parametrize(("addrs", "field"), [
    (((V4, "v6"),), "host:addr"),
    (((V6, "v4"),), "host:addr"),
    (((V6, None),), "host:addr"),  # RFC 5732: omitted ip means v4
    ((("1.2.3", "v4"),), "host:addr"),
    ((("not-an-ip", "v4"),), "host:addr"),
    ((("fe80::1%eth0", "v6"),), "host:addr"),
    (((V4, "v5"),), "host:addr"),
    ((("", "v4"),), "host:addr"),
])
async def test_malformed_address_is_refused(registry, addrs, field) -> None:
    a, domain = await own_domain(registry)
    await refused(a, addr_frame(f"ns1.{domain}", *addrs), 2005, field)


async def test_address_without_ip_attribute_defaults_to_v4(registry) -> None:
    a, domain = await own_domain(registry)
    r = await a.send(addr_frame(f"ns1.{domain}", (V4, None)))
    assert r.code == 1000, r.msg


async def test_host_under_another_registrars_domain(registry) -> None:
    owner, domain = await own_domain(registry)
    other = await Agent.new(registry)
    await refused(other, frames.host_create(f"ns1.{domain}", V4), 2201, "host:name")
    await refused(other, frames.host_create(f"ns1.{domain}"), 2201, "host:name")


# ---------------------------------------------------------------------------------------
# Names


async def test_existing_name_is_refused(registry) -> None:
    a = await Agent.new(registry)
    await a.host("ns1.example.net")
    msg = await refused(a, frames.host_create("ns1.example.net"), 2302, "host:name")
    assert msg.startswith("Host name already exists")
    await refused(a, frames.host_create("NS1.EXAMPLE.NET"), 2302, "host:name")
    b = await Agent.new(registry)
    await refused(b, frames.host_create("ns1.example.net"), 2302, "host:name")


async def test_existing_in_bailiwick_name_is_refused(registry) -> None:
    a, domain = await own_domain(registry)
    await a.host(f"ns1.{domain}", V4)
    await refused(a, frames.host_create(f"ns1.{domain}", V6), 2302, "host:name")


@pytest.mark.parametrize("name", [
    "", "localhost", "ns1.example.net.", "ns1..example.net", "-ns1.example.net",
    "ns1-.example.net", "ns_1.example.net", "ns1.example.c0m", "ns1.example.c",
    "192.0.2.1", "ns1.ex ample.net", "ab--cd.example.net", "xn--abc.example.net",
    "ns1." + "a" * 64 + ".net", ".".join(["abcdefghij"] * 25) + ".net", "ns1.example.123",
])
async def test_invalid_name_is_refused(registry, name) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.host_create(name), 2005, "host:name")


async def test_requested_ns_admin_for_another_user_makes_the_create_wait(registry) -> None:
    """Details of the request and its outcomes: test_host_nsa.py."""
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    r = await a.send(frames.host_create("ns1.example.net", ext=frames.requested_nsa(b.handle)))
    assert r.code == 1001, r.msg
    assert r.msg == "Command completed. Pending approval by nameserver contact"
    assert await registry.scalar("select statuses from hosts") == "pendingCreate"
    r = await a.send(frames.host_create("ns2.example.net", ext=frames.requested_nsa(a.handle)))
    assert r.code == 1000, r.msg


async def test_too_many_addresses_are_refused(registry) -> None:
    a, domain = await own_domain(registry)
    addrs = [f"193.163.102.{i}" for i in range(1, 15)]
    await refused(a, frames.host_create(f"ns1.{domain}", *addrs), 2306, "host:addr")
    r = await a.send(frames.host_create(f"ns1.{domain}", *addrs[:13]))
    assert r.code == 1000, r.msg


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_sessions_racing_for_one_name_get_2302_not_an_internal_error(registry) -> None:
    """The unique index settles the race; the losers get the same answer as later comers."""
    a = await Agent.new(registry)
    clients = [await registry.client(a.login) for _ in range(10)]
    for round_ in range(5):
        name = f"ns{round_}.race.example.net"
        replies = await asyncio.gather(*(c.request(frames.host_create(name)) for c in clients))
        codes = sorted(r.code for r in replies)
        assert codes == [1000] + [2302] * 9, [r.msg for r in replies]
        for c in clients:  # one address may hold only so many connections at once
            await c.close()
        clients = [await registry.client(a.login) for _ in range(10)]  # fresh error budget
    assert await count(registry, "hosts") == 5

"""update host over TLS EPP: glue addresses under the narrow glue policy, and what is
not offered (SPEC-DIGEST §6). Administrator changes are in test_host_nsa.py.

Every refusal is checked for code, the registry's text, the field named, and unchanged
``hosts`` / ``host_addrs`` rows.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from support import frames
from support.epp_objects import Agent, count, unique
from support.eppclient import Reply

V4 = "193.163.102.58"
V4B = "193.163.102.59"
V6 = "2a01:4f8:c0c:1234::1"


async def snapshot(registry) -> list:  # type: ignore[no-untyped-def,type-arg]
    hosts = await registry.rows(
        "select name, sponsor_id, nsa_id, statuses, updated_by, updated_at from hosts "
        "order by name")
    addrs = await registry.rows("select host_id, ip, version from host_addrs order by ip")
    return [*hosts, *addrs]


async def refused(agent: Agent, frame: str, code: int, msg: str, field: str) -> Reply:
    before = await snapshot(agent.registry)
    r = await agent.send(frame)
    assert r.code == code, r.msg
    assert r.msg.startswith(msg), r.msg
    assert field in r.msg, r.msg
    assert r.find(".//epp:resData") is None
    assert await snapshot(agent.registry) == before
    return r


async def addrs_of(agent: Agent, host: str) -> list[tuple[str, str]]:
    r = await agent.send(frames.host_info(host))
    assert r.code == 1000, r.msg
    return [(e.text, e.get("ip")) for e in r.findall(".//host:addr")]


async def glue_host(registry, *addrs: str) -> tuple[Agent, str]:  # type: ignore[no-untyped-def]
    a = await Agent.new(registry)
    domain = f"{unique('zone')}.dk"
    await a.domain(domain)
    host = f"ns1.{domain}"
    await a.host(host, *addrs)
    return a, host


# ---------------------------------------------------------------------------------------
# Addresses


async def test_add_addresses(registry) -> None:
    a, host = await glue_host(registry, V4)
    registry.clock.advance(timedelta(hours=2))
    r = await a.send(frames.host_update(host, add=[V4B, V6]))
    assert r.code == 1000, r.msg
    assert r.msg == "Command completed successfully"
    assert r.find(".//epp:resData") is None
    assert await addrs_of(a, host) == [(V4, "v4"), (V4B, "v4"), (V6, "v6")]
    r = await a.send(frames.host_info(host))
    assert r.text(".//host:upID") == a.handle
    assert r.text(".//host:upDate") == "2026-06-01T12:00:00.0Z"


async def test_remove_an_address(registry) -> None:
    a, host = await glue_host(registry, V4, V6)
    r = await a.send(frames.host_update(host, rem=[V4]))
    assert r.code == 1000, r.msg
    assert await addrs_of(a, host) == [(V6, "v6")]


async def test_replace_the_only_address_in_one_command(registry) -> None:
    """Removals come first, then additions, and the minimum is checked on the result."""
    a, host = await glue_host(registry, V4)
    r = await a.send(frames.host_update(host, add=[V6], rem=[V4]))
    assert r.code == 1000, r.msg
    assert await addrs_of(a, host) == [(V6, "v6")]
    # removing and re-adding the same address is allowed (and changes nothing)
    r = await a.send(frames.host_update(host, add=[V6], rem=["2A01:4F8:C0C:1234:0::1"]))
    assert r.code == 1000, r.msg
    assert await addrs_of(a, host) == [(V6, "v6")]


async def test_last_address_of_a_dk_host_cannot_go(registry) -> None:
    a, host = await glue_host(registry, V4)
    await refused(a, frames.host_update(host, rem=[V4]), 2304,
                  "Not enough ip addresses after change. Minimum one needed.",
                  "host:rem/host:addr")
    a2, host2 = await glue_host(registry, V4, V6)
    await refused(a2, frames.host_update(host2, rem=[V4, V6]), 2304,
                  "Not enough ip addresses after change. Minimum one needed.", host2)


async def test_existing_or_repeated_address_is_refused(registry) -> None:
    a, host = await glue_host(registry, V4)
    await refused(a, frames.host_update(host, add=[V4]), 2004,
                  "Host IP address already exists", "host:add/host:addr[1]")
    await refused(a, frames.host_update(host, add=[V6, "2a01:4f8:c0c:1234:0:0:0:1"]), 2004,
                  "Host IP address already exists", "host:add/host:addr[2]")


async def test_removing_an_address_the_host_does_not_have(registry) -> None:
    a, host = await glue_host(registry, V4, V6)
    r = await refused(a, frames.host_update(host, rem=[V4B]), 2303, "Object does not exist",
                      "host:rem/host:addr[1]")
    assert V4B in r.msg
    await refused(a, frames.host_update(host, rem=[V4, V4]), 2303, "Object does not exist",
                  "host:rem/host:addr[2]")


@pytest.mark.parametrize(("change", "code", "msg", "field"), [
    ({"add": ["10.0.0.1"]}, 2004, "Parameter value range error", "host:add/host:addr[1]"),
    ({"add": [V6, "fe80::1"]}, 2004, "Parameter value range error", "host:add/host:addr[2]"),
    ({"add": ["1.2.3"]}, 2005, "Parameter value syntax error", "host:add/host:addr[1]"),
    ({"rem": ["not-an-ip"]}, 2005, "Parameter value syntax error", "host:rem/host:addr[1]"),
])
async def test_bad_address_is_refused(registry, change, code, msg, field) -> None:
    a, host = await glue_host(registry, V4)
    await refused(a, frames.host_update(host, **change), code, msg, field)


async def test_host_outside_dk_gets_no_addresses(registry) -> None:
    a = await Agent.new(registry)
    await a.host("ns1.example.net")
    await refused(a, frames.host_update("ns1.example.net", add=[V4]), 2306,
                  "Parameter value policy error", "host:add/host:addr")


async def test_too_many_addresses(registry) -> None:
    a, host = await glue_host(registry, *[f"193.163.102.{i}" for i in range(1, 13)])
    await refused(a, frames.host_update(host, add=["193.163.102.100", "193.163.102.101"]),
                  2306, "Parameter value policy error", "at most 13")
    r = await a.send(frames.host_update(host, add=["193.163.102.100"]))
    assert r.code == 1000, r.msg


# ---------------------------------------------------------------------------------------
# Not offered


async def test_rename_is_not_offered(registry) -> None:
    a, host = await glue_host(registry, V4)
    await refused(a, frames.host_update(host, new_name=f"ns2.{host[4:]}"), 2102,
                  "Unimplemented option", "host:chg/host:name")
    await refused(a, frames.host_update(host, add=[V6], new_name="ns9.example.net"), 2102,
                  "Unimplemented option", "host:chg/host:name")


@pytest.mark.parametrize("where", ["add", "rem"])
async def test_status_changes_are_not_offered(registry, where) -> None:
    a, host = await glue_host(registry, V4)
    kw = {f"{where}_status": "clientUpdateProhibited"}
    await refused(a, frames.host_update(host, **kw), 2102, "Unimplemented option",
                  f"host:{where}/host:status")


async def test_update_with_nothing_to_change(registry) -> None:
    a, host = await glue_host(registry, V4)
    await refused(a, frames.host_update(host), 2003, "Required parameter missing",
                  "host:update")


async def test_addresses_and_administrator_in_one_request(registry) -> None:
    a, host = await glue_host(registry, V4)
    b = await Agent.new(registry)
    await refused(a, frames.host_update(host, add=[V6], nsa=b.handle), 2308,
                  "Multiple operations perfomed in one request: "
                  "(host:addr, dkhm:requestedNsAdmin)", "host:update")
    assert await count(registry, "pending_requests") == 0
    # naming yourself is no administrator change, so the addresses alone are done
    r = await a.send(frames.host_update(host, add=[V6], nsa=a.handle))
    assert r.code == 1000, r.msg
    assert await addrs_of(a, host) == [(V4, "v4"), (V6, "v6")]
    assert await count(registry, "pending_requests") == 0


# ---------------------------------------------------------------------------------------
# Who and what


async def test_unknown_host(registry) -> None:
    a = await Agent.new(registry)
    for name in ("ns9.example.net", "-bad.example.net"):
        await refused(a, frames.host_update(name, rem=[V4]), 2303, "Unknown host", "host:name")


async def test_only_administrator_or_sponsor_may_update(registry) -> None:
    a, host = await glue_host(registry, V4)
    b = await Agent.new(registry)
    await refused(b, frames.host_update(host, add=[V6]), 2201, "No privilege", "host:name")


async def test_host_of_a_domain_being_deleted_cannot_change(registry) -> None:
    a, host = await glue_host(registry, V4)
    domain = host.split(".", 1)[1]
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set statuses = 'pendingDelete redemptionPeriod'"
                                " where name = :n"), {"n": domain})
    await refused(a, frames.host_update(host, add=[V6]), 2304,
                  "Object status prohibits operation", "pendingDelete")

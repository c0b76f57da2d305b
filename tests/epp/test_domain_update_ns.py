"""update domain, name servers: host objects only, the count rule on the result, DS
records dropped on any change, and the sponsor told only about others' changes."""

from __future__ import annotations

import pytest

from dkreg.actions.domain.update import DomainUpdate
from epp.helpers import NS
from epp.update_support import (
    MORE_NS,
    SHA256,
    drain,
    ds_of,
    fingerprint,
    ns_of,
    ready_registrar,
    sql,
    update_as_registry,
)
from support import frames

DS = frames.secdns_update(add=[frames.ds_data(12345, 13, 2, SHA256)])


@pytest.fixture
async def ready(registry):
    c, handle, contact = await ready_registrar(registry, "navne.dk")
    return registry, c, handle


async def test_replace_both_name_servers_in_one_command(ready) -> None:
    registry, c, handle = ready
    r = await c.request(frames.domain_update("navne.dk", ext=DS))
    assert r.code == 1000, r.msg
    assert len(await ds_of(registry, "navne.dk")) == 1
    r = await c.request(frames.domain_update("navne.dk", add_ns=MORE_NS, rem_ns=NS))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert await ns_of(registry, "navne.dk") == MORE_NS
    info = await c.request(frames.domain_info("navne.dk"))
    assert [h.text for h in info.findall(".//domain:hostObj")] == MORE_NS
    assert info.text(".//domain:upID") == handle
    # any name-server change removes the DS records
    assert await ds_of(registry, "navne.dk") == []
    # the sponsor made the change itself: nothing is queued for it
    assert await drain(c) == []


async def test_add_a_third_name_server_keeps_the_order(ready) -> None:
    registry, c, _ = ready
    r = await c.request(frames.domain_update("navne.dk", add_ns=["NS3.Example.NET"]))
    assert r.code == 1000, r.msg
    assert await ns_of(registry, "navne.dk") == [*NS, "ns3.example.net"]


# one case of each rule over the wire; the matrix runs at the action in
# tests/actions/test_domain_update_ns_rules.py (the host-attribute refusals are the codec's)
@pytest.mark.parametrize(("kw", "code", "msg"), [
    ({"add_ns": ["nsx.example.net"]}, 2303, "Host not found: nsx.example.net"),
    ({"add_ns": ["ns1.example.net"]}, 2302, "Host / domain relation already exists"),
    ({"rem_ns": ["ns3.example.net"]}, 2304, "Host / domain relation not found"),
    ({"rem_ns": ["ns1.example.net"]}, 2308, "Data management policy violation"),
    ({"add_host_attr": "ns9.example.net"}, 2303, "IP not supported for nameserver add"),
    ({"rem_host_attr": "ns1.example.net"}, 2303, "IP not supported for nameserver remove"),
])
async def test_refusals_change_nothing(ready, kw: dict, code: int, msg: str) -> None:
    registry, c, _ = ready
    before = await fingerprint(registry, "navne.dk")
    r = await c.request(frames.domain_update("navne.dk", **kw))
    assert r.code == code
    assert r.msg.startswith(msg), r.msg
    assert await fingerprint(registry, "navne.dk") == before


@pytest.mark.parametrize("status", ["pendingDelete"])
async def test_a_host_that_is_not_usable_is_refused(ready, status: str) -> None:
    registry, c, _ = ready
    await sql(registry, "update hosts set statuses = :s where name = 'ns3.example.net'",
              s=status)
    r = await c.request(frames.domain_update("navne.dk", add_ns=["ns3.example.net"]))
    assert r.code == 2004
    assert r.msg.startswith("Invalid or inactive nameserver: ns3.example.net"), r.msg
    assert await ns_of(registry, "navne.dk") == NS


async def test_the_count_limit_applies_to_the_result(registry_factory) -> None:
    async with registry_factory(max_ns=3) as registry:
        c, _, _ = await ready_registrar(registry, "tre.dk")
        r = await c.request(frames.domain_update("tre.dk", add_ns=MORE_NS))
        assert r.code == 2308
        assert "2 to 3 name servers" in r.msg and "would leave 4" in r.msg
        r = await c.request(frames.domain_update("tre.dk", add_ns=MORE_NS, rem_ns=[NS[0]]))
        assert r.code == 1000, r.msg
        assert await ns_of(registry, "tre.dk") == [NS[1], *MORE_NS]


async def test_a_change_by_the_registry_is_told_to_the_sponsor(ready) -> None:
    registry, c, _ = ready
    assert (await c.request(frames.domain_update("navne.dk", ext=DS))).code == 1000
    result = await update_as_registry(registry, DomainUpdate(
        name="navne.dk", add_ns=MORE_NS, rem_ns=NS))
    assert result.pending is False
    messages = await drain(c)
    assert [m for m, _ in messages] == [
        "Name servers has been changed for navne.dk, from ns1.example.net, ns2.example.net "
        "to ns3.example.net, ns4.example.net",
        "DS records has been changed for navne.dk"]
    for _, reply in messages:
        assert [h.text for h in reply.findall(".//domain:hostObj")] == MORE_NS
    assert await registry.scalar(
        "select updated_by from domains where uname = 'navne.dk'") == "DKHM1-DK"


async def test_a_registry_change_without_ds_records_tells_only_the_ns_change(ready) -> None:
    registry, c, _ = ready
    await update_as_registry(registry, DomainUpdate(name="navne.dk", rem_ns=[NS[1]],
                                                    add_ns=[MORE_NS[0]]))
    assert [m for m, _ in await drain(c)] == [
        "Name servers has been changed for navne.dk, from ns1.example.net, ns2.example.net "
        "to ns1.example.net, ns3.example.net"]

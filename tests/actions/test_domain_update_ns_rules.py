"""update domain's name-server rules at the action: the hosts exist and may serve, each
link is added or removed once, and the count rule holds for the result.
tests/epp/test_domain_update_ns.py keeps one case of each over the wire (and the
host-attribute refusals, which the EPP codec makes)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from actions.world import MORE_NS, NS, Refusal, World
from dkreg.actions.domain.update import DomainUpdate, domain_update

NAME = "navne.dk"


@pytest.fixture
async def domain(world: World, registrant: str) -> str:
    await world.hosts(*MORE_NS)
    await world.active_domain(NAME, registrant)
    return NAME


async def ns_of(world: World) -> list[str]:
    return [r.name for r in await world.rows(
        "select h.name from domain_ns dn join hosts h on h.id = dn.host_id "
        "order by dn.position")]


@pytest.mark.parametrize(("kw", "code", "reason", "field", "position"), [
    ({"add_ns": ["nsx.example.net"]}, 2303, "update_host_not_found", "domain:hostObj", 1),
    ({"add_ns": ["ns3.example.net", "nsx.example.net"]}, 2303, "update_host_not_found",
     "domain:hostObj", 2),
    ({"rem_ns": ["nsx.example.net"]}, 2303, "update_host_not_found", "domain:hostObj", 1),
    ({"add_ns": ["ns1.example.net"]}, 2302, "update_ns_exists", "domain:hostObj", 1),
    ({"add_ns": ["ns3.example.net", "ns3.example.net"]}, 2302, "update_ns_exists",
     "domain:hostObj", 2),
    ({"rem_ns": ["ns3.example.net"]}, 2304, "update_ns_not_linked", "domain:hostObj", 1),
    ({"rem_ns": ["ns1.example.net"]}, 2308, "too_few_ns", "domain:ns", None),
    ({"rem_ns": NS, "add_ns": ["ns3.example.net"]}, 2308, "too_few_ns", "domain:ns", None),
])
async def test_refused(world: World, domain: str, kw: dict, code: int, reason: str,
                       field: str, position: int | None) -> None:
    assert await world.refusal(domain_update, DomainUpdate(name=domain, **kw)) == \
        Refusal(code, reason, field, position)
    assert await ns_of(world) == NS


@pytest.mark.parametrize("status", ["pendingCreate", "pendingDelete"])
async def test_a_host_that_may_not_serve(world: World, domain: str, status: str) -> None:
    async with world.db.begin() as conn:
        await conn.execute(text("update hosts set statuses = :s where name = :n"),
                           {"s": status, "n": MORE_NS[0]})
    cmd = DomainUpdate(name=domain, add_ns=[MORE_NS[0]])
    assert await world.refusal(domain_update, cmd) == \
        Refusal(2004, "invalid_nameserver", "domain:hostObj", 1)
    assert await ns_of(world) == NS


async def test_the_count_limit_applies_to_the_result(world_with) -> None:  # type: ignore[no-untyped-def]
    async with world_with(max_ns=3) as world:
        handle = await world.contact()
        await world.hosts(*NS, *MORE_NS)
        await world.active_domain("tre.dk", handle)
        assert await world.refusal(domain_update, DomainUpdate(name="tre.dk",
                                                               add_ns=MORE_NS)) == \
            Refusal(2308, "too_many_ns", "domain:ns", None)
        await world.run(domain_update, DomainUpdate(name="tre.dk", add_ns=MORE_NS,
                                                    rem_ns=[NS[0]]))
        assert await ns_of(world) == [NS[1], *MORE_NS]


@pytest.mark.parametrize(("kw", "after"), [
    ({"add_ns": ["NS3.Example.NET"]}, [*NS, "ns3.example.net"]),
    ({"add_ns": MORE_NS, "rem_ns": NS}, MORE_NS),
    ({"add_ns": [f"ns{i}.example.net" for i in range(3, 8)]},
     [f"ns{i}.example.net" for i in range(1, 8)]),
])
async def test_accepted(world: World, domain: str, kw: dict, after: list[str]) -> None:
    await world.hosts(*(f"ns{i}.example.net" for i in range(5, 8)))
    await world.run(domain_update, DomainUpdate(name=domain, **kw))
    assert await ns_of(world) == after

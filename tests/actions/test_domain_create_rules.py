"""create domain's rule matrices at the action: the orderconfirmationToken, the period and
the name servers. One case of each rule stays over the wire in
tests/epp/test_domain_create.py; the rest of the matrix is here, where a case costs one
action call instead of a TLS session."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from actions.world import NS, Refusal, World
from dkreg.actions.domain.create import DomainCreate, domain_create

TOKEN = "dkhm:orderconfirmationToken"
DAY = 24 * 3600


def create(world: World, registrant: str, name: str = "regel.dk", **kw: object) -> DomainCreate:
    kw.setdefault("ns", NS)
    kw.setdefault("token", world.token())
    return DomainCreate(name=name, registrant=registrant, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# orderconfirmationToken


@pytest.mark.parametrize("token", ["abc", "-5", "1.5", "", "   ", "+1700000000", "12 34",
                                   "0x1f", "1e9"])
async def test_malformed_token(world: World, registrant: str, token: str) -> None:
    assert await world.refusal(domain_create, create(world, registrant, token=token)) == \
        Refusal(2005, "token_bad_value", TOKEN, None)


@pytest.mark.parametrize("offset", [DAY + 1, 10 * 365 * 86400, -(30 * 86400 + 1)])
async def test_token_outside_the_window(world: World, registrant: str, offset: int) -> None:
    cmd = create(world, registrant, token=world.token(offset))
    assert await world.refusal(domain_create, cmd) == \
        Refusal(2004, "token_threshold", TOKEN, None)


@pytest.mark.parametrize("offset", [DAY, 0, -(30 * 86400)])
async def test_token_at_the_edges(world: World, registrant: str, offset: int) -> None:
    result = await world.run(domain_create, create(world, registrant, token=world.token(offset)))
    assert (result.flow, result.domain_confirmed) == (1, True)


@pytest.mark.parametrize("digits", [1000, 10**6, 10**9])
async def test_milli_micro_and_nano_seconds(world: World, registrant: str, digits: int) -> None:
    cmd = create(world, registrant, token=str(int(world.token()) * digits))
    assert await world.refusal(domain_create, cmd) == \
        Refusal(2004, "token_threshold", TOKEN, None)


async def test_token_age_limit_is_configuration(world_with) -> None:  # type: ignore[no-untyped-def]
    async with world_with(token_max_age_days=0) as world:
        handle = await world.contact()
        await world.hosts(*NS)
        await world.run(domain_create, create(world, handle, "gammel.dk",
                                              token=world.token(-400 * 86400)))
        # the future limit still holds
        assert await world.refusal(domain_create, create(world, handle, "frem.dk",
                                                         token=world.token(2 * DAY))) == \
            Refusal(2004, "token_threshold", TOKEN, None)


async def test_no_token_after_flow2_ended(world: World, registrant: str) -> None:
    assert await world.refusal(domain_create, create(world, registrant, token=None)) == \
        Refusal(2003, "token_required", TOKEN, None)


# ---------------------------------------------------------------------------------------
# period: 1 to 10 years, unit y


@pytest.mark.parametrize(("period", "unit", "code", "reason"), [
    (0, "y", 2004, "invalid_period"), (11, "y", 2004, "invalid_period"),
    (-1, "y", 2004, "invalid_period"), (1, "m", 2005, "period_unit"),
    (12, "m", 2005, "period_unit")])
async def test_period_refused(world: World, registrant: str, period: int, unit: str,
                              code: int, reason: str) -> None:
    cmd = create(world, registrant, period=period, period_unit=unit)
    assert await world.refusal(domain_create, cmd) == Refusal(code, reason, "domain:period", None)


@pytest.mark.parametrize("period", [None, 1, 10])
async def test_period_accepted_and_priced(world: World, registrant: str,
                                          period: int | None) -> None:
    await world.run(domain_create, create(world, registrant, period=period))
    years = period or 1
    assert await world.scalar("select amount_ore from ledger where kind = 'domain_create'") \
        == -years * world.settings.domain_price_ore
    assert await world.scalar("select period_years from domains") == years


# ---------------------------------------------------------------------------------------
# name servers: 2 to 7, each once, each an existing host that may serve


@pytest.mark.parametrize(("hosts", "code", "reason", "field", "position"), [
    ([], 2003, "missing_parameter", "domain:ns", None),
    (["ns1.example.net"], 2308, "too_few_ns", "domain:ns", None),
    ([f"ns{i}.example.net" for i in range(1, 9)], 2308, "too_many_ns", "domain:ns", None),
    (["ns1.example.net", "ns1.example.net"], 2306, "policy", "domain:hostObj", 2),
    (["ns1.example.net", "NS1.Example.NET."], 2306, "policy", "domain:hostObj", 2),
    (["ns1.example.net", "unknown.example.org"], 2004, "invalid_nameserver",
     "domain:hostObj", 2),
    (["unknown.example.org", "ns1.example.net"], 2004, "invalid_nameserver",
     "domain:hostObj", 1),
])
async def test_name_server_refused(world: World, registrant: str, hosts: list[str], code: int,
                                   reason: str, field: str, position: int | None) -> None:
    await world.hosts(*(f"ns{i}.example.net" for i in range(3, 9)))
    assert await world.refusal(domain_create, create(world, registrant, ns=hosts)) == \
        Refusal(code, reason, field, position)


@pytest.mark.parametrize("count", [2, 7])
async def test_two_to_seven_name_servers(world: World, registrant: str, count: int) -> None:
    hosts = [f"ns{i}.example.net" for i in range(1, count + 1)]
    await world.hosts(*hosts[2:])
    await world.run(domain_create, create(world, registrant, ns=hosts))
    assert await world.scalar("select count(*) from domain_ns") == count


async def test_name_server_count_is_configuration(world_with) -> None:  # type: ignore[no-untyped-def]
    async with world_with(max_ns=3) as world:
        handle = await world.contact()
        hosts = [f"ns{i}.example.net" for i in range(1, 5)]
        await world.hosts(*hosts)
        assert await world.refusal(domain_create, create(world, handle, ns=hosts)) == \
            Refusal(2308, "too_many_ns", "domain:ns", None)
        await world.run(domain_create, create(world, handle, ns=hosts[:3]))


@pytest.mark.parametrize("status", ["pendingCreate", "pendingDelete"])
async def test_a_host_that_may_not_serve(world: World, registrant: str, status: str) -> None:
    async with world.db.begin() as conn:
        await conn.execute(text("update hosts set statuses = :s where name = :n"),
                           {"s": status, "n": NS[1]})
    assert await world.refusal(domain_create, create(world, registrant)) == \
        Refusal(2004, "invalid_nameserver", "domain:hostObj", 2)


async def test_glue_host_under_the_new_domain(world: World, registrant: str) -> None:
    """A host under the name being created cannot exist yet (its superordinate domain must
    exist first), so it cannot be one of the new domain's name servers."""
    cmd = create(world, registrant, "lim.dk", ns=["ns1.lim.dk", NS[0]])
    assert await world.refusal(domain_create, cmd) == \
        Refusal(2004, "invalid_nameserver", "domain:hostObj", 1)

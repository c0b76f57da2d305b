"""The domain list's filter at the action: reading the parameters (every bad value a
problem for its field, never an exception), the SQL conditions through the listing
action (status as a whole word, expiry windows from the clock, Copenhagen days, the
registrant by kontakt-ID or name), the export's keyset chunks, and the bulk helpers
(name-server set, stored results only for their user)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from actions.world import MORE_NS, NS, World, contact_input
from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.bulk import (
    BulkRow,
    bulk_result,
    name_server_set,
    replace_name_servers,
    save_bulk_result,
)
from dkreg.actions.portal.portfolio_domains import portfolio_domains, portfolio_domains_export
from dkreg.actions.portal.portfolio_filter import (
    BAD_CHOICE,
    BAD_DATE,
    DATE_ORDER,
    DomainFilter,
    read_filter,
)
from dkreg.actions.portal.users import portal_user_create
from dkreg.clock import COPENHAGEN
from dkreg.errors import EppError
from dkreg.store.schema import domains
from support import PASSWORD


@pytest.mark.parametrize(("raw", "problems"), [
    ({}, {}),
    ({"status": "serverHold", "expiry": "30"}, {}),
    ({"status": "ok ", "expiry": " expired"}, {}),  # trimmed
    ({"status": "serverhold"}, {"status": BAD_CHOICE}),  # EPP's spelling only
    ({"status": "ok' or 1=1 --"}, {"status": BAD_CHOICE}),
    ({"expiry": "31"}, {"expiry": BAD_CHOICE}),
    ({"expires_from": "2027-02-30"}, {"expires_from": BAD_DATE}),
    ({"expires_to": "tomorrow"}, {"expires_to": BAD_DATE}),
    ({"expires_from": "2027-02-01", "expires_to": "2027-01-31"}, {"expires_to": DATE_ORDER}),
    ({"expires_from": "2027-01-31", "expires_to": "2027-01-31"}, {}),
])
def test_read_filter_problems(raw: dict[str, str], problems: dict[str, str]) -> None:
    filters, found = read_filter(raw)
    assert found == problems
    for field in problems:  # a field with a problem filters nothing
        assert getattr(filters, field) in ("", None)


def test_read_filter_values() -> None:
    f, _ = read_filter({"status": "pendingDelete", "expiry": "60",
                        "expires_from": "2027-01-01", "expires_to": "2027-03-31",
                        "registrant": "  Jens  ", "ignored": "x"})
    assert f == DomainFilter("pendingDelete", "60", date(2027, 1, 1), date(2027, 3, 31), "Jens")
    assert f.active and not DomainFilter().active
    assert read_filter(f.params())[0] == f  # a link gives the same filter back


@pytest.fixture
async def user(world: World) -> PortalUser:
    async with world.db.begin() as conn:
        uid = await portal_user_create(world.ctx(conn), "REG-700001", "list@example.dk",
                                       "portfolio", PASSWORD)
    return PortalUser(uid, "list@example.dk", "portfolio", world.actor.registrar_id or 0,
                      "REG-700001")


@pytest.fixture
async def names(world: World, registrant: str) -> dict[str, str]:
    """Four domains: two registrants, statuses and expiries set for the filters."""
    other = await world.contact(contact_input(name="Mette Jensen", email="mette@example.dk"))
    for name, who in (("alfa.dk", registrant), ("beta.dk", other), ("gamma.dk", registrant),
                      ("delta.dk", registrant)):
        await world.active_domain(name, who)
    now = world.clock.now()
    async with world.db.begin() as conn:
        for name, statuses, expires in (
                ("beta.dk", "ok", now + timedelta(days=45)),
                ("gamma.dk", "serverHold", now - timedelta(seconds=1)),
                ("delta.dk", "pendingDelete serverHold", now + timedelta(days=89))):
            await conn.execute(update(domains).where(domains.c.name == name)
                               .values(statuses=statuses, expires_at=expires))
    return {"hansen": registrant, "jensen": other}


async def listed(world: World, user: PortalUser, query: str = "", sort: str = "name",
                 **raw: str) -> list[str]:
    filters, problems = read_filter(raw)
    assert not problems
    async with world.db.begin() as conn:
        page = await portfolio_domains(world.ctx(conn), user, query, sort, 1, filters)
    assert page.total == len(page.rows)
    assert page.filters == filters
    return [r.name for r in page.rows]


async def test_status_is_a_whole_word(world: World, user: PortalUser,
                                      names: dict[str, str]) -> None:
    assert await listed(world, user, status="serverHold") == ["delta.dk", "gamma.dk"]
    assert await listed(world, user, status="pendingDelete") == ["delta.dk"]
    assert await listed(world, user, status="ok") == ["alfa.dk", "beta.dk"]
    assert await listed(world, user, status="pendingCreate") == []


async def test_expiry_windows_and_days(world: World, user: PortalUser,
                                       names: dict[str, str]) -> None:
    assert await listed(world, user, expiry="30") == []
    assert await listed(world, user, expiry="60") == ["beta.dk"]
    assert await listed(world, user, expiry="90") == ["beta.dk", "delta.dk"]
    assert await listed(world, user, expiry="expired") == ["gamma.dk"]
    world.clock.advance(timedelta(days=46))  # the windows count from the registry's clock
    assert await listed(world, user, expiry="expired") == ["beta.dk", "gamma.dk"]
    assert await listed(world, user, expiry="60") == ["delta.dk"]
    # days are Copenhagen days: beta's expiry moment is on that local date
    async with world.db.begin() as conn:
        page = await portfolio_domains(world.ctx(conn), user, "", "name", 1, DomainFilter())
    local = {r.name: r.expires_at.astimezone(COPENHAGEN).date() for r in page.rows
             if r.expires_at}
    d = local["beta.dk"].isoformat()
    assert await listed(world, user, expires_from=d, expires_to=d) == ["beta.dk"]
    before = (local["beta.dk"] - timedelta(days=1)).isoformat()
    assert "beta.dk" not in await listed(world, user, expires_to=before)
    assert "beta.dk" in await listed(world, user, expires_from=before)


async def test_registrant_and_combined(world: World, user: PortalUser,
                                       names: dict[str, str]) -> None:
    assert await listed(world, user, registrant=names["jensen"].lower()) == ["beta.dk"]
    assert await listed(world, user, registrant="hansen") == ["alfa.dk", "delta.dk",
                                                              "gamma.dk"]
    assert await listed(world, user, registrant="100%") == []  # LIKE's wildcards are text
    assert await listed(world, user, "a", "expiry", registrant="hansen",
                        status="serverHold") == ["gamma.dk", "delta.dk"]
    assert await listed(world, user, "gam", registrant="hansen", expiry="expired") == [
        "gamma.dk"]


async def test_export_reads_in_keyset_chunks(world: World, user: PortalUser,
                                             names: dict[str, str]) -> None:
    seen: list[str] = []
    after = None
    async with world.db.begin() as conn:
        while True:
            rows = await portfolio_domains_export(world.ctx(conn), user, "",
                                                  DomainFilter(registrant="hansen"), after, 2)
            seen += [r.name for r in rows]
            if len(rows) < 2:
                break
            after = rows[-1].name
    assert seen == ["alfa.dk", "delta.dk", "gamma.dk"]
    assert rows[-1].registrant == names["hansen"] and rows[-1].registrant_name == "Jens Hansen"


def test_name_server_set() -> None:
    assert name_server_set(" NS1.Example.NET.\r\n\nns2.example.net\nns1.example.net ") == [
        "ns1.example.net", "ns2.example.net"]
    assert name_server_set("\n \n") == []


async def test_replace_name_servers_and_stored_results(world: World, user: PortalUser,
                                                       registrant: str) -> None:
    await world.hosts(*MORE_NS)
    await world.active_domain("ns-skift.dk", registrant)
    async with world.db.begin() as conn:
        await replace_name_servers(world.ctx(conn), "ns-skift.dk", [NS[1], MORE_NS[0]])
    hosts = await world.rows("select h.name from domain_ns n join hosts h on h.id = n.host_id "
                             "order by h.name")
    assert [h.name for h in hosts] == [NS[1], MORE_NS[0]]
    with pytest.raises(EppError) as refused:
        async with world.db.begin() as conn:
            await replace_name_servers(world.ctx(conn), "ns-skift.dk", ["no-such.example.net"])
    assert refused.value.code >= 2000

    rows = [BulkRow("a.dk", 1000, True, expires="2028-06-01"),
            BulkRow("b.dk", 2105, False, error={"da": "Nej", "en": "No"})]
    async with world.db.begin() as conn:
        bulk_id = await save_bulk_result(world.ctx(conn), user, "renew", rows)
    async with world.db.begin() as conn:
        result = await bulk_result(world.ctx(conn), user, bulk_id)
    assert result is not None and result.rows == rows and (result.done, result.failed) == (1, 1)
    other = PortalUser(user.id + 1000, "x@example.dk", "portfolio", user.registrar_id,
                       user.registrar_handle)
    async with world.db.begin() as conn:
        assert await bulk_result(world.ctx(conn), other, bulk_id) is None
    world.clock.advance(timedelta(days=1, seconds=1))  # kept a day
    async with world.db.begin() as conn:
        assert await bulk_result(world.ctx(conn), user, bulk_id) is None
        await save_bulk_result(world.ctx(conn), user, "ns", [])  # clears the old ones
    assert await world.scalar("select count(*) from portal_bulk_results") == 1

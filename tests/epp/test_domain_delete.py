"""delete domain: 1001 and the redemption period, who may delete, what blocks it, and a
deletion scheduled with dkhm:delDate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from dkreg.actions.accounts import user_create
from dkreg.store.schema import domains
from epp.helpers import NS, setup_registrant
from support import frames

START = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
V4 = "193.163.102.58"
PENDING = "Command completed successfully; action pending"
REDEMPTION = {"pendingDelete", "serverHold"}
MGMT = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.5">registrant'
        "</dkhm:management>")


def domain_work(report) -> int:  # type: ignore[no-untyped-def]
    """Items the domain lifecycle steps did (other sections' steps may have work of their
    own at the same moment)."""
    return sum(n for step, n in report.done.items() if step.startswith("domain_"))


async def active(registry, c, contact: str, *names: str, ns: list[str] | None = None) -> None:
    for name in names:
        r = await c.request(frames.domain_create(name, contact, ns or NS,
                                                 token=registry.token()))
        assert r.code == 1001, r.msg
    await registry.tick()


async def statuses(c, name: str) -> list[str]:
    r = await c.request(frames.domain_info(name))
    return [s.get("s") for s in r.findall(".//domain:status")]


async def row(registry, name: str) -> tuple:
    """Typed through the schema (raw SQL gives SQLite's timestamps back as text)."""
    async with registry.db.read() as conn:
        return tuple((await conn.execute(
            select(domains.c.statuses, domains.c.delete_at, domains.c.redemption_until,
                   domains.c.redemption_cause, domains.c.delete_cl_trid)
            .where(domains.c.name == name, domains.c.released_at.is_(None)))).one())


async def test_delete_starts_the_redemption_period(registry) -> None:
    c, _ = await registry.registrar_client(dkhm="4.5")
    contact = await setup_registrant(c)
    await active(registry, c, contact, "slet.dk")
    assert (await c.request(frames.host_create("ns1.slet.dk", V4))).code == 1000
    r = await c.request(frames.domain_delete("slet.dk", cl_trid="DEL-0001"))
    assert r.code == 1001
    assert r.msg == PENDING
    assert r.text(".//epp:clTRID") == "DEL-0001"
    st, delete_at, until, cause, cl_trid = await row(registry, "slet.dk")
    assert set(st.split()) == REDEMPTION
    assert (delete_at, until, cause, cl_trid) == (None, START + timedelta(days=30), "delete",
                                                  "DEL-0001")
    assert set(await statuses(c, "slet.dk")) == REDEMPTION | {"serverDeleteProhibited"}
    r = await c.request(frames.domain_info("slet.dk"))
    adv = r.find(".//{urn:dkhm:params:xml:ns:dkhm-4.5}domainAdvisory")
    assert adv.get("advisory") == "pendingDeletionDate"
    assert adv.get("date") == "2026-07-01T10:00:00.0Z"
    r = await c.request(frames.host_info("ns1.slet.dk"))
    assert "pendingDelete" in [s.get("s") for s in r.findall(".//host:status")]
    # the registrar has nothing to do but wait (or restore): a second delete is refused
    r = await c.request(frames.domain_delete("slet.dk"))
    assert r.code == 2304
    assert r.msg.startswith("Domain delete already pending.")
    assert await registry.scalar("select count(*) from poll_messages") == 1  # create only


async def test_who_may_delete_and_when(registry) -> None:
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "min.dk")
    r = await c.request(frames.contact_create(name="Rita Registrant", email="rita@example.dk",
                                              verified=True, dkhm="4.5", extra_ext=MGMT))
    rita = r.text(".//contact:id")
    assert (await c.request(frames.domain_create(
        "selv.dk", rita, NS, token=registry.token(),
        extra_ext=MGMT.replace("4.5", "4.3")))).code == 1001
    await registry.tick()
    assert (await c.request(frames.domain_create("ny.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    before = await registry.rows("select id, statuses, redemption_until from domains "
                                 "order by id")

    other, _ = await registry.registrar_client()
    r = await other.request(frames.domain_delete("min.dk"))
    assert r.code == 2201 and r.msg.startswith("No privilege")
    assert "not in your portfolio" in r.msg
    r = await c.request(frames.domain_delete("selv.dk"))
    assert r.code == 2201 and "registrant-managed" in r.msg
    async with registry.db.begin() as conn:
        await user_create(registry.ctx(conn), handle, f"pay-{handle}", "epp", "Test-Passw0rd",
                          roles="payer")
    payer = await registry.client(f"pay-{handle}")
    r = await payer.request(frames.domain_delete("min.dk"))
    assert r.code == 2201 and "Proxy" in r.msg
    r = await c.request(frames.domain_delete("findes-ikke.dk"))
    assert r.code == 2303 and r.msg.startswith("Domain not found")
    r = await c.request(frames.domain_delete("ny.dk"))  # application, not yet processed
    assert r.code == 2304 and "pendingCreate" in r.msg
    # after the expiry date the registry's auto-expiry takes over
    registry.clock.set(datetime(2027, 6, 1, 22, 0, tzinfo=UTC))  # 2 June, 00:00 Copenhagen
    r = await c.request(frames.domain_delete("min.dk"))
    assert r.code == 2304 and "expired on 2027-06-01" in r.msg
    assert await registry.rows("select id, statuses, redemption_until from domains "
                               "order by id") == before


async def test_hosts_serving_other_domains_block_the_delete(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "vaert.dk")
    assert (await c.request(frames.host_create("ns1.vaert.dk", V4))).code == 1000
    await active(registry, c, contact, "kunde.dk", ns=["ns1.vaert.dk", NS[0]])
    before = await row(registry, "vaert.dk")
    r = await c.request(frames.domain_delete("vaert.dk"))
    assert r.code == 2305
    assert r.msg.startswith("Nameserver has active domains, cannot be deleted; ")
    assert "ns1.vaert.dk serves kunde.dk" in r.msg
    assert await row(registry, "vaert.dk") == before
    # a domain in redemption still counts: it can be restored with its delegation
    assert (await c.request(frames.domain_delete("kunde.dk"))).code == 1001
    assert (await c.request(frames.domain_delete("vaert.dk"))).code == 2305


async def test_del_date_schedules_the_deletion(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "senere.dk")
    assert (await c.request(frames.host_create("ns1.senere.dk", V4))).code == 1000
    before = await row(registry, "senere.dk")
    for day in ("2026-06-01T12:00:00.0Z", "2027-06-02"):  # today; after the paid period
        r = await c.request(frames.domain_delete("senere.dk", del_date=day))
        assert r.code == 2306
        assert r.msg.startswith("Delete date rejected. Must not be today or later than paid "
                                "until date")
        assert "2026-06-01" in r.msg and "2027-06-01" in r.msg
    r = await c.request(frames.domain_delete("senere.dk", del_date="next week"))
    assert r.code == 2005 and "dkhm:delDate" in r.msg
    assert await row(registry, "senere.dk") == before

    r = await c.request(frames.domain_delete("senere.dk", del_date="2026-09-15T00:00:00.0Z",
                                             cl_trid="DEL-LATER"))
    assert r.code == 1001 and r.msg == PENDING
    st, delete_at, until, cause, cl_trid = await row(registry, "senere.dk")
    start_of_day = datetime(2026, 9, 14, 22, 0, tzinfo=UTC)  # 15 Sept 00:00 Copenhagen
    assert (st, delete_at, until, cause, cl_trid) == ("pendingDelete", start_of_day, None, None,
                                                      "DEL-LATER")
    assert await statuses(c, "senere.dk") == ["pendingDelete", "serverDeleteProhibited"]
    r = await c.request(frames.domain_delete("senere.dk"))
    assert r.code == 2304 and r.msg.startswith("Domain delete already pending.")

    registry.clock.set(start_of_day - timedelta(seconds=1))
    assert domain_work(await registry.tick()) == 0
    registry.clock.set(start_of_day)
    assert (await registry.tick()).done["domain_scheduled_deletions"] == 1
    st, delete_at, until, cause, _ = await row(registry, "senere.dk")
    assert (set(st.split()), delete_at, until, cause) == (
        REDEMPTION, None, start_of_day + timedelta(days=30), "delete")
    r = await c.request(frames.host_info("ns1.senere.dk"))
    assert "pendingDelete" in [s.get("s") for s in r.findall(".//host:status")]


async def test_del_date_on_the_expiry_day_is_allowed(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "sidste.dk")
    r = await c.request(frames.domain_delete("sidste.dk", del_date="2027-06-01"))
    assert r.code == 1001, r.msg
    # the scheduled deletion comes before the expiry: no auto-renewal is charged
    async with registry.db.begin() as conn:
        ledger = (await conn.execute(text("select count(*) from ledger"))).scalar()
    registry.clock.set(datetime(2027, 6, 2, 12, 0, tzinfo=UTC))
    await registry.tick()
    assert await registry.scalar("select count(*) from ledger") == ledger
    assert await registry.scalar(
        "select redemption_cause from domains where name = 'sidste.dk'") == "delete"

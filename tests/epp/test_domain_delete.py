"""delete domain: 1001 and the redemption period, who may delete, what blocks it, and a
deletion scheduled with dkhm:delDate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from dkreg.actions.account.registrars import user_create
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
    # info says so (serverDeleteProhibited, no longer "ok"), to every registrar
    assert await statuses(c, "vaert.dk") == ["serverDeleteProhibited"]
    other, _ = await registry.registrar_client()
    assert await statuses(other, "vaert.dk") == ["serverDeleteProhibited"]
    before = await row(registry, "vaert.dk")
    r = await c.request(frames.domain_delete("vaert.dk"))
    assert r.code == 2305
    assert r.msg.startswith("Nameserver has active domains, cannot be deleted; ")
    assert "ns1.vaert.dk serves kunde.dk" in r.msg
    assert await row(registry, "vaert.dk") == before
    # a domain in redemption still counts: it can be restored with its delegation
    assert (await c.request(frames.domain_delete("kunde.dk"))).code == 1001
    assert (await c.request(frames.domain_delete("vaert.dk"))).code == 2305
    assert await statuses(c, "vaert.dk") == ["serverDeleteProhibited"]
    # once the other domain is released, info and delete agree that it may go
    registry.clock.advance(timedelta(days=30))
    await registry.tick()
    assert await statuses(c, "vaert.dk") == ["ok"]
    assert (await c.request(frames.domain_delete("vaert.dk"))).code == 1001


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


# -- serverDeleteProhibited: info shows it exactly when delete refuses -----------------------

async def refused(registry, c, name: str, code: int, why: str) -> None:
    """Info shows serverDeleteProhibited, and delete is refused for that reason, changing
    nothing."""
    assert "serverDeleteProhibited" in await statuses(c, name)
    before = await row(registry, name)
    r = await c.request(frames.domain_delete(name))
    assert (r.code, why in r.msg) == (code, True), r.msg
    assert await row(registry, name) == before


async def test_a_normal_domain_is_deletable_and_says_so(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "normal.dk")
    assert (await c.request(frames.host_create("ns1.normal.dk", V4))).code == 1000  # unused
    assert await statuses(c, "normal.dk") == ["ok"]
    assert (await c.request(frames.domain_delete("normal.dk"))).code == 1001


async def test_pending_create_and_pending_delete_prohibit_delete(registry) -> None:
    _, login, pw = await registry.new_registrar()
    c = await registry.client(login, pw)
    contact = await setup_registrant(c)
    await active(registry, c, contact, "nu.dk", "senere.dk")
    assert (await c.request(frames.domain_create("ansoegt.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    assert await statuses(c, "ansoegt.dk") == ["pendingCreate", "serverDeleteProhibited"]
    await refused(registry, c, "ansoegt.dk", 2304, "still an application (pendingCreate)")
    assert (await c.request(frames.domain_delete("nu.dk"))).code == 1001
    await refused(registry, c, "nu.dk", 2304, "Domain delete already pending.")
    assert (await c.request(frames.domain_delete("senere.dk", del_date="2026-09-15"))
            ).code == 1001
    c = await registry.client(login, pw)  # three 2304s in one session would close it
    await refused(registry, c, "senere.dk", 2304, "Domain delete already pending.")


async def test_a_domain_on_hold_cannot_be_deleted_until_released(registry) -> None:
    from dkreg.actions.contact import verification as contact_verification

    c, _ = await registry.registrar_client()
    await setup_registrant(c)
    unverified = await setup_registrant(c, verified=False, email="uv@example.dk", hosts=False)
    await active(registry, c, unverified, "hold.dk")
    assert await statuses(c, "hold.dk") == ["serverHold", "serverDeleteProhibited"]
    await refused(registry, c, "hold.dk", 2304, "on hold (serverHold)")
    async with registry.db.begin() as conn:
        await contact_verification.complete(registry.ctx(conn), unverified)
    assert await statuses(c, "hold.dk") == ["ok"]
    assert (await c.request(frames.domain_delete("hold.dk"))).code == 1001


async def test_a_registrant_that_failed_its_id_check_prohibits_delete(registry) -> None:
    from dkreg.actions.contact import verification as contact_verification

    # before the NIS2 rules a failed check does not suspend the domains: the registrant's
    # state alone prohibits the deletion
    registry.clock.set(datetime(2025, 2, 1, 12, 0, tzinfo=UTC))
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, "afvist.dk")
    assert await statuses(c, "afvist.dk") == ["ok"]
    async with registry.db.begin() as conn:
        assert (await contact_verification.reject(registry.ctx(conn), contact)).domains == []
    assert await statuses(c, "afvist.dk") == ["serverDeleteProhibited"]
    await refused(registry, c, "afvist.dk", 2304, "failed its ID/data check (rejected)")

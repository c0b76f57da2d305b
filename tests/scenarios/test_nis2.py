"""NIS2 verification end to end on the registry clock: what a registrar sees over EPP
while a registrant's ID and data check runs, completes, expires and finally costs the
domain (SPEC-DIGEST §4.4, §5.2, §5.5)."""

from __future__ import annotations

from datetime import timedelta

from dkreg.actions.contact import verification as contact_verification
from epp.helpers import NS, setup_registrant
from epp.test_contact_update import drain, poll_msg
from support import frames

DAYS = timedelta(days=1)


def statuses(r) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.get("s") for s in r.findall(".//domain:status")]


def verified_id(r):  # type: ignore[no-untyped-def]
    return r.find(".//dkhm45:contact_verification/dkhm45:verified_id")


async def registry_checks(registry, handle: str, outcome: str = "complete") -> None:
    """The registry's ID control decides (CPR/CVR/MitID in production)."""
    async with registry.db.begin() as conn:
        await getattr(contact_verification, outcome)(registry.ctx(conn), handle)


async def test_unverified_registrant_domain_waits_for_the_check(registry) -> None:
    c, _ = await registry.registrar_client(dkhm="4.5")
    owner = await setup_registrant(c, verified=False, email="ny@example.dk")
    r = await c.request(frames.domain_create("venter.dk", owner, NS, token=registry.token()))
    assert (r.code, r.dkhm("registrant_validated")) == (1001, "0")
    await registry.tick()
    msgs = await drain(c)
    assert [poll_msg(m) for m in msgs] == [
        "venter.dk has been registered, but not activated due to pending ID and/or data check",
        f"{owner} has to complete the mandatory ID and data check - registry"]
    assert msgs[0].dkhm("risk_assessment") == "BLUE"
    assert statuses(await c.request(frames.domain_info("venter.dk"))) == [
        "serverHold", "serverDeleteProhibited"]
    info = await c.request(frames.contact_info(owner))
    assert (verified_id(info).get("status"), verified_id(info).get("expdate")) == (
        "pending", "2026-06-26T10:00:00.0Z")
    # ten days later the registrant passes the ID control
    registry.clock.advance(10 * DAYS)
    await registry_checks(registry, owner)
    assert [poll_msg(m) for m in await drain(c)] == [
        f"{owner} has completed the mandatory ID and data check - registry",
        "venter.dk has been activated"]
    r = await c.request(frames.domain_info("venter.dk"))
    assert (statuses(r), r.dkhm("registrant_validated")) == (["ok"], "1")
    info = await c.request(frames.contact_info(owner))
    assert (verified_id(info).get("status"), info.dkhm("contact_validated")) == ("completed",
                                                                                "1")
    assert (await registry.tick()).total == 0


async def test_expired_check_suspends_an_active_domain_until_completed(registry) -> None:
    c, _ = await registry.registrar_client(dkhm="4.5")
    owner = await setup_registrant(c)
    assert (await c.request(frames.domain_create("aktiv.dk", owner, NS,
                                                 token=registry.token()))).code == 1001
    await registry.tick()
    assert statuses(await c.request(frames.domain_info("aktiv.dk"))) == ["ok"]
    await drain(c)
    # the registry's risk engine asks the registrant for a new check
    async with registry.db.begin() as conn:
        await contact_verification.start(registry.ctx(conn), owner)
    assert [poll_msg(m) for m in await drain(c)] == [
        f"{owner} has to complete the mandatory ID and data check - registry"]
    registry.clock.advance(25 * DAYS - timedelta(seconds=1))
    await registry.tick()
    assert statuses(await c.request(frames.domain_info("aktiv.dk"))) == ["ok"]
    registry.clock.advance(timedelta(seconds=1))
    await registry.tick()
    msgs = await drain(c)
    assert [poll_msg(m) for m in msgs] == [
        f"The mandatory ID and data check of {owner} has expired - registry",
        "aktiv.dk has been updated"]
    r = await c.request(frames.domain_info("aktiv.dk"))
    assert statuses(r) == ["serverHold", "serverDeleteProhibited"]
    advisory = r.find(".//dkhm45:domainAdvisory")
    assert (advisory.get("advisory"), advisory.get("date")) == (
        "pendingDeletionDate", "2026-07-26T10:00:00.0Z")  # 30 days of suspension
    # a week into the suspension the registrant completes: back in business
    registry.clock.advance(7 * DAYS)
    await registry_checks(registry, owner)
    assert [poll_msg(m) for m in await drain(c)] == [
        f"{owner} has completed the mandatory ID and data check - registry",
        "aktiv.dk has been activated"]
    r = await c.request(frames.domain_info("aktiv.dk"))
    assert (statuses(r), r.find(".//dkhm45:domainAdvisory")) == (["ok"], None)


async def test_never_completed_check_costs_the_domain_after_30_days(registry) -> None:
    c, _ = await registry.registrar_client(dkhm="4.5")
    owner = await setup_registrant(c, verified=False, email="aldrig@example.dk")
    assert (await c.request(frames.domain_create("aldrig.dk", owner, NS,
                                                 token=registry.token()))).code == 1001
    await registry.tick()
    await drain(c)
    registry.clock.advance(25 * DAYS)
    await registry.tick()
    assert [poll_msg(m) for m in await drain(c)] == [
        f"The mandatory ID and data check of {owner} has expired - registry",
        "aldrig.dk has been updated"]
    registry.clock.advance(30 * DAYS - timedelta(seconds=1))
    await registry.tick()
    assert statuses(await c.request(frames.domain_info("aldrig.dk"))) == [
        "serverHold", "serverDeleteProhibited"]
    registry.clock.advance(timedelta(seconds=1))
    await registry.tick()
    assert [poll_msg(m) for m in await drain(c)] == ["aldrig.dk has been deleted"]
    r = await c.request(frames.domain_info("aldrig.dk"))
    assert r.code == 2303, r.msg
    r = await c.request(frames.domain_check("aldrig.dk"))
    assert r.find(".//domain:cd/domain:name").get("avail") == "1"
    # the registrant lost its only domain: 14 days later the contact is deleted too
    registry.clock.advance(14 * DAYS)
    await registry.tick()
    assert [poll_msg(m) for m in await drain(c)] == [f"{owner} has been deleted"]
    assert (await c.request(frames.contact_info(owner))).code == 2303

"""NIS2 deadlines as lifecycle work: a registrant's check starts when it gets a domain,
expires after ``nis2_verification_days`` and then suspends its domains; every step is
idempotent, safe with several workers, and does nothing before the policy's NIS2 date."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from dkreg.actions.contact import verification as contact_verification
from epp.test_contact_update import drain, poll_msg, row
from epp.test_contact_verification import active_domain, domain, held_domain
from support.epp_objects import Agent

DAYS = timedelta(days=1)


async def test_a_registrants_check_starts_once_with_its_first_domain(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=False)
    created = registry.clock.now()
    registry.clock.advance(5 * DAYS)
    assert (await registry.tick()).done["nis2_start_checks"] == 0  # no domain yet
    c = await row(registry, handle)
    assert (c.verification_started_at, c.verification_due) == (None, created + 25 * DAYS)
    await a.domain("first-nis2.dk", registrant=handle)
    await a.domain("second-nis2.dk", registrant=handle)
    c = await row(registry, handle)
    assert c.verification_started_at == registry.clock.now()
    assert c.verification_due == registry.clock.now() + 25 * DAYS
    msgs = [poll_msg(m) for m in await drain(a)]
    assert msgs.count(f"{handle} has to complete the mandatory ID and data check - registry") == 1
    assert (await registry.tick()).total == 0


async def test_a_check_that_never_started_does_not_expire(registry) -> None:
    """A contact nobody uses keeps its provisional deadline; it is auto-deleted instead."""
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=False)
    registry.clock.advance(26 * DAYS)
    report = await registry.tick()
    assert (report.done["nis2_expire_checks"], report.done["contact_autodelete"]) == (0, 1)
    assert (await row(registry, handle)).id_status == "pending"
    assert [poll_msg(m) for m in await drain(a)] == [f"{handle} has been deleted"]


async def test_expiry_suspends_and_completion_reactivates(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle, name = await held_domain(registry, a)
    start = registry.clock.now()
    await drain(a)
    registry.clock.set(start + 25 * DAYS - timedelta(seconds=1))
    report = await registry.tick()
    assert report.done["nis2_expire_checks"] == 0
    registry.clock.set(start + 25 * DAYS)
    report = await registry.tick()
    assert (report.done["nis2_expire_checks"], report.done["nis2_suspend_domains"]) == (1, 1)
    now = registry.clock.now()
    c = await row(registry, handle)
    assert (c.id_status, c.email_status, c.verification_started_at) == ("expired", "expired",
                                                                        None)
    d = await domain(registry, name)
    assert (d.statuses, d.suspended_at, d.redemption_cause, d.redemption_until) == (
        "serverHold", now, "nis2", now + 30 * DAYS)
    msgs = await drain(a)
    assert [poll_msg(m) for m in msgs] == [
        f"The mandatory ID and data check of {handle} has expired - registry",
        f"{name} has been updated"]
    assert msgs[0].find(".//dkhm45:verified_id").get("status") == "expired"
    assert (await registry.tick()).total == 0  # idempotent
    # the registrant completes late: the domain is active again
    registry.clock.advance(3 * DAYS)
    async with registry.db.begin() as conn:
        result = await contact_verification.complete(registry.ctx(conn), handle)
    assert result.domains == [name]
    d = await domain(registry, name)
    assert (d.statuses, d.suspended_at, d.redemption_cause, d.redemption_until) == (
        "ok", None, None, None)
    assert [poll_msg(m) for m in await drain(a)] == [
        f"{handle} has completed the mandatory ID and data check - registry",
        f"{name} has been activated"]
    registry.clock.advance(40 * DAYS)
    await registry.tick()
    assert (await domain(registry, name)).released_at is None


async def test_suspension_leaves_domains_on_their_way_out_alone(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle, name = await active_domain(registry, a)
    async with registry.db.begin() as conn:
        await contact_verification.start(registry.ctx(conn), handle)
        await conn.execute(domain_table_update(name, redemption_cause="delete",
                                               redemption_until=registry.clock.now()
                                               + 60 * DAYS))
    registry.clock.advance(25 * DAYS)
    report = await registry.tick()
    assert (report.done["nis2_expire_checks"], report.done["nis2_suspend_domains"]) == (1, 0)
    assert (await domain(registry, name)).redemption_cause == "delete"


def domain_table_update(name: str, **values):  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from dkreg.store.schema import domains

    return update(domains).where(domains.c.uname == name).values(**values)


async def test_domain_applied_for_after_expiry_is_suspended_when_processed(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle, first = await held_domain(registry, a)
    registry.clock.advance(25 * DAYS)
    await registry.tick()
    await a.domain("late-nis2.dk", registrant=handle)  # processed by this tick as serverHold
    d = await domain(registry, "late-nis2.dk")
    now = registry.clock.now()
    assert (d.statuses, d.redemption_cause, d.redemption_until) == (
        "serverHold", "nis2", now + 30 * DAYS)
    assert (await domain(registry, first)).redemption_until == now + 30 * DAYS


async def test_several_workers_expire_each_contact_once(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    held = [await held_domain(registry, a) for _ in range(4)]
    await drain(a)
    registry.clock.advance(25 * DAYS)
    reports = await asyncio.gather(*(registry.tick() for _ in range(3)))
    assert sum(r.done["nis2_expire_checks"] for r in reports) == 4
    assert sum(r.done["nis2_suspend_domains"] for r in reports) == 4
    msgs = [poll_msg(m) for m in await drain(a)]
    assert len(msgs) == 8
    for handle, name in held:
        assert msgs.count(f"The mandatory ID and data check of {handle} has expired - registry") \
            == 1
        assert msgs.count(f"{name} has been updated") == 1


async def test_nothing_expires_or_is_suspended_before_the_nis2_date(registry) -> None:
    registry.clock.set(datetime(2025, 1, 20, 12, 0, tzinfo=UTC))
    a = await Agent.new(registry, dkhm="4.5")
    handle, name = await active_domain(registry, a)
    async with registry.db.begin() as conn:
        await contact_verification.start(registry.ctx(conn), handle)
    registry.clock.set(datetime(2025, 2, 28, 22, 0, tzinfo=UTC))  # 23:00 in Copenhagen
    report = await registry.tick()
    assert report.done["nis2_expire_checks"] == 0
    assert (await row(registry, handle)).id_status == "pending"
    assert (await domain(registry, name)).statuses == "ok"
    registry.clock.set(datetime(2025, 2, 28, 23, 0, tzinfo=UTC))  # 1 March, 00:00 local
    report = await registry.tick()
    assert (report.done["nis2_expire_checks"], report.done["nis2_suspend_domains"]) == (1, 1)
    assert (await domain(registry, name)).statuses == "serverHold"


async def test_a_check_no_longer_needed_is_cancelled(registry) -> None:
    """The registrant whose check runs is replaced on its only domain: the check stops
    (no expiry, no suspension later) and the sponsor gets the exact "cancelled" text."""
    from support import frames

    a = await Agent.new(registry, dkhm="4.5")
    waiting = await a.contact(verified=False)
    await a.domain("skifter.dk", registrant=waiting)
    assert (await row(registry, waiting)).verification_started_at is not None
    verified = await a.contact(verified=True, email="ny@example.dk")
    await drain(a)
    r = await a.send(frames.domain_update("skifter.dk", registrant=verified,
                                          ext=frames.order_token_ext(registry.token(), "4.5")))
    assert r.code == 1000, r.msg
    report = await registry.tick()
    assert report.done["nis2_cancel_checks"] == 1
    c = await row(registry, waiting)
    assert (c.verification_started_at, c.verification_due, c.id_status) == (None, None,
                                                                            "pending")
    msgs = [poll_msg(m) for m in await drain(a)]
    assert f"The mandatory ID and data check of {waiting} was cancelled - registry" in msgs
    assert (await registry.tick()).total == 0  # once
    registry.clock.advance(26 * DAYS)  # nothing left to expire or suspend
    report = await registry.tick()
    assert report.done["nis2_expire_checks"] == 0 and report.done["nis2_suspend_domains"] == 0

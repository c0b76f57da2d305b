"""The dashboard's read action: each panel's count and bounded first rows, only the
registrar's own, the hold reason from what the store knows, and no panel for a privilege
group that may not open its page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from actions.world import NS, World
from dkreg.actions.account.registrars import registrar_create
from dkreg.actions.domain.create import DomainCreate, domain_create
from dkreg.actions.domain.delete import enter_redemption
from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.dashboard import SHOWN, dashboard
from dkreg.lifecycle.tick import tick


def user(world: World, group: str = "administration") -> PortalUser:
    assert world.actor.registrar_id is not None
    return PortalUser(1, "someone@example.dk", group, world.actor.registrar_id,
                      world.actor.registrar_handle)


async def board(world: World, group: str = "administration"):  # type: ignore[no-untyped-def]
    async with world.db.begin() as conn:
        return await dashboard(world.ctx(conn), user(world, group))


async def test_panels_follow_the_privilege_group(world: World, registrant: str) -> None:
    admin = await board(world)
    assert admin.balance_ore == 10_000_00 and admin.unread == 0
    assert admin.waiting is not None and admin.expiring is not None
    accounting = await board(world, "accounting")
    assert accounting.balance_ore == 10_000_00
    assert (accounting.unread, accounting.waiting, accounting.expiring, accounting.on_hold) == (
        None, None, None, None)
    portfolio = await board(world, "portfolio")
    assert portfolio.unread == 0 and portfolio.on_hold is not None


async def test_waiting_applications_are_counted_and_the_first_few_listed(
        world: World, registrant: str) -> None:
    for i in range(SHOWN + 2):
        await world.run(domain_create, DomainCreate(name=f"vent{i}.dk", registrant=registrant,
                                                    ns=NS, token=world.token()))
    b = await board(world)
    assert b.waiting is not None
    assert b.waiting.count == SHOWN + 2 and len(b.waiting.rows) == SHOWN
    assert {r.state for r in b.waiting.rows} == {"queued"}
    assert all(r.tracking_no for r in b.waiting.rows)
    assert b.balance_ore == 10_000_00 - (SHOWN + 2) * world.settings.domain_price_ore
    await tick(world.db, world.settings, world.clock.now())
    b = await board(world)
    assert b.waiting is not None and b.waiting.count == 0
    assert b.unread == SHOWN + 2  # each outcome is a poll message


async def test_expiring_within_30_days_only(world: World, registrant: str) -> None:
    await world.active_domain("snart.dk", registrant)
    await world.active_domain("senere.dk", registrant, period=2)
    world.clock.advance(timedelta(days=365 - 20))
    b = await board(world)
    assert b.expiring is not None
    assert (b.expiring.count, [r.name for r in b.expiring.rows]) == (1, ["snart.dk"])
    world.clock.advance(timedelta(days=40))  # expired now: no longer "expiring"
    b = await board(world)
    assert b.expiring is not None and b.expiring.count == 0


async def test_held_domains_say_why(world: World, registrant: str) -> None:
    unverified = await world.contact(verified=False)
    await world.active_domain("betalt.dk", registrant)
    await world.active_domain("ubetalt.dk", registrant)
    await world.active_domain("slettet.dk", registrant)
    await world.run(domain_create, DomainCreate(name="venter-id.dk", registrant=unverified,
                                                ns=NS, token=world.token()))
    await tick(world.db, world.settings, world.clock.now())
    async with world.db.begin() as conn:
        ctx = world.ctx(conn)
        for name, cause in (("ubetalt.dk", "nopay"), ("slettet.dk", "delete")):
            domain_id = (await conn.execute(text("select id from domains where name = :n"),
                                            {"n": name})).scalar_one()
            await enter_redemption(ctx, domain_id, until=world.clock.now() + timedelta(days=30),
                                   cause=cause)
    b = await board(world)
    assert b.on_hold is not None
    assert [(r.name, r.reason) for r in b.on_hold.rows] == [
        ("slettet.dk", "deleted"), ("ubetalt.dk", "unpaid"), ("venter-id.dk", "id_check")]
    assert b.on_hold.rows[0].redemption_until is not None


async def test_another_registrars_domains_are_not_counted(world: World, registrant: str) -> None:
    await world.run(domain_create, DomainCreate(name="min.dk", registrant=registrant, ns=NS,
                                                token=world.token()))
    async with world.db.begin() as conn:
        rid = await registrar_create(world.ctx(conn), "REG-700002", "Other", "o@example.dk",
                                     10_000_00)
    other = PortalUser(2, "other@example.dk", "administration", rid, "REG-700002")
    async with world.db.begin() as conn:
        theirs = await dashboard(world.ctx(conn), other)
    assert theirs.waiting is not None and theirs.waiting.count == 0
    mine = await board(world)
    assert mine.waiting is not None and mine.waiting.count == 1

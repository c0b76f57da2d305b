"""What "register a domain" reads first: the registrant picker (the registrar's own
contacts, searched, bounded) and the preflight (is the name free, which name servers are
no host yet) — EPP's check commands underneath."""

from __future__ import annotations

from actions.world import NS, World, contact_input
from dkreg.actions.account.registrars import registrar_create
from dkreg.actions.contact.create import ContactCreate, contact_create
from dkreg.actions.domain.create import DomainCreate, domain_create
from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.registration import preflight, registrant_candidates
from dkreg.store.context import Actor


def user(world: World) -> PortalUser:
    assert world.actor.registrar_id is not None
    return PortalUser(1, "someone@example.dk", "portfolio", world.actor.registrar_id,
                      world.actor.registrar_handle)


async def test_the_picker_offers_own_contacts_newest_first_searched_and_bounded(
        world: World) -> None:
    jens = await world.contact()
    karen = await world.contact(contact_input(name="Karen Blixen", email="karen@example.dk"))
    async with world.db.begin() as conn:
        rid = await registrar_create(world.ctx(conn), "REG-700002", "Other", "o@example.dk", 0)
    other = Actor(registrar_id=rid, registrar_handle="REG-700002", login="other-epp")
    async with world.db.begin() as conn:
        theirs = (await contact_create(world.ctx(conn, other), ContactCreate(
            id="force", data=contact_input(name="Karen Andersen")))).handle
    async with world.db.begin() as conn:
        ctx = world.ctx(conn)
        assert [c.handle for c in await registrant_candidates(ctx, user(world))] == [karen, jens]
        found = await registrant_candidates(ctx, user(world), "KAREN")
        assert [(c.handle, c.name) for c in found] == [(karen, "Karen Blixen")]
        assert theirs not in [c.handle for c in await registrant_candidates(ctx, user(world),
                                                                            "karen")]
        assert len(await registrant_candidates(ctx, user(world), limit=1)) == 1
        assert await registrant_candidates(ctx, user(world), "100%_") == []


async def test_preflight_names_a_taken_name_and_the_missing_hosts(world: World,
                                                                  registrant: str) -> None:
    await world.run(domain_create, DomainCreate(name="optaget.dk", registrant=registrant,
                                                ns=NS, token=world.token()))
    async with world.db.begin() as conn:
        ctx = world.ctx(conn)
        found = await preflight(ctx, user(world), "optaget.dk", [*NS, "ny.example.org"])
        assert found.taken is not None
        assert (found.taken.code, found.taken.reason, found.taken.field) == (
            2302, "domain_occupied", "domain:name")
        assert found.missing_hosts == ["ny.example.org"]
        free = await preflight(ctx, user(world), "fri.dk", NS)
        assert free.taken is None and free.missing_hosts == []
        assert (await preflight(ctx, user(world), None, [])).missing_hosts == []

"""What a page says may change of a contact or host is what the update and delete
actions then do: ``contact_editability`` and ``host_editability`` against
``contact_update``, ``host_update`` and ``host_delete`` on the same objects; and
``poll_ack_all`` dequeues only the actor's own messages up to the newest one shown."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text

from actions.world import NS, Refusal, World
from dkreg.actions.account.registrars import registrar_create
from dkreg.actions.contact.editable import REGISTER, REGISTRANT, contact_editability
from dkreg.actions.contact.update import ContactUpdate, PostalChange, contact_update
from dkreg.actions.host.create import HostCreate, host_create
from dkreg.actions.host.delete import host_delete
from dkreg.actions.host.editable import host_editability
from dkreg.actions.host.update import HostUpdate, host_update
from dkreg.actions.poll.poll import poll_ack_all
from dkreg.model.contact_rules import F_NAME, F_STREET
from dkreg.store.context import Actor
from dkreg.store.schema import poll_messages, registrars


async def editability(world: World, handle: str, actor: Actor | None = None):  # type: ignore[no-untyped-def]
    async with world.db.begin() as conn:
        return await contact_editability(world.ctx(conn, actor), handle)


async def other_registrar(world: World, handle: str = "REG-700002") -> Actor:
    async with world.db.begin() as conn:
        rid = await registrar_create(world.ctx(conn), handle, "Other", "o@example.dk", 0)
    return Actor(registrar_id=rid, registrar_handle=handle, login="other-epp")


async def test_a_fresh_contact_is_open_and_unlinked(world: World) -> None:
    handle = await world.contact()
    edit = await editability(world, handle)
    assert (edit.editable, edit.locked, edit.domains) == (True, {}, 0)
    assert edit.autodelete_days == world.settings.contact_autodelete_days


async def test_a_registrant_s_name_is_locked_as_update_locks_it(world: World,
                                                                registrant: str) -> None:
    await world.active_domain("locked-name.dk", registrant)
    await world.active_domain("locked-name2.dk", registrant)
    edit = await editability(world, registrant)
    assert edit.locked == {"name": REGISTRANT, "org": REGISTRANT}
    assert edit.domains == 2
    refused = await world.refusal(contact_update, ContactUpdate(
        id=registrant, postal=[PostalChange("loc", {"name": "Someone Else"})]))
    assert refused == Refusal(2304, "contact_field_locked", F_NAME, None)


async def test_a_register_locked_contact_locks_its_identity(world: World) -> None:
    handle = await world.contact()
    async with world.db.begin() as conn:
        await conn.execute(text("update contacts set register_locked = true "
                                "where handle = :h"), {"h": handle})
    edit = await editability(world, handle)
    assert set(edit.locked) == {"name", "org", "street", "city", "sp", "pc", "cc", "cvr",
                                "ean", "user_type"}
    assert set(edit.locked.values()) == {REGISTER}
    refused = await world.refusal(contact_update, ContactUpdate(id=handle, postal=[
        PostalChange("loc", {"street": ["Vej 1"], "city": "Berlin", "sp": None,
                             "pc": "10117", "cc": "DE"})]))
    assert (refused.code, refused.field) == (2304, F_STREET)  # the first locked one
    # what stays open (the phone) changes
    await world.run(contact_update, ContactUpdate(id=handle, fields={"voice": "+45.87654321"}))


async def test_another_registrar_s_contact_is_not_editable(world: World) -> None:
    handle = await world.contact()
    other = await other_registrar(world)
    edit = await editability(world, handle, other)
    assert edit.maintainer == "REG-700001" and not edit.editable
    refused = await world.refusal(contact_update, ContactUpdate(
        id=handle, fields={"voice": "+45.87654321"}), other)
    assert refused.code == 2201


async def host_edit(world: World, name: str, actor: Actor | None = None):  # type: ignore[no-untyped-def]
    async with world.db.begin() as conn:
        return await host_editability(world.ctx(conn, actor), name)


async def test_host_glue_use_and_rights(world: World, registrant: str) -> None:
    await world.active_domain("glue.dk", registrant)
    await world.run(host_create, HostCreate(name="ns1.glue.dk", addrs=[("193.163.102.53", "v4")]))
    inside = await host_edit(world, "ns1.glue.dk")
    assert (inside.glue, inside.addresses_editable, inside.deletable) == (True, True, True)
    outside = await host_edit(world, NS[0])
    assert not outside.glue and not outside.addresses_editable
    assert (outside.used_by, outside.used_count, outside.deletable) == (["glue.dk"], 1, False)
    # the actions agree: no glue outside .dk, no delete while in use
    refused = await world.refusal(host_update, HostUpdate(name=NS[0],
                                                          add_addrs=[("193.163.102.54", "v4")]))
    assert refused.code == 2306
    assert (await world.refusal(host_delete, NS[0])).code == 2305
    other = await other_registrar(world)
    theirs = await host_edit(world, "ns1.glue.dk", other)
    assert not theirs.may_change and not theirs.deletable
    assert (await world.refusal(host_delete, "ns1.glue.dk", other)).code == 2201


async def test_host_used_by_many_names_the_first_and_counts_all(world: World,
                                                               registrant: str) -> None:
    for i in range(5):
        await world.active_domain(f"many{i}.dk", registrant)
    edit = await host_edit(world, NS[1])
    assert edit.used_by == ["many0.dk", "many1.dk", "many2.dk"] and edit.used_count == 5


async def queue(world: World, registrar_id: int, n: int) -> list[int]:
    ids = []
    async with world.db.begin() as conn:
        for i in range(n):
            ids.append((await conn.execute(insert(poll_messages).values(
                registrar_id=registrar_id, created_at=world.clock.now(), msg=f"m{i}",
                kind="none", data="{}").returning(poll_messages.c.id))).scalar_one())
    return ids


@pytest.mark.parametrize("upto_index", [-1, 1])
async def test_poll_ack_all_takes_only_own_messages_up_to_the_newest_shown(
        world: World, upto_index: int) -> None:
    other = await other_registrar(world)
    async with world.db.read() as conn:
        mine_id = (await conn.execute(select(registrars.c.id).where(
            registrars.c.handle == world.actor.registrar_handle))).scalar_one()
    mine = await queue(world, mine_id, 3)
    theirs = await queue(world, other.registrar_id or 0, 2)
    later = await queue(world, mine_id, 1)
    upto = mine[upto_index]
    async with world.db.begin() as conn:
        acked = await poll_ack_all(world.ctx(conn), upto)
    assert acked == [i for i in mine if i <= upto]
    waiting = {r.id for r in await world.rows(
        "select id from poll_messages where acked_at is null")}
    assert waiting == {*theirs, *later, *(i for i in mine if i > upto)}
    async with world.db.begin() as conn:  # again: nothing left to take
        assert await poll_ack_all(world.ctx(conn), upto) == []

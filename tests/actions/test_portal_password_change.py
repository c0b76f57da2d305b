"""The action behind "change my password": every problem by field at once, nothing written
unless there is none, a wrong current password kept as a failed login, the other sessions
ended and the caller's kept."""

from __future__ import annotations

from sqlalchemy import insert, select

from actions.world import World
from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.login import portal_login_reserve
from dkreg.actions.portal.password_change import portal_password_change
from dkreg.actions.portal.users import portal_user_create
from dkreg.model.passwords import verify_password
from dkreg.model.secret_tokens import token_hash
from dkreg.store.context import Ctx
from dkreg.store.schema import portal_login_failures, portal_sessions, portal_users

EMAIL, OLD, NEW = "me@action.example", "Old-Passw0rd", "New-Passw0rd"


async def setup(world: World) -> PortalUser:
    async with world.db.begin() as conn:
        ctx = Ctx(conn=conn, now=world.clock.now(), settings=world.settings, is_sqlite=True)
        uid = await portal_user_create(ctx, "REG-700001", EMAIL, "portfolio", OLD)
        for token in ("mine", "laptop", "phone"):
            await conn.execute(insert(portal_sessions).values(
                id_hash=token_hash(token), portal_user_id=uid, csrf_token="c" + token,
                created_at=ctx.now, last_seen_at=ctx.now, client_ip="192.0.2.1"))
    return PortalUser(id=uid, email=EMAIL, group="portfolio",
                      registrar_id=world.actor.registrar_id or 0,
                      registrar_handle="REG-700001")


async def attempt(world: World, user: PortalUser, current: str, new: str, again: str
                  ) -> dict[str, str]:
    async with world.db.begin() as conn:
        ctx = Ctx(conn=conn, now=world.clock.now(), settings=world.settings, is_sqlite=True)
        held = await portal_login_reserve(ctx, EMAIL, "192.0.2.1")
        assert held is not None
        problems = await portal_password_change(ctx, user, current, new, again, "mine",
                                                "192.0.2.1", held)
    return {field: e.reason for field, e in problems.items()}


async def state(world: World) -> tuple[str, list[bytes | str], int]:
    async with world.db.read() as conn:
        stored = (await conn.execute(select(portal_users.c.password_hash))).scalar_one()
        sessions = sorted((await conn.execute(select(portal_sessions.c.id_hash))).scalars())
        failed = len((await conn.execute(select(portal_login_failures.c.email))).all())
    return stored, sessions, failed


async def test_problems_are_reported_together_and_nothing_changes(world: World) -> None:
    user = await setup(world)
    before = await state(world)
    assert await attempt(world, user, "wrong", "short", "other") == {
        "current_password": "login_failed", "password": "password_policy",
        "password_again": "value_syntax"}
    after = await state(world)
    assert after[:2] == before[:2] and after[2] == before[2] + 1  # one failed login
    # the right current password: the rule's problems only, and no failed login kept
    assert await attempt(world, user, OLD, "alllowercase", "alllowercase") == {
        "password": "password_policy"}
    assert await attempt(world, user, OLD, NEW, NEW + "!") == {"password_again": "value_syntax"}
    assert await state(world) == after


async def test_the_change_ends_every_other_session(world: World) -> None:
    user = await setup(world)
    assert await attempt(world, user, OLD, NEW, NEW) == {}
    stored, sessions, failed = await state(world)
    assert verify_password(stored, NEW) and not verify_password(stored, OLD)
    assert sessions == [token_hash("mine")] and failed == 0

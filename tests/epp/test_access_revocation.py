"""A live EPP session ends when its credentials stop holding: the service user disabled
in the portal, its password reset, or the client's address taken off the allow-list.
Other sessions and a session whose own login changed the password (newPW) go on."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from dkreg.actions.account.ip_allow_list import allow_list_add, allow_list_remove
from dkreg.actions.account.service_users import (
    service_user_reset_password,
    service_user_set_disabled,
)
from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.users import portal_user_create
from support import PASSWORD, frames


async def admin(reg, handle: str) -> PortalUser:  # type: ignore[no-untyped-def]
    email = f"admin@{handle.lower()}.example"
    async with reg.db.begin() as conn:
        uid = await portal_user_create(reg.ctx(conn), handle, email, "administration",
                                       PASSWORD)
    rid = await reg.scalar("select id from registrars where handle = :h", h=handle)
    return PortalUser(uid, email, "administration", rid, handle)


async def user_id(reg, login: str) -> int:  # type: ignore[no-untyped-def]
    return await reg.scalar("select id from users where login = :l", l=login)


async def revoked(reg, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The reasons of the audited revocations, once the audit buffer has written ``n``."""
    for _ in range(100):
        rows = await reg.rows("select request from audit where command = 'session_revoked'")
        if len(rows) >= n:
            return [r.request for r in rows]
        await asyncio.sleep(0.05)
    raise AssertionError(f"{n} revocation(s) not audited")


async def still_works(c) -> bool:  # type: ignore[no-untyped-def]
    return (await c.request(frames.domain_check("still-here.dk"))).code == 1000


async def test_disabling_a_service_user_ends_its_live_sessions(registry_factory) -> None:
    async with registry_factory(epp_access_check_interval=0.05) as reg:
        handle, login, pw = await reg.new_registrar()
        _other, other_login, _ = await reg.new_registrar()
        a = await reg.client(login, pw)
        b = await reg.client(other_login, pw)
        assert await still_works(a)
        boss = await admin(reg, handle)
        uid = await user_id(reg, login)
        async with reg.db.begin() as conn:
            await service_user_set_disabled(reg.ctx(conn), boss, uid, True)
        assert await a.at_eof(timeout=5)  # closed by the server, without a command
        assert await still_works(b)  # another registrar's session is untouched
        assert await revoked(reg, 1) == ["the service user is disabled"]
        c = await reg.client()
        assert (await c.login(login, pw)).code == 2200


async def test_a_password_reset_ends_sessions_but_newpw_keeps_its_own(registry_factory
                                                                      ) -> None:
    async with registry_factory(epp_access_check_interval=0.05) as reg:
        handle, login, pw = await reg.new_registrar()
        old = await reg.client(login, pw)
        # a login that changes its own password keeps its session; the older one ends
        fresh = await reg.client()
        reg.clock.advance(timedelta(seconds=1))
        r = await fresh.login(login, pw, new_pw="Fresh-Passw0rd")
        assert r.code == 1000, r.msg
        assert await old.at_eof(timeout=5)
        await asyncio.sleep(0.3)  # several watch rounds
        assert await still_works(fresh)
        boss = await admin(reg, handle)
        uid = await user_id(reg, login)
        reg.clock.advance(timedelta(seconds=1))  # the reset comes after the login
        async with reg.db.begin() as conn:
            issued = await service_user_reset_password(reg.ctx(conn), boss, uid)
        assert await fresh.at_eof(timeout=5)
        again = await reg.client(login, issued.password)
        assert await still_works(again)


async def test_an_address_taken_off_the_allow_list_ends_the_session(registry_factory
                                                                    ) -> None:
    async with registry_factory(epp_access_check_interval=0.05) as reg:
        handle, login, pw = await reg.new_registrar()
        c = await reg.client(login, pw)
        boss = await admin(reg, handle)
        async with reg.db.begin() as conn:  # the client's own address: allowed
            await allow_list_add(reg.ctx(conn), boss, "127.0.0.0/8")
        await asyncio.sleep(0.3)
        assert await still_works(c)
        d = await reg.client(login, pw)
        entry = await reg.scalar("select id from registrar_ip_allow")
        async with reg.db.begin() as conn:
            await allow_list_add(reg.ctx(conn), boss, "192.0.2.0/24")
            await allow_list_remove(reg.ctx(conn), boss, entry)
        assert await c.at_eof(timeout=5) and await d.at_eof(timeout=5)
        reasons = await revoked(reg, 2)
        assert len(reasons) == 2 and all("127.0.0.1" in r for r in reasons), reasons

"""The registrar's IP allow-list at EPP login, and disabled service users.

From an address outside a non-empty list every login of the registrar's service users is
refused with the plain 2200 "Login failed" of a wrong password, right password or not (the
address is checked first, the password never compared): the answer is no oracle for
passwords. The reason is audited naming the registrar and the login, and the registrar
sees it in the portal. An empty list admits every address in the sandbox and none in
production. A disabled service user cannot log in."""

from __future__ import annotations

import asyncio

from dkreg.actions.account.ip_allow_list import (
    address_allowed,
    allow_list_add,
    login_refusal,
    parse_network,
)
from dkreg.actions.portal.access import PortalUser
from dkreg.errors import EppError
from support import frames
from support.eppclient import EppClient

REASON = "the client address 127.0.0.1 is not in the registrar's IP allow-list"


async def allow(registry, handle: str, network: str) -> str:  # type: ignore[no-untyped-def]
    rid = await registry.scalar("select id from registrars where handle = :h", h=handle)
    admin = PortalUser(id=0, email=f"admin@{handle.lower()}.example", group="administration",
                       registrar_id=rid, registrar_handle=handle)
    async with registry.db.begin() as conn:
        return await allow_list_add(registry.ctx(conn), admin, network, "192.0.2.99")


async def login_reply(registry, login: str, pw: str, new_pw: str | None = None):  # type: ignore[no-untyped-def]
    c = await EppClient.connect("127.0.0.1", registry.port, registry.ca_file)
    try:
        return await c.request(frames.login(login, pw, new_pw=new_pw))
    finally:
        await c.close()


async def wait_for(registry, sql: str, **params):  # type: ignore[no-untyped-def]
    for _ in range(100):
        rows = await registry.rows(sql, **params)
        if rows:
            return rows
        await asyncio.sleep(0.05)
    return []


async def test_a_login_from_a_non_listed_address_is_refused_until_it_is_listed(registry) -> None:
    handle, login, pw = await registry.new_registrar()
    assert await allow(registry, handle, "192.0.2.0/24") == "192.0.2.0/24"
    r = await login_reply(registry, login, pw)
    assert (r.code, r.msg) == (2200, "Login failed")
    [event] = await wait_for(
        registry, "select a.actor, a.object, a.client_ip, a.request, r.handle from audit a "
        "join registrars r on r.id = a.registrar_id where a.command = 'login_address_refused'")
    assert (event.actor, event.object, event.client_ip, event.request, event.handle) == (
        login, "127.0.0.1", "127.0.0.1", REASON, handle)
    # a refused login does not change the password either
    r = await login_reply(registry, login, pw, new_pw="Brand-New-Passw0rd")
    assert (r.code, r.msg) == (2200, "Login failed")

    await allow(registry, handle, "127.0.0.1")
    r = await login_reply(registry, login, pw)
    assert (r.code, r.msg) == (1000, f"User {login} logged in.")
    # another registrar's list does not restrict this one, nor the reverse
    handle2, login2, pw2 = await registry.new_registrar()
    await allow(registry, handle2, "2001:db8::/32")
    assert (await login_reply(registry, login2, pw2)).code == 2200
    assert (await login_reply(registry, login, pw)).code == 1000


async def raw_login_reply(registry, login: str, pw: str) -> bytes:  # type: ignore[no-untyped-def]
    """The <result> element of a login's answer, as bytes from the wire."""
    import re

    [result] = re.findall(rb"<result .*?</result>", (await login_reply(registry, login, pw)).raw,
                          re.S)
    return result


async def test_right_and_wrong_passwords_from_a_refused_address_get_the_same_answer(
        registry) -> None:
    """No password oracle: from an address outside the list, the right password, a wrong
    one and a login that does not exist get byte-identical results; the audit names the
    reason for the registrar's user, whatever the password was."""
    handle, login, pw = await registry.new_registrar()
    await allow(registry, handle, "192.0.2.0/24")
    right = await raw_login_reply(registry, login, pw)
    wrong = await raw_login_reply(registry, login, "Wrong-Passw0rd")
    unknown = await raw_login_reply(registry, "nobody-here", pw)
    assert right == wrong == unknown
    assert b"<msg>Login failed</msg>" in right and b'code="2200"' in right
    rid = await registry.scalar("select id from registrars where handle = :h", h=handle)
    for _ in range(100):
        events = await registry.rows("select actor, request from audit where command = "
                                     "'login_address_refused' and registrar_id = :r "
                                     "order by id", r=rid)
        if len(events) >= 2:
            break
        await asyncio.sleep(0.05)
    assert [(e.actor, e.request) for e in events] == [(login, REASON), (login, REASON)]


async def test_an_empty_list_admits_every_address_in_the_sandbox(registry) -> None:
    _handle, login, pw = await registry.new_registrar()
    assert registry.settings.sandbox
    assert (await login_reply(registry, login, pw)).code == 1000


async def test_an_empty_list_refuses_every_login_in_production(registry_factory) -> None:
    async with registry_factory(mode="production") as registry:
        handle, login, pw = await registry.new_registrar()
        r = await login_reply(registry, login, pw)
        assert (r.code, r.msg) == (2200, "Login failed")
        [event] = await wait_for(registry, "select request from audit "
                                 "where command = 'login_address_refused'")
        assert event.request.startswith("the registrar's IP allow-list is empty, and in "
                                        "production an empty list admits no address")
        await allow(registry, handle, "127.0.0.0/8")
        assert (await login_reply(registry, login, pw)).code == 1000


async def test_a_disabled_service_user_cannot_log_in(registry) -> None:
    _handle, login, pw = await registry.new_registrar()
    async with registry.db.begin() as conn:
        from sqlalchemy import text

        await conn.execute(text("update users set disabled = true where login = :l"), {"l": login})
    r = await login_reply(registry, login, pw)
    assert (r.code, r.msg) == (2200, "Login failed")
    async with registry.db.begin() as conn:
        await conn.execute(text("update users set disabled = false where login = :l"),
                           {"l": login})
    assert (await login_reply(registry, login, pw)).code == 1000


def test_addresses_and_networks_are_matched_and_normalised() -> None:
    assert parse_network(" 192.0.2.7 ") == "192.0.2.7/32"
    assert parse_network("2001:DB8:0::/48") == "2001:db8::/48"
    assert parse_network("2001:db8::1") == "2001:db8::1/128"
    for bad in ("192.0.2.5/24", "192.0.2.256", "example.net", "", "10.0.0.0/33", "::1/129"):
        try:
            parse_network(bad)
        except EppError as e:
            assert (e.code, e.field) == (2005, "network"), bad
        else:
            raise AssertionError(f"{bad!r} was accepted")
    nets = ["192.0.2.0/24", "2001:db8::/32"]
    assert address_allowed(nets, "192.0.2.200")
    assert address_allowed(nets, "::ffff:192.0.2.1")  # IPv4 on a dual-stack listener
    assert address_allowed(nets, "2001:db8:1::5")
    assert not address_allowed(nets, "198.51.100.1")
    assert not address_allowed(nets, None)
    assert not address_allowed(nets, "garbage")
    assert login_refusal([], "198.51.100.1", production=False) is None
    assert login_refusal([], "198.51.100.1", production=True) is not None
    assert login_refusal(nets, "192.0.2.1", production=True) is None

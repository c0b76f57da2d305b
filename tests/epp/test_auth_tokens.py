"""AuthInfo tokens (actions/domain/auth_tokens.py): format, one live token per operation,
14 days, single use, and one answer (2202) for every way a token can be wrong.

The helpers at the top are shared by the transfer and withdraw tests.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from dkreg.actions.domain import auth_tokens
from dkreg.errors import EppError
from dkreg.store.context import Actor
from epp.helpers import NS, setup_registrant
from support import frames

TOKEN_TEXT = "Supplied authinfo token is not valid for this domain/operation"


async def registrar_id(registry, handle: str) -> int:
    return await registry.scalar("select id from registrars where handle = :h", h=handle)


async def domain_id(registry, name: str) -> int:
    return await registry.scalar(
        "select id from domains where name = :n and released_at is null", n=name)


async def active_domain(registry, c, name: str, *, verified: bool = True) -> str:
    """A domain of the client's registrar, created and activated; returns its registrant."""
    contact = await setup_registrant(c, verified=verified)
    r = await c.request(frames.domain_create(name, contact, NS, token=registry.token()))
    assert r.code == 1001, r.msg
    await registry.tick()
    return contact


async def as_registrar(registry, handle: str, fn, *args, **kw):  # type: ignore[no-untyped-def]
    """Run an action in its own transaction as the registrar ``handle``."""
    actor = Actor(await registrar_id(registry, handle), handle, "test")
    async with registry.db.begin() as conn:
        return await fn(registry.ctx(conn, actor), *args, **kw)


async def make_token(registry, handle: str, name: str, op: str = "transfer") -> str:
    return await as_registrar(registry, handle, auth_tokens.generate,
                              await domain_id(registry, name), op)


async def live(registry, name: str) -> list[auth_tokens.LiveToken]:
    did = await domain_id(registry, name)
    async with registry.db.read() as conn:
        return await auth_tokens.live_tokens(conn, did, registry.clock.now())


@pytest.fixture
async def tokened(registry):
    c, handle = await registry.registrar_client()
    await active_domain(registry, c, "noegle.dk")
    r = await c.request(frames.domain_create("anden.dk", await setup_registrant(c), NS,
                                             token=registry.token()))
    assert r.code == 1001
    await registry.tick()
    return registry, c, handle


async def test_generate_format_expiry_and_info(tokened) -> None:
    registry, c, handle = tokened
    token = await make_token(registry, handle, "noegle.dk")
    assert re.fullmatch(r"REG-TRANSFER-[0-9a-f]{32}", token)
    redel = await make_token(registry, handle, "noegle.dk", "redel")
    assert re.fullmatch(r"REG-REDEL-[0-9a-f]{32}", redel)
    row = (await registry.rows(
        "select role, created_by, expires_at from auth_tokens where token = :t", t=token))[0]
    assert (row.role, row.created_by) == ("REG", handle)
    tokens = await live(registry, "noegle.dk")
    assert [(t.op, t.token) for t in tokens] == [("redel", redel), ("transfer", token)]
    assert {t.expires_at for t in tokens} == {registry.clock.now() + timedelta(days=14)}
    # the sponsor sees both in info domain; another registrar sees none
    r = await c.request(frames.domain_info("noegle.dk"))
    shown = {e.get("op"): (e.text, e.get("expdate")) for e in r.findall(".//dkhm:authInfo")}
    assert shown == {"transfer": (token, "2026-06-15T10:00:00.0Z"),
                     "redel": (redel, "2026-06-15T10:00:00.0Z")}
    other, _ = await registry.registrar_client()
    r = await other.request(frames.domain_info("noegle.dk"))
    assert r.code == 1000 and r.findall(".//dkhm:authInfo") == []


async def test_new_token_retracts_the_previous_one_of_the_same_op(tokened) -> None:
    registry, _, handle = tokened
    first = await make_token(registry, handle, "noegle.dk")
    redel = await make_token(registry, handle, "noegle.dk", "redel")
    second = await make_token(registry, handle, "noegle.dk")
    assert first != second
    assert [t.token for t in await live(registry, "noegle.dk")] == [redel, second]
    assert await registry.scalar(
        "select retracted_at from auth_tokens where token = :t", t=first) is not None
    did = await domain_id(registry, "noegle.dk")
    with pytest.raises(EppError) as e:
        await as_registrar(registry, handle, auth_tokens.consume, did, "transfer", first)
    assert (e.value.code, e.value.reason) == (2202, "authinfo_invalid")


async def test_retract_by_op_and_all(tokened) -> None:
    registry, _, handle = tokened
    did = await domain_id(registry, "noegle.dk")
    await make_token(registry, handle, "noegle.dk")
    redel = await make_token(registry, handle, "noegle.dk", "redel")
    assert await as_registrar(registry, handle, auth_tokens.retract, did, "transfer") == 1
    assert [t.token for t in await live(registry, "noegle.dk")] == [redel]
    assert await as_registrar(registry, handle, auth_tokens.retract, did, "transfer") == 0
    await make_token(registry, handle, "noegle.dk")
    assert await as_registrar(registry, handle, auth_tokens.retract, did) == 2
    assert await live(registry, "noegle.dk") == []


async def test_token_lives_fourteen_days(tokened) -> None:
    registry, _, handle = tokened
    did = await domain_id(registry, "noegle.dk")
    token = await make_token(registry, handle, "noegle.dk")
    registry.clock.advance(timedelta(days=14, seconds=-1))
    assert [t.token for t in await live(registry, "noegle.dk")] == [token]
    registry.clock.advance(timedelta(seconds=1))
    assert await live(registry, "noegle.dk") == []
    with pytest.raises(EppError) as e:
        await as_registrar(registry, handle, auth_tokens.consume, did, "transfer", token)
    assert e.value.code == 2202
    assert e.value.message().startswith(TOKEN_TEXT)


async def test_consume_is_single_use_and_exact(tokened) -> None:
    registry, _, handle = tokened
    did = await domain_id(registry, "noegle.dk")
    other = await domain_id(registry, "anden.dk")
    token = await make_token(registry, handle, "noegle.dk")
    redel = await make_token(registry, handle, "noegle.dk", "redel")
    wrong = [("transfer", token.lower()), ("transfer", token[:-1]), ("transfer", ""),
             ("transfer", "REG-TRANSFER-" + "0" * 32), ("redel", token),
             ("transfer", redel)]
    for op, value in wrong:
        with pytest.raises(EppError) as e:
            await as_registrar(registry, handle, auth_tokens.consume, did, op, value)
        assert (e.value.code, e.value.reason) == (2202, "authinfo_invalid"), (op, value)
    with pytest.raises(EppError) as e:  # a token of another domain
        await as_registrar(registry, handle, auth_tokens.consume, other, "transfer", token)
    assert e.value.code == 2202
    # surrounding whitespace (XML indentation) is not part of the token
    row = await as_registrar(registry, handle, auth_tokens.consume, did, "transfer",
                             f"\n   {token}\n ")
    assert row.token == token
    assert await registry.scalar(
        "select used_at from auth_tokens where token = :t", t=token) is not None
    with pytest.raises(EppError) as e:
        await as_registrar(registry, handle, auth_tokens.consume, did, "transfer", token)
    assert e.value.code == 2202
    # using one token leaves the other operation's token alone
    assert [t.token for t in await live(registry, "noegle.dk")] == [redel]


async def test_roles_other_than_reg_need_naming(tokened) -> None:
    registry, _, _ = tokened
    did = await domain_id(registry, "noegle.dk")
    async with registry.db.begin() as conn:
        with pytest.raises(ValueError, match="role"):
            await auth_tokens.generate(registry.ctx(conn), did)
        with pytest.raises(ValueError, match="operation"):
            await auth_tokens.generate(registry.ctx(conn), did, "delete", role="OWN")
        token = await auth_tokens.generate(registry.ctx(conn), did, role="OWN")
    assert re.fullmatch(r"OWN-TRANSFER-[0-9a-f]{32}", token)
    assert await registry.scalar(
        "select created_by from auth_tokens where token = :t", t=token) == "DKHM1-DK"

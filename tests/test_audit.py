"""Audit: every command is stored with clTRID, svTRID, registrar, result code and the
request without passwords; a mutation's row is written in the same transaction."""

from __future__ import annotations

import asyncio

from epp.helpers import NS, setup_registrant
from support import frames


async def wait_for(registry, sql: str, **params) -> object:  # type: ignore[no-untyped-def]
    for _ in range(100):
        value = await registry.scalar(sql, **params)
        if value:
            return value
        await asyncio.sleep(0.05)
    return None


async def test_every_command_is_audited(registry) -> None:
    handle, login, pw = await registry.new_registrar()
    c = await registry.client()
    r = await c.request(frames.login(login, pw, new_pw="N3w-Password!"))
    assert r.code == 1000
    req = await registry.scalar(
        "select request from audit where command = 'login' and result_code = 1000")
    assert req is not None
    assert pw not in req and "N3w-Password!" not in req and "*****" in req
    contact = await setup_registrant(c)
    xml = frames.domain_create("audited.dk", contact, NS, token=registry.token(),
                               cl_trid="CLIENT-TRID-42")
    r = await c.request(xml)
    assert r.code == 1001
    sv_trid = r.text(".//epp:svTRID")
    # written with the create's own commit: visible the moment the answer is
    row = (await registry.rows(
        "select a.cl_trid, a.sv_trid, a.result_code, a.object, r.handle, a.door "
        "from audit a join registrars r on r.id = a.registrar_id "
        "where a.cl_trid = 'CLIENT-TRID-42'"))
    assert len(row) == 1
    assert tuple(row[0]) == ("CLIENT-TRID-42", sv_trid, 1001, "audited.dk", handle, "epp")
    # failures and read-only commands are stored too
    r = await c.request(frames.domain_create("audited.dk", contact, NS, token="bad",
                                             cl_trid="CLIENT-TRID-43"))
    assert r.code == 2005
    assert await wait_for(registry, "select result_code from audit where cl_trid = :t",
                          t="CLIENT-TRID-43") == 2005
    await c.request(frames.domain_check("audited.dk"))
    assert await wait_for(registry, "select count(*) from audit where command = "
                          "'domain:check' and registrar_id is not null")


async def test_failed_login_is_audited_without_password(registry) -> None:
    _, login, _ = await registry.new_registrar()
    c = await registry.client()
    r = await c.login(login, "Wrong-Passw0rd")
    assert r.code == 2200
    req = await wait_for(registry, "select request from audit where result_code = 2200")
    assert req and "Wrong-Passw0rd" not in req

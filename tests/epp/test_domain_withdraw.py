"""withdraw (<extension><dkhm:command><dkhm:withdraw>): the registrar hands a domain back
to the registry, which makes it registrant-managed; in the 4.3/4.4 and 4.5 shapes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from dkreg.store.schema import domains
from epp.helpers import NS, setup_registrant
from epp.test_auth_tokens import active_domain, domain_id, live, make_token, registrar_id
from epp.test_domain_transfer import drain, snapshot
from support import frames


@pytest.mark.parametrize(("dkhm", "form"), [("4.3", None), ("4.4", None), ("4.5", "dkhm"),
                                            ("4.5", "domain")])
async def test_withdraw_hands_the_domain_to_the_registry(registry, dkhm: str,
                                                         form: str | None) -> None:
    handle, login, pw = await registry.new_registrar()
    c = await registry.client(login, pw, dkhm=dkhm)
    await active_domain(registry, c, "retur.dk")
    r = await c.request(frames.host_create("ns.retur.dk", "193.163.102.20"))
    assert r.code == 1000, r.msg
    did = await domain_id(registry, "retur.dk")
    async with registry.db.begin() as conn:  # auto-renew must come back on
        await conn.execute(update(domains).where(domains.c.id == did).values(autorenew=False))
    old = (await registry.rows("select c.* from contacts c join domains d "
                               "on d.registrant_id = c.id where d.id = :d", d=did))[0]
    await make_token(registry, handle, "retur.dk")
    await drain(c)
    registry.clock.advance(timedelta(minutes=1))

    r = await c.request(frames.withdraw("retur.dk", dkhm=dkhm, form=form, cl_trid="WD-12345"))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert r.text(".//epp:trID/epp:clTRID") == "WD-12345"
    trn = {k: r.text(f".//domain:trnData/domain:{k}")
           for k in ("name", "trStatus", "reID", "reDate", "acID", "acDate")}
    assert trn == {"name": "retur.dk", "trStatus": "serverApproved", "reID": handle,
                   "reDate": "2026-06-01T10:01:00.0Z", "acID": "DKHM1-DK",
                   "acDate": "2026-06-01T10:01:00.0Z"}

    dom = (await registry.rows("select * from domains where id = :d", d=did))[0]
    assert (dom.sponsor_id, dom.management, dom.autorenew) == (None, "registrant", True)
    assert dom.transferred_at is not None
    new = (await registry.rows("select * from contacts where id = :c",
                               c=dom.registrant_id))[0]
    assert new.handle != old.handle
    assert (new.sponsor_id, new.management, new.name, new.email, new.id_status) == (
        None, "registrant", old.name, old.email, old.id_status)
    assert await registry.scalar("select unlinked_at from contacts where id = :c",
                                 c=old.id) is not None
    assert await registry.scalar("select sponsor_id from hosts where name = 'ns.retur.dk'") \
        is None
    assert await live(registry, "retur.dk") == []

    r = await c.request(frames.domain_info("retur.dk"))
    assert r.text(".//domain:clID") == "DKHM1-DK"
    assert r.text(".//domain:registrant") == new.handle
    (msg,) = await drain(c)
    assert msg.text(".//epp:msgQ/epp:msg") == "retur.dk has been removed from your portfolio"
    assert msg.text(".//domain:trnData/domain:acID") == "DKHM1-DK"
    assert msg.text(".//domain:trnData/domain:trStatus") == "serverApproved"


async def test_withdraw_refusals(registry) -> None:
    a, a_handle = await registry.registrar_client()
    await active_domain(registry, a, "retur.dk")
    contact = await setup_registrant(a)
    assert (await a.request(frames.domain_create("ny.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    b_handle, b_login, b_pw = await registry.new_registrar()
    before = await snapshot(registry)
    inner_without_name = frames.withdraw("retur.dk").replace(
        "<domain:name>retur.dk</domain:name>", "")
    cases = [
        (b_login, "4.3", frames.withdraw("retur.dk"), 2201,
         "Cannot change registrar for domain. Missing privilege"),
        (b_login, "4.5", frames.withdraw("findes-ikke.dk", dkhm="4.5"), 2303,
         "Cannot change registrar on non-existent domain"),
        (None, "4.3", frames.withdraw("ny.dk"), 2106,
         "Object is not eligible for transfer, domain status prohibits transfer"),
        (None, "4.3", inner_without_name, 2001, "Command syntax error"),
        (None, "4.3", frames.withdraw("retur.dk").replace("<withdraw>", "<renew>")
         .replace("</withdraw>", "</renew>"), 2000, "Unknown command"),
        (None, "4.3", frames.HEAD + '<extension><x:y xmlns:x="urn:example:x"/></extension>'
         "</epp>", 2000, "Unknown command"),
        (None, "4.3", frames.withdraw("retur.dk").replace("dkhm-4.3", "dkhm-4.0"), 2103,
         "Unimplemented extension"),
        # an EPP <command> of that name is not the extension command
        (None, "4.3", frames.command(
            '<withdraw><domain:withdraw xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">'
            "<domain:name>retur.dk</domain:name></domain:withdraw></withdraw>"), 2000,
         "Unknown command"),
    ]
    for login, dkhm, xml, code, text in cases:
        c = await registry.client(login or await _login_of(registry, a_handle), dkhm=dkhm)
        r = await c.request(xml)
        assert (r.code, r.msg.split(";")[0]) == (code, text), (xml, r.msg)
    assert await snapshot(registry) == before
    assert await registry.scalar("select sponsor_id from domains where name = 'retur.dk'") \
        == await registrar_id(registry, a_handle)

    # once registrant-managed it cannot be withdrawn again
    assert (await a.request(frames.withdraw("retur.dk"))).code == 1000
    r = await a.request(frames.withdraw("retur.dk", dkhm="4.5"))
    assert r.code == 2306
    assert r.msg.startswith("Object is not registrar managed.; ")


async def _login_of(registry, handle: str) -> str:
    return await registry.scalar("select u.login from users u join registrars r "
                                 "on r.id = u.registrar_id where r.handle = :h", h=handle)

"""A change of registrar as two registrars' systems see it, over EPP only.

A registers a domain, issues a transfer token (update domain, keyword ``auto``) and
reads it from info domain; the registrant hands it to B, who pulls the domain. Both hear
about it by poll, the token is spent, a later token expires unused after 14 days, and
the domain can go back the same way.
"""

from __future__ import annotations

import re
from datetime import timedelta

from epp.helpers import NS, setup_registrant
from support import frames


async def messages(c) -> list[str]:  # type: ignore[no-untyped-def]
    """Texts of all queued poll messages (acked); every frame is schema-validated."""
    out = []
    while (r := await c.request(frames.poll_req())).code == 1301:
        out.append(r.text(".//epp:msgQ/epp:msg"))
        assert (await c.request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000
    assert r.code == 1300
    return out


async def token_of(c, name: str) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """(token, expdate) of the live transfer token info domain shows, if any."""
    r = await c.request(frames.domain_info(name))
    assert r.code == 1000, r.msg
    for el in r.findall(".//dkhm:authInfo") + r.findall(".//dkhm45:authInfo"):
        if el.get("op") == "transfer":
            return el.text, el.get("expdate")
    return None


async def test_registrar_change_over_epp(registry) -> None:
    a, a_handle = await registry.registrar_client()
    b, b_handle = await registry.registrar_client(dkhm="4.5")
    contact = await setup_registrant(a)
    r = await a.request(frames.domain_create("skifter.dk", contact, NS, token=registry.token()))
    assert r.code == 1001
    await registry.tick()
    assert await messages(a) == ["skifter.dk has been registered and activated"]

    # A issues the token and reads it back, as it would to give it to the registrant
    assert (await a.request(frames.domain_update("skifter.dk", auth_pw="auto"))).code == 1000
    token, expdate = await token_of(a, "skifter.dk")
    assert re.fullmatch(r"REG-TRANSFER-[0-9a-f]{32}", token)
    assert expdate == "2026-06-15T10:00:00.0Z"
    assert await token_of(b, "skifter.dk") is None  # only the sponsor sees it

    registry.clock.advance(timedelta(days=3))
    r = await b.request(frames.domain_transfer("skifter.dk", token))
    assert r.code == 1000, r.msg
    assert r.text(".//domain:trStatus") == "clientApproved"
    assert (r.text(".//domain:reID"), r.text(".//domain:acID")) == (b_handle, a_handle)
    assert await messages(b) == ["skifter.dk has been added to your portfolio"]
    assert await messages(a) == ["skifter.dk has been removed from your portfolio"]

    r = await a.request(frames.domain_info("skifter.dk"))
    assert r.text(".//domain:clID") == b_handle
    new_registrant = r.text(".//domain:registrant")
    assert new_registrant != contact
    assert await token_of(a, "skifter.dk") is None
    # the spent token does nothing, whoever tries
    c, _ = await registry.registrar_client()
    assert (await c.request(frames.domain_transfer("skifter.dk", token))).code == 2202
    r = await a.request(frames.domain_transfer("skifter.dk", token))
    assert (r.code, r.msg.split(";")[0]) == (
        2202, "Supplied authinfo token is not valid for this domain/operation")
    # the registrant is B's contact now: B sees its own data, not a masked e-mail
    r = await b.request(frames.contact_info(new_registrant))
    assert r.text(".//contact:email") == "jens@example.dk"
    assert r.text(".//contact:clID") == b_handle

    # B's token expires unused after 14 days
    assert (await b.request(frames.domain_update("skifter.dk", auth_pw="autotransfer"))
            ).code == 1000
    late, _ = await token_of(b, "skifter.dk")
    registry.clock.advance(timedelta(days=14))
    assert await token_of(b, "skifter.dk") is None
    assert (await a.request(frames.domain_transfer("skifter.dk", late))).code == 2202

    # a fresh one brings the domain back to A
    assert (await b.request(frames.domain_update("skifter.dk", auth_pw="auto"))).code == 1000
    back, _ = await token_of(b, "skifter.dk")
    r = await a.request(frames.domain_transfer("skifter.dk", back))
    assert r.code == 1000, r.msg
    assert (r.text(".//domain:reID"), r.text(".//domain:acID")) == (a_handle, b_handle)
    assert await messages(a) == ["skifter.dk has been added to your portfolio"]
    assert await messages(b) == ["skifter.dk has been removed from your portfolio"]
    r = await b.request(frames.domain_info("skifter.dk"))
    assert r.text(".//domain:clID") == a_handle

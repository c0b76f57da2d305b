"""info domain: public registration data for all, sponsor-only details for the sponsor."""

from __future__ import annotations

from epp.helpers import NS, setup_registrant
from support import frames


async def test_info_by_sponsor_and_by_others(registry) -> None:
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("visible.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    await registry.tick()
    r = await c.request(frames.domain_info("visible.dk"))
    assert r.code == 1000
    assert r.text(".//domain:roid") == "VISIBLE_DK-DK"
    assert r.text(".//domain:registrant") == contact
    assert [h.text for h in r.findall(".//domain:hostObj")] == NS
    assert r.text(".//domain:clID") == handle
    assert r.text(".//domain:exDate").endswith(".0Z")
    assert r.dkhm("autoRenew") == "true"
    assert r.dkhm("registrant_validated") == "1"
    other, _ = await registry.registrar_client()
    r = await other.request(frames.domain_info("visible.dk"))
    assert r.code == 1000
    assert r.text(".//domain:registrant") == contact
    assert r.dkhm("autoRenew") is None  # the sponsor's setting is not public


async def test_info_unknown_and_invalid(registry) -> None:
    c, _ = await registry.registrar_client()
    r = await c.request(frames.domain_info("nothing-here.dk"))
    assert r.code == 2303 and r.msg.startswith("Domain not found")
    r = await c.request(frames.domain_info("not valid.dk"))
    assert r.code == 2303


async def test_info_in_dkhm45_session(registry) -> None:
    c, _ = await registry.registrar_client(dkhm="4.5")
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("ny.dk", contact, NS, dkhm="4.5",
                                                 token=registry.token()))).code == 1001
    r = await c.request(frames.domain_info("ny.dk"))
    assert b"urn:dkhm:params:xml:ns:dkhm-4.5" in r.raw  # validated against the 4.5 set

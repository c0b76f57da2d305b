"""info host over TLS EPP (SPEC-DIGEST §6): host data is public; ``linked`` once a
domain uses the host."""

from __future__ import annotations

from sqlalchemy import text

from support import frames
from support.epp_objects import Agent, unique
from support.ext_value import ext_field

V4 = "193.163.102.58"
V6 = "2a01:4f8:c0c:1234::1"


def statuses(r) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.get("s") for s in r.findall(".//host:status")]


async def test_info_out_of_zone_host(registry) -> None:
    a = await Agent.new(registry)
    await a.host("ns1.example.net")
    r = await a.send(frames.host_info("ns1.example.net"))
    assert r.code == 1000, r.msg
    assert r.text(".//host:name") == "ns1.example.net"
    assert r.text(".//host:roid") == "NS1_EXAMPLE_NET-DK"
    assert statuses(r) == ["ok"]
    assert r.findall(".//host:addr") == []
    assert r.text(".//host:clID") == a.handle
    assert r.text(".//host:crID") == a.handle
    assert r.text(".//host:crDate") == "2026-06-01T10:00:00.0Z"
    assert r.find(".//host:upDate") is None


async def test_info_in_bailiwick_host_shows_addresses(registry) -> None:
    a = await Agent.new(registry)
    domain = f"{unique('glue')}.dk"
    await a.domain(domain)
    await a.host(f"ns1.{domain}", V6, V4)
    r = await a.send(frames.host_info(f"NS1.{domain.upper()}"))
    assert r.code == 1000, r.msg
    assert r.text(".//host:name") == f"ns1.{domain}"
    assert [(e.text, e.get("ip")) for e in r.findall(".//host:addr")] == [
        (V6, "v6"), (V4, "v4")]


async def test_info_shows_linked_once_a_domain_uses_the_host(registry) -> None:
    a = await Agent.new(registry)
    zone = unique("dns")
    ns = [f"ns1.{zone}.net", f"ns2.{zone}.net"]
    for h in ns:
        await a.host(h)
    await a.host(f"ns3.{zone}.net")
    for h in ns:
        assert statuses(await a.send(frames.host_info(h))) == ["ok"]
    await a.domain(f"{unique('linked')}.dk", ns=ns, tick=False)
    for h in ns:
        r = await a.send(frames.host_info(h))
        assert "linked" in statuses(r), statuses(r)
        assert "ok" not in statuses(r)
    assert statuses(await a.send(frames.host_info(f"ns3.{zone}.net"))) == ["ok"]
    await registry.tick()  # still linked once the domain is active
    assert "linked" in statuses(await a.send(frames.host_info(ns[0])))


async def test_info_of_another_registrars_host(registry) -> None:
    """Hosts are public (they are in the DNS); any registrar may read them."""
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    domain = f"{unique('pub')}.dk"
    await a.domain(domain)
    await a.host(f"ns1.{domain}", V4)
    r = await b.send(frames.host_info(f"ns1.{domain}"))
    assert r.code == 1000, r.msg
    assert r.text(".//host:clID") == a.handle
    assert [e.text for e in r.findall(".//host:addr")] == [V4]


async def test_info_unknown_host(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.host_info("ns9.example.net"))
    assert r.code == 2303, r.msg
    assert ext_field(r) == ("host:name", None)


async def test_info_invalid_name_is_not_found_and_says_why(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.host_info("-ns.example.net"))
    assert r.code == 2303, r.msg
    assert ext_field(r) == ("host:name", None) and "hyphen" in r.msg


async def test_info_idn_host_by_u_label(registry) -> None:
    a = await Agent.new(registry)
    label = unique("smørrebrød")
    await a.domain(f"{label}.dk")
    await a.host(f"ns1.{label}.dk", V4)
    r = await a.send(frames.host_info(f"ns1.{label}.dk"))
    assert r.code == 1000, r.msg
    assert r.text(".//host:name").startswith("ns1.xn--")


async def test_administrator_is_named_to_related_registrars_only(registry) -> None:
    """SPEC §Host Info: the NS administrator only for users with a relationship — here the
    sponsor/administrator and the registrar of a live domain using the host."""
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    c = await Agent.new(registry)
    zone = unique("dns")
    ns = [f"ns1.{zone}.net", f"ns2.{zone}.net"]
    for h in ns:
        await a.host(h)
    r = await a.send(frames.host_info(ns[0]))
    assert r.dkhm("contact") == a.handle
    for other in (b, c):
        r = await other.send(frames.host_info(ns[0]))
        assert r.code == 1000, r.msg
        assert r.dkhm("contact") is None
        assert r.find(".//epp:extension") is None
    await b.domain(f"{unique('bruger')}.dk", ns=ns)  # b's domain uses a's hosts
    assert (await b.send(frames.host_info(ns[0]))).dkhm("contact") == a.handle
    assert (await c.send(frames.host_info(ns[0]))).dkhm("contact") is None


async def test_info_in_a_dkhm_45_session_names_the_administrator_in_45(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    await a.host("ns1.example.net")
    r = await a.send(frames.host_info("ns1.example.net"))
    el = r.find(".//dkhm45:contact")
    assert el is not None and el.text == a.handle


async def test_hosts_of_a_domain_being_deleted_show_pending_delete(registry) -> None:
    a = await Agent.new(registry)
    domain = f"{unique('slettes')}.dk"
    await a.domain(domain)
    await a.host(f"ns1.{domain}", V4)
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set statuses = 'pendingDelete redemptionPeriod'"
                                " where name = :n"), {"n": domain})
    r = await a.send(frames.host_info(f"ns1.{domain}"))
    assert statuses(r) == ["pendingDelete", "serverUpdateProhibited"]

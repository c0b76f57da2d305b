"""The name-server check where the registry runs it: before an application is activated
(lifecycle) and at an NS change (update domain), over real EPP sessions, with real name
servers (knotd) — the sandbox's test zones and the production probe on loopback glue."""

from __future__ import annotations

from pathlib import Path

import dns.dnssec
import dns.name
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text

from dkreg.dns import check as check_module
from dkreg.dns import test_zones
from dkreg.dns.knot import KnotServer
from dkreg.model.dnssec import DsRecord
from support import frames
from support.epp_objects import Agent, unique
from support.name_servers import name_servers

NS = ["ns1.hosting.net", "ns2.hosting.net"]


async def _sandbox(registry, knot: KnotServer) -> None:  # type: ignore[no-untyped-def]
    s = registry.settings
    s.ns_check, s.dns_host, s.dns_port = "sandbox", knot.host, knot.port
    s.ns_check_timeout, s.ns_check_budget = 2.0, 5.0
    check_module.clear_cache()


async def _test_zone(registry, knot: KnotServer, name: str, ns: list[str],  # type: ignore[no-untyped-def]
                     keys: tuple[str, ...] = ()) -> None:
    async with registry.db.begin() as conn:
        zone = await test_zones.store(conn, registry.clock.now(), name, ns, keys)
    await test_zones.push(knot, zone)


async def _messages(registry, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.msg for r in await registry.rows(
        "select msg from poll_messages where msg like :n order by id", n=f"%{name}%")]


async def _owner(agent: Agent) -> str:
    """A registrant who passed the ID check, so that a domain is activated outright."""
    return await agent.contact(email=f"{unique('owner')}@example.dk", verified=True,
                               dkhm="4.5")


async def _apply(agent: Agent, name: str, ns: list[str], ext: str = "") -> None:
    registrant = await _owner(agent)
    r = await agent.send(frames.domain_create(name, registrant, ns, token=agent.registry.token(),
                                              extra_ext=ext))
    assert r.code == 1001, r.msg


async def test_create_is_activated_when_two_servers_answer_and_rejected_when_one_is_lame(
        registry, tmp_path: Path) -> None:
    with name_servers(tmp_path, {"127.0.0.1": {}}) as (knot,):
        await _sandbox(registry, knot)
        agent = await Agent.new(registry)
        for h in NS:
            await agent.host(h)
        await _test_zone(registry, knot, "god.dk", NS)
        await _test_zone(registry, knot, "halt.dk", NS[:1])
        balance = await registry.scalar("select balance_ore from registrars where handle = :h",
                                        h=agent.handle)
        await _apply(agent, "god.dk", NS)
        await _apply(agent, "halt.dk", NS)
        report = await registry.tick()
    assert report.done["process_applications"] == 2
    assert await _messages(registry, "god.dk") == ["god.dk has been registered and activated"]
    assert await _messages(registry, "halt.dk") == [
        "The application for halt.dk has been rejected, as its name servers do not answer "
        "for it: 1 of the listed name servers answer for halt.dk, at least 2 must: "
        "ns2.hosting.net is not authoritative for halt.dk: the sandbox's test zone lists "
        "only ns1.hosting.net"]
    states = dict(await registry.rows("select name, state from domains"))
    assert states["god.dk"] == "active" and states["halt.dk"] == "released"
    outcome = await registry.scalar(
        "select a.outcome from applications a join domains d on d.id = a.domain_id "
        "where d.name = 'halt.dk'")
    assert outcome == "ns_check_failed"
    # the rejected one's price is back; the activated one's is not
    after = await registry.scalar("select balance_ore from registrars where handle = :h",
                                  h=agent.handle)
    price = await registry.scalar("select price_ore from applications limit 1")
    assert after == balance - price  # type: ignore[operator]
    checks = await registry.rows(
        "select d.name, c.occasion, c.passed, c.reason, c.mode from domain_dns_checks c "
        "join domains d on d.id = c.domain_id order by d.name")
    assert [tuple(r) for r in checks] == [
        ("god.dk", "create", True, None, "sandbox"),
        ("halt.dk", "create", False, "ns_check_setup", "sandbox")]


async def test_without_test_zones_the_sandbox_just_works(registry, tmp_path: Path) -> None:
    registry.settings.ns_check = "sandbox"
    registry.settings.dns_port = 1  # nothing listens: no test zone means nothing is asked
    agent = await Agent.new(registry)
    await agent.domain("frit.dk", await _owner(agent))
    assert await _messages(registry, "frit.dk") == ["frit.dk has been registered and activated"]


async def _glue_hosts(registry, agent: Agent) -> None:  # type: ignore[no-untyped-def]
    """hosting.dk and its name servers, made while the check is off. EPP takes only public
    glue; the test's name servers are on loopback addresses, so the public addresses
    given are then moved there in the database (the one shortcut: a test has no public
    network of its own)."""
    await agent.domain("hosting.dk", await _owner(agent))
    for i in (1, 2, 3, 4):
        await agent.host(f"ns{i}.hosting.dk", f"193.0.2.{i}")
    async with registry.db.begin() as conn:
        for i in (1, 2, 3, 4):
            await conn.execute(text("update host_addrs set ip = :lo where ip = :pub"),
                               {"lo": f"127.0.0.{i}", "pub": f"193.0.2.{i}"})


def _dns_mode(registry, port: int) -> None:  # type: ignore[no-untyped-def]
    s = registry.settings
    s.ns_check, s.ns_check_port, s.ns_check_allow_private = "dns", port, True
    s.ns_check_timeout, s.ns_check_budget = 1.0, 3.0
    check_module.clear_cache()


async def test_ns_change_is_refused_when_the_new_set_does_not_answer(
        registry, tmp_path: Path) -> None:
    agent = await Agent.new(registry)
    await _glue_hosts(registry, agent)
    zone = test_zones.zone_text("eksempel.dk", ["ns1.hosting.dk", "ns2.hosting.dk"])
    # ns1, ns2 and ns4 serve eksempel.dk; nothing at all listens on ns3's 127.0.0.3
    with name_servers(tmp_path, {"127.0.0.1": {"eksempel.dk": zone},
                                 "127.0.0.2": {"eksempel.dk": zone},
                                 "127.0.0.4": {"eksempel.dk": zone}}) as (k, _, _):
        _dns_mode(registry, k.port)
        await agent.domain("eksempel.dk", await _owner(agent),
                           ns=["ns1.hosting.dk", "ns2.hosting.dk"])
        assert await _messages(registry, "eksempel.dk") == [
            "eksempel.dk has been registered and activated"]
        r = await agent.send(frames.domain_update("eksempel.dk", add_ns=["ns3.hosting.dk"],
                                                  rem_ns=["ns2.hosting.dk"]))
        assert r.code == 2303, r.msg
        assert r.msg.startswith(("Failed to query nameservers. Timed out.",
                                 "Problem with nameserver setup."))
        reason = r.text(".//epp:extValue/epp:reason") or ""
        assert "1 of the listed name servers answer for eksempel.dk, at least 2 must" in reason
        assert reason.count("ns3.hosting.dk") == 1 and "ns1.hosting.dk" not in reason
        # nothing changed
        ns = [row[0] for row in await registry.rows(
            "select h.name from domain_ns n join hosts h on h.id = n.host_id "
            "join domains d on d.id = n.domain_id where d.name = 'eksempel.dk' "
            "order by h.name")]
        assert ns == ["ns1.hosting.dk", "ns2.hosting.dk"]
        # a change to servers that answer goes through, and its check is kept
        r = await agent.send(frames.domain_update("eksempel.dk", add_ns=["ns4.hosting.dk"],
                                                  rem_ns=["ns2.hosting.dk"]))
        assert r.code == 1000, r.msg
    checks = await registry.rows(
        "select c.occasion, c.passed from domain_dns_checks c join domains d "
        "on d.id = c.domain_id where d.name = 'eksempel.dk' order by c.id")
    assert [tuple(c) for c in checks] == [("create", True), ("update", True)]


def _key() -> tuple[str, DsRecord]:
    key = dns.dnssec.make_dnskey(ec.generate_private_key(ec.SECP256R1()).public_key(),
                                 dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257)
    ds = dns.dnssec.make_ds(dns.name.from_text("signeret.dk."), key, "SHA256")
    return key.to_text(), DsRecord(ds.key_tag, ds.algorithm, ds.digest_type,
                                   ds.digest.hex().upper())


async def test_a_ds_whose_key_is_not_served_is_reported_as_keys_unpublished(
        registry, tmp_path: Path) -> None:
    served, _served_ds = _key()
    _other, wrong = _key()
    with name_servers(tmp_path, {"127.0.0.1": {}}) as (knot,):
        await _sandbox(registry, knot)
        agent = await Agent.new(registry)
        for h in NS:
            await agent.host(h)
        await _test_zone(registry, knot, "signeret.dk", NS, (served,))
        ds = frames.ds_data(wrong.key_tag, wrong.alg, wrong.digest_type, wrong.digest)
        await _apply(agent, "signeret.dk", NS, frames.secdns_create([ds]))
        await registry.tick()
    assert await _messages(registry, "signeret.dk") == [
        "signeret.dk has been registered and activated",
        f"The DNSSEC keys of signeret.dk are unpublished: the DS record(s) {wrong} match no "
        "DNSKEY served for signeret.dk"]
    row = (await registry.rows(
        "select c.passed, c.dnssec from domain_dns_checks c join domains d "
        "on d.id = c.domain_id where d.name = 'signeret.dk'"))[0]
    assert tuple(row) == (True, "Unsigned delegation, DNSSEC enabled, keys unpublished")

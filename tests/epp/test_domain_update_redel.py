"""update domain with a REDEL token (SPEC-DIGEST §5.6, §5.7 rev <=5.2, §7).

Registrar A sponsors redel.dk and generates a REDEL token (``autoredel``); the registrant
hands it to registrar B, a DNS operator administering some of the name servers. B may
then change the name servers, and nothing else, once: as NSA of every server it adds or
removes. A is told by poll message, as for any change it did not make itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from epp.helpers import NS, setup_registrant
from epp.update_support import (
    SHA256,
    active_domains,
    client_with_roles,
    create_hosts,
    drain,
    ds_of,
    fingerprint,
    ns_of,
)
from support import frames
from support.eppclient import EppClient

B_NS = ["nsb1.dns-b.net", "nsb2.dns-b.net", "nsb3.dns-b.net"]  # administered by B
DS = frames.secdns_update(add=[frames.ds_data(12345, 13, 2, SHA256)])
INVALID = "Supplied authinfo token is not valid for this domain/operation"
NOT_NSA = "No privilege. You are not NSA for all nameservers (old and new)"
NS_ONLY = "Nameserver changes required when specifying authinfo token"


@dataclass
class World:
    registry: object
    a: EppClient
    b_handle: str
    b_login: str
    b_password: str
    token: str  # A's live REDEL token for redel.dk

    async def b(self) -> EppClient:
        """A fresh session of B: refusals of one kind are counted per session."""
        return await self.registry.client(self.b_login, self.b_password)  # type: ignore[attr-defined]


async def redel_token(registry, name: str) -> str:
    token = await registry.scalar(
        "select t.token from auth_tokens t join domains d on d.id = t.domain_id "
        "where d.uname = :n and t.op = 'redel' and t.retracted_at is null", n=name)
    assert isinstance(token, str)
    return token


async def used_tokens(registry) -> int:
    n = await registry.scalar("select count(*) from auth_tokens where used_at is not null")
    assert isinstance(n, int)
    return n


@pytest.fixture
async def world(registry) -> World:
    """redel.dk and andet.dk (A's) on ns1.example.net (A's) and nsb1 (B's); redel.dk has
    a DS record and a live REDEL token."""
    a, _ = await registry.registrar_client()
    contact = await setup_registrant(a)
    b_handle, b_login, b_password = await registry.new_registrar()
    b = await registry.client(b_login, b_password)
    await create_hosts(b, *B_NS)
    await active_domains(registry, a, contact, "redel.dk", "andet.dk", ns=[NS[0], B_NS[0]])
    assert (await a.request(frames.domain_update("redel.dk", ext=DS))).code == 1000
    r = await a.request(frames.domain_update("redel.dk", auth_pw="autoredel"))
    assert r.code == 1000, r.msg
    await drain(a)
    return World(registry, a, b_handle, b_login, b_password,
                 await redel_token(registry, "redel.dk"))


async def test_the_holder_of_a_redel_token_changes_the_name_servers_once(world) -> None:
    registry, b = world.registry, await world.b()
    r = await b.request(frames.domain_update("redel.dk", rem_ns=B_NS[:1], add_ns=B_NS[1:],
                                             auth_pw=world.token))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert await ns_of(registry, "redel.dk") == [NS[0], *B_NS[1:]]
    assert await ds_of(registry, "redel.dk") == []  # any NS change drops the DS records
    assert await registry.scalar(
        "select updated_by from domains where uname = 'redel.dk'") == world.b_handle
    assert await registry.scalar("select used_at is not null from auth_tokens where "
                                 "token = :t", t=world.token) in (True, 1)
    # A did not make the change: it is told, with the domain as it is now
    messages = await drain(world.a)
    assert [m for m, _ in messages] == [
        "Name servers has been changed for redel.dk, from ns1.example.net, nsb1.dns-b.net "
        "to ns1.example.net, nsb2.dns-b.net, nsb3.dns-b.net",
        "DS records has been changed for redel.dk"]
    for _, reply in messages:
        assert [h.text for h in reply.findall(".//domain:hostObj")] == [NS[0], *B_NS[1:]]
    assert await drain(b) == []
    # single use
    before = await fingerprint(registry, "redel.dk")
    r = await b.request(frames.domain_update("redel.dk", rem_ns=B_NS[1:2], add_ns=B_NS[:1],
                                             auth_pw=world.token))
    assert r.code == 2202
    assert r.msg.startswith(INVALID), r.msg
    assert await fingerprint(registry, "redel.dk") == before


async def test_only_a_live_redel_token_of_this_domain_works(world) -> None:
    registry, a = world.registry, world.a
    assert (await a.request(frames.domain_update("andet.dk", auth_pw="autoredel"))).code == 1000
    assert (await a.request(frames.domain_update("redel.dk", auth_pw="autotransfer"))
            ).code == 1000
    transfer = await registry.scalar(
        "select token from auth_tokens where op = 'transfer' and retracted_at is null")
    assert isinstance(transfer, str)
    other_domain = await redel_token(registry, "andet.dk")
    before = await fingerprint(registry, "redel.dk")
    attempts = [other_domain, transfer, world.token.upper(), "DKHM1-DK-098f6bcd4621d373cade4e"]
    for token in attempts:
        r = await (await world.b()).request(frames.domain_update(
            "redel.dk", rem_ns=B_NS[:1], add_ns=B_NS[1:2], auth_pw=token))
        assert r.code == 2202, token
        assert r.msg.startswith(INVALID), r.msg
    # expired after auth_token_days
    registry.clock.advance(timedelta(days=registry.settings.auth_token_days, seconds=1))
    r = await (await world.b()).request(frames.domain_update(
        "redel.dk", rem_ns=B_NS[:1], add_ns=B_NS[1:2], auth_pw=world.token))
    assert r.code == 2202
    assert r.msg.startswith(INVALID), r.msg
    assert await fingerprint(registry, "redel.dk") == before
    assert await used_tokens(registry) == 0


@pytest.mark.parametrize("extra", ["no name servers", "DS", "autoRenew", "billing"])
async def test_a_token_authorises_a_name_server_change_only(world, extra: str) -> None:
    registry = world.registry
    ns = {"rem_ns": B_NS[:1], "add_ns": B_NS[1:2]}
    kw = {"no name servers": {}, "DS": {"ext": DS, **ns},
          "autoRenew": {"ext": frames.autorenew_ext(False), **ns},
          "billing": {"add_contacts": [("billing", world.b_handle)], **ns}}[extra]
    before = await fingerprint(registry, "redel.dk")
    r = await (await world.b()).request(frames.domain_update("redel.dk", auth_pw=world.token,
                                                             **kw))
    assert r.code == 2306
    assert r.msg.startswith(NS_ONLY), r.msg
    assert await fingerprint(registry, "redel.dk") == before
    assert await used_tokens(registry) == 0


async def test_the_holder_must_be_nsa_of_every_old_and_new_name_server(world) -> None:
    registry = world.registry
    before = await fingerprint(registry, "redel.dk")
    b = await world.b()
    # removing A's ns1.example.net, adding A's ns2.example.net
    for kw in ({"rem_ns": NS[:1], "add_ns": B_NS[1:2]},
               {"rem_ns": B_NS[:1], "add_ns": NS[1:]}):
        r = await b.request(frames.domain_update("redel.dk", auth_pw=world.token, **kw))
        assert r.code == 2004
        assert r.msg.startswith(NOT_NSA), r.msg
        assert "is not the name server administrator of ns" in r.msg, r.msg
    # the NSA meta-role is a privilege of the service user
    no_nsa = await client_with_roles(registry, world.b_handle, "registrar proxy payer")
    r = await no_nsa.request(frames.domain_update("redel.dk", rem_ns=B_NS[:1],
                                                  add_ns=B_NS[1:2], auth_pw=world.token))
    assert r.code == 2201
    assert r.msg.startswith("No privilege.;") and "Name Server Administrator" in r.msg, r.msg
    # nothing happened, and the token was not used up by the failed attempts
    assert await fingerprint(registry, "redel.dk") == before
    assert await used_tokens(registry) == 0
    # B without a token is not the sponsor
    r = await b.request(frames.domain_update("redel.dk", rem_ns=B_NS[:1], add_ns=B_NS[1:2]))
    assert r.code == 2201
    assert "not in the portfolio" in r.msg, r.msg


async def test_the_sponsor_needs_no_token(world) -> None:
    registry, a = world.registry, world.a
    # A changes name servers it does not administer: it is the sponsor
    r = await a.request(frames.domain_update("redel.dk", rem_ns=B_NS[:1], add_ns=NS[1:]))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert await ns_of(registry, "redel.dk") == NS
    assert await used_tokens(registry) == 0
    # presenting the token is allowed, and uses it up
    r = await a.request(frames.domain_update("redel.dk", rem_ns=NS[1:], add_ns=B_NS[2:],
                                             auth_pw=world.token))
    assert r.code == 1000, r.msg
    assert await ns_of(registry, "redel.dk") == [NS[0], B_NS[2]]
    assert await used_tokens(registry) == 1
    assert await drain(a) == []  # its own changes: no poll messages

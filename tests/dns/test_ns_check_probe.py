"""The name-server check against real name servers (the sandbox's Knot DNS, KnotServer,
on loopback addresses): who answers, what the lame ones said, timeouts within the budget,
the SSRF guard, the cache, the sandbox's test zones and DS records whose keys are not
served."""

from __future__ import annotations

import time
from pathlib import Path

import dns.dnssec
import dns.name
import dns.rdata
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from dkreg.config import Settings
from dkreg.dns import check as check_module
from dkreg.dns.check import Server, check_delegation
from dkreg.dns.dnssec_check import KEYS_UNPUBLISHED, SIGNED
from dkreg.dns.test_zones import zone_text
from dkreg.model.dnssec import DsRecord
from support.name_servers import black_hole, name_servers

DOMAIN = "eksempel.dk"


def zone(name: str = DOMAIN, ns: tuple[str, ...] = ("ns1.hosting.dk", "ns2.hosting.dk"),
         keys: tuple[str, ...] = ()) -> str:
    return zone_text(name, ns, keys)


def settings(tmp_path: Path, **kw: object) -> Settings:
    s = Settings(data_dir=tmp_path)
    s.ns_check = "dns"
    s.ns_check_allow_private = True
    s.ns_check_timeout = 2.0
    s.ns_check_budget = 5.0
    s.ns_check_cache_seconds = 0.0
    for k, v in kw.items():
        setattr(s, k, v)
    return s


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    check_module.clear_cache()


def servers(*pairs: tuple[str, str]) -> list[Server]:
    return [Server(name, (addr,)) for name, addr in pairs]


def new_key() -> tuple[str, DsRecord]:
    key = dns.dnssec.make_dnskey(ec.generate_private_key(ec.SECP256R1()).public_key(),
                                 dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257)
    ds = dns.dnssec.make_ds(dns.name.from_text(DOMAIN + "."), key, "SHA256")
    return key.to_text(), DsRecord(ds.key_tag, ds.algorithm, ds.digest_type,
                                   ds.digest.hex().upper())


async def test_two_answering_servers_pass(tmp_path: Path) -> None:
    with name_servers(tmp_path, {"127.0.0.1": {DOMAIN: zone()},
                                 "127.0.0.2": {DOMAIN: zone()}}) as (k, _):
        s = settings(tmp_path, ns_check_port=k.port)
        result = await check_delegation(s, DOMAIN, servers(("ns1.hosting.dk", "127.0.0.1"),
                                                           ("ns2.hosting.dk", "127.0.0.2")))
    assert result.passed and result.reason is None
    assert [a.outcome for a in result.answers] == ["answered", "answered"]
    assert {a.address for a in result.answers} == {"127.0.0.1", "127.0.0.2"}
    assert result.answers[0].serial == 1
    assert result.answers[0].ns == ("ns1.hosting.dk", "ns2.hosting.dk")
    assert result.notes == ()


async def test_a_lame_server_is_named_with_what_it_answered(tmp_path: Path) -> None:
    # 127.0.0.1 serves the zone; 127.0.0.2 is a name server for another zone only
    with name_servers(tmp_path, {"127.0.0.1": {DOMAIN: zone()}, "127.0.0.2": {}},
                      origin={"127.0.0.2": "andet.test"}) as (good, _bad):
        s = settings(tmp_path, ns_check_port=good.port)
        result = await check_delegation(s, DOMAIN, servers(("ns1.hosting.dk", "127.0.0.1"),
                                                           ("ns2.hosting.dk", "127.0.0.2")))
    assert not result.passed
    assert result.reason == "ns_check_setup"
    lame = result.answers[1]
    assert lame.server == "ns2.hosting.dk" and lame.outcome == "refused"
    text = result.summary_en()
    assert "1 of the listed name servers answer for eksempel.dk, at least 2 must" in text
    assert "ns2.hosting.dk answered REFUSED" in text
    assert "ns1.hosting.dk" not in text
    assert "ns2.hosting.dk svarede REFUSED" in result.detail().render("da")


async def test_a_referral_is_not_authoritative(tmp_path: Path) -> None:
    delegation = "eksempel.dk. NS ns1.hosting.dk.\neksempel.dk. NS ns2.hosting.dk.\n"
    with name_servers(tmp_path, {"127.0.0.1": {}}, apex_extra=delegation) as (k,):
        s = settings(tmp_path, ns_check_port=k.port)
        result = await check_delegation(s, DOMAIN, servers(("ns1.hosting.dk", "127.0.0.1"),
                                                           ("ns2.hosting.dk", "127.0.0.1")))
    assert not result.passed
    assert {a.outcome for a in result.answers} == {"not_authoritative"}
    assert ("ns1.hosting.dk is not authoritative for eksempel.dk: it answered with a "
            "referral to ns1.hosting.dk, ns2.hosting.dk") in result.summary_en()


async def test_an_nxdomain_from_the_parent_zone_is_a_wrong_answer(tmp_path: Path) -> None:
    with name_servers(tmp_path, {"127.0.0.1": {}}) as (k,):
        s = settings(tmp_path, ns_check_port=k.port)
        result = await check_delegation(s, DOMAIN, servers(("ns1.hosting.dk", "127.0.0.1"),
                                                           ("ns2.hosting.dk", "127.0.0.1")))
    assert [a.outcome for a in result.answers] == ["wrong_answer", "wrong_answer"]
    assert "(NXDOMAIN)" in result.summary_en()


async def test_a_black_hole_times_out_within_the_budget(tmp_path: Path) -> None:
    with black_hole("127.0.0.1") as port:
        # each query may take 5 s, the whole check only 1 s
        s = settings(tmp_path, ns_check_port=port, ns_check_timeout=5.0, ns_check_budget=1.0)
        started = time.monotonic()
        result = await check_delegation(s, DOMAIN, servers(("ns1.hosting.dk", "127.0.0.1"),
                                                           ("ns2.hosting.dk", "127.0.0.1")))
        elapsed = time.monotonic() - started
    assert elapsed < 2.0, elapsed
    assert [a.outcome for a in result.answers] == ["timeout", "timeout"]
    assert result.reason == "ns_check_timeout"
    assert "had not answered when the check's 1 s were up" in result.summary_en()


async def test_a_query_timeout_is_reported_as_such(tmp_path: Path) -> None:
    with black_hole("127.0.0.1") as port:
        s = settings(tmp_path, ns_check_port=port, ns_check_timeout=0.3)
        result = await check_delegation(s, DOMAIN, servers(("ns1.hosting.dk", "127.0.0.1")))
    assert result.answers[0].outcome == "timeout"
    assert "did not answer within 0.3 s" in result.summary_en()


async def test_private_addresses_are_not_asked_unless_allowed(tmp_path: Path) -> None:
    with black_hole("127.0.0.1") as port:
        s = settings(tmp_path, ns_check_port=port, ns_check_allow_private=False,
                     ns_check_timeout=5.0)
        started = time.monotonic()
        result = await check_delegation(s, DOMAIN, [Server("ns1.hosting.dk", ("127.0.0.1",)),
                                                    Server("ns2.hosting.dk", ("10.0.0.1",
                                                                              "fe80::1"))])
        assert time.monotonic() - started < 1.0  # nothing was sent to the black hole
    assert [a.outcome for a in result.answers] == ["private_address", "private_address"]
    assert result.reason == "ns_check_private"
    assert "non-public addresses (10.0.0.1, fe80::1)" in result.summary_en()


async def test_results_are_cached_for_a_while(tmp_path: Path) -> None:
    now = [1000.0]
    with name_servers(tmp_path, {"127.0.0.1": {DOMAIN: zone()}}) as (k,):
        s = settings(tmp_path, ns_check_port=k.port, ns_check_cache_seconds=60.0)
        ns = servers(("ns1.hosting.dk", "127.0.0.1"), ("ns2.hosting.dk", "127.0.0.1"))
        first = await check_delegation(s, DOMAIN, ns, clock=lambda: now[0])
        assert first.passed and not first.cached
    # the server is gone: within the cache time the answer is the stored one ...
    now[0] += 59
    again = await check_delegation(s, DOMAIN, ns, clock=lambda: now[0])
    assert again.passed and again.cached
    # ... a different question is not served from it, and after the time it is asked anew
    other = await check_delegation(s, "andet.dk", ns, clock=lambda: now[0])
    assert not other.cached and not other.passed
    now[0] += 2
    late = await check_delegation(s, DOMAIN, ns, clock=lambda: now[0])
    assert not late.cached and not late.passed


async def test_a_ds_for_a_key_not_served_is_keys_unpublished(tmp_path: Path) -> None:
    served, served_ds = new_key()
    _other, other_ds = new_key()
    with name_servers(tmp_path, {"127.0.0.1": {DOMAIN: zone(keys=(served,))}}) as (k,):
        s = settings(tmp_path, ns_check_port=k.port)
        ns = servers(("ns1.hosting.dk", "127.0.0.1"), ("ns2.hosting.dk", "127.0.0.1"))
        good = await check_delegation(s, DOMAIN, ns, ds=[served_ds])
        bad = await check_delegation(s, DOMAIN, ns, ds=[other_ds])
        both = await check_delegation(s, DOMAIN, ns, ds=[served_ds, other_ds])
    assert good.dnssec is not None and good.dnssec.whois == SIGNED
    assert not good.dnssec.keys_unpublished
    assert bad.passed  # a DS problem does not fail the name-server rule ...
    assert bad.dnssec is not None and bad.dnssec.whois == KEYS_UNPUBLISHED
    assert bad.dnssec.keys_unpublished and bad.dnssec.unmatched == (str(other_ds),)
    assert bad.dnssec.detail(DOMAIN).render("en") == (
        f"the DS record(s) {other_ds} match no DNSKEY served for eksempel.dk")
    # ... and one good DS among bad ones still reports the bad one
    assert both.dnssec is not None and both.dnssec.whois == SIGNED
    assert both.dnssec.unmatched == (str(other_ds),)


async def test_sandbox_test_zone_decides_who_answers(tmp_path: Path) -> None:
    with name_servers(tmp_path, {"127.0.0.1": {DOMAIN: zone(ns=("ns1.hosting.dk",))}}) as (k,):
        s = settings(tmp_path, ns_check="sandbox", dns_host="127.0.0.1", dns_port=k.port)
        ns = [Server("ns1.hosting.dk"), Server("ns2.hosting.dk")]
        result = await check_delegation(s, DOMAIN, ns, test_zone="v1")
    assert result.mode == "sandbox"
    assert [a.outcome for a in result.answers] == ["answered", "not_authoritative"]
    assert ("ns2.hosting.dk is not authoritative for eksempel.dk: the sandbox's test zone "
            "lists only ns1.hosting.dk") in result.summary_en()


async def test_sandbox_without_a_test_zone_answers_or_is_lame_by_setting(
        tmp_path: Path) -> None:
    ns = [Server("ns1.hosting.dk"), Server("ns2.hosting.dk")]
    s = settings(tmp_path, ns_check="sandbox", dns_port=1)  # nothing is asked
    assert (await check_delegation(s, DOMAIN, ns)).passed
    s.ns_check_sandbox_default = "lame"
    lame = await check_delegation(s, DOMAIN, ns)
    assert not lame.passed
    assert "the sandbox holds no test zone for it" in lame.summary_en()

"""Glue address rules (dkreg.model.addresses)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkreg.errors import EppError
from dkreg.model.addresses import (
    NON_PUBLIC_V4,
    NON_PUBLIC_V6,
    address_family,
    non_public_reason,
    parse_ip,
    require_public,
)


def _syntax_error(text: str, version: str | None) -> EppError:
    with pytest.raises(EppError) as info:
        parse_ip(text, version, "host:addr", 2)
    error = info.value
    assert (error.code, error.reason, error.field, error.position) == (
        2005, "value_syntax", "host:addr", 2)
    assert error.detail
    return error


def _not_public(ip: str) -> EppError:
    with pytest.raises(EppError) as info:
        require_public(ip, field="host:addr", position=1)
    error = info.value
    assert (error.code, error.reason, error.field, error.position) == (
        2004, "host_ip_not_public", "host:addr", 1)
    assert error.detail
    return error


@pytest.mark.parametrize(
    ("text", "version", "expected"),
    [
        ("192.0.2.1", "v4", "192.0.2.1"),
        ("192.0.2.1", None, "192.0.2.1"),  # ip attribute omitted means v4
        (" 8.8.8.8 ", "v4", "8.8.8.8"),
        ("2001:DB8:0:0:0:0:0:1", "v6", "2001:db8::1"),
        ("2a00:1450:4001:0829:0000:0000:0000:200e", "v6", "2a00:1450:4001:829::200e"),
        ("2001:db8::1", " v6 ", "2001:db8::1"),
    ],
)
def test_parse_ip_normalises(text: str, version: str | None, expected: str) -> None:
    assert parse_ip(text, version, "host:addr", 0) == expected


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("2001:db8::1", "v4"),
        ("2001:db8::1", None),  # default v4 does not fit an IPv6 address
        ("192.0.2.1", "v6"),
        ("192.0.2.1", "v5"),
        ("192.0.2.1", "V4"),
        ("192.0.2.1", ""),
        ("", "v4"),
        ("   ", "v4"),
        ("256.1.1.1", "v4"),
        ("1.2.3", "v4"),
        ("01.2.3.4", "v4"),  # leading zeros are ambiguous (octal)
        ("1.2.3.4/24", "v4"),
        ("example.dk", "v4"),
        ("fe80::1%eth0", "v6"),
        ("2001:db8::g", "v6"),
        ("2001:db8:::1", "v6"),
    ],
)
def test_parse_ip_rejects(text: str, version: str | None) -> None:
    _syntax_error(text, version)


def test_mismatch_detail_mentions_default() -> None:
    assert "default" in (_syntax_error("2001:db8::1", None).detail or "")


def test_address_family() -> None:
    assert address_family("192.0.2.1") == "v4"
    assert address_family("2001:db8::1") == "v6"


@pytest.mark.parametrize(
    "ip",
    [
        "8.8.8.8",
        "1.1.1.1",
        "185.206.172.10",
        "193.163.102.58",
        "2a00:1450:4001:829::200e",
        "2001:678:4::1",  # in 2001:600::/23, outside the IETF 2001::/23 block
        "2606:4700:4700::1111",
    ],
)
def test_public_addresses_pass(ip: str) -> None:
    require_public(ip)
    assert non_public_reason(ip) is None


@pytest.mark.parametrize(
    "ip",
    [
        "0.0.0.0",
        "0.1.2.3",
        "10.0.0.1",
        "100.64.0.1",
        "100.127.255.254",
        "127.0.0.1",
        "169.254.1.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.0.0.9",
        "192.0.2.1",
        "192.88.99.1",
        "192.168.1.1",
        "198.18.0.1",
        "198.19.255.255",
        "198.51.100.7",
        "203.0.113.200",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "64:ff9b:1::1",
        "100::1",
        "2001::1",
        "2001:2::1",
        "2001:db8::1",
        "2001:db8:ffff::1",
        "2002:c000:0201::1",
        "3fff::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "4000::1",  # outside 2000::/3
        "::8.8.8.8",  # deprecated IPv4-compatible
    ],
)
def test_non_public_addresses_refused(ip: str) -> None:
    _not_public(ip)


def test_detail_names_the_range() -> None:
    assert "RFC 1918" in (_not_public("10.1.2.3").detail or "")
    assert "documentation" in (_not_public("2001:db8::1").detail or "")
    assert "carrier-grade" in (_not_public("100.64.0.1").detail or "")


def test_require_public_defaults() -> None:
    with pytest.raises(EppError) as info:
        require_public("127.0.0.1")
    assert (info.value.code, info.value.reason, info.value.field) == (
        2004, "host_ip_not_public", "host:addr")


def test_require_public_on_junk_is_a_syntax_error() -> None:
    with pytest.raises(EppError) as info:
        require_public("not-an-ip")
    assert (info.value.code, info.value.reason) == (2005, "value_syntax")


def test_every_listed_network_is_refused_at_both_ends() -> None:
    for net, _why in (*NON_PUBLIC_V4, *NON_PUBLIC_V6):
        _not_public(str(net.network_address))
        _not_public(str(net.broadcast_address))


@given(st.ip_addresses())
def test_round_trip_and_classification(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    version = "v4" if addr.version == 4 else "v6"
    text = parse_ip(addr.exploded.upper(), version, "host:addr", 0)
    assert ipaddress.ip_address(text) == addr
    assert parse_ip(text, version, "host:addr", 0) == text
    reason = non_public_reason(text)
    if reason is None:
        assert addr.is_global
        require_public(text)
    else:
        _not_public(text)


@given(st.text(max_size=60), st.sampled_from([None, "v4", "v6", "x"]))
def test_arbitrary_text_never_crashes(text: str, version: str | None) -> None:
    try:
        parse_ip(text, version, "host:addr", 0)
    except EppError as error:
        assert (error.code, error.reason) == (2005, "value_syntax")

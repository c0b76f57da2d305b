"""The public lookups' rate limit: per /24 and /48, connections, allow-list."""

from __future__ import annotations

import pytest

from dkreg.public.rate_limit import RateLimit, parse_networks


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_one_request_a_second_per_ipv4_slash_24() -> None:
    clock = Clock()
    limit = RateLimit(rate=1.0, burst=1.0, clock=clock)
    assert limit.request("192.0.2.10") == 0.0
    wait = limit.request("192.0.2.99")  # same /24
    assert wait == pytest.approx(1.0)
    assert limit.request("192.0.3.1") == 0.0  # another /24
    clock.t += 0.5
    assert limit.request("192.0.2.10") == pytest.approx(0.5)
    clock.t += 0.5
    assert limit.request("192.0.2.10") == 0.0


def test_ipv6_counts_per_slash_48_and_mapped_v4_as_v4() -> None:
    clock = Clock()
    limit = RateLimit(clock=clock)
    assert limit.request("2001:db8:1:2::1") == 0.0
    assert limit.request("2001:db8:1:ffff::9") > 0  # same /48
    assert limit.request("2001:db8:2::1") == 0.0
    assert limit.request("::ffff:198.51.100.7") == 0.0
    assert limit.request("198.51.100.200") > 0  # the same /24 as the mapped address


def test_one_connection_per_network_until_it_closes() -> None:
    limit = RateLimit(max_connections=1, clock=Clock())
    assert limit.connect("192.0.2.1")
    assert not limit.connect("192.0.2.2")
    limit.disconnect("192.0.2.1")
    assert limit.connect("192.0.2.2")


def test_the_allow_list_and_off_switches() -> None:
    limit = RateLimit(allow=parse_networks("127.0.0.0/8, ::1"), clock=Clock())
    for _ in range(10):
        assert limit.request("127.0.0.1") == 0.0
        assert limit.connect("::1")
    off = RateLimit(rate=0, max_connections=0, clock=Clock())
    for _ in range(10):
        assert off.request("192.0.2.1") == 0.0
        assert off.connect("192.0.2.1")


def test_a_bad_allow_list_entry_is_named() -> None:
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        parse_networks("10.0.0.0/8 10.0.0.300")


def test_idle_buckets_are_forgotten() -> None:
    clock = Clock()
    limit = RateLimit(clock=clock)
    for i in range(100):
        limit.request(f"10.{i}.0.1")
    clock.t += 120
    limit.request("10.200.0.1")
    assert len(limit._buckets) == 1

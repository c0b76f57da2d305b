"""The pure DS record rules (.dk: dsData only, algorithms and digest types it publishes)."""

from __future__ import annotations

import pytest

from dkreg.errors import EppError
from dkreg.model.dnssec import (
    ALGORITHMS,
    DsRecord,
    check_count,
    check_distinct,
    parse_ds,
)

SHA1 = "2bb183af5f22588179a53b0a98631fad1a292118"
SHA256 = "e2d3c916f6deeac73294e8268fb5885044a833fc5459588f4a9184cfc41a5766"
SHA384 = SHA256 + "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(("dtype", "digest"), [(1, SHA1), (2, SHA256), (4, SHA384)])
def test_each_digest_type_with_its_length(dtype: int, digest: str) -> None:
    rec = parse_ds(" 12345 ", "13", str(dtype), f"  {digest}\n")
    assert rec == DsRecord(12345, 13, dtype, digest.upper())


@pytest.mark.parametrize("alg", sorted(ALGORITHMS))
def test_every_published_algorithm(alg: int) -> None:
    assert parse_ds("0", str(alg), "2", SHA256).alg == alg


def test_key_tag_limits() -> None:
    assert parse_ds("65535", "8", "2", SHA256).key_tag == 65535
    with pytest.raises(EppError) as e:
        parse_ds("65536", "8", "2", SHA256, position=3)
    assert (e.value.code, e.value.field, e.value.position) == (2004, "secDNS:keyTag", 3)


@pytest.mark.parametrize(("args", "code", "field"), [
    (("-1", "8", "2", SHA256), 2005, "secDNS:keyTag"),
    (("x1", "8", "2", SHA256), 2005, "secDNS:keyTag"),
    (("1", "1", "2", SHA256), 2004, "secDNS:alg"),
    (("1", "12", "2", SHA256), 2004, "secDNS:alg"),
    (("1", "300", "2", SHA256), 2004, "secDNS:alg"),
    (("1", "", "2", SHA256), 2005, "secDNS:alg"),
    (("1", "8", "3", SHA256), 2004, "secDNS:digestType"),
    (("1", "8", "2", SHA256[:-1] + "g"), 2005, "secDNS:digest"),
    (("1", "8", "2", ""), 2005, "secDNS:digest"),
])
def test_values_outside_the_rules(args: tuple, code: int, field: str) -> None:
    with pytest.raises(EppError) as e:
        parse_ds(*args)
    assert (e.value.code, e.value.field) == (code, field)


@pytest.mark.parametrize(("dtype", "digest"), [(2, SHA1), (1, SHA256), (4, SHA256),
                                                (2, SHA256 + "00")])
def test_a_digest_of_the_wrong_length_is_bad_digest_length(dtype: int, digest: str) -> None:
    with pytest.raises(EppError) as e:
        parse_ds("1", "8", str(dtype), digest)
    assert (e.value.code, e.value.reason) == (2004, "ds_bad_digest_length")
    assert e.value.message().startswith("Bad digest length; ")
    assert f"has {len(digest)}" in e.value.message()


def test_the_same_record_twice_in_one_list() -> None:
    a = parse_ds("1", "8", "2", SHA256)
    b = parse_ds("1", "8", "2", SHA256.upper())  # case does not make it another record
    check_distinct([a, parse_ds("2", "8", "2", SHA256)], "secDNS:add/dsData")
    with pytest.raises(EppError) as e:
        check_distinct([a, b], "secDNS:add/dsData")
    assert (e.value.code, e.value.position) == (2306, 2)
    assert e.value.message().startswith("Parameter error. the same DS record is listed twice")


def test_count_limit() -> None:
    check_count(8, 8)
    with pytest.raises(EppError) as e:
        check_count(9, 8)
    assert e.value.code == 2308
    assert "at most 8 DS records" in e.value.message()

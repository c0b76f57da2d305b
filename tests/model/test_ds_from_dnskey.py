"""A DS record computed from a pasted DNSKEY (model/ds_from_dnskey.py), checked against the
published DNSKEY/DS pairs of the RFCs, and every problem with the pasted text named."""

from __future__ import annotations

import pytest

from dkreg.model.dnssec import ALGORITHM_NAMES, ALGORITHMS, DIGEST_HEX_LENGTH, DIGEST_NAMES
from dkreg.model.ds_from_dnskey import DnskeyProblem, ds_from_dnskey

# RFC 4509 §2.3 (RSA/SHA-1, the SHA-256 DS of RFC 4034 §5.4's key)
RFC4509_KEY = """dskey.example.com. 86400 IN DNSKEY 256 3 5 ( AQOeiiR0GOMYkDshWoSKz9Xz
                                             fwJr1AYtsmx3TGkJaNXVbfi/
                                             2pHm822aJ5iI9BMzNXxeYCmZ
                                             DRD99WYwYqUSdjMmmAphXdvx
                                             egXd/M5+X7OrzKBaMbCVdFLU
                                             Uh6DhweJBjEVv5f2wwjM9Xzc
                                             nOf+EPbtG9DMBmADjFDc2w/r
                                             ljwvFw==
                                             ) ;  key id = 60485"""
RFC4509_DS = (60485, 5, 2, "D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A")
# RFC 6605 §6.1 (ECDSA P-256, SHA-256) and §6.2 (ECDSA P-384, SHA-384)
P256_KEY = ("257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb"
            "krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==")
P256_DS = (55648, 13, 2, "B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17")
P384_KEY = """example.net. 3600 IN DNSKEY 257 3 14 (
        xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1
        w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8
        /uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40 )"""
P384_DS = (10771, 14, 4, "72D7B62976CE06438E9C0BF319013CF801F09ECC84B8D7E9495F27E305C6A9B0"
                         "563A9B5F4D288405C3008A946DF983D6")
# RFC 8080 §6.1 (Ed25519, SHA-256)
ED25519_KEY = "example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4="
ED25519_DS = (3613, 15, 2, "3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B")


def as_tuple(text: str, name: str, digest_type: int = 2) -> tuple[int, int, int, str]:
    ds = ds_from_dnskey(text, name, digest_type)
    return (ds.key_tag, ds.alg, ds.digest_type, ds.digest)


@pytest.mark.parametrize(("text", "name", "dtype", "want"), [
    (RFC4509_KEY, "dskey.example.com", 2, RFC4509_DS),
    (P256_KEY, "example.net", 2, P256_DS),
    ("example.net. 3600 IN DNSKEY " + P256_KEY, "example.net", 2, P256_DS),
    (P384_KEY, "example.net", 4, P384_DS),
    (ED25519_KEY, "example.com", 2, ED25519_DS),
])
def test_the_published_pairs(text: str, name: str, dtype: int,
                             want: tuple[int, int, int, str]) -> None:
    assert as_tuple(text, name, dtype) == want


def test_the_digest_covers_the_domains_name() -> None:
    """The same key under another name has another digest (and the same key tag)."""
    tag, alg, dtype, digest = as_tuple(P256_KEY, "eksempel.dk")
    assert (tag, alg, dtype) == P256_DS[:3] and digest != P256_DS[3]
    assert len(digest) == DIGEST_HEX_LENGTH[2]


@pytest.mark.parametrize("owner", ["example.net.", "EXAMPLE.NET", "@"])
def test_an_owner_that_is_the_domain(owner: str) -> None:
    assert as_tuple(f"{owner} IN 3600 DNSKEY {P256_KEY}", "example.net") == P256_DS


def test_an_idn_owner_matches_its_a_label() -> None:
    ds = ds_from_dnskey(f"blåbær.dk. 3600 IN DNSKEY {P256_KEY}", "xn--blbr-roah.dk")
    assert ds.key_tag == P256_DS[0]


def problem(text: str, name: str = "example.net") -> tuple[str, dict[str, object]]:
    with pytest.raises(DnskeyProblem) as caught:
        ds_from_dnskey(text, name)
    return caught.value.problem, caught.value.facts


def test_each_problem_is_named() -> None:
    assert problem("  \n ; only a comment") == ("empty", {})
    assert problem(f"other.dk. IN DNSKEY {P256_KEY}") == (
        "owner", {"owner": "other.dk", "domain": "example.net"})
    assert problem("example.net. 3600 IN DS 55648 13 2 B4C8C1FE") == ("not_dnskey",
                                                                    {"type": "DS"})
    assert problem("257 3 13") == ("fields", {"count": 3})
    assert problem("x y z w") == ("flags", {"value": "x"})
    assert problem(P256_KEY.replace("257", "1", 1)) == ("flags", {"value": "1"})
    assert problem(P256_KEY.replace("257", "385", 1)) == ("revoked", {"value": "385"})
    assert problem(P256_KEY.replace(" 3 ", " 4 ", 1)) == ("protocol", {"value": "4"})
    assert problem(P256_KEY.replace(" 13 ", " 12 ", 1))[0] == "algorithm"
    assert problem(P256_KEY + "!!") == ("key", {})
    # the second line of a two-line key lost in copying
    assert problem(P256_KEY[:53]) == (
        "key_length", {"length": 33, "want": 64, "algorithm": "ECDSA P-256/SHA-256"})
    assert problem(f"one two {P256_KEY.replace(' ', ' DNSKEY ', 1)}")[0] == "syntax"


def test_only_sha256_and_sha384_are_computed() -> None:
    with pytest.raises(ValueError, match="digest type 1"):
        ds_from_dnskey(P256_KEY, "example.net", 1)


def test_every_accepted_number_has_its_name() -> None:
    assert set(ALGORITHM_NAMES) == ALGORITHMS
    assert set(DIGEST_NAMES) == set(DIGEST_HEX_LENGTH)

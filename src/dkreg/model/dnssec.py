"""DS records: the pure rules of the .dk DNSSEC interface (secDNS-1.1, dsData only).

The registry publishes DS records in the .dk zone and never sees the DNSKEY, so the only
things it can check are the values themselves: a key tag fits 16 bits, the algorithm and
digest type are ones .dk publishes (SPEC-DIGEST §6), and the digest is hex of exactly the
length its digest type produces. A wrong length is the classic copy-paste mistake (a
SHA-1 digest sent as SHA-256), which is why it has its own text, "Bad digest length".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dkreg.details import Detail
from dkreg.errors import err

# DNSSEC algorithm numbers .dk accepts (RSA/SHA-1 variants through Ed448)
ALGORITHMS = frozenset({3, 5, 6, 7, 8, 10, 13, 14, 15, 16})
# digest type -> hex characters: SHA-1, SHA-256, SHA-384
DIGEST_HEX_LENGTH = {1: 40, 2: 64, 4: 96}
# the IANA names of those numbers, for forms that offer them as named choices
# (DNS Security Algorithm Numbers; DS RR Type Digest Algorithms)
ALGORITHM_NAMES = {3: "DSA/SHA-1", 5: "RSA/SHA-1", 6: "DSA-NSEC3-SHA1",
                   7: "RSA/SHA-1-NSEC3", 8: "RSA/SHA-256", 10: "RSA/SHA-512",
                   13: "ECDSA P-256/SHA-256", 14: "ECDSA P-384/SHA-384", 15: "Ed25519",
                   16: "Ed448"}
DIGEST_NAMES = {1: "SHA-1", 2: "SHA-256", 4: "SHA-384"}
# still published but advised against for new keys (RFC 8624 §3.1, §3.3: DSA and RSA/SHA-1
# MUST NOT or NOT RECOMMENDED for signing, RSA/SHA-512 NOT RECOMMENDED; SHA-1 DS MUST NOT)
DEPRECATED_ALGORITHMS = frozenset({3, 5, 6, 7, 10})
DEPRECATED_DIGESTS = frozenset({1})

# keyTag, alg, digestType, digest as the client sent them (secDNS:dsData)
DsInput = tuple[str, str, str, str]

_HEX = re.compile(r"[0-9A-Fa-f]+")
_INT = re.compile(r"[0-9]+")


@dataclass(frozen=True, order=True)
class DsRecord:
    key_tag: int
    alg: int
    digest_type: int
    digest: str  # upper-case hex, so that equality is the registry's notion of "same DS"

    def __str__(self) -> str:
        return f"{self.key_tag} {self.alg} {self.digest_type} {self.digest}"


def _number(raw: str, name: str, position: int | None, lo: int, hi: int) -> int:
    value = raw.strip()
    if not _INT.fullmatch(value):
        raise err(2005, "value_syntax", field=f"secDNS:{name}", position=position,
                  detail=Detail("must_whole_number_not", name=name, value=value))
    number = int(value)
    if not lo <= number <= hi:
        raise err(2004, "value_range", field=f"secDNS:{name}", position=position,
                  detail=Detail("must_not", name=name, lo=lo, hi=hi, number=number))
    return number


def parse_ds(key_tag: str, alg: str, digest_type: str, digest: str,
             position: int | None = None) -> DsRecord:
    """One ``secDNS:dsData`` checked against the .dk rules; the digest is upper-cased."""
    tag = _number(key_tag, "keyTag", position, 0, 65535)
    algorithm = _number(alg, "alg", position, 0, 255)
    if algorithm not in ALGORITHMS:
        raise err(2004, "value_range", field="secDNS:alg", position=position,
                  detail=Detail("algorithm_not_published_dk_use", algorithm=algorithm,
                                str=', '.join(map(str, sorted(ALGORITHMS)))))
    dtype = _number(digest_type, "digestType", position, 0, 255)
    if dtype not in DIGEST_HEX_LENGTH:
        raise err(2004, "value_range", field="secDNS:digestType", position=position,
                  detail=Detail("digest_type_not_published_dk", dtype=dtype))
    hexdigits = digest.strip()
    if not _HEX.fullmatch(hexdigits):
        raise err(2005, "value_syntax", field="secDNS:digest", position=position,
                  detail=Detail("digest_must_hexadecimal_digits_only"))
    want = DIGEST_HEX_LENGTH[dtype]
    if len(hexdigits) != want:
        raise err(2004, "ds_bad_digest_length", field="secDNS:digest", position=position,
                  detail=Detail("digest_type_has_hex_digits", dtype=dtype, want=want,
                                n_hexdigits=len(hexdigits)))
    return DsRecord(tag, algorithm, dtype, hexdigits.upper())


def check_offered(*, max_sig_life: bool, key_data: bool) -> None:
    """What secDNS-1.1 has and .dk does not offer, refused before any value is judged:
    the registry publishes DS records only, so it neither signs with a client-chosen
    signature lifetime nor takes DNSKEYs to derive DS records from. The same on create
    and on update."""
    if max_sig_life:
        raise err(2307, "update_max_sig_life", field="secDNS:maxSigLife",
                  detail=Detail("registry_does_not_sign_dk"))
    if key_data:
        raise err(2306, "ds_parameter", "only dsData is supported", field="secDNS:keyData",
                  detail=Detail("send_ds_records_secdns_dsdata"))


def parse_list(raw: list[DsInput], field: str) -> list[DsRecord]:
    """A list of ``secDNS:dsData`` as sent, each checked, none twice (``field`` names the
    list in the duplicate's error)."""
    records = [parse_ds(*values, position=i) for i, values in enumerate(raw, 1)]
    check_distinct(records, field)
    return records


def check_distinct(records: list[DsRecord], field: str) -> None:
    """The same DS twice in one list is a client mistake, not something to merge silently."""
    for i, rec in enumerate(records):
        if rec in records[:i]:
            raise err(2306, "ds_parameter", "the same DS record is listed twice",
                      field=field, position=i + 1,
                      detail=Detail("ds_record_listed_twice", rec=rec))


def check_count(count: int, max_ds: int, field: str = "secDNS:add",
                result: Detail | None = None) -> None:
    """A delegation with dozens of DS records is an error, not a key rollover."""
    if count > max_ds:
        raise err(2308, "ds_too_many", field=field,
                  detail=Detail("domain_may_have_at_most", max_ds=max_ds,
                                result=result or Detail("ds_count_update_leaves"),
                                count=count))

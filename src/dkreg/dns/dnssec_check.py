"""DNSSEC in the name-server check: does each DS the registry holds match a DNSKEY the
domain's name servers serve?

.dk takes DS records only, so a registrar can register a DS for a key its name servers
never published (a key rolled away, a digest of the wrong key, a signer not switched on).
Such a DS is not dropped silently: it is reported to the registrar (poll, portal) and the
domain's DNSSEC state reads as the registry's WHOIS ``DNSSEC`` field names it
(reference/dkhm/OTHER-SERVICES.md, DAS/WHOIS output fields):

- ``Signed delegation``: at least one DS matches a DNSKEY served;
- ``Unsigned delegation, DNSSEC enabled, keys unpublished``: DS records, none of which
  matches a DNSKEY served;
- ``Unknown status``: no server gave its DNSKEY set (none answered).

A DS matches when its key tag, algorithm and digest equal those computed (RFC 4034 §5.1.4)
from a served DNSKEY with the zone-key bit, for the domain's own name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import dns.dnssec
import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype

from dkreg.details import Detail
from dkreg.dns.probe import ServerAnswer
from dkreg.model.dnssec import DsRecord

SIGNED = "Signed delegation"
KEYS_UNPUBLISHED = "Unsigned delegation, DNSSEC enabled, keys unpublished"
UNKNOWN = "Unknown status"
ZONE_KEY = 0x0100


@dataclass(frozen=True)
class DnssecResult:
    whois: str  # the WHOIS DNSSEC field's wording
    matched: tuple[str, ...]  # DS records (presentation form) that match a served key
    unmatched: tuple[str, ...]  # those that match none: reported to the registrar
    keys_seen: int  # distinct DNSKEYs served

    @property
    def keys_unpublished(self) -> bool:
        return bool(self.unmatched) and self.whois != UNKNOWN

    def detail(self, domain: str) -> Detail:
        return Detail("ds_unmatched", ds=", ".join(self.unmatched), domain=domain)

    def as_json(self) -> dict[str, Any]:
        return {"whois": self.whois, "matched": list(self.matched),
                "unmatched": list(self.unmatched), "keys_seen": self.keys_seen}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DnssecResult:
        return cls(whois=data["whois"], matched=tuple(data["matched"]),
                   unmatched=tuple(data["unmatched"]), keys_seen=int(data["keys_seen"]))


def _ds_of(domain: dns.name.Name, key_text: str, digest_type: int) -> tuple[int, int, str] | None:
    try:
        key = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY, key_text)
        if not key.flags & ZONE_KEY:  # type: ignore[attr-defined]
            return None
        # validating=True: SHA-1 digests may still be checked, only not made (dnspython's
        # policy for new DS records)
        ds = dns.dnssec.make_ds(domain, key, dns.dnssec.DSDigest(digest_type), validating=True)
    except (dns.exception.DNSException, ValueError, TypeError):
        return None
    return ds.key_tag, ds.algorithm, ds.digest.hex().upper()


def judge_dnssec(domain: str, ds: Sequence[DsRecord],
                 answers: Sequence[ServerAnswer]) -> DnssecResult:
    keys = sorted({k for a in answers if a.answered for k in a.dnskeys})
    answered = any(a.answered for a in answers)
    name = dns.name.from_text(domain.rstrip(".") + ".")
    matched: list[str] = []
    unmatched: list[str] = []
    for d in ds:
        served = {_ds_of(name, k, d.digest_type) for k in keys}
        (matched if (d.key_tag, d.alg, d.digest.upper()) in served else unmatched).append(str(d))
    if not answered:
        whois = UNKNOWN
    elif matched:
        whois = SIGNED
    else:
        whois = KEYS_UNPUBLISHED
    return DnssecResult(whois, tuple(matched), tuple(unmatched), len(keys))

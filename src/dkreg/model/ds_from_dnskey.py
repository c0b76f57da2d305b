"""A DS record computed from a pasted DNSKEY record, for registrars who have the key.

.dk takes DS records only (``dsData``; the registry never sees a DNSKEY), but what a DNS
operator has at hand is the key: ``dig DNSKEY example.dk`` or the ``K*.key`` file of a
signer. Copying the four DS values out of a separate tool is where digests of the wrong
key, or of the right key under the wrong name, come from. So the portal computes the DS
itself (RFC 4034 §5.1.4: the digest over the owner name in wire form and the DNSKEY
RDATA) with dnspython, for the domain's own name, and hands the result to the same
update action an EPP ``secDNS:add`` reaches.

The pasted text is judged before any digest is made, each problem named: a DS record
pasted by mistake, a key for another name, flags without the zone-key bit or with the
REVOKE bit, a protocol other than 3, an algorithm .dk does not publish, a public key that
is not base64 or has the wrong length for its algorithm (a line lost in copying).
"""

from __future__ import annotations

import binascii
import re
from typing import Any

import dns.dnssec
import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype

from dkreg.errors import EppError
from dkreg.model.dnssec import ALGORITHM_NAMES, ALGORITHMS, DsRecord
from dkreg.model.names import parse_domain_name

# digest types a DS can be computed with here (SHA-1 is refused by dnspython's policy and
# by every current recommendation, RFC 8624 §3.3)
DIGESTS = {2: "SHA256", 4: "SHA384"}
# public key length in bytes for algorithms whose keys have one fixed size
# (RFC 6605 §4: P-256 64, P-384 96; RFC 8080 §3: Ed25519 32, Ed448 57)
KEY_BYTES = {13: 64, 14: 96, 15: 32, 16: 57}

ZONE_KEY = 0x0100  # DNSKEY flags bit 7 (RFC 4034 §2.1.1)
REVOKE = 0x0080    # RFC 5011 §3
RECORD_TYPES = ("DNSKEY", "CDNSKEY")
OTHER_TYPES = ("DS", "CDS", "RRSIG", "NSEC", "NSEC3", "SOA", "NS", "A", "AAAA", "TXT")
_TTL = re.compile(r"[0-9]+[smhdwSMHDW]?")
_CLASSES = ("IN", "CH", "HS")


class DnskeyProblem(ValueError):
    """What is wrong with the pasted text: ``problem`` names the case (the web words it in
    the reader's language) and ``facts`` carries the values the words need."""

    def __init__(self, problem: str, **facts: Any) -> None:
        super().__init__(problem, facts)
        self.problem, self.facts = problem, facts


def _tokens(text: str) -> list[str]:
    """Presentation format as one line: comments dropped, parentheses of a multi-line
    record removed (neither occurs in base64)."""
    lines = (line.split(";", 1)[0] for line in text.splitlines())
    return " ".join(lines).replace("(", " ").replace(")", " ").split()


def _split(tokens: list[str]) -> tuple[str | None, list[str]]:
    """(owner name or None, the RDATA fields) of a whole record or of the RDATA alone."""
    upper = [t.upper() for t in tokens]
    at = next((i for i, t in enumerate(upper[:5]) if t in RECORD_TYPES), None)
    if at is None:
        other = next((t for t in upper[:5] if t in OTHER_TYPES), None)
        if other is not None:
            raise DnskeyProblem("not_dnskey", type=other)
        return None, tokens
    prefix = [t for t in tokens[:at] if t.upper() not in _CLASSES and not _TTL.fullmatch(t)]
    if len(prefix) > 1:
        raise DnskeyProblem("syntax")
    return (prefix[0] if prefix else None), tokens[at + 1:]


def _same_name(owner: str, alabel: str) -> bool:
    name = owner.rstrip(".").lower()
    if name in ("@", alabel):
        return True
    if name.isascii():
        return False
    try:
        return parse_domain_name(name).alabel == alabel
    except EppError:
        return False


def _number(raw: str, problem: str) -> int:
    if not raw.isdigit() or int(raw) > 65535:
        raise DnskeyProblem(problem, value=raw)
    return int(raw)


def ds_from_dnskey(text: str, alabel: str, digest_type: int = 2) -> DsRecord:
    """The DS record for the DNSKEY in ``text`` (a whole record or its RDATA), computed
    for the domain ``alabel`` with ``digest_type`` (2 SHA-256 or 4 SHA-384); raises
    :class:`DnskeyProblem` naming what is wrong with the text."""
    if digest_type not in DIGESTS:
        raise ValueError(f"digest type {digest_type} cannot be computed here")
    tokens = _tokens(text)
    if not tokens:
        raise DnskeyProblem("empty")
    owner, rdata = _split(tokens)
    if owner is not None and not _same_name(owner, alabel):
        raise DnskeyProblem("owner", owner=owner.rstrip("."), domain=alabel)
    if len(rdata) < 4:
        raise DnskeyProblem("fields", count=len(rdata))
    flags = _number(rdata[0], "flags")
    if not flags & ZONE_KEY:
        raise DnskeyProblem("flags", value=rdata[0])
    if flags & REVOKE:
        raise DnskeyProblem("revoked", value=rdata[0])
    if _number(rdata[1], "protocol") != 3:
        raise DnskeyProblem("protocol", value=rdata[1])
    algorithm = _number(rdata[2], "algorithm")
    if algorithm not in ALGORITHMS:
        raise DnskeyProblem("algorithm", value=algorithm,
                            accepted=", ".join(map(str, sorted(ALGORITHMS))))
    try:
        key = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY, " ".join(rdata))
    except (dns.exception.DNSException, binascii.Error, ValueError):
        raise DnskeyProblem("key") from None
    length = len(key.key)  # type: ignore[attr-defined]
    want = KEY_BYTES.get(algorithm)
    if want is not None and length != want:
        raise DnskeyProblem("key_length", length=length, want=want,
                            algorithm=ALGORITHM_NAMES[algorithm])
    ds = dns.dnssec.make_ds(dns.name.from_text(alabel.rstrip(".") + "."), key,
                            DIGESTS[digest_type])
    return DsRecord(ds.key_tag, ds.algorithm, ds.digest_type, ds.digest.hex().upper())

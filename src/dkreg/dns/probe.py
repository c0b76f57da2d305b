"""The resolver adapter of the name-server check: asks one name server about one domain.

The Name Service specification asks whether a listed name server *answers for the
domain*: asked directly (recursion off), it gives an authoritative answer (AA) with the
domain's own SOA. Anything else is a lame delegation, and the registrar is told what the
server did instead — timed out, refused, referred elsewhere, denied the name exists — so
an outcome is a value with the server's own answer in words (:class:`ServerAnswer`), never
an exception.

Two probes, one interface (:class:`Probe`):

- :class:`DnsProbe` (production, ``ns_check = "dns"``): finds the server's addresses
  (the glue the registry holds first, else the system resolver), refuses private,
  loopback and link-local ones unless ``ns_check_allow_private`` (a registrar must not make
  the registry probe its own network), and queries each address on ``ns_check_port``
  until one answers.
- :class:`SandboxProbe` (``ns_check = "sandbox"``): the sandbox's own Knot DNS at
  ``dns_host``:``dns_port`` stands in for every name server; a test zone stored for the
  domain (``dkreg sandbox ns add``) decides which listed servers answer and what the
  others say, and without one ``ns_check_sandbox_default`` does.

Every query has ``ns_check_timeout``; the caller (``dns.check``) bounds the whole check
with ``ns_check_budget`` and the number of queries in flight with ``ns_check_concurrency``.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field
from typing import Any, Protocol

import dns.asyncquery
import dns.asyncresolver
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver

from dkreg.config import Settings
from dkreg.details import Detail

# outcomes of asking one server; only ANSWERED counts towards the rule
ANSWERED = "answered"
TIMEOUT = "timeout"
REFUSED = "refused"  # REFUSED, SERVFAIL, NOTIMP, or the port is closed
NOT_AUTHORITATIVE = "not_authoritative"  # no AA flag: a referral, a cached answer
WRONG_ANSWER = "wrong_answer"  # AA, but not the domain's SOA (NXDOMAIN, another zone)
UNRESOLVABLE = "unresolvable"  # no address for the server's name
PRIVATE_ADDRESS = "private_address"  # only addresses the registry will not ask
OUTCOMES = (ANSWERED, TIMEOUT, REFUSED, NOT_AUTHORITATIVE, WRONG_ANSWER, UNRESOLVABLE,
            PRIVATE_ADDRESS)

EDNS_PAYLOAD = 1232  # DNS flag day 2020: no fragmented UDP answers


@dataclass(frozen=True)
class ServerAnswer:
    """What one listed name server said about the domain.

    ``said`` and ``facts`` are the server's answer in words for the registrar, a key of
    ``detail_texts.DETAILS`` and its parameters (English in EPP and poll, Danish on a
    Danish page: :meth:`words`); ``ns`` and ``serial`` are what it answered when it did,
    for the checks across servers; ``dnskeys`` its DNSKEY RRset (presentation form) when
    asked for."""

    server: str
    outcome: str
    said: str
    facts: dict[str, str] = field(default_factory=dict)
    address: str | None = None
    serial: int | None = None
    ns: tuple[str, ...] = ()
    dnskeys: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        return self.outcome == ANSWERED

    def words(self) -> Detail:
        """"ns1.eksempel.dk answered REFUSED", in either language."""
        return Detail("ns_said", server=self.server, said=Detail(self.said, **self.facts))

    def as_json(self) -> dict[str, Any]:
        return {"server": self.server, "outcome": self.outcome, "said": self.said,
                "facts": self.facts, "address": self.address, "serial": self.serial,
                "ns": list(self.ns), "dnskeys": list(self.dnskeys)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ServerAnswer:
        serial = data.get("serial")
        return cls(server=str(data["server"]), outcome=str(data["outcome"]),
                   said=str(data["said"]), facts={str(k): str(v) for k, v in
                                                  (data.get("facts") or {}).items()},
                   address=str(data["address"]) if data.get("address") else None,
                   serial=int(serial) if serial is not None else None,
                   ns=tuple(str(x) for x in data.get("ns") or ()),
                   dnskeys=tuple(str(x) for x in data.get("dnskeys") or ()))


@dataclass(frozen=True)
class Server:
    """A listed name server: its host name (A-label) and the glue the registry holds."""

    name: str
    addresses: tuple[str, ...] = ()


class Probe(Protocol):
    """Asks one server about one domain; never raises for what the server does."""

    async def ask(self, domain: str, server: Server, *, dnskey: bool = False,
                  test_zone: bool = False) -> ServerAnswer: ...


@dataclass
class Budget:
    """The queries in flight of one check (a semaphore made per check, on its loop)."""

    concurrency: int
    semaphore: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.semaphore = asyncio.Semaphore(max(1, self.concurrency))


def is_public(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_global
    except ValueError:
        return False


def _fqdn(name: str) -> dns.name.Name:
    return dns.name.from_text(name.rstrip(".") + ".")


def _plain(name: dns.name.Name) -> str:
    return name.to_text(omit_final_dot=True).lower()


async def query(qname: str, rdtype: str, address: str, port: int, timeout: float,
                budget: Budget) -> dns.message.Message:
    """One non-recursive query over UDP (TCP when the answer is truncated)."""
    q = dns.message.make_query(_fqdn(qname), dns.rdatatype.from_text(rdtype),
                               use_edns=0, payload=EDNS_PAYLOAD)
    q.flags &= ~dns.flags.RD
    async with budget.semaphore:
        response, _tcp = await dns.asyncquery.udp_with_fallback(
            q, address, timeout=timeout, port=port)
    return response


def _referral(r: dns.message.Message) -> list[str]:
    return sorted({_plain(rd.target) for rrset in r.authority
                   if rrset.rdtype == dns.rdatatype.NS for rd in rrset})


def judge_soa(server: str, address: str, domain: str,
              r: dns.message.Message) -> ServerAnswer:
    """The answer to ``domain SOA`` as the check's outcome for the server."""
    rcode = r.rcode()
    name = dns.rcode.to_text(rcode)
    if rcode in (dns.rcode.REFUSED, dns.rcode.SERVFAIL, dns.rcode.NOTIMP):
        return ServerAnswer(server, REFUSED, "ns_rcode", {"rcode": name}, address)
    if not r.flags & dns.flags.AA:
        refs = _referral(r)
        if refs:
            return ServerAnswer(server, NOT_AUTHORITATIVE, "ns_referral",
                                {"domain": domain, "targets": ", ".join(refs)}, address)
        return ServerAnswer(server, NOT_AUTHORITATIVE, "ns_no_aa",
                            {"domain": domain, "rcode": name}, address)
    if rcode == dns.rcode.NXDOMAIN:
        return ServerAnswer(server, WRONG_ANSWER, "ns_nxdomain", {"domain": domain}, address)
    if rcode != dns.rcode.NOERROR:
        return ServerAnswer(server, REFUSED, "ns_rcode", {"rcode": name}, address)
    want = _fqdn(domain)
    for rrset in r.answer:
        if rrset.rdtype == dns.rdatatype.SOA and rrset.name == want:
            return ServerAnswer(server, ANSWERED, "ns_answered", {}, address,
                                serial=int(rrset[0].serial))
    zones = sorted({_plain(rrset.name) for rrset in r.authority
                    if rrset.rdtype == dns.rdatatype.SOA})
    if zones:
        return ServerAnswer(server, WRONG_ANSWER, "ns_other_zone",
                            {"domain": domain, "zone": zones[0]}, address)
    return ServerAnswer(server, WRONG_ANSWER, "ns_no_soa", {"domain": domain}, address)


def _ns_set(r: dns.message.Message, domain: str) -> tuple[str, ...]:
    want = _fqdn(domain)
    return tuple(sorted({_plain(rd.target) for rrset in r.answer
                         if rrset.rdtype == dns.rdatatype.NS and rrset.name == want
                         for rd in rrset}))


def _dnskeys(r: dns.message.Message, domain: str) -> tuple[str, ...]:
    want = _fqdn(domain)
    return tuple(sorted(rd.to_text() for rrset in r.answer
                        if rrset.rdtype == dns.rdatatype.DNSKEY and rrset.name == want
                        for rd in rrset))


async def ask_address(server: str, address: str, port: int, domain: str, timeout: float,
                      budget: Budget, *, dnskey: bool) -> ServerAnswer:
    """SOA, then (when it answered) NS and optionally DNSKEY, at one address."""
    try:
        soa = await query(domain, "SOA", address, port, timeout, budget)
    except dns.exception.Timeout:
        return ServerAnswer(server, TIMEOUT, "ns_timeout", {"seconds": f"{timeout:g}"},
                            address)
    except (OSError, dns.exception.DNSException) as e:
        return ServerAnswer(server, REFUSED, "ns_unreachable", {"error": _why(e)}, address)
    judged = judge_soa(server, address, domain, soa)
    if not judged.answered:
        return judged
    try:
        ns = _ns_set(await query(domain, "NS", address, port, timeout, budget), domain)
        keys = (_dnskeys(await query(domain, "DNSKEY", address, port, timeout, budget), domain)
                if dnskey else ())
    except dns.exception.Timeout:
        return ServerAnswer(server, TIMEOUT, "ns_timeout_partial",
                            {"seconds": f"{timeout:g}"}, address)
    except (OSError, dns.exception.DNSException) as e:
        return ServerAnswer(server, REFUSED, "ns_unreachable", {"error": _why(e)}, address)
    return ServerAnswer(server, ANSWERED, judged.said, judged.facts, address,
                        serial=judged.serial, ns=ns, dnskeys=keys)


def _why(e: BaseException) -> str:
    return str(e) or type(e).__name__


class DnsProbe:
    """Asks the listed name server itself (production)."""

    def __init__(self, settings: Settings, budget: Budget) -> None:
        self.settings = settings
        self.budget = budget

    async def addresses(self, server: Server) -> list[str]:
        if server.addresses:
            return list(server.addresses)
        resolver = dns.asyncresolver.Resolver()
        resolver.lifetime = self.settings.ns_check_timeout
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            try:
                async with self.budget.semaphore:
                    answer = await resolver.resolve(_fqdn(server.name), rdtype)
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers,
                    dns.exception.Timeout, dns.resolver.LifetimeTimeout):
                continue
            found.extend(rd.to_text() for rd in answer)
        return found

    async def ask(self, domain: str, server: Server, *, dnskey: bool = False,
                  test_zone: bool = False) -> ServerAnswer:
        s = self.settings
        addresses = await self.addresses(server)
        if not addresses:
            return ServerAnswer(server.name, UNRESOLVABLE, "ns_no_address")
        allowed = [a for a in addresses if s.ns_check_allow_private or is_public(a)]
        if not allowed:
            return ServerAnswer(server.name, PRIVATE_ADDRESS, "ns_private",
                                {"addresses": ", ".join(addresses)}, addresses[0])
        last: ServerAnswer | None = None
        for address in allowed:
            last = await ask_address(server.name, address, s.ns_check_port, domain,
                                     s.ns_check_timeout, self.budget, dnskey=dnskey)
            if last.outcome not in (TIMEOUT, REFUSED):
                return last  # a server that answers, however, has spoken
        assert last is not None
        return last


class SandboxProbe:
    """Asks the sandbox's own Knot DNS, where the registrar's test zones live."""

    def __init__(self, settings: Settings, budget: Budget) -> None:
        self.settings = settings
        self.budget = budget

    async def ask(self, domain: str, server: Server, *, dnskey: bool = False,
                  test_zone: bool = False) -> ServerAnswer:
        """``test_zone``: the registry holds a test zone for ``domain`` (the caller read
        ``sandbox_test_zones``); without one no query is needed."""
        s = self.settings
        if not test_zone:
            if s.ns_check_sandbox_default == "lame":
                return ServerAnswer(server.name, NOT_AUTHORITATIVE, "ns_sandbox_lame",
                                    {"domain": domain})
            return ServerAnswer(server.name, ANSWERED, "ns_answered_sandbox_default")
        host, port = sandbox_address(s)
        answer = await ask_address(server.name, host, port, domain,
                                   s.ns_check_timeout, self.budget, dnskey=dnskey)
        if not answer.answered:
            return answer
        if server.name.lower() not in answer.ns:
            return ServerAnswer(server.name, NOT_AUTHORITATIVE, "ns_sandbox_not_listed",
                                {"domain": domain, "listed": ", ".join(answer.ns) or "-"},
                                answer.address)
        return ServerAnswer(server.name, ANSWERED, "ns_answered_test_zone", {},
                            answer.address, serial=answer.serial, ns=answer.ns,
                            dnskeys=answer.dnskeys)


def sandbox_address(settings: Settings) -> tuple[str, int]:
    """Where the sandbox's Knot DNS listens: ``dns_host`` and the port its last start
    bound (kept in ``data_dir/dns/port`` by ``dns.knot``), else ``dns_port``."""
    from dkreg.dns.knot import listening_port

    return settings.dns_host, listening_port(settings, settings.data_dir / "dns")


def probe_for(settings: Settings, budget: Budget) -> Probe:
    if settings.ns_check_mode == "sandbox":
        return SandboxProbe(settings, budget)
    return DnsProbe(settings, budget)


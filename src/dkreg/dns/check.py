"""The registry's name-server check: do enough of a domain's listed name servers answer?

The Name Service specification (reference/dkhm/OTHER-SERVICES.md): "at least two listed
NS must answer for the domain at registration/NS change". Each listed server is asked on
its own (``dns.probe``) and the result keeps every server's outcome and what it said, so a
lame delegation is explained: which server, what it answered. The registry's texts for a
failed check (status-code-messages.csv, "Update domain") are the result's ``reason``:
"Failed to query nameservers. Timed out." when nothing but timeouts stood in the way,
"Unable to resolve nameserver." when no server had an address, "Nameserver response
contains non-public IP address" when a server pointed at a private address, and
otherwise "Problem with nameserver setup.".

Disagreement between answering servers (SOA serial, NS set against the listed one) is
reported as a note with the registry's wording but does not fail the check: the
specification's rule is about answering, and a zone being reloaded differs for a while.

Bounds, so that a slow or hostile server cannot hold an application or an update:
``ns_check_timeout`` per query, ``ns_check_concurrency`` queries in flight, and
``ns_check_budget`` for the whole check, after which a server still being asked counts as
timed out. Results are kept ``ns_check_cache_seconds`` (in-process, by the exact question:
mode, target, domain, servers and their glue, DS set, test-zone version).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.config import Settings
from dkreg.details import Detail
from dkreg.dns.dnssec_check import DnssecResult, judge_dnssec
from dkreg.dns.probe import (
    ANSWERED,
    PRIVATE_ADDRESS,
    REFUSED,
    TIMEOUT,
    UNRESOLVABLE,
    Budget,
    Server,
    ServerAnswer,
    probe_for,
)
from dkreg.model.dnssec import DsRecord
from dkreg.store.schema import host_addrs, hosts

# "at least two listed name servers must answer for the domain" (Name Service spec)
MIN_ANSWERING = 2

# notes on answering servers that disagree (the registry's texts; not a failure)
NOTE_SERIAL = "SOA Serial mismatch between responses."
NOTE_NS_MISSING = "Host is missing NS record when compared to other responses."
NOTE_NS_EXTRA = "Host has extra NS record when compared to other responses."


@dataclass(frozen=True)
class DelegationCheck:
    """The check of one domain's name servers, as stored and shown."""

    domain: str
    mode: str  # "dns" or "sandbox"
    answers: tuple[ServerAnswer, ...]
    needed: int
    notes: tuple[str, ...] = ()
    dnssec: DnssecResult | None = None
    cached: bool = False

    @property
    def answering(self) -> int:
        return sum(1 for a in self.answers if a.answered)

    @property
    def passed(self) -> bool:
        return self.answering >= self.needed

    @property
    def failures(self) -> list[ServerAnswer]:
        return [a for a in self.answers if not a.answered]

    @property
    def reason(self) -> str | None:
        """The catalogue reason (``messages.CATALOGUE``) of a failed check, None if passed."""
        if self.passed:
            return None
        outcomes = {a.outcome for a in self.failures}
        if outcomes == {TIMEOUT}:
            return "ns_check_timeout"
        if outcomes == {UNRESOLVABLE}:
            return "ns_check_unresolvable"
        if PRIVATE_ADDRESS in outcomes:
            return "ns_check_private"
        return "ns_check_setup"

    def detail(self) -> Detail:
        """Which servers did not answer and what they said (the whole list when it passed
        with some lame ones, for the portal)."""
        return Detail("ns_check_too_few", answered=self.answering, needed=self.needed,
                      domain=self.domain, servers=said_list(self.failures))

    def summary_en(self) -> str:
        return self.detail().render("en")

    def as_json(self) -> dict[str, Any]:
        return {"domain": self.domain, "mode": self.mode, "needed": self.needed,
                "answers": [a.as_json() for a in self.answers], "notes": list(self.notes),
                "dnssec": self.dnssec.as_json() if self.dnssec else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DelegationCheck:
        return cls(domain=data["domain"], mode=data["mode"], needed=int(data["needed"]),
                   answers=tuple(ServerAnswer.from_json(a) for a in data["answers"]),
                   notes=tuple(data.get("notes") or ()),
                   dnssec=DnssecResult.from_json(data["dnssec"]) if data.get("dnssec")
                   else None)


def said_list(answers: Sequence[ServerAnswer]) -> Detail:
    """"a said x; b said y", as nested details so a Danish page reads it in Danish."""
    if not answers:
        return Detail("ns_check_none")
    out = answers[-1].words()
    for a in reversed(answers[:-1]):
        out = Detail("ns_list_more", first=a.words(), rest=out)
    return out


def _notes(servers: Sequence[Server], answers: Sequence[ServerAnswer]) -> tuple[str, ...]:
    good = [a for a in answers if a.answered]
    notes: list[str] = []
    if len({a.serial for a in good}) > 1:
        notes.append(NOTE_SERIAL)
    listed = {s.name for s in servers}
    if any(a.ns and not listed <= set(a.ns) for a in good):
        notes.append(NOTE_NS_MISSING)
    if any(a.ns and not set(a.ns) <= listed for a in good):
        notes.append(NOTE_NS_EXTRA)
    return tuple(notes)


MAX_CACHED = 10_000


@dataclass
class _Cache:
    entries: dict[tuple[Any, ...], tuple[float, DelegationCheck]] = field(default_factory=dict)

    def get(self, key: tuple[Any, ...], now: float) -> DelegationCheck | None:
        hit = self.entries.get(key)
        if hit is None or hit[0] <= now:
            self.entries.pop(key, None)
            return None
        return replace(hit[1], cached=True)

    def put(self, key: tuple[Any, ...], now: float, until: float,
            result: DelegationCheck) -> None:
        if len(self.entries) >= MAX_CACHED:  # a bound on memory: the expired go first
            self.entries = {k: v for k, v in self.entries.items() if v[0] > now}
            if len(self.entries) >= MAX_CACHED:
                self.entries.clear()
        self.entries[key] = (until, result)


CACHE = _Cache()


def clear_cache() -> None:
    CACHE.entries.clear()


def _cache_key(settings: Settings, domain: str, servers: Sequence[Server],
               ds: Sequence[DsRecord], test_zone: str | None) -> tuple[Any, ...]:
    mode = settings.ns_check_mode
    target = ((settings.dns_host, settings.dns_port, settings.ns_check_sandbox_default)
              if mode == "sandbox" else (settings.ns_check_port,
                                         settings.ns_check_allow_private))
    return (mode, target, domain, tuple(servers), tuple(str(d) for d in ds), test_zone)


async def check_delegation(settings: Settings, domain: str, servers: Sequence[Server], *,
                           ds: Sequence[DsRecord] = (), test_zone: str | None = None,
                           clock: Callable[[], float] = time.monotonic) -> DelegationCheck:
    """Ask every listed server about ``domain`` at once, within the budget.

    ``ds``: the domain's DS records; when there are any, the servers' DNSKEY sets are
    fetched too and compared (``dnssec_check``). ``test_zone``: in sandbox mode, the
    version of the test zone stored for the domain (None: there is none)."""
    domain = domain.lower().rstrip(".")
    key = _cache_key(settings, domain, servers, ds, test_zone)
    hit = CACHE.get(key, clock())
    if hit is not None:
        return hit
    budget = Budget(settings.ns_check_concurrency)
    probe = probe_for(settings, budget)
    tasks = [asyncio.ensure_future(probe.ask(domain, s, dnskey=bool(ds),
                                             test_zone=test_zone is not None))
             for s in servers]
    done, pending = await asyncio.wait(tasks, timeout=settings.ns_check_budget) if tasks \
        else (set(), set())
    for t in pending:
        t.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    answers: list[ServerAnswer] = []
    for s, t in zip(servers, tasks, strict=True):
        if t in done and not t.cancelled() and t.exception() is None:
            answers.append(t.result())
        elif t in done and t.exception() is not None:
            answers.append(ServerAnswer(s.name, REFUSED, "ns_unreachable",
                                        {"error": type(t.exception()).__name__}))
        else:
            answers.append(ServerAnswer(s.name, TIMEOUT, "ns_timeout_budget",
                                        {"seconds": f"{settings.ns_check_budget:g}"}))
    result = DelegationCheck(
        domain=domain, mode=settings.ns_check_mode, answers=tuple(answers),
        needed=min(MIN_ANSWERING, len(servers)), notes=_notes(servers, answers),
        dnssec=judge_dnssec(domain, ds, answers) if ds else None)
    now = clock()
    CACHE.put(key, now, now + settings.ns_check_cache_seconds, result)
    return result


async def servers_of(conn: AsyncConnection, domain: str, names: Sequence[str]) -> list[Server]:
    """The listed servers with the addresses the registry holds for them. A host inside
    the domain itself can only be found that way before the delegation is published (its
    glue); for any other host object the registry's addresses are the ones its operator
    gave, and a resolver is asked only when there are none."""
    rows = (await conn.execute(
        select(hosts.c.name, host_addrs.c.ip)
        .join(host_addrs, host_addrs.c.host_id == hosts.c.id)
        .where(hosts.c.name.in_(list(names))).order_by(hosts.c.name, host_addrs.c.ip))).all()
    glue: dict[str, list[str]] = {}
    for r in rows:
        glue.setdefault(r.name, []).append(r.ip)
    return [Server(n, tuple(glue.get(n, ()))) for n in names]


def passes_without_asking(settings: Settings) -> bool:
    return settings.ns_check_mode == "off"


__all__ = ["ANSWERED", "MIN_ANSWERING", "DelegationCheck", "Server", "ServerAnswer",
           "check_delegation", "clear_cache", "servers_of"]

"""The status page's automatic checks: dkreg probes its own services as a registrar
would reach them and sets their components' states without a person (issue 16 §1).

Each probe speaks its service's own protocol from outside: an EPP greeting over TLS, an
RDAP ``help``, a WHOIS ``HELP`` on port 43, WHOIS REST, DAS (its 401 to a request without
a service user is the answer of a running DAS), the portal's log-in page, the zone's SOA
from its name server (behind the serial last published: degraded), and the lifecycle's
lag (``lifecycle.status``). A probe that fails ``status_check_failures`` times in a row
puts its component in its failure state and opens a **draft** incident for staff to
confirm (nothing public changes until they publish it, except the component's state);
the first success after that records the recovery: the component returns to what the
open incidents give it, and a draft nobody published is resolved with a note.

A component several probes speak for (EPP: its greeting and the lifecycle's lag) takes
the worst of their verdicts. The probes come from this machine: WHOIS and RDAP count
them against the loopback network's rate limit like any client's (one query each per
interval).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from dkreg import runner
from dkreg.actions.status.checks import record_verdict
from dkreg.model.status import worst
from dkreg.services import Services

log = logging.getLogger("dkreg.monitor")

Probe = Callable[[], Awaitable[str | None]]  # None: fine; else what is wrong


@dataclass(frozen=True)
class Check:
    name: str
    component: str
    failure_state: str  # what the component shows while the check fails
    probe: Probe


@dataclass(frozen=True)
class Targets:
    """Where this installation's services listen, as the probes reach them."""

    epp: tuple[str, int] | None = None
    http: str | None = None  # base URL of the HTTP port
    lookups: str | None = None  # base URL of the lookup listener (else ``http``)
    whois: tuple[str, int] | None = None
    dns: tuple[str, int, str] | None = None  # server, port, zone
    published_serial: Callable[[], int | None] = lambda: None


# -- the probes -------------------------------------------------------------------------

async def epp_greeting(host: str, port: int, timeout: float) -> str | None:
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE  # our own: reachability
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host, port, ssl=ctx)
        try:
            (length,) = struct.unpack(">I", await reader.readexactly(4))
            frame = await reader.readexactly(max(0, length - 4))
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
    return None if b"<greeting" in frame else "no <greeting> in the first frame"


async def http_status(url: str, expected: tuple[int, ...], timeout: float,
                      headers: dict[str, str] | None = None) -> str | None:
    async with httpx.AsyncClient(timeout=timeout) as client:
        r = await client.get(url, headers=headers or {})
    return None if r.status_code in expected else f"HTTP {r.status_code} from {url}"


async def whois_help(host: str, port: int, timeout: float) -> str | None:
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(b"HELP\r\n")
            await writer.drain()
            data = await reader.read(65536)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
    return None if data.strip() else "an empty answer"


async def soa_serial(host: str, port: int, zone: str, timeout: float) -> int:
    import dns.asyncquery
    import dns.message
    import dns.rdatatype

    query = dns.message.make_query(zone.rstrip(".") + ".", dns.rdatatype.SOA)
    answer = await dns.asyncquery.udp(query, host, port=port, timeout=timeout)
    for rrset in answer.answer:
        for rr in rrset:
            if rr.rdtype == dns.rdatatype.SOA:
                return int(rr.serial)
    raise RuntimeError(f"no SOA for {zone} in the answer")


def checks_for(services: Services, targets: Targets) -> list[Check]:
    """The probes of the services this process knows to be running."""
    timeout = services.settings.status_check_timeout
    out: list[Check] = []
    if targets.epp is not None:
        host, port = targets.epp
        out.append(Check("epp", "epp", "major_outage",
                         lambda: epp_greeting(host, port, timeout)))
    lookups = targets.lookups or targets.http
    if lookups is not None:
        out += [
            Check("rdap", "rdap", "major_outage", lambda: http_status(
                f"{lookups}/rdap/help", (200,), timeout,
                {"Accept": "application/rdap+json"})),
            Check("whois_api", "whois_api", "major_outage", lambda: http_status(
                f"{lookups}/whois-api/domain/status-check.dk", (200, 404), timeout,
                {"Accept": "application/json"})),
            Check("das", "das", "major_outage", lambda: http_status(
                f"{lookups}/das/domain/is_available/status-check.dk", (401,), timeout,
                {"Accept": "application/json"})),
        ]
    if targets.http is not None:
        base = targets.http
        out += [
            Check("portal", "portal", "major_outage",
                  lambda: http_status(f"{base}/portal/login", (200,), timeout)),
            Check("website", "website", "major_outage",
                  lambda: http_status(f"{base}/", (200,), timeout)),
        ]
    if targets.whois is not None:
        whost, wport = targets.whois
        out.append(Check("whois", "whois_text", "major_outage",
                         lambda: whois_help(whost, wport, timeout)))
    if targets.dns is not None:
        dhost, dport, zone = targets.dns

        async def dns_probe() -> str | None:
            serial = await soa_serial(dhost, dport, zone, timeout)
            published = targets.published_serial()
            if published is not None and serial < published:
                return f"serial {serial} behind the published {published}"
            return None

        out.append(Check("dns", "dns_nameservers", "major_outage", dns_probe))

    async def lifecycle_probe() -> str | None:
        from dkreg.lifecycle.status import lifecycle_status

        async with runner.reading(services, "status") as ctx:
            status = await lifecycle_status(ctx)
        return "; ".join(f"{step}: {why}" for step, why in status.problems) or None

    out.append(Check("lifecycle", "epp", "degraded_performance", lifecycle_probe))
    return out


# -- the loop ---------------------------------------------------------------------------

@dataclass
class Monitor:
    services: Services
    checks: list[Check]
    failures: dict[str, int] = field(default_factory=dict)  # check -> failures in a row
    failing: dict[str, str] = field(default_factory=dict)  # check -> why (past the count)
    drafts: dict[str, int] = field(default_factory=dict)  # component -> its draft incident

    async def probe(self, check: Check) -> str | None:
        started = time.perf_counter()
        try:
            problem = await check.probe()
        except Exception as exc:  # an unreachable service is the answer, not an error
            problem = f"{type(exc).__name__}: {exc}"[:300] or type(exc).__name__
        if self.services.metrics is not None:
            self.services.metrics.observe("status", check.name, 1000 if problem is None
                                          else 2400, time.perf_counter() - started)
        return problem

    async def round(self) -> None:
        """Every check once; then the components whose verdict changed."""
        results = await asyncio.gather(*(self.probe(c) for c in self.checks))
        changed: set[str] = set()
        limit = max(1, self.services.settings.status_check_failures)
        for check, problem in zip(self.checks, results, strict=True):
            if problem is None:
                self.failures[check.name] = 0
                if self.failing.pop(check.name, None) is not None:
                    changed.add(check.component)
                continue
            self.failures[check.name] = self.failures.get(check.name, 0) + 1
            if self.failures[check.name] >= limit and check.name not in self.failing:
                self.failing[check.name] = problem
                changed.add(check.component)
                log.warning("status check %s failed %d times: %s", check.name,
                            self.failures[check.name], problem)
        for key in sorted(changed):
            await self._settle(key)

    async def _settle(self, key: str) -> None:
        bad = [c for c in self.checks if c.component == key and c.name in self.failing]
        verdict = worst(c.failure_state for c in bad) if bad else "operational"
        why = "; ".join(f"{c.name}: {self.failing[c.name]}" for c in bad) or None
        async with runner.transaction(self.services, "status") as ctx:
            draft = await record_verdict(ctx, key, verdict, why, self.drafts.get(key))
        if draft is None:
            self.drafts.pop(key, None)
        else:
            self.drafts[key] = draft
        log.info("status component %s: %s", key, verdict)

    async def run(self) -> None:
        """A round every ``status_check_interval`` seconds, the first one interval after
        the start (the listeners are up by then)."""
        interval = self.services.settings.status_check_interval
        while True:
            await asyncio.sleep(interval)
            try:
                await self.round()
            except Exception:  # the database gone, say: the next round tries again
                log.exception("status checks could not record a round")

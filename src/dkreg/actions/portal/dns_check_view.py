"""The registry's name-server check as the portal shows it: on an application's page (the
check before activation, with the reason for a rejection) and on a domain's page (the
last check: at create or at the last NS or DS change).

The stored check (``domain_dns_checks``) keeps every server's outcome and what it said as
catalogue keys, so the page words it in its own language, and the poll message's English
text is not needed once it is acknowledged. DS records whose keys the domain's name
servers do not serve show as the WHOIS DNSSEC field names them ("keys unpublished").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dkreg.details import Detail
from dkreg.dns import domain_check
from dkreg.dns.check import DelegationCheck
from dkreg.messages import CATALOGUE
from dkreg.messages_da import DANISH
from dkreg.store.context import Ctx


@dataclass(frozen=True)
class ServerRow:
    server: str
    outcome: str  # dns.probe OUTCOMES
    said: Detail  # what it said, without the server's name

    def words(self, lang: str) -> str:
        return self.said.render(lang)


@dataclass(frozen=True)
class DnsCheckView:
    checked_at: datetime
    mode: str
    passed: bool
    answering: int
    needed: int
    reason: str | None  # catalogue key of a failed check
    servers: list[ServerRow]
    notes: list[str]  # the registry's texts for servers that disagree
    dnssec: str | None  # the WHOIS wording, None without DS records
    unpublished: Detail | None  # which DS records match no served key

    def reason_text(self, lang: str) -> str:
        if self.reason is None:
            return ""
        return DANISH[self.reason] if lang == "da" else CATALOGUE[self.reason][1]


def view_of(checked_at: datetime, check: DelegationCheck) -> DnsCheckView:
    d = check.dnssec
    return DnsCheckView(
        checked_at=checked_at, mode=check.mode, passed=check.passed,
        answering=check.answering, needed=check.needed, reason=check.reason,
        servers=[ServerRow(a.server, a.outcome, Detail(a.said, **a.facts))
                 for a in check.answers],
        notes=list(check.notes), dnssec=d.whois if d else None,
        unpublished=d.detail(check.domain) if d is not None and d.keys_unpublished else None)


async def application_dns_check(ctx: Ctx, application_id: int) -> DnsCheckView | None:
    found = await domain_check.latest(ctx.conn, application_id=application_id)
    return view_of(*found) if found else None


async def domain_dns_check(ctx: Ctx, domain_id: int) -> DnsCheckView | None:
    found = await domain_check.latest(ctx.conn, domain_id=domain_id)
    return view_of(*found) if found else None

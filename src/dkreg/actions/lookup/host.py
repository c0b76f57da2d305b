"""A public lookup of a name server (WHOIS ``Nameserver:``, WHOIS REST ``/host``, RDAP
``nameserver``).

Only what the registry discloses: the host name, whether its glue is in the zone
("Being spooled": the zone's own rule, ``dns.content``, decides, so the answer is what
the name servers serve) and its addresses when they are; never the domains it serves
(no enumeration) nor its administrator (no longer disclosed since WHOIS 5.0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dkreg.dns.content import owner_records
from dkreg.store.context import Ctx
from dkreg.store.schema import hosts


@dataclass(frozen=True)
class HostFacts:
    name: str  # A-label
    glue: bool  # its addresses are in the .dk zone
    addresses: tuple[str, ...]  # the published addresses (empty without glue)
    created_at: datetime
    updated_at: datetime | None


async def lookup_host(ctx: Ctx, name: str) -> HostFacts | None:
    """``name`` (a parsed host name, A-label) as the lookups show it; None if the
    registry does not know it."""
    row = (await ctx.conn.execute(select(hosts).where(hosts.c.name == name))).first()
    if row is None:
        return None
    glue = (await published_glue(ctx, [name])).get(name, ())
    return HostFacts(name=name, glue=bool(glue), addresses=glue,
                     created_at=row.created_at, updated_at=row.updated_at)


async def published_glue(ctx: Ctx, names: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The addresses the zone publishes for each of ``names`` (A-labels; only hosts under
    the zone's origin can have glue), in one read of the zone's content — RDAP's domain
    answer shows its name servers' glue without a query per server."""
    suffix = "." + ctx.settings.zone_origin.strip(".").lower()
    inside = [n for n in names if n.endswith(suffix)]
    if not inside:
        return {}
    content = await owner_records(ctx.conn, inside)
    return {n: tuple(sorted(value for rdtype, value in content.records.get(n, [])
                            if rdtype in ("A", "AAAA")))
            for n in inside}

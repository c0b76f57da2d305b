"""What the zone holds at a set of owner names, worked out afresh from committed rows.

The publisher asks for the names the journal lists; a domain's name brings its
subordinate hosts along (their glue depends on the domain being delegated and on its NS
set). For each name the answer is the complete set of dkreg-managed records there
(``model.zone.MANAGED_TYPES``): an empty list means "none", which the publisher turns
into deletions. A few bounded queries per batch, whatever its size.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, literal, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.model.zone import EXCLUDING_STATUSES, absolute, ds_rdata, in_bailiwick, in_zone
from dkreg.store.schema import domain_ns, domains, ds_records, host_addrs, hosts

Record = tuple[str, str]  # (type, rdata in master-file form), e.g. ("NS", "ns1.eksempel.dk.")


def in_zone_sql() -> Any:
    """``model.zone.in_zone`` as a WHERE clause over ``domains`` (for whole-zone reads)."""
    padded = literal(" ") + domains.c.statuses + literal(" ")
    return and_(domains.c.state == "active", domains.c.released_at.is_(None),
                domains.c.suspended_at.is_(None), domains.c.redemption_until.is_(None),
                *[not_(padded.like(f"% {s} %")) for s in EXCLUDING_STATUSES])


@dataclass
class OwnerRecords:
    """The managed records at each owner name (A-label, no trailing dot)."""

    records: dict[str, list[Record]] = field(default_factory=dict)

    def names(self) -> list[str]:
        return sorted(self.records)


async def owner_records(conn: AsyncConnection, names: Collection[str],
                        chunk: int = 500) -> OwnerRecords:
    out = OwnerRecords({n.lower().rstrip("."): [] for n in names})
    wanted = list(out.records)
    for i in range(0, len(wanted), chunk):
        await _fill(conn, wanted[i:i + chunk], out)
    if len(wanted) > chunk:
        # a host named in one chunk and its domain in another had its glue added by both
        out.records = {name: list(dict.fromkeys(recs)) for name, recs in out.records.items()}
    return out


async def _fill(conn: AsyncConnection, names: list[str], out: OwnerRecords) -> None:
    # the domains named: the live row, or else the most recent released one (its hosts
    # and former records must be cleared)
    drows = (await conn.execute(
        select(domains.c.id, domains.c.name, domains.c.state, domains.c.statuses,
               domains.c.released_at, domains.c.suspended_at, domains.c.redemption_until)
        .where(domains.c.name.in_(names))
        .order_by(domains.c.name, domains.c.released_at.is_(None), domains.c.id))).all()
    dom: dict[str, Any] = {}
    for r in drows:
        dom[r.name] = r  # ordered so that the live row (released_at NULL) comes last
    # hosts named, and the subordinate hosts of the domains named
    dom_ids = [r.id for r in dom.values()]
    hrows = (await conn.execute(
        select(hosts.c.id, hosts.c.name, hosts.c.domain_id)
        .where(or_(hosts.c.name.in_(names), hosts.c.domain_id.in_(dom_ids or [-1]))))).all()
    host_by_name = {h.name: h for h in hrows}
    for h in hrows:
        out.records.setdefault(h.name, [])
    # superordinate domains of the hosts (for glue), beyond those already named
    sup_ids = {h.domain_id for h in hrows if h.domain_id is not None} - set(dom_ids)
    sup: dict[int, Any] = {r.id: r for r in dom.values()}  # Row types vary by query
    if sup_ids:
        for r in (await conn.execute(
                select(domains.c.id, domains.c.name, domains.c.state, domains.c.statuses,
                       domains.c.released_at, domains.c.suspended_at,
                       domains.c.redemption_until)
                .where(domains.c.id.in_(sup_ids)))).all():
            sup[r.id] = r
    delegated = {d.id for d in sup.values() if _in_zone(d)}
    # NS sets of every delegated domain involved (named ones, and superordinates of hosts)
    ns: dict[int, list[str]] = {}
    if delegated:
        for nr in (await conn.execute(
                select(domain_ns.c.domain_id, hosts.c.name)
                .join(hosts, hosts.c.id == domain_ns.c.host_id)
                .where(domain_ns.c.domain_id.in_(delegated))
                .order_by(domain_ns.c.domain_id, domain_ns.c.position, hosts.c.name))).all():
            ns.setdefault(nr.domain_id, []).append(nr.name)
    ds: dict[int, list[str]] = {}
    named_delegated = [d.id for d in dom.values() if d.id in delegated and d.id in ns]
    if named_delegated:
        for sr in (await conn.execute(
                select(ds_records).where(ds_records.c.domain_id.in_(named_delegated))
                .order_by(ds_records.c.domain_id, ds_records.c.id))).all():
            ds.setdefault(sr.domain_id, []).append(
                ds_rdata(sr.key_tag, sr.alg, sr.digest_type, sr.digest))
    for name, d in dom.items():
        if d.id in delegated and ns.get(d.id):
            out.records[name] = ([("NS", absolute(h)) for h in ns[d.id]]
                                 + [("DS", x) for x in ds.get(d.id, [])])
    # glue: a host inside its delegated superordinate domain and in that domain's NS set
    glue_hosts = [h for h in host_by_name.values()
                  if h.domain_id in delegated and h.name in ns.get(h.domain_id, ())
                  and in_bailiwick(h.name, sup[h.domain_id].name)]
    if glue_hosts:
        by_id = {h.id: h.name for h in glue_hosts}
        for ar in (await conn.execute(
                select(host_addrs.c.host_id, host_addrs.c.ip, host_addrs.c.version)
                .where(host_addrs.c.host_id.in_(list(by_id)))
                .order_by(host_addrs.c.host_id, host_addrs.c.ip))).all():
            out.records[by_id[ar.host_id]].append(("A" if ar.version == "v4" else "AAAA",
                                                   ar.ip))


def _in_zone(d: Any) -> bool:
    return in_zone(d.state, d.statuses, released_at=d.released_at,
                   suspended_at=d.suspended_at, redemption_until=d.redemption_until)

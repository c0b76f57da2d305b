"""What a registrar may change of a host, and why not: the rules of ``host_update`` and
``host_delete`` asked ahead, so the host's page can say them before anything is sent.

The actions stay the judges; a page built from this answer still goes through them and
shows their code and text when the situation changed in between.

- Addresses (glue) exist only for a host under a .dk domain, which keeps at least one;
  a host outside .dk has none, so there is nothing to edit (``host_update``).
- While the host waits for someone's answer (``pendingCreate``) or its domain is being
  deleted (``pendingDelete``) its addresses cannot change.
- A host that is a name server of a live domain cannot be deleted (2305): the page names
  those domains (the first few) and how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from dkreg.actions.host.delete import live_domains_using
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_host_name, superordinate_dk_domain
from dkreg.store.context import Ctx
from dkreg.store.schema import domain_ns, domains, hosts

SHOWN = 3  # domains named on the page; the rest are counted


@dataclass(frozen=True)
class HostEditability:
    name: str
    may_change: bool   # the asking registrar is the host's sponsor or its administrator
    glue: bool         # under a .dk domain: its addresses are edited, at least one stays
    blocked: str | None = None  # "pendingCreate" / "pendingDelete": no change now
    used_by: list[str] = field(default_factory=list)  # the first SHOWN of them
    used_count: int = 0

    @property
    def addresses_editable(self) -> bool:
        return self.may_change and self.glue and self.blocked is None

    @property
    def deletable(self) -> bool:
        return self.may_change and self.used_count == 0


async def host_editability(ctx: Ctx, raw: str) -> HostEditability:
    """2303 when there is no such host."""
    try:
        name = parse_host_name(raw)
    except EppError as e:
        raise err(2303, "host_not_found", field="host:name", detail=e.detail) from None
    row = (await ctx.conn.execute(
        select(hosts.c.id, hosts.c.name, hosts.c.sponsor_id, hosts.c.nsa_id, hosts.c.statuses,
               domains.c.statuses.label("domain_statuses"))
        .outerjoin(domains, domains.c.id == hosts.c.domain_id)
        .where(hosts.c.name == name))).first()
    if row is None:
        raise err(2303, "host_not_found", field="host:name",
                  detail=Detail("does_not_exist_3", name=name))
    statuses = row.statuses.split()
    blocked = None
    if "pendingCreate" in statuses:
        blocked = "pendingCreate"
    elif "pendingDelete" in statuses or "pendingDelete" in (row.domain_statuses or "").split():
        blocked = "pendingDelete"
    me = ctx.actor.registrar_id
    used = (await ctx.conn.execute(
        select(func.count()).select_from(domain_ns)
        .join(domains, domains.c.id == domain_ns.c.domain_id)
        .where(domain_ns.c.host_id == row.id, domains.c.released_at.is_(None)))).scalar_one()
    return HostEditability(
        name=row.name, may_change=me is not None and me in (row.sponsor_id, row.nsa_id),
        glue=superordinate_dk_domain(row.name) is not None, blocked=blocked,
        used_by=await live_domains_using(ctx, row.id, limit=SHOWN) if used else [],
        used_count=int(used))

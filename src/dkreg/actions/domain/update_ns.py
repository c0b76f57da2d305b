"""update domain, name servers: remove, then add, then check what is left.

Host objects only; each must exist and be usable (not waiting for creation or
deletion). The count rule (``min_ns``..``max_ns``) applies to the result, so a client
can replace both name servers in one command. Any change of name servers removes all
DS records: the new servers cannot be assumed to sign with the old keys, and a stale
DS would make the domain fail validation (SPEC-DIGEST §6).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select

from dkreg.actions.domain.update_target import Target, require_sponsor
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_host_name
from dkreg.store.context import Ctx
from dkreg.store.schema import domain_ns, ds_records, hosts

UNUSABLE = ("pendingCreate", "pendingDelete")


@dataclass
class NsChange:
    """What the name-server part did, for the poll messages at the end."""

    before: list[str]
    after: list[str] = field(default_factory=list)
    ds_removed: int = 0

    @property
    def changed(self) -> bool:
        return set(self.before) != set(self.after)


def _normal(raw: str) -> str:
    try:
        return parse_host_name(raw, field="domain:hostObj")
    except EppError:
        return raw.strip().lower()  # cannot exist; reported as "Host not found"


async def _current(ctx: Ctx, dom: Target) -> list[tuple[str, int]]:
    return [(r.name, r.id) for r in await ctx.conn.execute(
        select(hosts.c.name, hosts.c.id).join(domain_ns, domain_ns.c.host_id == hosts.c.id)
        .where(domain_ns.c.domain_id == dom.id).order_by(domain_ns.c.position))]


async def _host(ctx: Ctx, name: str, position: int) -> tuple[int, str]:
    row = (await ctx.conn.execute(
        select(hosts.c.id, hosts.c.statuses).where(hosts.c.name == name))).first()
    if row is None:
        raise err(2303, "update_host_not_found", name, field="domain:hostObj",
                  position=position, detail=Detail("create_host_object_first"))
    return row.id, row.statuses


async def begin(ctx: Ctx, dom: Target, add: list[str], rem: list[str], *,
                by_token: bool = False) -> NsChange | None:
    """The privilege check and the name servers before the change (None: no NS part).

    ``by_token``: the requester presented a REDEL token, already accepted together
    with :func:`require_nsa_of`, instead of being the sponsor."""
    if not add and not rem:
        return None
    if not by_token:
        require_sponsor(ctx, dom, "update_no_privilege", "nsa",
                        what=Detail("to_change_name_servers"), field="domain:ns")
    return NsChange(before=[n for n, _ in await _current(ctx, dom)])


async def require_nsa_of(ctx: Ctx, add: list[str], rem: list[str]) -> None:
    """The holder of a REDEL token must administer every name server it removes and
    every one it adds (2004, "not NSA for all nameservers (old and new)"): the token is
    the registrant's consent to a change of DNS operator, not a way to take the domain
    away from, or point it at, servers that someone else administers."""
    actor = ctx.actor
    for kind, names in (("rem", rem), ("add", add)):
        for i, raw in enumerate(names, 1):
            name = _normal(raw)
            host = (await ctx.conn.execute(
                select(hosts.c.nsa_id).where(hosts.c.name == name))).first()
            if host is None:
                raise err(2303, "update_host_not_found", name, field="domain:hostObj",
                          position=i, detail=Detail("create_host_object_first"))
            if host.nsa_id != actor.registrar_id:
                raise err(2004, "update_not_nsa_of_all", field=f"domain:{kind}/hostObj",
                          position=i,
                          detail=Detail("not_name_server_administrator",
                                        registrar_handle=actor.registrar_handle, name=name))


async def remove(ctx: Ctx, dom: Target, change: NsChange, names: list[str]) -> None:
    linked = dict(await _current(ctx, dom))
    gone: list[int] = []
    for i, raw in enumerate(names, 1):
        name = _normal(raw)
        host_id, _ = await _host(ctx, name, i)
        if host_id not in linked.values() or host_id in gone:
            raise err(2304, "update_ns_not_linked", field="domain:hostObj", position=i,
                      detail=Detail("not_name_server", name=name, uname=dom.uname))
        gone.append(host_id)
    if gone:
        await ctx.conn.execute(delete(domain_ns).where(domain_ns.c.domain_id == dom.id,
                                                       domain_ns.c.host_id.in_(gone)))


async def add(ctx: Ctx, dom: Target, change: NsChange, names: list[str]) -> None:
    """Add the new name servers, then apply the count rule and drop the DS records."""
    linked = {h for _, h in await _current(ctx, dom)}
    position = (await ctx.conn.execute(select(func.max(domain_ns.c.position))
                                       .where(domain_ns.c.domain_id == dom.id))).scalar()
    position = -1 if position is None else position
    for i, raw in enumerate(names, 1):
        name = _normal(raw)
        host_id, statuses = await _host(ctx, name, i)
        if any(s in statuses.split() for s in UNUSABLE):
            raise err(2004, "invalid_nameserver", name, field="domain:hostObj", position=i,
                      detail=Detail("has_status", name=name, statuses=statuses))
        if host_id in linked:
            raise err(2302, "update_ns_exists", field="domain:hostObj", position=i,
                      detail=Detail("already_name_server", name=name, uname=dom.uname))
        position += 1
        await ctx.conn.execute(insert(domain_ns).values(domain_id=dom.id, host_id=host_id,
                                                        position=position))
        linked.add(host_id)
    change.after = [n for n, _ in await _current(ctx, dom)]
    s = ctx.settings
    if not s.min_ns <= len(change.after) <= s.max_ns:
        raise err(2308, "too_few_ns" if len(change.after) < s.min_ns else "too_many_ns",
                  field="domain:ns",
                  detail=Detail("dk_domain_needs_name_servers_3", min_ns=s.min_ns, max_ns=s.max_ns,
                                n_after=len(change.after)))
    if change.changed:
        change.ds_removed = (await ctx.conn.execute(
            delete(ds_records).where(ds_records.c.domain_id == dom.id))).rowcount or 0

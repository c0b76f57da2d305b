"""update host: glue addresses, or a new name-server administrator [SPEC §update host].

One request does one kind of thing. The registry names two kinds of sub-process
that change a host — its addresses (``host:add``/``host:rem`` of ``host:addr``, which
may be combined: replacing an address is one change of the host's glue) and its
administrator (``dkhm:requestedNsAdmin``); asking for both at once is 2308 "Multiple
operations perfomed in one request", because one is immediate and the other waits
for someone else's answer, and a client could not tell which part a result is about.
A ``requestedNsAdmin`` naming the current administrator changes nothing and is not
counted.

Not offered (decided): renaming (``host:chg``) and any ``host:status`` → 2102; the
registry sets statuses itself.

Only the host's name-server administrator or its sponsoring registrar may change
addresses; only the administrator may hand the role on. Glue follows the narrow
policy of create host: a host under a .dk domain keeps at least one address (2304),
a host outside .dk has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update

from dkreg.actions.host.create import MAX_ADDRS
from dkreg.actions.host.nsa import FIELD as NSA_FIELD
from dkreg.actions.host.nsa import request_nsa_change, resolve_nsa
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.addresses import address_family, parse_ip, require_public
from dkreg.model.names import parse_host_name, superordinate_dk_domain
from dkreg.store.context import Ctx
from dkreg.store.schema import domains, host_addrs, hosts

ADD, REM = "host:add/host:addr", "host:rem/host:addr"


@dataclass
class HostUpdate:
    name: str
    add_addrs: list[tuple[str, str | None]] = field(default_factory=list)  # (text, ip attr)
    rem_addrs: list[tuple[str, str | None]] = field(default_factory=list)
    add_statuses: list[str] = field(default_factory=list)
    rem_statuses: list[str] = field(default_factory=list)
    new_name: str | None = None  # host:chg/host:name
    requested_nsa: str | None = None


@dataclass(frozen=True)
class HostUpdateResult:
    name: str
    pending: bool  # an administrator change now waits for the requested registrar


async def host_update(ctx: Ctx, cmd: HostUpdate) -> HostUpdateResult:
    actor = ctx.actor
    if actor.registrar_id is None or ("nsa" not in actor.roles and "registrar" not in actor.roles):
        raise err(2201, "no_privilege", detail=Detail("updating_hosts_needs_name_server"))

    # -- check the request on its own
    if cmd.new_name is not None:
        raise err(2102, "unimplemented_option", field="host:chg/host:name",
                  detail=Detail("hosts_cannot_renamed_create_host"))
    for where, values in (("host:add", cmd.add_statuses), ("host:rem", cmd.rem_statuses)):
        if values:
            raise err(2102, "unimplemented_option", field=f"{where}/host:status",
                      detail=Detail("host_statuses_are_set_by"))
    add = _parse(cmd.add_addrs, ADD)
    rem = _parse(cmd.rem_addrs, REM)
    for i, ip in enumerate(add, 1):
        require_public(ip, field=ADD, position=i)
        if ip in add[:i - 1]:
            raise err(2004, "host_ip_duplicate", field=ADD, position=i,
                      detail=Detail("listed_twice", ip=ip))
    if not (add or rem or cmd.requested_nsa is not None):
        raise err(2003, "missing_parameter", field="host:update",
                  detail=Detail("nothing_change_give_host_add", nsa_field=NSA_FIELD))

    # -- load
    try:
        name = parse_host_name(cmd.name)
    except EppError as e:
        raise err(2303, "host_unknown", field="host:name", detail=e.detail) from None
    row = (await ctx.conn.execute(ctx.for_update(
        select(hosts.c.id, hosts.c.name, hosts.c.sponsor_id, hosts.c.nsa_id, hosts.c.statuses,
               hosts.c.domain_id).where(hosts.c.name == name)))).first()
    if row is None:
        raise err(2303, "host_unknown", field="host:name", detail=Detail("does_not_exist_3",
                                                                         name=name))

    # -- verify the rules
    if actor.registrar_id not in (row.nsa_id, row.sponsor_id):
        raise err(2201, "no_privilege", field="host:name",
                  detail=Detail("only_name_server_administrator_its_2", name=name))
    statuses = row.statuses.split()
    if "pendingCreate" in statuses:
        raise err(2304, "object_status", field="host:name",
                  detail=Detail("pendingcreate_it_can_changed_once", name=name))
    if "pendingDelete" in statuses or (
            row.domain_id is not None and await _domain_being_deleted(ctx, row.domain_id)):
        raise err(2304, "object_status", field="host:name",
                  detail=Detail("pendingdelete_serverupdateprohibited_its_domain_being", name=name))
    nsa = None
    if cmd.requested_nsa is not None:
        if actor.registrar_id != row.nsa_id:
            raise err(2201, "no_privilege", field=NSA_FIELD,
                      detail=Detail("only_current_name_server_administrator", name=name))
        nsa = await resolve_nsa(ctx, cmd.requested_nsa)
        if nsa.id == row.nsa_id:
            nsa = None  # already the administrator: nothing to ask
    if nsa is not None and (add or rem):
        raise err(2308, "host_multiple_operations", f"host:addr, {NSA_FIELD}",
                  field="host:update",
                  detail=Detail("change_addresses_name_server_administrator"))
    if nsa is not None:
        if "pendingUpdate" in statuses:
            raise err(2304, "object_status", field=NSA_FIELD,
                      detail=Detail("pendingupdate_change_name_server_administrator", name=name))
        await request_nsa_change(ctx, row.id, row.statuses, nsa)
        return HostUpdateResult(name=name, pending=True)
    if add or rem:
        await _change_addresses(ctx, row, add, rem)
    return HostUpdateResult(name=name, pending=False)


def _parse(addrs: list[tuple[str, str | None]], where: str) -> list[str]:
    return [parse_ip(text, version, field=where, position=i)
            for i, (text, version) in enumerate(addrs, 1)]


async def _domain_being_deleted(ctx: Ctx, domain_id: int) -> bool:
    statuses = (await ctx.conn.execute(
        select(domains.c.statuses).where(domains.c.id == domain_id))).scalar()
    return "pendingDelete" in (statuses or "").split()


async def _change_addresses(ctx: Ctx, row: Any, add: list[str], rem: list[str]) -> None:
    """Removals first, then additions (RFC 5732 order), checked against the result."""
    current = [r.ip for r in await ctx.conn.execute(
        select(host_addrs.c.ip).where(host_addrs.c.host_id == row.id))]
    kept = list(current)
    for i, ip in enumerate(rem, 1):
        if ip not in kept:
            raise err(2303, "object_not_exist", field=REM, position=i,
                      detail=Detail("not_address", ip=ip, name=row.name))
        kept.remove(ip)
    glue = superordinate_dk_domain(row.name) is not None
    for i, ip in enumerate(add, 1):
        if not glue:
            raise err(2306, "host_ip_not_allowed", field=ADD, position=i,
                      detail=Detail("not_under_dk_domain_glue", name=row.name))
        if ip in kept:
            raise err(2004, "host_ip_duplicate", field=ADD, position=i,
                      detail=Detail("already_address", ip=ip, name=row.name))
    after = kept + add
    if glue and not after:
        raise err(2304, "host_ip_minimum", field=REM,
                  detail=Detail("under_dk_domain_must_keep", name=row.name))
    if len(after) > MAX_ADDRS:
        raise err(2306, "policy", field=ADD,
                  detail=Detail("at_most_addresses_would_have", max_addrs=MAX_ADDRS, name=row.name,
                                n_after=len(after)))
    gone = [ip for ip in current if ip not in kept]
    if gone:
        await ctx.conn.execute(delete(host_addrs).where(
            host_addrs.c.host_id == row.id, host_addrs.c.ip.in_(gone)))
    if add:
        await ctx.conn.execute(insert(host_addrs), [
            {"host_id": row.id, "ip": ip, "version": address_family(ip)} for ip in add])
    await ctx.conn.execute(update(hosts).where(hosts.c.id == row.id).values(
        updated_by=ctx.actor.registrar_handle, updated_at=ctx.now))

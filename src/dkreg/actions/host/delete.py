"""delete host — by its name-server administrator, or by the registry when the host's
superordinate .dk domain is released.

A host that is a name server of a live domain cannot go (2305): the domain's
delegation would point at nothing. Hosts under a released domain go with it, because
the name they live under no longer exists; their sponsor learns it from the poll
message "The name server … has been deleted" (host:infData, the host as it was).
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from dkreg.actions.poll.queue import enqueue_text
from dkreg.actions.poll.snapshots import host_snapshot
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.names import parse_host_name
from dkreg.store.context import Ctx
from dkreg.store.schema import domain_ns, domains, host_addrs, hosts, pending_requests


async def remove_host(ctx: Ctx, host_id: int) -> None:
    """The registry removes a host (its superordinate domain is being released).

    Requests still waiting for an answer about the host die with it; the sponsor is
    told with a snapshot taken before anything is removed.
    """
    row = (await ctx.conn.execute(ctx.for_update(
        select(hosts.c.id, hosts.c.name, hosts.c.sponsor_id).where(hosts.c.id == host_id))
    )).first()
    if row is None:  # already gone (another worker, or deleted meanwhile)
        return
    snapshot = await host_snapshot(ctx, row.name)
    await erase_host(ctx, row.id)
    if row.sponsor_id is not None:
        await enqueue_text(ctx, row.sponsor_id, "host_deleted", snapshot, host=row.name)


async def erase_host(ctx: Ctx, host_id: int) -> None:
    """Remove a host: its name-server links, glue, open requests and the row.

    Links are deleted explicitly (``domain_ns`` has no cascade: a live domain's
    delegation must never vanish by accident, so callers check links first when that
    matters).
    """
    await ctx.conn.execute(delete(domain_ns).where(domain_ns.c.host_id == host_id))
    await ctx.conn.execute(delete(host_addrs).where(host_addrs.c.host_id == host_id))
    # open requests die with the host; answered ones stay as history, detached from it
    await ctx.conn.execute(delete(pending_requests).where(
        pending_requests.c.host_id == host_id, pending_requests.c.state == "pending"))
    await ctx.conn.execute(update(pending_requests).where(
        pending_requests.c.host_id == host_id).values(host_id=None))
    await ctx.conn.execute(delete(hosts).where(hosts.c.id == host_id))


async def live_domains_using(ctx: Ctx, host_id: int, limit: int | None = None) -> list[str]:
    """Names (U-label) of live domains that have the host as a name server.

    Released domains do not count: their delegation is no longer published.
    """
    stmt = (select(domains.c.uname).join(domain_ns, domain_ns.c.domain_id == domains.c.id)
            .where(domain_ns.c.host_id == host_id, domains.c.released_at.is_(None))
            .order_by(domains.c.uname))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [r.uname for r in await ctx.conn.execute(stmt)]


async def host_delete(ctx: Ctx, raw_name: str) -> None:
    actor = ctx.actor
    if actor.registrar_id is None or ("nsa" not in actor.roles and "registrar" not in actor.roles):
        raise err(2201, "no_privilege", detail=Detail("deleting_hosts_needs_name_server"))
    try:
        name = parse_host_name(raw_name)
    except EppError as e:
        raise err(2303, "host_does_not_exist", field="host:name", detail=e.detail) from None
    row = (await ctx.conn.execute(ctx.for_update(
        select(hosts.c.id, hosts.c.name, hosts.c.sponsor_id, hosts.c.nsa_id)
        .where(hosts.c.name == name)))).first()
    if row is None:
        raise err(2303, "host_does_not_exist", field="host:name",
                  detail=Detail("does_not_exist_3", name=name))
    if actor.registrar_id not in (row.nsa_id, row.sponsor_id):
        raise err(2201, "no_privilege", field="host:name",
                  detail=Detail("only_name_server_administrator_its", name=name))
    using = await live_domains_using(ctx, row.id, limit=4)
    if using:
        shown = ", ".join(using[:3]) + (", …" if len(using) > 3 else "")
        raise err(2305, "host_linked", field="host:name",
                  detail=Detail("name_server_remove_it_from", name=name, shown=shown,
                                value=Detail("that_domain" if len(using) == 1
                                             else "those_domains")))
    tell_sponsor = row.sponsor_id is not None and row.sponsor_id != actor.registrar_id
    snapshot = await host_snapshot(ctx, row.name) if tell_sponsor else None
    await erase_host(ctx, row.id)
    if tell_sponsor and snapshot is not None:
        await enqueue_text(ctx, row.sponsor_id, "host_deleted", snapshot, host=row.name)


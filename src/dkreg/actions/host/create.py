"""create host: a name server object, with glue only where the .dk zone needs it.

Narrow glue policy: a host under a .dk domain needs at least one address (the zone
cannot be delegated to it otherwise) and only such hosts may carry addresses.

A host may have to wait (1001, status ``pendingCreate``, not usable as a name server
meanwhile): for the registrar named in ``dkhm:requestedNsAdmin`` to accept the
name-server administrator role, and/or for the registrant of a registrant-managed
superordinate domain whose DNS the requesting registrar does not administer
(``actions/host/nsa.py`` holds the requests and their outcomes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from dkreg.actions.host.nsa import Registrar, administers, request_for_create, resolve_nsa
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.addresses import address_family, parse_ip, require_public
from dkreg.model.names import parse_host_name, superordinate_dk_domain
from dkreg.store.context import Ctx
from dkreg.store.schema import domains, host_addrs, hosts

MAX_ADDRS = 13


@dataclass
class HostCreate:
    name: str
    addrs: list[tuple[str, str | None]] = field(default_factory=list)  # (text, "v4"/"v6")
    requested_nsa: str | None = None


@dataclass(frozen=True)
class HostCreateResult:
    name: str
    cr_date: datetime
    # None: created; "registrant": waits for the registrant (and then maybe the NSA);
    # "nsa": waits for the requested name-server administrator
    pending: str | None = None


async def host_create(ctx: Ctx, cmd: HostCreate) -> HostCreateResult:
    actor = ctx.actor
    if actor.registrar_id is None or ("nsa" not in actor.roles and "registrar" not in actor.roles):
        raise err(2201, "no_privilege", detail=Detail("creating_hosts_needs_name_server"))
    name = parse_host_name(cmd.name)
    ips: list[tuple[str, str]] = []
    if len(cmd.addrs) > MAX_ADDRS:
        raise err(2306, "policy", field="host:addr", detail=Detail("at_most_addresses",
                                                                   max_addrs=MAX_ADDRS))
    for i, (text, version) in enumerate(cmd.addrs, 1):
        ip = parse_ip(text, version, field="host:addr", position=i)
        require_public(ip, field="host:addr", position=i)
        if ip in (x for x, _ in ips):
            raise err(2004, "host_ip_duplicate", field="host:addr", position=i,
                      detail=Detail("listed_twice", ip=ip))
        ips.append((ip, address_family(ip)))
    if (await ctx.conn.execute(select(hosts.c.id).where(hosts.c.name == name))).first():
        raise err(2302, "host_exists", field="host:name", detail=Detail("already_exists_2",
                                                                        name=name))
    sup = superordinate_dk_domain(name)
    domain_id = None
    registrant_domain_id = None  # set when the domain's registrant must approve
    if sup is not None:
        dom = (await ctx.conn.execute(
            select(domains.c.id, domains.c.sponsor_id, domains.c.statuses)
            .where(domains.c.name == sup, domains.c.released_at.is_(None)))).first()
        if dom is None:
            raise err(2303, "host_superordinate_missing", field="host:name",
                      detail=Detail("not_registered_so_cannot_exist", sup=sup, name=name))
        if "pendingDelete" in dom.statuses.split():
            raise err(2304, "object_status", field="host:name",
                      detail=Detail("being_deleted_hosts_under_it", sup=sup))
        if dom.sponsor_id is None:
            if not await administers(ctx, dom.id, actor.registrar_id):
                registrant_domain_id = dom.id
        elif dom.sponsor_id != actor.registrar_id:
            raise err(2201, "no_privilege", field="host:name",
                      detail=Detail("not_your_portfolio_only_its", sup=sup))
        if not ips:
            raise err(2003, "host_ip_required", field="host:addr",
                      detail=Detail("under_dk_domain_give_at", name=name, sup=sup))
        domain_id = dom.id
    elif ips:
        raise err(2306, "host_ip_not_allowed", field="host:addr",
                  detail=Detail("not_under_dk_domain_glue", name=name))
    nsa: Registrar | None = None
    if cmd.requested_nsa is not None:
        nsa = await resolve_nsa(ctx, cmd.requested_nsa)
        if nsa.id == actor.registrar_id:  # naming yourself is the default, not a request
            nsa = None
    waits = nsa is not None or registrant_domain_id is not None
    try:  # the unique index settles a race between sessions creating the same name
        hid = (await ctx.conn.execute(insert(hosts).values(
            name=name, sponsor_id=actor.registrar_id, nsa_id=actor.registrar_id,
            domain_id=domain_id, statuses="pendingCreate" if waits else "ok",
            created_by=actor.registrar_handle, created_at=ctx.now
        ).returning(hosts.c.id))).scalar_one()
    except IntegrityError:
        raise err(2302, "host_exists", field="host:name",
                  detail=Detail("already_exists_2", name=name)) from None
    if ips:
        await ctx.conn.execute(insert(host_addrs), [
            {"host_id": hid, "ip": ip, "version": v} for ip, v in ips])
    if not waits:
        return HostCreateResult(name=name, cr_date=ctx.now)
    await request_for_create(ctx, hid, nsa=nsa, registrant_domain_id=registrant_domain_id)
    return HostCreateResult(name=name, cr_date=ctx.now,
                            pending="registrant" if registrant_domain_id else "nsa")

"""Administration > IP allow-list: the addresses a registrar's service users may log in
to EPP from.

Entries are IPv4 or IPv6 addresses or networks in CIDR form, stored normalised
(``ipaddress``'s text: ``2001:db8::/32``, a single address as ``/32`` or ``/128``). The
EPP server checks the list at login (``accounts.authenticate``): an address outside a
non-empty list is refused; an empty list means no restriction in sandbox mode only — in
production it refuses every EPP login of the registrar.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select

from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.login import portal_audit
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import registrar_ip_allow

MAX_ENTRIES = 100


@dataclass(frozen=True)
class AllowEntry:
    id: int
    network: str
    created_at: datetime
    created_by: str | None


def parse_network(value: str) -> str:
    """The stored (normalised) form of an address or CIDR network, or a 2005 naming the
    field ``network``. Host bits after the prefix are refused rather than silently
    dropped, so what is stored is what the registrar meant."""
    text = value.strip()
    if not text or len(text) > 64:
        raise err(2005, "value_syntax", field="network",
                  detail=Detail("ipv4_ipv6_address_network_cidr"))
    try:
        net = ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        raise err(2005, "value_syntax", field="network", detail=Detail(
            "network_has_host_bits" if "host bits" in str(exc) else "not_ip_network",
            value=text)) from None
    return str(net)


def address_allowed(networks: list[str], client_ip: str | None) -> bool:
    """Whether ``client_ip`` lies in one of ``networks`` (an IPv4-mapped IPv6 peer, as a
    dual-stack listener reports IPv4 clients, counts as its IPv4 address)."""
    if not client_ip:
        return False
    try:
        addr = ipaddress.ip_address(client_ip.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    for text in networks:
        try:
            if addr in ipaddress.ip_network(text):
                return True
        except (ValueError, TypeError):
            continue
    return False


def login_refusal(networks: list[str], client_ip: str | None, production: bool) -> str | None:
    """Why an EPP login from ``client_ip`` is refused by the allow-list, or None."""
    if not networks:
        if production:
            return ("the registrar's IP allow-list is empty, and in production an empty "
                    "list admits no address (add addresses under Administration > IP "
                    "allow-list in the registrar portal)")
        return None
    if address_allowed(networks, client_ip):
        return None
    return (f"the client address {client_ip or 'unknown'} is not in the registrar's IP "
            "allow-list")


async def allow_list_get(ctx: Ctx, user: PortalUser) -> list[AllowEntry]:
    require(user, "ip_allow_list")
    rows = await ctx.conn.execute(
        select(registrar_ip_allow).where(registrar_ip_allow.c.registrar_id == user.registrar_id)
        .order_by(registrar_ip_allow.c.network))
    return [AllowEntry(r.id, r.network, r.created_at, r.created_by) for r in rows]


async def allow_list_add(ctx: Ctx, user: PortalUser, value: str,
                         client_ip: str | None = None) -> str:
    require(user, "ip_allow_list")
    network = parse_network(value)
    rid = user.registrar_id
    current = (await ctx.conn.execute(
        select(func.count()).select_from(registrar_ip_allow)
        .where(registrar_ip_allow.c.registrar_id == rid))).scalar_one()
    if current >= MAX_ENTRIES:
        raise err(2004, "value_range", field="network",
                  detail=Detail("at_most_entries", max_entries=MAX_ENTRIES))
    exists = (await ctx.conn.execute(select(registrar_ip_allow.c.id).where(
        registrar_ip_allow.c.registrar_id == rid,
        registrar_ip_allow.c.network == network))).scalar()
    if exists:
        raise err(2302, "object_exists", field="network", detail=Detail("already_listed",
                                                                        network=network))
    await ctx.conn.execute(insert(registrar_ip_allow).values(
        registrar_id=rid, network=network, created_at=ctx.now, created_by=user.email))
    await portal_audit(ctx, "ip_allow_add", user.email, rid, client_ip, obj=network)
    return network


async def allow_list_remove(ctx: Ctx, user: PortalUser, entry_id: int,
                            client_ip: str | None = None) -> str:
    require(user, "ip_allow_list")
    network = (await ctx.conn.execute(select(registrar_ip_allow.c.network).where(
        registrar_ip_allow.c.id == entry_id,
        registrar_ip_allow.c.registrar_id == user.registrar_id))).scalar()
    if network is None:
        raise err(2303, "object_not_exist", field="id", detail=Detail("no_entry",
                                                                      entry_id=entry_id))
    await ctx.conn.execute(delete(registrar_ip_allow).where(
        registrar_ip_allow.c.id == entry_id))
    await portal_audit(ctx, "ip_allow_remove", user.email, user.registrar_id, client_ip,
                       obj=network)
    return network


__all__ = ["AllowEntry", "address_allowed", "allow_list_add", "allow_list_get",
           "allow_list_remove", "login_refusal", "parse_network"]

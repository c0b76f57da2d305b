"""IP addresses given as glue for name servers (``host:addr``).

Why this module exists: glue is published in the .dk zone, so a wrong address harms
every resolver that follows it. The registry rejects non-public addresses with 2004
[SPEC §create host, STAT]; the syntax of the address and its ``ip`` attribute is a
2005 matter (RFC 5732: ``ip`` is "v4" or "v6", default "v4").

``ipaddress.is_global`` alone is not enough: its answer differs between Python
releases (3.11 calls ``::ffff:1.2.3.4`` and ``2002::/16`` global), so the ranges
that must never be glue are listed explicitly, and IPv6 glue must also lie in the
global-unicast block 2000::/3.

Decisions where the sources are silent:

* Scoped IPv6 addresses (``fe80::1%eth0``) are a syntax error: a zone index has no
  meaning outside the host that wrote it.
* The whole of 192.0.0.0/24 and 2001::/23 (IETF protocol assignments) is refused,
  including the few anycast services in them: none of them is a name server for a
  .dk domain.
* 6to4 (2002::/16 and its relay 192.88.99.0/24, deprecated by RFC 7526), Teredo and
  NAT64 prefixes are refused: they are translations of other addresses, not hosts.
"""

from __future__ import annotations

import ipaddress

from dkreg.details import Detail
from dkreg.errors import err

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

# (network, why it cannot be glue). Most specific first where they overlap.
NON_PUBLIC_V4: tuple[tuple[ipaddress.IPv4Network, str], ...] = (
    (_V4("0.0.0.0/8"), "'this network' / unspecified (RFC 791)"),
    (_V4("10.0.0.0/8"), "private-use address space (RFC 1918)"),
    (_V4("100.64.0.0/10"), "carrier-grade NAT shared address space (RFC 6598)"),
    (_V4("127.0.0.0/8"), "loopback (RFC 1122)"),
    (_V4("169.254.0.0/16"), "link-local (RFC 3927)"),
    (_V4("172.16.0.0/12"), "private-use address space (RFC 1918)"),
    (_V4("192.0.0.0/24"), "IETF protocol assignments (RFC 6890)"),
    (_V4("192.0.2.0/24"), "documentation TEST-NET-1 (RFC 5737)"),
    (_V4("192.88.99.0/24"), "deprecated 6to4 relay anycast (RFC 7526)"),
    (_V4("192.168.0.0/16"), "private-use address space (RFC 1918)"),
    (_V4("198.18.0.0/15"), "benchmarking (RFC 2544)"),
    (_V4("198.51.100.0/24"), "documentation TEST-NET-2 (RFC 5737)"),
    (_V4("203.0.113.0/24"), "documentation TEST-NET-3 (RFC 5737)"),
    (_V4("224.0.0.0/4"), "multicast (RFC 5771)"),
    (_V4("255.255.255.255/32"), "limited broadcast (RFC 919)"),
    (_V4("240.0.0.0/4"), "reserved for future use (RFC 1112)"),
)

NON_PUBLIC_V6: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_V6("::/128"), "unspecified address (RFC 4291)"),
    (_V6("::1/128"), "loopback (RFC 4291)"),
    (_V6("::ffff:0:0/96"), "IPv4-mapped address (RFC 4291); give the IPv4 address as v4"),
    (_V6("64:ff9b::/96"), "NAT64 well-known prefix (RFC 6052)"),
    (_V6("64:ff9b:1::/48"), "local-use NAT64 prefix (RFC 8215)"),
    (_V6("100::/64"), "discard-only prefix (RFC 6666)"),
    (_V6("2001::/32"), "Teredo tunnelling (RFC 4380)"),
    (_V6("2001:db8::/32"), "documentation (RFC 3849)"),
    (_V6("2001::/23"), "IETF protocol assignments (RFC 2928)"),
    (_V6("2002::/16"), "6to4 tunnelling (RFC 3056, deprecated)"),
    (_V6("3fff::/20"), "documentation (RFC 9637)"),
    (_V6("fc00::/7"), "unique local address (RFC 4193)"),
    (_V6("fe80::/10"), "link-local (RFC 4291)"),
    (_V6("fec0::/10"), "deprecated site-local (RFC 3879)"),
    (_V6("ff00::/8"), "multicast (RFC 4291)"),
)

GLOBAL_UNICAST_V6 = _V6("2000::/3")


def parse_ip(text: str, ip_version: str | None, field: str = "host:addr",
             position: int | None = None) -> str:
    """Parse one ``host:addr`` value and check it against its ``ip`` attribute.

    Returns the canonical text (dotted quad; compressed lower-case IPv6) so that
    duplicates are detected whatever spelling the client used. ``ip_version`` is the
    raw attribute; None means it was omitted, which RFC 5732 defines as "v4".
    """
    version = "v4" if ip_version is None else ip_version.strip()
    if version not in ("v4", "v6"):
        raise err(2005, "value_syntax", field=field, position=position,
                  detail=Detail("ip_attribute_must_v4_v6", ip_version=ip_version))
    value = text.strip()
    if not value:
        raise err(2005, "value_syntax", field=field, position=position,
                  detail=Detail("address_empty"))
    if "%" in value:
        raise err(2005, "value_syntax", field=field, position=position,
                  detail=Detail("carries_zone_index_glue_addresses", value=value))
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        raise err(2005, "value_syntax", field=field, position=position,
                  detail=Detail("not_valid_ipv4_ipv6_address", value=value)) from None
    actual = "v4" if addr.version == 4 else "v6"
    if actual != version:
        implied = Detail("ip_default_when_omitted") if ip_version is None else ""
        raise err(2005, "value_syntax", field=field, position=position,
                  detail=Detail("ip_address_but_ip", value=value, actual=actual, version=version,
                                implied=implied))
    return str(addr)


def address_family(ip: str) -> str:
    """"v4" or "v6" for an address already accepted by :func:`parse_ip`."""
    return "v4" if ipaddress.ip_address(ip).version == 4 else "v6"


def non_public_reason(ip: str) -> str | None:
    """Why ``ip`` cannot be glue, or None when it is a public unicast address.

    Split out from :func:`require_public` so callers that only want to know (the
    nameserver checker, the portal) need not catch an exception.
    """
    addr: IPAddress = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv4Address):
        for net4, why in NON_PUBLIC_V4:
            if addr in net4:
                return f"{addr} is in {net4}, {why}"
    else:
        for net6, why in NON_PUBLIC_V6:
            if addr in net6:
                return f"{addr} is in {net6}, {why}"
        if addr not in GLOBAL_UNICAST_V6:
            return f"{addr} is outside the IPv6 global unicast block 2000::/3"
    if not addr.is_global:
        return f"{addr} is not a globally reachable address"
    return None


def require_public(ip: str, field: str = "host:addr", position: int | None = None) -> None:
    """Refuse an address that must not be published as glue (2004 host_ip_not_public)."""
    try:
        reason = non_public_reason(ip)
    except ValueError:
        raise err(2005, "value_syntax", field=field, position=position,
                  detail=Detail("not_valid_ipv4_ipv6_address_2", ip=ip)) from None
    if reason is not None:
        raise err(2004, "host_ip_not_public", field=field, position=position,
                  detail=Detail("glue_addresses_must_public_unicast", reason=reason))

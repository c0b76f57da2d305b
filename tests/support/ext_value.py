"""Read RFC 5730 ``<extValue>`` from a reply: which field, at which position, and why."""

from __future__ import annotations

from typing import Any

from support.eppclient import NS

PREFIXES = {v: k for k, v in NS.items() if k != "dkhm45"} | {
    "urn:ietf:params:xml:ns:rgp-1.0": "rgp",
    "urn:dkhm:params:xml:ns:dkhm-4.4": "dkhm",
    "urn:dkhm:params:xml:ns:dkhm-4.5": "dkhm",
}


def ext_values(reply: Any) -> list[tuple[str, int | None, str]]:
    """``[("domain:hostObj", 2, "create the host object first"), ...]``."""
    out = []
    for ext in reply.findall(".//epp:result/epp:extValue"):
        value = ext.find("epp:value", NS)
        element = value[0]
        ns, local = element.tag[1:].split("}")
        prefix = PREFIXES.get(ns, "")
        name = f"{prefix}:{local}" if prefix and prefix != "epp" else local
        position = value.get("position")
        out.append((name, int(position) if position else None,
                    ext.findtext("epp:reason", namespaces=NS) or ""))
    return out


def ext_field(reply: Any) -> tuple[str, int | None] | None:
    """The first offending field and its position, or None."""
    found = ext_values(reply)
    return found[0][:2] if found else None

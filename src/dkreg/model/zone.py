"""Which domains are delegated in the .dk zone, and what a delegation holds.

The registry's rules (Name Service specification, reference/dkhm/OTHER-SERVICES.md): a
domain is in the zone while it is active — not an application (pendingCreate), not on
hold (``serverHold``: NIS2 suspension, an unfinished ID check, the registry's own hold,
a block), not in redemption (``pendingDelete``), not released — and it has name servers.
Its delegation is its NS set and DS records; glue (A/AAAA) is published only for a name
server inside the delegated domain itself (narrow glue policy: ``ns1.eksempel.dk`` gets
glue in ``eksempel.dk``'s delegation, not when it only serves ``andet.dk``).

The same rule exists as SQL for the streaming generator (``dkreg.dns.content``); a test
holds the two to agreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

# an EPP status any of which keeps a domain out of the zone
EXCLUDING_STATUSES = ("serverHold", "clientHold", "pendingDelete", "pendingCreate", "inactive")

# the record types dkreg owns below the apex; every other type there (RRSIG, NSEC, NSEC3)
# belongs to the name server's signer
MANAGED_TYPES = ("NS", "DS", "A", "AAAA")


def in_zone(state: str, statuses: str | Iterable[str], *, released_at: datetime | None = None,
            suspended_at: datetime | None = None,
            redemption_until: datetime | None = None) -> bool:
    """Whether a domain row is delegated (before asking whether it has name servers)."""
    words = set(statuses.split() if isinstance(statuses, str) else statuses)
    return (state == "active" and released_at is None and suspended_at is None
            and redemption_until is None and not words.intersection(EXCLUDING_STATUSES))


def in_bailiwick(host: str, domain: str) -> bool:
    """``host`` lies inside ``domain`` (both A-labels, no trailing dot)."""
    host, domain = host.lower().rstrip("."), domain.lower().rstrip(".")
    return host == domain or host.endswith("." + domain)


def absolute(name: str) -> str:
    """The fully qualified form a master file and an UPDATE use (one trailing dot)."""
    return name.rstrip(".") + "."


def ds_rdata(key_tag: int, alg: int, digest_type: int, digest: str) -> str:
    return f"{key_tag} {alg} {digest_type} {digest.upper()}"

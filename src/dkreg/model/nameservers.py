"""A create's list of name servers, judged on its own (before any host is looked up).

Why a module: EPP's create domain and the portal's "register a domain" form apply the
same list rules — at least one, none twice, ``min_ns``..``max_ns`` of them — and the
form checks them before it creates anything (a new registrant, missing hosts), so that
every error of the form shows at once instead of after half the work is done.
"""

from __future__ import annotations

from dkreg.details import Detail
from dkreg.errors import err


def check_ns_list(ns: list[str], min_ns: int, max_ns: int) -> list[str]:
    """The names as the store keeps them (lower case, no final dot), or the first
    refusal: 2003 none given, 2306 one listed twice (its position), 2308 too few/many."""
    if not ns:
        raise err(2003, "missing_parameter", field="domain:ns",
                  detail=Detail("dk_domain_needs_name_servers", min_ns=min_ns, max_ns=max_ns))
    names = [h.strip().lower().rstrip(".") for h in ns]
    for i, h in enumerate(names):
        if h in names[:i]:
            raise err(2306, "policy", field="domain:hostObj", position=i + 1,
                      detail=Detail("name_server_listed_twice", h=h))
    if not min_ns <= len(names) <= max_ns:
        raise err(2308, "too_few_ns" if len(names) < min_ns else "too_many_ns",
                  field="domain:ns",
                  detail=Detail("dk_domain_needs_name_servers_2", min_ns=min_ns, max_ns=max_ns,
                                n_ns_names=len(names)))
    return names

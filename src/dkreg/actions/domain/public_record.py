"""Self-service's "what the public sees about me": the lookups' read of a live domain
with the disclosure rule applied, so every door discloses the same fields."""

from __future__ import annotations

import json
from typing import Any

from dkreg.actions.lookup.domain import lookup_domain
from dkreg.model.names import parse_domain_name
from dkreg.model.public_view import PublicContact, PublicView, domain_view
from dkreg.store.context import Ctx


def public_contact(row: Any) -> PublicContact:
    """A ``contacts`` row as the disclosure rule reads it."""
    street = tuple(s for s in json.loads(row.street or "[]") if s)
    return PublicContact(row.handle, row.user_type, row.name, row.org, street, row.pc,
                         row.city, row.cc, row.email, row.secondary_email, row.cvr,
                         row.voice)


async def public_record(ctx: Ctx, uname: str) -> PublicView | None:
    """What a public lookup of the live domain ``uname`` (U-label) discloses; None when
    there is no such domain. The lookups' own read (``actions.lookup.domain``), so
    self-service shows exactly what WHOIS and RDAP show."""
    facts = await lookup_domain(ctx, parse_domain_name(uname))
    if facts is None or facts.domain is None or facts.registrant is None:
        return None
    return PublicView(domain_view(facts.domain), facts.registrant)

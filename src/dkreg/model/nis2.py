"""NIS2 disclosure vocabulary: who may ask for non-public registration data, which data,
and what a reporter of wrong data may point at (Art. 28(5), PLATFORM.md §4 N10-N14).

Kept as plain data so that the forms, the API, the staff pages and the statistics all
name the same things; the Danish and English words for them are web texts.
"""

from __future__ import annotations

# the requester types the statistics are broken down by
REQUESTER_TYPES = ("police", "cert", "authority", "rights_holder", "other")

# public authorities: the only requesters that may hold a standing grant (every domain)
AUTHORITY_TYPES = frozenset({"police", "cert", "authority"})

# a disclosure to these is not told to the registrant: a criminal investigation or an
# incident response must not be tipped off ([AUTH]: "registrant not informed")
REGISTRANT_NOT_TOLD = frozenset({"police", "cert"})

# the registrant data a grant can open (``lookup.domain.DomainFacts.registrant_contact``)
FIELDS = ("name", "address", "email", "phone")

# what an inaccuracy report can say is wrong
WRONG_FIELDS = ("name", "address", "email", "phone", "other")

DECISIONS = ("approved", "refused")

# an inaccuracy report's states and outcomes
REPORT_STATES = ("verifying", "suspended", "closed")
OUTCOMES = ("verified", "suspended", "deleted", "registrant_changed")

MAX_DOMAINS = 50  # per access request
MAX_TEXT = 4000  # legal basis, description, reason


def words(text: str | None) -> list[str]:
    """A space-separated column back as its items."""
    return (text or "").split()

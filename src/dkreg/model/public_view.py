"""What a public lookup (WHOIS, WHOIS REST, RDAP) discloses about a domain and its
registrant — one rule, so self-service can show a person exactly what the world sees and
the lookup services (issue 15) disclose exactly that.

The .dk rules (reference OTHER-SERVICES.md §WHOIS/§RDAP, PLATFORM.md N9 and item 10):

* the domain: name, status, registration and expiry dates, registration period, VID,
  DNSSEC (signed or not), name servers, a scheduled deletion date; the registrar only
  for a registrar-managed domain (a registrant-managed one has none to show);
* the registrant's handle is never shown (WHOIS prints ``***N/A***``), nor its phone
  numbers (no number is known to be public) or, for a person, any e-mail;
* a company, association or public body is shown with name and postal address, and —
  from 3 November 2025 (policy ``public_org_email``) — its e-mail: the secondary e-mail
  when it has a CVR number and one, else the primary;
* a natural person is shown by country only. The registry cannot tell which persons
  have name and address protection (nothing records it), so least disclosure (N9)
  withholds every person's name and address rather than risk publishing a protected one.

Values are returned as display strings keyed by field (a field with no value is left
out); ``withheld`` lists the fields the rule keeps from a lookup, so a page can say so
instead of leaving the reader to guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ORGANISATIONS = ("company", "public_organization", "association")

DOMAIN_FIELDS = ("domain", "status", "registered", "expires", "period", "registrar",
                 "delete_date", "vid", "dnssec", "nameservers")
REGISTRANT_FIELDS = ("handle", "name", "address", "postal_code", "city", "country",
                     "email", "phone")


@dataclass(frozen=True)
class PublicContact:
    """The registrant as stored (the fields the rule looks at)."""

    handle: str
    user_type: str
    name: str | None
    org: str | None
    street: tuple[str, ...]
    pc: str | None
    city: str
    cc: str
    email: str
    secondary_email: str | None = None
    cvr: str | None = None
    voice: str | None = None


@dataclass(frozen=True)
class PublicDomain:
    """The domain as stored (the fields the rule looks at)."""

    uname: str
    state: str
    statuses: str
    management: str
    created_at: datetime | None
    expires_at: datetime | None
    period_years: int
    registrar: str | None         # "Name (HANDLE)" of the sponsor, when there is one
    delete_at: datetime | None = None
    redemption_until: datetime | None = None
    vid: bool = False
    signed: bool = False          # DS records published
    nameservers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Disclosed:
    shown: dict[str, str] = field(default_factory=dict)
    withheld: tuple[str, ...] = ()


def public_status(d: PublicDomain) -> str:
    """RDAP's domain status values: ``active``, ``inactive`` or ``pending delete``."""
    statuses = d.statuses.split()
    if d.redemption_until is not None or "pendingDelete" in statuses:
        return "pending delete"
    if d.state != "active" or "serverHold" in statuses:
        return "inactive"
    return "active"


def _date(moment: datetime | None) -> str | None:
    return moment.date().isoformat() if moment is not None else None


def domain_view(d: PublicDomain) -> Disclosed:
    values: dict[str, str | None] = {
        "domain": d.uname,
        "status": public_status(d),
        "registered": _date(d.created_at),
        "expires": _date(d.expires_at),
        "period": str(d.period_years),
        "registrar": d.registrar if d.management == "registrar" else None,
        "delete_date": _date(d.delete_at or d.redemption_until),
        "vid": "yes" if d.vid else "no",
        "dnssec": "signed" if d.signed else "unsigned",
        "nameservers": ", ".join(d.nameservers) or None,
    }
    shown = {k: v for k, v in values.items() if v}
    return Disclosed(shown, ("registrar",) if d.management != "registrar" else ())


def registrant_view(c: PublicContact, *, publish_org_email: bool) -> Disclosed:
    if c.user_type in ORGANISATIONS:
        email = c.secondary_email if c.cvr and c.secondary_email else c.email
        values: dict[str, str | None] = {
            "name": c.org or c.name,
            "address": ", ".join(s for s in c.street if s) or None,
            "postal_code": c.pc,
            "city": c.city,
            "country": c.cc,
            "email": email if publish_org_email else None,
        }
        hidden = {"handle", "phone"} | (set() if publish_org_email else {"email"})
    else:
        values = {"country": c.cc}
        hidden = set(REGISTRANT_FIELDS) - {"country"}
    shown = {k: v for k, v in values.items() if v}
    return Disclosed(shown, tuple(k for k in REGISTRANT_FIELDS if k in hidden))


@dataclass(frozen=True)
class PublicView:
    domain: Disclosed
    registrant: Disclosed


def public_view(d: PublicDomain, registrant: PublicContact, *,
                publish_org_email: bool) -> PublicView:
    """Everything a public lookup of ``d`` discloses, domain and registrant."""
    return PublicView(domain_view(d),
                      registrant_view(registrant, publish_org_email=publish_org_email))

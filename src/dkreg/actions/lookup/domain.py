"""A public lookup of a domain name: the live domain (or application), a reserved name,
or a name offered to its waiting list — each as the registry's lookups show it.

Status in the registry's words (reference OTHER-SERVICES.md, WHOIS and WHOIS REST):

* ``Active`` (REST ``A``): a domain in the zone;
* ``Deactivated``: a domain that exists but is not in the zone — an application not yet
  activated (REST ``I``, "inactive, needs activation"), a domain in redemption (``I``),
  one suspended after an unanswered NIS2 verification (``H``, withheld) or put on hold
  by the registry (``B``, blocked);
* ``Reserved`` (``B``): a name the registry withholds from registration;
* ``Offered to waiting list`` (``W``): a released name offered to the first on its
  waiting list; dates, period, VID and DNSSEC are then ``***N/A***`` in WHOIS.

The DNSSEC field is the registry's wording: the latest name-server check's verdict when
the domain has DS records and was checked ("Signed delegation", "... keys unpublished",
"Unknown status"), "Signed delegation" for DS records not checked yet, and
"Unsigned delegation, no records" without DS records.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import bindparam, select

from dkreg.model.dnssec import DsRecord
from dkreg.model.names import DomainName
from dkreg.model.public_view import (
    Disclosed,
    PublicContact,
    PublicDomain,
    public_status,
    registrant_view,
)
from dkreg.model.zone import in_bailiwick, in_zone
from dkreg.store.context import Ctx
from dkreg.store.schema import (
    reserved_names,
    waiting_list_offers,
)

Kind = Literal["domain", "reserved", "waiting_list"]

UNSIGNED_NO_RECORDS = "Unsigned delegation, no records"
SIGNED = "Signed delegation"


@dataclass(frozen=True)
class RegistrarFacts:
    """The sponsor of a registrar-managed domain, as the public registrar list shows it."""

    handle: str
    name: str
    website: str | None
    email: str | None
    listed: bool  # on the public registrar list: its details may be shown
    logo: str | None = None  # the list's logo URL (listed registrars only)


@dataclass(frozen=True)
class DomainFacts:
    """Everything a public door may use about one name; ``registrant`` is already the
    disclosed view, ``registrant_contact`` the stored contact for a door that serves an
    access grant (NIS2 legitimate access) and must not be shown otherwise."""

    name: DomainName
    kind: Kind
    status: str  # WHOIS wording
    letter: str  # WHOIS REST public_domain_status
    rdap_status: str  # model.public_view.public_status for a domain
    domain: PublicDomain | None = None
    application: bool = False  # pendingCreate: not yet activated
    in_zone: bool = False
    dnssec: str | None = None
    ds: tuple[DsRecord, ...] = ()
    nameservers: tuple[str, ...] = ()  # host names (A-labels), in order
    # the delegation's glue: each name server inside the domain itself with the addresses
    # the zone publishes for it (none while the domain is not in the zone)
    glue: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    registrar: RegistrarFacts | None = None  # registrar-managed domains only
    registrant: Disclosed | None = None
    registrant_handle: str | None = None
    registrant_contact: PublicContact | None = None
    updated_at: datetime | None = None
    transferred_at: datetime | None = None
    reason: str | None = None  # a reserved name's reason
    offered_until: datetime | None = None


def status_of(d: PublicDomain, *, suspended: bool, shown_in_zone: bool) -> tuple[str, str]:
    """The WHOIS status wording and the REST letter of an existing domain."""
    if shown_in_zone:
        return "Active", "A"
    if d.state != "active" or d.redemption_until is not None:
        return "Deactivated", "I"
    if suspended:
        return "Deactivated", "H"
    return "Deactivated", "B"


# built once: composing a statement per lookup cost a third of a lookup's Python time
_RESERVED = select(reserved_names.c.reason).where(reserved_names.c.name == bindparam("name"))
_OFFERED = select(waiting_list_offers.c.offered_until).where(
    waiting_list_offers.c.name == bindparam("name"),
    waiting_list_offers.c.offered_until > bindparam("now"))


async def lookup_domain(ctx: Ctx, name: DomainName) -> DomainFacts | None:
    """What the public lookups say about ``name``; None when it is neither a domain nor
    a reserved name nor a waiting-list offer (free to register). The domain's row comes
    from the domain store (one statement on PostgreSQL, two elsewhere): WHOIS and RDAP
    answer thousands of these a second."""
    found = await ctx.domains.lookup(ctx, name.alabel)
    if found is None:
        return await _not_a_domain(ctx, name)
    dom = found.domain
    ns = tuple(found.ns)
    ds = tuple(sorted((DsRecord(t, a, dt, dg.upper()) for t, a, dt, dg in found.ds),
                      key=lambda x: (x.key_tag, x.digest_type, x.alg, x.digest)))
    street = tuple(x for x in json.loads(dom["street"] or "[]") if x)
    contact = PublicContact(
        dom["handle"], dom["user_type"], dom["c_name"], dom["org"], street, dom["pc"],
        dom["city"], dom["cc"], dom["email"], dom["secondary_email"], dom["cvr"],
        dom["voice"])
    zone = in_zone(dom["state"], dom["statuses"], released_at=dom["released_at"],
                   suspended_at=dom["suspended_at"],
                   redemption_until=dom["redemption_until"])
    registrar = None
    rname, rhandle = dom["rname"], dom["rhandle"]
    if dom["management"] == "registrar" and rhandle:
        listed = bool(dom["listed"])
        registrar = RegistrarFacts(rhandle, dom["public_name"] or rname,
                                   dom["website"] if listed else None,
                                   dom["remail"] if listed else None, listed,
                                   dom["logo_url"] if listed else None)
    d = PublicDomain(
        uname=dom["uname"], state=dom["state"], statuses=dom["statuses"],
        management=dom["management"], created_at=dom["created_at"],
        expires_at=dom["expires_at"], period_years=dom["period_years"],
        registrar=f"{rname} ({rhandle})" if rhandle else None,
        delete_at=dom["delete_at"], redemption_until=dom["redemption_until"],
        vid=dom["vid"], signed=bool(ds), nameservers=ns)
    status, letter = status_of(d, suspended=dom["suspended_at"] is not None, shown_in_zone=zone)
    dnssec = (dom["dnssec_checked"] or SIGNED) if ds else UNSIGNED_NO_RECORDS
    glue = delegation_glue(name.alabel, ns, found.own_addresses, delegated=zone)
    return DomainFacts(
        name=name, kind="domain", status=status, letter=letter, rdap_status=public_status(d),
        domain=d, application=dom["state"] != "active", in_zone=zone, dnssec=dnssec, ds=ds,
        nameservers=ns, glue=glue, registrar=registrar,
        registrant=registrant_view(contact, publish_org_email=ctx.policy.applies(
            "public_org_email", ctx.now)),
        registrant_handle=contact.handle, registrant_contact=contact,
        updated_at=dom["updated_at"], transferred_at=dom["transferred_at"])


def delegation_glue(domain: str, nameservers: Sequence[str],
                    own_addresses: Sequence[tuple[str, str]], *, delegated: bool
                    ) -> dict[str, tuple[str, ...]]:
    """The glue of ``domain``'s delegation as the zone publishes it (``dns.content``):
    .dk's narrow glue policy gives addresses only to its name servers inside the domain
    itself, and only while the domain is delegated. ``own_addresses`` are (host,
    address) of its own subordinate name servers, as the domain store reads them with
    the domain's row."""
    inside = [n for n in nameservers if in_bailiwick(n, domain)]
    found: dict[str, list[str]] = {n: [] for n in inside}
    if delegated:
        for host, address in own_addresses:
            if host in found:
                found[host].append(address)
    return {n: tuple(sorted(found[n])) for n in inside}


async def _not_a_domain(ctx: Ctx, name: DomainName) -> DomainFacts | None:
    reason = (await ctx.conn.execute(_RESERVED, {"name": name.alabel})).scalar()
    if reason is not None:
        return DomainFacts(name=name, kind="reserved", status="Reserved", letter="B",
                           rdap_status="inactive", reason=reason)
    until = (await ctx.conn.execute(_OFFERED, {"name": name.alabel, "now": ctx.now})).scalar()
    if until is not None:
        return DomainFacts(name=name, kind="waiting_list", status="Offered to waiting list",
                           letter="W", rdap_status="inactive", offered_until=until)
    return None

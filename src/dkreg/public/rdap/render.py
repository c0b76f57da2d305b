"""RDAP JSON (RFC 9083) built from the lookup read models: pure functions, facts in and a
dict out, so the authenticated tier (NIS2 legitimate access) can call the same builders
with more to show (``full``) and the tests can check each object on its own.

Choices (the .dk draft of 2017 and RFC 9083 leave them open):

* ``rdapConformance``: ``rdap_level_0`` and ``dkreg_cctld_profile_0``, the profile these
  answers follow (this module); no RDAP extension is used — in particular not RFC 9537's
  ``redacted`` member, which ICANN's response schemas refuse on a domain or entity.
* Withheld registrant data: the entity keeps its jCard with an empty ``fn`` (RFC 9083
  §5.1 and ICANN's own examples do so) and, for a person, only the country in ``adr``
  (both RFC 8605's ``cc`` parameter and the country component, so that clients reading
  either see it); a remark of type "object truncated due to authorization" names the
  withheld fields. The registrant has no handle (the registry never shows it).
* Status values (RFC 8056's mapping of EPP statuses): the registry's RDAP status first
  (``active``, ``inactive`` or ``pending delete``: ``model.public_view.public_status``),
  then each EPP status the domain carries in RFC 8056 words — ``server hold`` for a
  domain the registry holds (blocked, or suspended after an unanswered NIS2
  verification), ``pending create`` for an application not yet activated, the
  prohibitions. A reserved name or a waiting-list offer is an ``inactive`` domain object
  with a remark saying which, and no events.
* Events: registration, expiration, last changed, transfer (when there was one),
  deletion (a scheduled deletion or the end of redemption) and "last update of RDAP
  database" (the moment of the answer: it is read live). No event actors (the .dk
  draft discloses none).
* Links: ``self`` (``application/rdap+json``) on every object; a domain's ``related``
  link is the public lookup page (``text/html``, so RDAP clients do not follow it as
  RDAP); a registrar's ``about`` link its website when it is on the public list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from dkreg.actions.lookup.domain import DomainFacts, RegistrarFacts
from dkreg.actions.lookup.host import HostFacts
from dkreg.config import Settings
from dkreg.model.public_view import ORGANISATIONS, Disclosed, PublicContact
from dkreg.public.http_lookup import host_unicode

MEDIA_TYPE = "application/rdap+json"
PROFILE = "dkreg_cctld_profile_0"
CONFORMANCE = ("rdap_level_0", PROFILE)
LANG = "en"

# RFC 8056 §2: EPP status → RDAP status
EPP_TO_RDAP = {
    "ok": "active", "inactive": "inactive", "serverHold": "server hold",
    "clientHold": "client hold", "pendingCreate": "pending create",
    "pendingDelete": "pending delete", "pendingRenew": "pending renew",
    "pendingTransfer": "pending transfer", "pendingUpdate": "pending update",
    "pendingRestore": "pending restore",
    "serverDeleteProhibited": "server delete prohibited",
    "serverRenewProhibited": "server renew prohibited",
    "serverTransferProhibited": "server transfer prohibited",
    "serverUpdateProhibited": "server update prohibited",
    "clientDeleteProhibited": "client delete prohibited",
    "clientRenewProhibited": "client renew prohibited",
    "clientTransferProhibited": "client transfer prohibited",
    "clientUpdateProhibited": "client update prohibited",
}
# the disclosure rule's field names, as a reader of the remark knows them
FIELD_WORDS = {"handle": "handle", "name": "name", "address": "street address",
               "postal_code": "postal code", "city": "city", "country": "country",
               "email": "e-mail", "phone": "telephone"}


@dataclass(frozen=True)
class Site:
    """Where the answers point: the RDAP base URL, the public web site (terms, privacy,
    the lookup page) and the WHOIS host for ``port43``."""

    rdap: str
    public: str
    port43: str

    @classmethod
    def of(cls, settings: Settings) -> Site:
        return cls(settings.rdap_url, settings.public_base_url.rstrip("/"),
                   settings.rdap_whois_host)

    def url(self, kind: str, key: str) -> str:
        return f"{self.rdap}/{kind}/{quote(key, safe='')}"

    @property
    def terms(self) -> str:
        return f"{self.public}/lookup/terms"

    @property
    def privacy(self) -> str:
        return f"{self.public}/lookup/privacy"

    def lookup_page(self, name: str) -> str:
        return f"{self.public}/lookup?q={quote(name, safe='')}"


def rdap_time(moment: datetime) -> str:
    """RFC 3339 in UTC, whole seconds: ``2026-05-11T08:50:11Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def link(value: str, rel: str, href: str, media: str = MEDIA_TYPE) -> dict[str, str]:
    return {"value": value, "rel": rel, "href": href, "type": media}


def self_link(url: str) -> dict[str, str]:
    return link(url, "self", url)


def event(action: str, moment: datetime | None) -> list[dict[str, str]]:
    return [{"eventAction": action, "eventDate": rdap_time(moment)}] if moment else []


def notices(site: Site, context: str) -> list[dict[str, Any]]:
    """The terms of use and the privacy notice, each linking to its page."""
    return [
        {"title": "Terms of Use",
         "description": [
             "The data in this service is provided for information purposes only, to "
             "help persons obtain information about a domain name registration under "
             ".dk. Use of the data for advertising or similar activities is forbidden. "
             "Access may be limited for anyone abusing the service."],
         "links": [link(context, "terms-of-service", site.terms, "text/html")]},
        {"title": "Privacy Notice",
         "description": [
             "Personal data is shown only as the registry's disclosure rule allows: for "
             "a natural person the country only; for a company, an association or a "
             "public organisation its name, postal address and (from 3 November 2025) "
             "its public e-mail address. Telephone numbers and handles are never "
             "shown."],
         "links": [link(context, "privacy-policy", site.privacy, "text/html")]},
    ]


def top_level(obj: dict[str, Any], site: Site, context: str) -> dict[str, Any]:
    """An object as a whole response: ``rdapConformance``, notices and ``lang`` at the
    top (RFC 9083 §4.1: the conformance member appears only in the topmost object)."""
    return {"rdapConformance": list(CONFORMANCE), **obj, "notices": notices(site, context),
            "lang": LANG}


# -- entities --------------------------------------------------------------------------

def vcard(*props: list[Any]) -> list[Any]:
    return ["vcard", [["version", {}, "text", "4.0"], *props]]


def _adr(street: Sequence[str] | str, city: str, pc: str, cc: str) -> list[Any]:
    street_value: str | list[str] = list(street) if not isinstance(street, str) else street
    if isinstance(street_value, list) and len(street_value) == 1:
        street_value = street_value[0]
    params = {"cc": cc} if cc else {}
    return ["adr", params, "text", ["", "", street_value or "", city, "", pc, cc]]


def registrant_entity(disclosed: Disclosed, *, organisation: bool,
                      full: PublicContact | None = None) -> dict[str, Any]:
    """The registrant of a domain (role ``registrant``) as the disclosure rule shows it;
    ``full`` (the stored contact, for an access grant) shows everything: name,
    organisation, address, e-mail, telephone and the handle."""
    if full is not None:
        props: list[list[Any]] = [
            ["fn", {}, "text", full.name or full.org or ""],
            ["kind", {}, "text", "individual" if full.user_type == "individual" else "org"]]
        if full.org:
            props.append(["org", {}, "text", full.org])
        props.append(_adr(full.street, full.city, full.pc or "", full.cc))
        if full.email:
            props.append(["email", {}, "text", full.email])
        if full.voice:
            props.append(["tel", {"type": "voice"}, "uri", "tel:" + full.voice])
        return {"objectClassName": "entity", "handle": full.handle, "roles": ["registrant"],
                "vcardArray": vcard(*props)}
    shown = disclosed.shown
    props = [["fn", {}, "text", shown.get("name", "")],
             ["kind", {}, "text", "org" if organisation else "individual"]]
    if organisation and "name" in shown:
        props.append(["org", {}, "text", shown["name"]])
    if "country" in shown:
        props.append(_adr(shown.get("address", ""), shown.get("city", ""),
                          shown.get("postal_code", ""), shown["country"]))
    if "email" in shown:
        props.append(["email", {}, "text", shown["email"]])
    out: dict[str, Any] = {"objectClassName": "entity", "roles": ["registrant"],
                           "vcardArray": vcard(*props)}
    withheld = [FIELD_WORDS.get(f, f) for f in disclosed.withheld]
    if withheld:
        out["remarks"] = [{
            "title": "REDACTED FOR PRIVACY",
            "type": "object truncated due to authorization",
            "description": ["The registry does not disclose the registrant's "
                            + ", ".join(withheld) + "."]}]
    return out


def registrar_entity(r: RegistrarFacts, site: Site, *,
                     created_at: datetime | None = None) -> dict[str, Any]:
    """The sponsor of a registrar-managed domain (role ``registrar``): handle and name
    always (WHOIS shows both), website and e-mail when it is on the public list."""
    url = site.url("entity", r.handle)
    props: list[list[Any]] = [["fn", {}, "text", r.name], ["kind", {}, "text", "org"]]
    if r.email:
        props.append(["email", {}, "text", r.email])
    if r.website:
        props.append(["url", {}, "uri", _web(r.website)])
    links = [self_link(url)]
    if r.website:
        links.append(link(url, "about", _web(r.website), "text/html"))
    out: dict[str, Any] = {"objectClassName": "entity", "handle": r.handle,
                           "roles": ["registrar"], "vcardArray": vcard(*props),
                           "status": ["active"], "links": links}
    if created_at is not None:
        out["events"] = event("registration", created_at)
    return out


def _web(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else "https://" + url


# -- name servers and domains ------------------------------------------------------------

def nameserver_object(name: str, site: Site, addresses: Sequence[str] = ()) -> dict[str, Any]:
    """A name server as a domain answer lists it: names, its published glue, a link.
    Never the domains it serves (no enumeration)."""
    out: dict[str, Any] = {"objectClassName": "nameserver", "ldhName": name}
    uname = host_unicode(name)
    if uname != name:
        out["unicodeName"] = uname
    if addresses:
        v4 = [a for a in addresses if ":" not in a]
        v6 = [a for a in addresses if ":" in a]
        out["ipAddresses"] = {k: v for k, v in (("v4", v4), ("v6", v6)) if v}
    out["links"] = [self_link(site.url("nameserver", name))]
    return out


def nameserver_answer(facts: HostFacts, site: Site) -> dict[str, Any]:
    """``nameserver/{name}``: the object with its status, events and WHOIS server."""
    obj = nameserver_object(facts.name, site, facts.addresses)
    obj["status"] = ["active"]
    obj["events"] = (event("registration", facts.created_at)
                     + event("last changed", facts.updated_at))
    obj["port43"] = site.port43
    return top_level(obj, site, site.url("nameserver", facts.name))


def domain_statuses(facts: DomainFacts) -> list[str]:
    """The registry's RDAP status first, then the EPP statuses in RFC 8056 words."""
    out = [facts.rdap_status]
    epp = facts.domain.statuses.split() if facts.domain is not None else []
    if facts.letter in ("B", "H") and facts.kind == "domain" and "serverHold" not in epp:
        epp.append("serverHold")  # held by the registry: not in the zone
    for status in epp:
        word = EPP_TO_RDAP.get(status)
        if word and word not in out and word != "active":
            out.append(word)
    return out


def domain_events(facts: DomainFacts, now: datetime) -> list[dict[str, str]]:
    d = facts.domain
    if d is None:
        return []
    return (event("registration", d.created_at) + event("expiration", d.expires_at)
            + event("last changed", facts.updated_at)
            + event("transfer", facts.transferred_at)
            + event("deletion", d.delete_at or d.redemption_until)
            + event("last update of RDAP database", now))


def secure_dns(facts: DomainFacts) -> dict[str, Any]:
    out: dict[str, Any] = {"delegationSigned": bool(facts.ds)}
    if facts.ds:
        out["dsData"] = [{"keyTag": ds.key_tag, "algorithm": ds.alg,
                          "digestType": ds.digest_type, "digest": ds.digest}
                         for ds in facts.ds]
    return out


REMARKS = {
    "reserved": ("Reserved", "The name is reserved by the registry and cannot be "
                 "registered."),
    "waiting_list": ("Offered to waiting list", "The name has been released and is "
                     "offered to the first applicant on its waiting list."),
}


def domain_object(facts: DomainFacts, site: Site, *, now: datetime,
                  glue: Mapping[str, Sequence[str]] | None = None,
                  full: PublicContact | None = None) -> dict[str, Any]:
    """``domain/{name}`` for ``facts``; ``glue`` the published addresses of its in-zone
    name servers, ``full`` the registrant's stored contact for an access grant."""
    name = facts.name
    url = site.url("domain", name.alabel)
    obj: dict[str, Any] = {"objectClassName": "domain", "handle": name.roid,
                           "ldhName": name.alabel}
    if name.ulabel != name.alabel:
        obj["unicodeName"] = name.ulabel
    obj["status"] = domain_statuses(facts)
    if facts.kind != "domain" or facts.domain is None:
        title, text = REMARKS.get(facts.kind, ("", ""))
        obj["remarks"] = [{"title": title, "description": [text]}]
        obj["links"] = [self_link(url)]
        obj["port43"] = site.port43
        return top_level(obj, site, url)
    obj["events"] = domain_events(facts, now)
    obj["nameservers"] = [nameserver_object(ns, site, (glue or {}).get(ns, ()))
                          for ns in facts.nameservers]
    obj["secureDNS"] = secure_dns(facts)
    entities = []
    if facts.registrant is not None:
        entities.append(registrant_entity(
            facts.registrant, full=full,
            organisation=bool(facts.registrant_contact
                              and facts.registrant_contact.user_type in ORGANISATIONS)))
    if facts.registrar is not None:
        entities.append(registrar_entity(facts.registrar, site))
    if entities:
        obj["entities"] = entities
    obj["links"] = [self_link(url),
                    link(url, "related", site.lookup_page(name.ulabel), "text/html")]
    obj["port43"] = site.port43
    return top_level(obj, site, url)


# -- entity lookups, help and errors -------------------------------------------------------

def registrar_answer(r: RegistrarFacts, site: Site, created_at: datetime | None
                     ) -> dict[str, Any]:
    obj = registrar_entity(r, site, created_at=created_at)
    obj["port43"] = site.port43
    return top_level(obj, site, site.url("entity", r.handle))


def contact_answer(handle: str, disclosed: Disclosed, site: Site, *, organisation: bool,
                   full: PublicContact | None = None) -> dict[str, Any]:
    """``entity/{handle}`` of a registrant (an organisation, or anyone with ``full``)."""
    obj = registrant_entity(disclosed, organisation=organisation, full=full)
    obj["handle"] = handle
    url = site.url("entity", handle)
    obj["links"] = [self_link(url)]
    obj["port43"] = site.port43
    return top_level(obj, site, url)


def help_answer(site: Site) -> dict[str, Any]:
    url = f"{site.rdap}/help"
    about = {"title": "About this service", "description": [
        "RDAP for .dk (RFC 7480-7484, RFC 9082, RFC 9083) under the profile "
        f"{PROFILE}: domain/<name> (U-label or A-label), nameserver/<name>, "
        "entity/<handle> (registrars; registrants that are organisations) and help.",
        "Searches, IP and autnum queries are not supported.",
        f"Requests per source network are limited; excess gets 429 with Retry-After. "
        f"The same data is served by WHOIS on {site.port43} port 43."],
        "links": [link(url, "self", url)]}
    return {"rdapConformance": list(CONFORMANCE),
            "notices": [about, *notices(site, url)], "lang": LANG}


TITLES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
          415: "Unsupported Media Type", 429: "Too Many Requests",
          500: "Internal Server Error", 501: "Not Implemented"}


def error_answer(status: int, description: Sequence[str] = ()) -> dict[str, Any]:
    """RFC 9083 §6: ``errorCode`` (the HTTP status), a title and a description."""
    return {"rdapConformance": list(CONFORMANCE), "errorCode": status,
            "title": TITLES.get(status, "Error"), "description": list(description),
            "lang": LANG}

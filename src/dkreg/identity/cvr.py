"""The Danish Business Authority's CVR data service (system-to-system access).

An Elasticsearch ``_search`` POST on ``…/cvr-permanent/virksomhed/_search`` with basic
auth, asking for one CVR number; the answer's ``Vrvirksomhed`` gives the newest name and
address (``virksomhedMetadata``), the status and the production units (``penheder``).
The contact must carry that name (or organisation) and address (normalised), an active
company, a P-number that is one of its production units (when the contact has one) and a
valid 13-digit EAN (GLN) when it has one. Companies, associations and public bodies with
a Danish address verify this way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from stdnum import ean as std_ean

from dkreg.actions.contact.verification_checks import MATCHED, CheckOutcome
from dkreg.config import Settings
from dkreg.identity import http
from dkreg.identity.http import ProviderError
from dkreg.identity.normalise import fold, same

SIMULATOR_PATH = "/dev/cvr/cvr-permanent/virksomhed/_search"
ACTIVE = frozenset({"aktiv", "normal"})


def search_url(settings: Settings) -> str:
    if settings.identity_mode == "simulator":
        return http.simulator_url(settings, SIMULATOR_PATH)
    return settings.cvr_url


def credentials(settings: Settings) -> tuple[str, str]:
    if settings.identity_mode == "simulator":
        return settings.cvr_username or "sandbox", settings.cvr_password or "sandbox"
    return settings.cvr_username, settings.cvr_password


def query(cvr: str) -> dict[str, Any]:
    return {"query": {"term": {"Vrvirksomhed.cvrNummer": int(cvr)}}, "size": 1,
            "_source": ["Vrvirksomhed.cvrNummer", "Vrvirksomhed.virksomhedMetadata",
                        "Vrvirksomhed.penheder"]}


@dataclass(frozen=True)
class Company:
    cvr: str
    name: str
    street: str  # "Vesterbrogade 1A"
    pc: str
    city: str
    status: str
    pnumbers: frozenset[str]

    @property
    def active(self) -> bool:
        return self.status.casefold() in ACTIVE


def parse_company(doc: dict[str, Any]) -> Company:
    v = doc["Vrvirksomhed"]
    meta = v.get("virksomhedMetadata") or {}
    address = meta.get("nyesteBeliggenhedsadresse") or {}
    number = f"{address.get('husnummerFra') or ''}{address.get('bogstavFra') or ''}"
    return Company(
        cvr=str(v["cvrNummer"]), name=(meta.get("nyesteNavn") or {}).get("navn") or "",
        street=f"{address.get('vejnavn') or ''} {number}".strip(),
        pc=str(address.get("postnummer") or ""), city=address.get("postdistrikt") or "",
        status=meta.get("sammensatStatus") or "",
        pnumbers=frozenset(str(p["pNummer"]) for p in v.get("penheder") or []
                           if p.get("pNummer") is not None))


async def lookup(settings: Settings, cvr: str) -> Company | None:
    """The company registered under ``cvr``; None when there is none."""
    async with http.client(settings) as client:
        resp = await client.post(search_url(settings), json=query(cvr),
                                 auth=credentials(settings))
    if resp.status_code != 200:
        raise ProviderError(f"the CVR service answered HTTP {resp.status_code}")
    try:
        hits = resp.json()["hits"]["hits"]
        return parse_company(hits[0]["_source"]) if hits else None
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise ProviderError("the CVR service's answer is not a search result") from exc


def _street_matches(contact_street: str, company: Company) -> bool:
    """The contact's first street line starts with the register's street and number
    (floor and door may follow)."""
    lines = json.loads(contact_street) if contact_street.startswith("[") else [contact_street]
    first = fold(lines[0] if lines else "")
    wanted = fold(company.street)
    return bool(wanted) and (first == wanted or first.startswith(wanted + " "))


def judge(contact: Any, company: Company | None) -> CheckOutcome:
    if company is None:
        return CheckOutcome("cvr", "unknown_cvr", "no company has this CVR number")
    if not company.active:
        return CheckOutcome("cvr", "dissolved", f"the company's status is {company.status}")
    if not (same(contact.name, company.name) or same(contact.org, company.name)):
        return CheckOutcome("cvr", "name_mismatch",
                            "the contact's name differs from the registered name")
    if (contact.pc or "").strip() != company.pc or not _street_matches(contact.street, company):
        return CheckOutcome("cvr", "address_mismatch",
                            "the contact's address differs from the registered address")
    if contact.pnumber and contact.pnumber not in company.pnumbers:
        return CheckOutcome("cvr", "pnumber_mismatch",
                            "the P-number is not one of the company's production units")
    if contact.ean and not (len(contact.ean) == 13 and std_ean.is_valid(contact.ean)):
        return CheckOutcome("cvr", "ean_invalid", "the EAN number is not a valid GLN")
    return CheckOutcome("cvr", MATCHED)


async def check(settings: Settings, contact: Any) -> CheckOutcome:
    """Look the contact's CVR number up and judge; outside failures are ``error``."""
    if not contact.cvr or not contact.cvr.isdigit():
        return CheckOutcome("cvr", "unknown_cvr", "the contact has no Danish CVR number")
    try:
        company = await lookup(settings, contact.cvr)
    except ProviderError as exc:
        return CheckOutcome("cvr", "error", str(exc))
    except httpx.HTTPError as exc:
        return CheckOutcome("cvr", "error",
                            f"the CVR service could not be reached ({type(exc).__name__})")
    return judge(contact, company)

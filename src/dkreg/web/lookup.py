"""The public lookup page (``/lookup``) and the texts the lookup services refer to: their
terms of use (``/lookup/terms``) and privacy notice (``/lookup/privacy``).

One field takes a domain name or a name server. What the page shows is what WHOIS shows,
read from the same read models (``actions.lookup``) on the public doors' database
(``runner.reading``: the replica when one is configured): status in the registry's words,
dates, period, VID, DNSSEC, name servers, the registrar of a registrar-managed domain and
the registrant as the disclosure rule allows (``model.public_view``), with a line saying
what is withheld and why. A name free to register lists the registrars that sell .dk
names (the public registrar list), each linked. A name that is not a name gets the page
again, 400, saying which rule it broke in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg import runner
from dkreg.actions.account.public_info import ListedRegistrar, public_registrars
from dkreg.actions.lookup.availability import Availability, availability
from dkreg.actions.lookup.domain import DomainFacts, lookup_domain
from dkreg.actions.lookup.host import HostFacts, lookup_host
from dkreg.clock import COPENHAGEN
from dkreg.details import render_detail
from dkreg.errors import EppError
from dkreg.messages import reason_text
from dkreg.model.names import parse_domain_name, parse_host_name
from dkreg.web.i18n import language_of, translator
from dkreg.web.request_services import services_of
from dkreg.web.templating import render

MAX_QUERY = 300  # longer than any host name (253): refused before parsing

# the registry's WHOIS wording -> the page's text key (the English text is the wording)
STATUS_KEYS = {"Active": "active", "Deactivated": "deactivated", "Reserved": "reserved",
               "Offered to waiting list": "waiting_list"}
DNSSEC_KEYS = {
    "Signed delegation": "signed",
    "Unsigned delegation, DNSSEC disabled, no records": "unsigned_disabled_no_records",
    "Unsigned delegation, DNSSEC disabled, keys unpublished": "unsigned_disabled_unpublished",
    "Unsigned delegation, DNSSEC disabled": "unsigned_disabled",
    "Unsigned delegation, no records": "unsigned_no_records",
    "Unsigned delegation, DNSSEC enabled, keys unpublished": "unsigned_enabled_unpublished",
    "Unknown status": "unknown",
}


@dataclass(frozen=True)
class Answer:
    """What the page shows for one query."""

    query: str
    kind: str  # "domain" | "host"
    domain: DomainFacts | None = None
    available: Availability | None = None
    registrars: tuple[ListedRegistrar, ...] = ()
    host: HostFacts | None = None
    host_name: str | None = None


def local_date(moment: datetime | None) -> str | None:
    """A date as WHOIS prints it: YYYY-MM-DD in the registry's local time."""
    return moment.astimezone(COPENHAGEN).date().isoformat() if moment is not None else None


def is_domain_query(text: str) -> bool:
    """A name of two labels under .dk is a domain; anything with more labels (or under
    another TLD) is a name server. One label is read as a domain, whose rules then say
    that it must end in .dk."""
    labels = text.strip().rstrip(".").lower().split(".")
    return len(labels) <= 2 and (len(labels) == 1 or labels[-1] == "dk")


def refusal(e: EppError, lang: str) -> str:
    """The rule a query broke, in the reader's language (no EPP code: this is no EPP)."""
    detail = render_detail(e.detail, lang)
    text = reason_text(lang, e)
    return f"{text}: {detail}" if detail else text


async def answer(request: Request, query: str) -> Answer:
    """Look ``query`` up; parsing errors are raised (``EppError``) for the page to show."""
    services = services_of(request)
    if is_domain_query(query):
        name = parse_domain_name(query.strip().rstrip("."), field="q")
        async with runner.reading(services, "web") as ctx:
            facts = await lookup_domain(ctx, name)
            state = await availability(ctx, name)
            listed = (tuple(await public_registrars(ctx)) if state == "available" else ())
        return Answer(query, "domain", domain=facts, available=state, registrars=listed,
                      host_name=name.ulabel)
    host = parse_host_name(query.strip().rstrip("."), field="q")
    async with runner.reading(services, "web") as ctx:
        found = await lookup_host(ctx, host)
    return Answer(query, "host", host=found, host_name=host)


def withheld_reason(facts: DomainFacts) -> str | None:
    """Which disclosure line applies: a person (shown by country only) or an
    organisation (its handle and phone are never shown, its e-mail from the policy's
    date)."""
    if facts.registrant is None or not facts.registrant.withheld:
        return None
    return "person" if "name" in facts.registrant.withheld else "organisation"


async def lookup_page(request: Request) -> Response:
    """``GET /lookup?q=…``: the form, and the answer when a name was given."""
    query = request.query_params.get("q", "")
    if not query.strip():
        return render(request, "lookup/lookup.html", query="", answer=None, error=None)
    lang = language_of(request)
    if len(query) > MAX_QUERY:
        return render(request, "lookup/lookup.html", 400, query=query[:MAX_QUERY],
                      answer=None, error=translator(lang)("lookup.too_long",
                                                          most=MAX_QUERY))
    try:
        found = await answer(request, query)
    except EppError as e:
        return render(request, "lookup/lookup.html", 400, query=query, answer=None,
                      error=refusal(e, lang))
    context: dict[str, Any] = {"query": query, "answer": found, "error": None,
                               "date": local_date, "status_keys": STATUS_KEYS,
                               "dnssec_keys": DNSSEC_KEYS}
    if found.domain is not None:
        context["withheld_reason"] = withheld_reason(found.domain)
        t = translator(lang)
        withheld = found.domain.registrant.withheld if found.domain.registrant else ()
        context["withheld_fields"] = ", ".join(t("lookup.r." + k).lower() for k in withheld)
    return render(request, "lookup/lookup.html", **context)


async def terms(request: Request) -> Response:
    return render(request, "lookup/terms.html")


async def privacy(request: Request) -> Response:
    return render(request, "lookup/privacy.html",
                  registry=services_of(request).settings.registry_name)


ROUTES: list[Route] = [
    Route("/lookup", lookup_page, methods=["GET"]),
    Route("/lookup/terms", terms, methods=["GET"]),
    Route("/lookup/privacy", privacy, methods=["GET"]),
]

"""CSV exports of the portal's lists: ``/portal/domains.csv`` (the domain list's current
search and filter) and ``/portal/contacts.csv`` (the contact list's current search).

The same privileges as the lists they export ("domains", "contacts"), the same portfolio
(the listing actions' conditions), every row rather than one page. The format is
``csv_export``'s (``;``, UTF-8 with BOM, ISO dates, formula guard); the rows are read in
chunks of ``CHUNK`` by name, each in a short transaction of its own, and streamed, so a
large portfolio is neither held in memory nor in one long transaction. Dates are the
Copenhagen calendar day (a domain's expiry as EPP's exDate gives it); header names are
in the reader's language, status values are EPP's with the words beside them.

A filter that makes no sense answers as the list does: the list page with the field
errors (HTTP 400), not a file filtered by something else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.domain.renew import local_date
from dkreg.actions.portal.contacts_export import portfolio_contacts_export
from dkreg.actions.portal.portfolio_domains import portfolio_domains_export
from dkreg.web import csv_export
from dkreg.web.portal.domain_list import DOMAINS, filter_of, list_page, status_word, t
from dkreg.web.portal.guard import Call, portal_route

CHUNK = 500
CONTACTS = "/contacts"


def day(moment: datetime | None) -> str:
    return local_date(moment).isoformat() if moment else ""


def filename(call: Call, what: str) -> str:
    today = local_date(call.services.clock.now()).isoformat()
    return f"{what}-{call.user.registrar_handle}-{today}.csv"


@portal_route("domains")
async def domains_csv(call: Call) -> Response:
    params = call.request.query_params
    filters, errors = filter_of(call, params)
    if errors:
        return await list_page(call, params)
    tr, query = t(call), params.get("q", "")

    def words(statuses: list[str]) -> str:
        return ", ".join(status_word(tr, s) for s in statuses)

    async def chunks() -> AsyncIterator[list[Sequence[object]]]:
        after: str | None = None
        while True:
            async with call.tx() as ctx:
                rows = await portfolio_domains_export(ctx, call.user, query, filters, after,
                                                      CHUNK)
            yield [(r.name, r.alabel, " ".join(r.statuses), words(r.statuses),
                    day(r.expires_at), day(r.created_at), r.registrant, r.registrant_name)
                   for r in rows]
            if len(rows) < CHUNK:
                return
            after = rows[-1].name

    header = [tr(f"dlist.csv.{c}") for c in ("domain", "alabel", "status", "status_words",
                                            "expires", "created", "registrant",
                                            "registrant_name")]
    return csv_export.stream(filename(call, "domains"), header, chunks())


@portal_route("contacts")
async def contacts_csv(call: Call) -> Response:
    query = call.request.query_params.get("q", "")
    tr = t(call)

    async def chunks() -> AsyncIterator[list[Sequence[object]]]:
        after: str | None = None
        while True:
            async with call.tx() as ctx:
                rows = await portfolio_contacts_export(ctx, call.user, query, after, CHUNK)
            yield [(r.handle, r.name, r.org, r.email, r.voice, r.cc, r.city,
                    day(r.created_at)) for r in rows]
            if len(rows) < CHUNK:
                return
            after = rows[-1].handle

    header = [tr(f"dlist.csv.contact.{c}") for c in ("handle", "name", "org", "email",
                                                    "voice", "cc", "city", "created")]
    return csv_export.stream(filename(call, "contacts"), header, chunks())


ROUTES: list[Route] = [
    Route(DOMAINS + ".csv", domains_csv, methods=["GET"]),
    Route(CONTACTS + ".csv", contacts_csv, methods=["GET"]),
]

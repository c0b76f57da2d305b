"""The portal's domain list: searched by name, filtered by status, expiry and registrant,
sorted and paged, with the CSV link for the same selection and the bulk form.

Every setting is a GET parameter (``q``, ``sort``, ``page`` and ``portfolio_filter``'s
``PARAMS``), so a filtered list is a link that can be kept, reloaded and exported, and
the page works without JavaScript. The filtering is done by the listing action
(``portfolio_domains``) in SQL. A filter value that makes no sense (a status that is
not one of the choices, a date that is not a date, an end before the start) is a field
error with an error summary (HTTP 400), not a list quietly filtered otherwise.

The bulk actions post from this page (``bulk_actions``); when their form is refused the
list is drawn again from here, as it was (the form carries the list's parameters back).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.domain.renew import local_date
from dkreg.actions.portal.bulk import MAX_DOMAINS
from dkreg.actions.portal.portfolio_domains import DomainRow, portfolio_domains
from dkreg.actions.portal.portfolio_filter import (
    BAD_CHOICE,
    BAD_DATE,
    PARAMS,
    STATUSES,
    WINDOWS,
    DomainFilter,
    FilterProblems,
    read_filter,
)
from dkreg.model.numbers import bounded_int
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import Call, portal_route

DOMAINS = "/domains"
LIST_PARAMS = ("q", "sort", *PARAMS)
PERIODS = tuple(range(1, 11))  # renew domain's periods, in years (EPP: 1 to 10)


def t(call: Call) -> Callable[..., str]:
    return translator(language_of(call.request))


def status_word(tr: Callable[..., str], status: str) -> str:
    """An EPP status in the words the domain's page uses (``texts/domain_page``); a status
    without words shows as itself."""
    key = f"dompage.status.{status}"
    text = tr(key)
    return status if text == key else text


def list_values(params: Mapping[str, str]) -> dict[str, str]:
    """The list's settings as sent, for refilling the filter form and for links."""
    return {k: str(params.get(k, "") or "").strip()[:255] for k in LIST_PARAMS}


def problem_texts(call: Call, problems: FilterProblems) -> dict[str, str]:
    """Each filter field's problem in words."""
    tr = t(call)

    def text(field: str, problem: str) -> str:
        if problem == BAD_CHOICE:
            return tr(f"dlist.error.{field}")
        if problem == BAD_DATE:
            return tr("dlist.error.date")
        return tr("dlist.error.order")

    return {field: text(field, problem) for field, problem in problems.items()}


def filter_of(call: Call, params: Mapping[str, str]) -> tuple[DomainFilter, dict[str, str]]:
    """The list's filter from its parameters, and the field errors of those that are wrong."""
    filters, problems = read_filter(params)
    return filters, problem_texts(call, problems)


def selection_value(row: DomainRow) -> str:
    """A row's checkbox value: the domain and the expiry date the page showed, so a bulk
    renew sends EPP's curExpDate guard (a form sent twice renews once)."""
    if row.expires_at is None:
        return row.name
    return f"{row.name} {local_date(row.expires_at).isoformat()}"


def link(path: str, values: Mapping[str, str], **changes: str) -> str:
    """``path`` with the list's non-empty settings (and ``changes``) as its query."""
    merged = {**values, **changes}
    query = urlencode({k: v for k, v in merged.items() if v})
    return f"/portal{path}" + (f"?{query}" if query else "")


async def list_page(call: Call, params: Mapping[str, str], status_code: int = 200, *,
                    errors: dict[str, str] | None = None,
                    bulk: dict[str, Any] | None = None) -> Response:
    """The list for ``params``; with ``errors`` (the bulk form's) and ``bulk`` (its values
    as sent) when drawn again after a refused bulk form."""
    values = list_values(params)
    filters, filter_errors = filter_of(call, params)
    errors = {**filter_errors, **(errors or {})}
    listing = None
    if not filter_errors:
        async with call.tx() as ctx:
            listing = await portfolio_domains(ctx, call.user, values["q"],
                                              values["sort"] or "name",
                                              bounded_int(params.get("page", "1"), 8) or 1,
                                              filters)
        values["sort"] = listing.sort
    tr = t(call)
    statuses = [("", tr("dlist.any_status"))] + [(s, status_word(tr, s)) for s in STATUSES]
    windows = [("", tr("dlist.any_expiry"))] + [(w, tr(f"dlist.window.{w}"))
                                                 for w in WINDOWS]
    periods = [(str(n), tr("dlist.bulk.year") if n == 1 else tr("dlist.bulk.years", n=n))
               for n in PERIODS]
    bulk = {"period": "1", "ns": "", "selected": [], **(bulk or {})}
    back = urlencode({k: v for k, v in values.items() if v}
                     | ({"page": str(listing.page)} if listing and listing.page > 1 else {}))
    return call.page("portal/domains.html", 400 if errors else status_code,
                     listing=listing, values=values, errors=errors, statuses=statuses,
                     windows=windows, bulk=bulk, back=back, periods=periods,
                     max_bulk=MAX_DOMAINS, link=lambda path, **kw: link(path, values, **kw),
                     selection_value=selection_value,
                     status_word=lambda s: status_word(tr, s))


@portal_route("domains")
async def domain_list(call: Call) -> Response:
    return await list_page(call, call.request.query_params)


ROUTES: list[Route] = [
    Route(DOMAINS, domain_list, methods=["GET"]),
]

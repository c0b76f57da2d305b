"""Portfolio pages of the third slice: the domain list (a domain's detail page and its
actions are in ``domain_actions``, "register a domain" in ``register``), and how the
portal's forms read and show a time: a datetime-local value in Copenhagen time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.portal.portfolio_domains import portfolio_domains
from dkreg.model.numbers import bounded_int
from dkreg.web.portal.guard import Call, portal_route

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DOMAINS = "/domains"
LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")


def local_input(when: datetime) -> str:
    """A UTC moment as a datetime-local value in Copenhagen time."""
    return when.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")


def epoch_of(value: str) -> int | None:
    """A datetime-local value, read as Copenhagen time, in UTC epoch seconds."""
    for fmt in LOCAL_FORMATS:
        try:
            local = datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        return int(local.replace(tzinfo=COPENHAGEN).timestamp())
    return None


@portal_route("domains")
async def domain_list(call: Call) -> Response:
    q = call.request.query_params
    raw = q.get("page", "1")
    async with call.tx() as ctx:
        listing = await portfolio_domains(ctx, call.user, q.get("q", ""),
                                          q.get("sort", "name"),
                                          bounded_int(raw, 8) or 1)
    return call.page("portal/domains.html", listing=listing)


ROUTES: list[Route] = [
    Route(DOMAINS, domain_list, methods=["GET"]),
]

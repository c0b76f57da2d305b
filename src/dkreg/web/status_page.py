"""The status page for people (``/status``, ``/status/history``), in the reader's
language: the page's indicator, current incidents and maintenance with their timelines,
every component's state and its 90-day uptime bar, upcoming maintenance; the history of
every incident and maintenance, newest first (the JSON API's shortlinks point there).
The same reads as the JSON API (``web/status_api.py``); drafts are never shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.status.components import Board, Component, components
from dkreg.actions.status.incidents import CLOSED, Incident, incidents
from dkreg.actions.status.uptime import Day, overall, uptime_bars
from dkreg.clock import COPENHAGEN
from dkreg.runner import reading
from dkreg.web.i18n import language_of, translator
from dkreg.web.request_services import services_of
from dkreg.web.templating import render


def when(moment: datetime | None) -> str:
    return moment.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M") if moment else ""


def percent(value: float | None, lang: str) -> str:
    if value is None:
        return ""
    text = f"{value * 100:.2f} %"
    return text.replace(".", ",") if lang == "da" else text


@dataclass(frozen=True)
class Row:
    """A component as the page lists it."""

    key: str
    name: str
    state: str
    days: list[Day]
    uptime: str
    members: list[Row]


def _rows(board: Board, bars: dict[str, list[Day]], lang: str) -> list[Row]:
    t = translator(lang)

    def row(c: Component) -> Row:
        days = bars.get(c.key, [])
        return Row(c.key, t(f"status.component.{c.key}"), board.state(c), days,
                   percent(overall(days), lang),
                   [row(m) for m in board.members.get(c.key, [])])

    return [row(c) for c in board.top]


def _names(i: Incident, lang: str) -> str:
    t = translator(lang)
    return ", ".join(t(f"status.component.{k}") for k in i.components)


async def status_page(request: Request) -> Response:
    lang = language_of(request)
    async with reading(services_of(request), "status") as ctx:
        items = await components(ctx)
        found = await incidents(ctx, limit=50)
        bars = await uptime_bars(ctx)
    open_incidents = [i for i in found if i.kind == "incident" and i.status not in CLOSED]
    board = Board.of(items)
    level = board.level(i.impact for i in open_incidents)
    return render(request, "status/page.html", level=level, rows=_rows(board, bars, lang),
                  open_incidents=open_incidents,
                  active=[i for i in found if i.kind == "maintenance"
                          and i.status in ("in_progress", "verifying")],
                  upcoming=[i for i in found if i.kind == "maintenance"
                            and i.status == "scheduled"],
                  when=when, names=lambda i: _names(i, lang), percent=percent)


async def history(request: Request) -> Response:
    lang = language_of(request)
    async with reading(services_of(request), "status") as ctx:
        found = await incidents(ctx, limit=200)
    # every public incident and maintenance, newest first: the API's shortlinks land here
    return render(request, "status/history.html", items=found, when=when,
                  names=lambda i: _names(i, lang))


ROUTES: list[Route] = [
    Route("/status", status_page, methods=["GET"]),
    Route("/status/history", history, methods=["GET"]),
]

"""The status page for people (both backends): the indicator, components with their
state in words, an open incident's timeline in the reader's language, maintenance, the
history; and the uptime bar's arithmetic (Statuspage's: a major outage counts fully, a
partial outage at 30 %)."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from dkreg.actions.status.components import ensure_components, set_state
from dkreg.actions.status.incidents import open_incident, post_update
from dkreg.actions.status.uptime import bar, overall
from dkreg.clock import COPENHAGEN
from status.test_status_api import act, app_of


async def page(registry, path: str, lang: str = "en") -> str:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app_of(registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://status",
                                 headers={"Accept-Language": lang}) as c:
        r = await c.get(path)
    assert r.status_code == 200, r.text
    return r.text


async def test_the_page_shows_states_incidents_and_the_history(registry) -> None:  # type: ignore[no-untyped-def]
    await act(registry, ensure_components)
    html = await page(registry, "/status")
    assert "All systems operational" in html
    assert 'data-component="epp" data-state="operational"' in html
    iid = await act(registry, open_incident, name_da="EPP svarer langsomt",
                    name_en="EPP is slow", impact="minor", body_da="Vi undersøger det.",
                    body_en="We are investigating.",
                    components={"epp": "degraded_performance"})
    html = await page(registry, "/status")
    assert "Minor service disruption" in html and "EPP is slow" in html
    assert 'data-component="epp" data-state="degraded_performance"' in html
    assert "Degraded performance" in html and "We are investigating." in html
    da = await page(registry, "/status", "da")
    assert "EPP svarer langsomt" in da and "Nedsat ydelse" in da and "Undersøges" in da
    await act(registry, post_update, iid, "resolved", "Løst.", "Resolved.")
    html = await page(registry, "/status")
    assert "EPP is slow" not in html and "All systems operational" in html
    history = await page(registry, "/status/history")
    assert f'id="incident-{iid}"' in history and "Resolved." in history


async def test_the_bar_counts_outages_as_statuspage_does() -> None:
    now = datetime(2026, 12, 8, 12, 0, tzinfo=COPENHAGEN)
    created = now - timedelta(days=3)
    yesterday = datetime(2026, 12, 7, 0, 0, tzinfo=COPENHAGEN)
    events = [(created, "operational"),
              (yesterday + timedelta(hours=6), "major_outage"),
              (yesterday + timedelta(hours=12), "partial_outage"),
              (yesterday + timedelta(hours=22), "operational")]
    days = bar(events, created, now, days=5)
    assert [d.day.isoformat() for d in days] == [
        "2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08"]
    assert days[0].uptime is None  # before the component existed
    assert days[1].uptime == 1.0 and days[2].uptime == 1.0
    # 6 h major, 10 h partial: 1 - (6 + 0.3 * 10) / 24
    assert abs(days[3].uptime - (1 - (6 + 3) / 24)) < 1e-9  # type: ignore[operator]
    assert days[3].worst == "major_outage"
    assert days[4].uptime == 1.0 and days[4].worst == "operational"
    assert overall(days) is not None and overall(days) < 1.0  # type: ignore[operator]


async def test_the_page_shows_the_outage_in_the_bar(registry) -> None:  # type: ignore[no-untyped-def]
    await act(registry, ensure_components)
    registry.clock.advance(timedelta(hours=1))
    await act(registry, set_state, "rdap", "major_outage", "check")
    html = await page(registry, "/status")
    assert 'data-component="rdap" data-state="major_outage"' in html
    assert 'class="major_outage"' in html  # today's mark: the worst state of the day

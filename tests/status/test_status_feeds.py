"""The status page's Atom and RSS feeds, read by a real feed reader (PyPI feedparser):
every public incident and maintenance newest first, per component too, drafts never,
Danish on request; an unknown component's feed is 404."""

from __future__ import annotations

import feedparser
import httpx

from dkreg.actions.status.components import ensure_components
from dkreg.actions.status.incidents import open_incident, post_update
from status.test_status_api import act, app_of


async def fetch(registry, path: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app_of(registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://status") as c:
        return await c.get(path)


async def test_feeds_list_incidents_for_the_page_and_per_component(registry) -> None:  # type: ignore[no-untyped-def]
    await act(registry, ensure_components)
    epp = await act(registry, open_incident, name_da="EPP nede", name_en="EPP down",
                    impact="critical", body_da="Vi undersøger det.",
                    body_en="Investigating.", components={"epp": "major_outage"})
    await act(registry, post_update, epp, "identified", "Fundet.", "Found the cause.")
    await act(registry, open_incident, name_da="Kladde", name_en="Draft", impact="minor",
              body_da="x", body_en="x", components={"rdap": "degraded_performance"},
              draft=True)
    for suffix, content_type, version in (("atom", "application/atom+xml", "atom10"),
                                          ("rss", "application/rss+xml", "rss20")):
        r = await fetch(registry, f"/status/history.{suffix}")
        assert r.status_code == 200 and r.headers["content-type"].startswith(content_type)
        parsed = feedparser.parse(r.content)
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.version == version
        assert [e.title for e in parsed.entries] == ["EPP down"]  # no draft
        assert "Identified" in parsed.entries[0].summary
        assert parsed.entries[0].link.endswith(f"/status/history#incident-{epp}")
        mine = feedparser.parse((await fetch(
            registry, f"/status/components/epp/history.{suffix}?lang=da")).content)
        assert [e.title for e in mine.entries] == ["EPP nede"]
        assert "Årsagen er fundet" in mine.entries[0].summary
        other = feedparser.parse((await fetch(
            registry, f"/status/components/dsu/history.{suffix}")).content)
        assert not other.bozo and other.entries == []
    assert (await fetch(registry, "/status/components/nowhere/history.atom")).status_code \
        == 404

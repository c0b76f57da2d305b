"""The status page's model and its Statuspage-compatible JSON API (both backends):
components made from the defaults, an incident's timeline moving a component's state and
giving it back, a draft hidden until published, a scheduled maintenance that starts and
ends on its own (a lifecycle step), the page's indicator, the refusals — and a real
Statuspage client (PyPI ``statuspage-prometheus-exporter``) reading ``summary.json``
from a real HTTP server."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from dkreg.actions.status.components import components, ensure_components, set_state
from dkreg.actions.status.incidents import (
    open_incident,
    post_update,
    publish,
    schedule_maintenance,
)
from dkreg.app import Running
from dkreg.errors import EppError
from dkreg.model.status import DEFAULT_COMPONENTS
from dkreg.web.asgi import build_app

API = "/api/v2"
COMPONENT_KEYS = {"id", "name", "status", "created_at", "updated_at", "position",
                  "description", "showcase", "start_date", "group_id", "page_id", "group",
                  "only_show_if_degraded"}
INCIDENT_KEYS = {"id", "name", "status", "created_at", "updated_at", "monitoring_at",
                 "resolved_at", "impact", "shortlink", "started_at", "page_id",
                 "incident_updates", "components"}
UPDATE_KEYS = {"id", "status", "body", "incident_id", "created_at", "updated_at",
               "display_at", "affected_components"}


def app_of(registry) -> Any:  # type: ignore[no-untyped-def]
    return build_app(Running(services=registry.services, epp=registry.server, tasks=[],
                             ca_file=None))


async def get(registry, path: str) -> Any:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app_of(registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://status") as c:
        r = await c.get(API + path)
    assert r.status_code == 200, (path, r.text)
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


async def act(registry, fn, *args, **kw):  # type: ignore[no-untyped-def]
    async with registry.db.begin() as conn:
        return await fn(registry.ctx(conn), *args, **kw)


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in items}


async def test_components_are_made_once_and_read_in_statuspage_form(registry) -> None:  # type: ignore[no-untyped-def]
    assert await act(registry, ensure_components) == len(DEFAULT_COMPONENTS)
    assert await act(registry, ensure_components) == 0  # idempotent
    body = await get(registry, "/summary.json")
    assert set(body) == {"page", "components", "incidents", "scheduled_maintenances",
                         "status"}
    assert body["page"]["time_zone"] == "Europe/Copenhagen"
    assert body["status"] == {"indicator": "none", "description": "All Systems Operational"}
    found = by_id(body["components"])
    assert set(found) == {s.key for s in DEFAULT_COMPONENTS}
    for c in body["components"]:
        assert set(c) >= COMPONENT_KEYS and c["status"] == "operational"
    assert found["whois"]["group"] is True
    assert found["whois"]["components"] == ["whois_web", "whois_text", "whois_api"]
    assert found["whois_api"]["group_id"] == "whois" and found["epp"]["name"] == "EPP"
    assert by_id((await get(registry, "/components.json?lang=da"))["components"])[
        "dns_nameservers"]["name"] == ".dk-navneservere"


async def test_an_incident_moves_its_component_and_gives_it_back(registry) -> None:  # type: ignore[no-untyped-def]
    await act(registry, ensure_components)
    iid = await act(registry, open_incident, name_da="EPP svarer ikke",
                    name_en="EPP does not answer", impact="critical",
                    body_da="Vi undersøger det.", body_en="We are investigating.",
                    components={"epp": "major_outage"})
    body = await get(registry, "/summary.json")
    assert by_id(body["components"])["epp"]["status"] == "major_outage"
    assert body["status"]["indicator"] == "critical"
    [incident] = body["incidents"]
    assert set(incident) >= INCIDENT_KEYS and incident["id"] == str(iid)
    assert incident["status"] == "investigating" and incident["impact"] == "critical"
    assert [c["id"] for c in incident["components"]] == ["epp"]
    for status, da, en in (("identified", "Fundet.", "Identified."),
                           ("monitoring", "Vi holder øje.", "Monitoring."),
                           ("resolved", "Løst.", "Resolved.")):
        registry.clock.advance(timedelta(minutes=5))
        await act(registry, post_update, iid, status, da, en)
    body = await get(registry, "/summary.json")
    assert by_id(body["components"])["epp"]["status"] == "operational"
    assert body["incidents"] == [] and body["status"]["indicator"] == "none"
    assert (await get(registry, "/incidents/unresolved.json"))["incidents"] == []
    [done] = (await get(registry, "/incidents.json"))["incidents"]
    assert done["resolved_at"] and done["monitoring_at"]
    assert [u["status"] for u in done["incident_updates"]] == [
        "resolved", "monitoring", "identified", "investigating"]  # newest first
    assert set(done["incident_updates"][0]) >= UPDATE_KEYS
    da = (await get(registry, "/incidents.json?lang=da"))["incidents"][0]
    assert da["name"] == "EPP svarer ikke" and da["incident_updates"][0]["body"] == "Løst."
    with pytest.raises(EppError) as closed:  # closing is final
        await act(registry, post_update, iid, "investigating", "Igen.", "Again.")
    assert (closed.value.code, closed.value.reason) == (2304, "status_incident_closed")


async def test_two_incidents_on_one_component_and_a_group(registry) -> None:  # type: ignore[no-untyped-def]
    await act(registry, ensure_components)
    a = await act(registry, open_incident, name_da="a", name_en="a", impact="minor",
                  body_da="a", body_en="a", components={"whois_text": "degraded_performance"})
    await act(registry, open_incident, name_da="b", name_en="b", impact="major",
              body_da="b", body_en="b", components={"whois_text": "partial_outage"})
    found = by_id((await get(registry, "/components.json"))["components"])
    assert found["whois_text"]["status"] == "partial_outage"
    assert found["whois"]["status"] == "partial_outage"  # the group's worst member
    await act(registry, post_update, a, "resolved", "x", "x")
    found = by_id((await get(registry, "/components.json"))["components"])
    assert found["whois_text"]["status"] == "partial_outage"  # b still holds it


async def test_a_draft_is_hidden_until_published(registry) -> None:  # type: ignore[no-untyped-def]
    await act(registry, ensure_components)
    iid = await act(registry, open_incident, name_da="RDAP langsom", name_en="RDAP slow",
                    impact="minor", body_da="Automatisk.", body_en="Automatic.",
                    components={"rdap": "degraded_performance"}, draft=True)
    body = await get(registry, "/summary.json")
    assert body["incidents"] == [] and (await get(registry, "/incidents.json"))[
        "incidents"] == []
    assert by_id(body["components"])["rdap"]["status"] == "operational"
    await act(registry, publish, iid)
    body = await get(registry, "/summary.json")
    assert [i["id"] for i in body["incidents"]] == [str(iid)]
    assert by_id(body["components"])["rdap"]["status"] == "degraded_performance"


async def test_a_maintenance_starts_and_ends_on_its_own(registry) -> None:  # type: ignore[no-untyped-def]
    await act(registry, ensure_components)
    now = registry.clock.now()
    mid = await act(registry, schedule_maintenance, name_da="Opgradering",
                    name_en="Upgrade", scheduled_for=now + timedelta(hours=1),
                    scheduled_until=now + timedelta(hours=2), components=["epp", "dsu"],
                    body_da="Planlagt.", body_en="Scheduled.")
    [upcoming] = (await get(registry, "/scheduled-maintenances/upcoming.json"))[
        "scheduled_maintenances"]
    assert upcoming["id"] == str(mid) and upcoming["status"] == "scheduled"
    assert upcoming["impact"] == "maintenance" and upcoming["scheduled_until"]
    assert (await get(registry, "/scheduled-maintenances/active.json"))[
        "scheduled_maintenances"] == []
    assert [m["id"] for m in (await get(registry, "/summary.json"))[
        "scheduled_maintenances"]] == [str(mid)]
    registry.clock.advance(timedelta(hours=1, minutes=1))
    assert (await registry.tick()).done["status_maintenance"] == 1
    body = await get(registry, "/summary.json")
    found = by_id(body["components"])
    assert found["epp"]["status"] == found["dsu"]["status"] == "under_maintenance"
    assert body["status"]["indicator"] == "none"  # maintenance alone, as at Statuspage
    [active] = (await get(registry, "/scheduled-maintenances/active.json"))[
        "scheduled_maintenances"]
    assert active["status"] == "in_progress" and active["started_at"]
    registry.clock.advance(timedelta(hours=1))
    assert (await registry.tick()).done["status_maintenance"] == 1
    assert (await registry.tick()).done["status_maintenance"] == 0
    found = by_id((await get(registry, "/components.json"))["components"])
    assert found["epp"]["status"] == found["dsu"]["status"] == "operational"
    [done] = (await get(registry, "/scheduled-maintenances.json"))["scheduled_maintenances"]
    assert [u["status"] for u in done["incident_updates"]] == [
        "completed", "in_progress", "scheduled"]


@pytest.mark.parametrize(("call", "code", "reason"), [
    (lambda ctx: set_state(ctx, "epp", "down", "staff"), 2005, "status_bad_value"),
    (lambda ctx: set_state(ctx, "nowhere", "major_outage", "staff"), 2303,
     "status_unknown_component"),
    (lambda ctx: open_incident(ctx, name_da="", name_en="x", impact="minor", body_da="x",
                               body_en="x", components={}), 2003, "status_required"),
    (lambda ctx: open_incident(ctx, name_da="x", name_en="x", impact="huge", body_da="x",
                               body_en="x", components={}), 2005, "status_bad_value"),
    (lambda ctx: schedule_maintenance(
        ctx, name_da="x", name_en="x", scheduled_for=ctx.now + timedelta(hours=2),
        scheduled_until=ctx.now + timedelta(hours=1), components=["epp"], body_da="x",
        body_en="x"), 2306, "status_bad_window"),
    (lambda ctx: post_update(ctx, 99999, "resolved", "x", "x"), 2303,
     "status_incident_not_found"),
])
async def test_refusals_name_the_rule(registry, call, code: int, reason: str) -> None:  # type: ignore[no-untyped-def]
    await act(registry, ensure_components)
    with pytest.raises(EppError) as refused:
        async with registry.db.begin() as conn:
            await call(registry.ctx(conn))
    assert (refused.value.code, refused.value.reason) == (code, reason)


async def test_a_statuspage_client_reads_the_summary(registry, tmp_path: Path,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """statuspage-prometheus-exporter polls Atlassian's summary.json: it reads dkreg's
    as it reads Punktum's hosted page — the indicator, the incident, the component."""
    from support.http_serving import serving

    await act(registry, ensure_components)
    await act(registry, open_incident, name_da="DAS fejler", name_en="DAS fails",
              impact="major", body_da="Vi undersøger det.", body_en="Investigating.",
              components={"das": "partial_outage"})
    async with serving(app_of(registry)) as base:
        url = f"{base}{API}/summary.json"
        (tmp_path / "services.json").write_text(json.dumps(
            {"dkreg": {"name": "dkreg", "type": "status_page", "url": url}}))
        monkeypatch.setenv("SERVICES_JSON_PATH", str(tmp_path / "services.json"))
        monkeypatch.chdir(tmp_path)  # its response cache lives in ./cache
        sys.modules.pop("statuspage_prometheus_exporter.service_checker", None)
        from statuspage_prometheus_exporter import service_checker

        result = await asyncio.to_thread(service_checker.check_status_page_service,
                                         "dkreg", {"name": "dkreg", "url": url})
    assert result["success"] is True, result
    assert result["raw_status"] == "major" and result["status"] == 0
    assert "DAS fails" in result["details"]
    components_seen = {c["name"]: c["status"] for c in result["component_metadata"]}
    assert components_seen["DAS"] == "partial_outage"
    assert components_seen["EPP"] == "operational"


async def test_components_list_is_the_stored_one(registry) -> None:  # type: ignore[no-untyped-def]
    await act(registry, ensure_components)
    assert await act(registry, set_state, "epp", "major_outage", "check") is True
    assert await act(registry, set_state, "epp", "major_outage", "check") is False
    async with registry.db.read() as conn:
        items = await components(registry.ctx(conn))
    assert [c.key for c in items] == [s.key for s in DEFAULT_COMPONENTS]
    events = await registry.rows("select e.state, e.source from status_component_events e "
                                 "join status_components c on c.id = e.component_id "
                                 "where c.key = 'epp' order by e.id")
    assert [(e.state, e.source) for e in events] == [("operational", "setup"),
                                                      ("major_outage", "check")]

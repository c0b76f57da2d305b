"""The staff's side of the status page (both backends): log in to /staff/, set a
component's state, open an incident, publish an automatic check's draft, post the
update that resolves it, schedule maintenance — each audited with the staff user's
e-mail, each visible on the public page or API afterwards; a refusal names its field."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from dkreg.actions.status.components import ensure_components
from dkreg.actions.status.incidents import open_incident
from dkreg.app import Running
from dkreg.web.asgi import build_app
from nis2.nis2support import STAFF, Nis2Web
from status.test_status_api import act


@pytest_asyncio.fixture
async def web(registry) -> AsyncIterator[Nis2Web]:  # type: ignore[no-untyped-def]
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=None)
    w = Nis2Web(registry, build_app(running), registry.settings.public_base_url)
    await act(registry, ensure_components)
    try:
        yield w
    finally:
        for c in w.clients:
            await c.aclose()


async def test_staff_run_the_status_page(web: Nis2Web) -> None:
    registry = web.registry
    staff = await web.staff()
    page = await staff.get("/staff/status")
    assert page.status_code == 200 and 'data-component="epp"' in page.text
    r = await web.staff_post(staff, "/staff/status/components/rdap",
                             {"state": "degraded_performance"}, page="/staff/status")
    assert r.status_code == 303
    summary = (await staff.get("/api/v2/components.json")).json()
    assert {c["id"]: c["status"] for c in summary["components"]}["rdap"] == \
        "degraded_performance"
    r = await web.staff_post(staff, "/staff/status/incidents", {
        "name_da": "DSU fejler", "name_en": "DSU fails", "impact": "major",
        "c-dsu": "partial_outage", "body_da": "Vi undersøger det.",
        "body_en": "We are investigating."}, page="/staff/status")
    assert r.status_code == 303, r.text
    [opened] = (await staff.get("/api/v2/incidents/unresolved.json")).json()["incidents"]
    assert opened["name"] == "DSU fails" and opened["components"][0]["id"] == "dsu"
    draft = await act(registry, open_incident, name_da="Kladde", name_en="Draft check",
                      impact="minor", body_da="x", body_en="x",
                      components={"das": "major_outage"}, draft=True)
    page = await staff.get("/staff/status")
    assert f'id="open-{draft}" data-status="investigating" data-draft="yes"' in page.text
    r = await web.staff_post(staff, f"/staff/status/incidents/{draft}/publish", {},
                             page="/staff/status")
    assert r.status_code == 303
    r = await web.staff_post(staff, f"/staff/status/incidents/{draft}/update", {
        "status": "resolved", "body_da": "Løst.", "body_en": "Fixed."}, page="/staff/status")
    assert r.status_code == 303
    names = [i["name"] for i in (await staff.get(
        "/api/v2/incidents/unresolved.json")).json()["incidents"]]
    assert names == ["DSU fails"]
    r = await web.staff_post(staff, "/staff/status/maintenance", {
        "m_name_da": "Opgradering", "m_name_en": "Upgrade", "m_from": "2099-01-01T10:00",
        "m_until": "2099-01-01T12:00", "m_components": ["epp", "dsu"],
        "m_body_da": "Planlagt.", "m_body_en": "Planned."}, page="/staff/status")
    assert r.status_code == 303, r.text
    [planned] = (await staff.get("/api/v2/scheduled-maintenances/upcoming.json")).json()[
        "scheduled_maintenances"]
    assert planned["name"] == "Upgrade" and [c["id"] for c in planned["components"]] == [
        "epp", "dsu"]
    audited = await registry.rows("select command, actor, door from audit where command "
                                  "like 'status_%' order by id")
    assert [a.command for a in audited] == [
        "status_component_set", "status_incident_opened", "status_incident_published",
        "status_incident_updated", "status_maintenance_scheduled"]
    assert {(a.actor, a.door) for a in audited} == {(STAFF, "staff")}


async def test_a_refusal_names_its_field(web: Nis2Web) -> None:
    staff = await web.staff()
    r = await web.staff_post(staff, "/staff/status/maintenance", {
        "m_name_da": "x", "m_name_en": "x", "m_from": "2099-01-01T12:00",
        "m_until": "2099-01-01T10:00", "m_components": ["epp"], "m_body_da": "x",
        "m_body_en": "x"}, page="/staff/status")
    assert r.status_code == 400
    assert 'id="m_until-error"' in r.text
    r = await web.staff_post(staff, "/staff/status/components/epp", {"state": "broken"},
                             page="/staff/status")
    assert r.status_code == 400
    anonymous = web.client()
    assert (await anonymous.get("/staff/status")).status_code == 303  # to the log-in

"""The status page's automatic checks against real services: the sandbox's Knot DNS
stopped and started again, and the EPP server stopped. A check failing
``status_check_failures`` times in a row sets its component's state and opens a draft
incident (public: the state; not the draft); the first success records the recovery and
resolves the draft nobody published."""

from __future__ import annotations

from pathlib import Path

from dkreg.actions.status.components import components, ensure_components
from dkreg.actions.status.incidents import incidents
from dkreg.monitor import Monitor, Targets, checks_for
from support.knot import knot_settings, running_knot


async def _state(registry, key: str) -> str:  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return {c.key: c.state for c in await components(registry.ctx(conn))}[key]


async def _incidents(registry):  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return await incidents(registry.ctx(conn), drafts=True)


async def _ready(registry) -> None:  # type: ignore[no-untyped-def]
    registry.settings.status_check_failures = 2
    registry.settings.status_check_timeout = 1.0
    async with registry.db.begin() as conn:
        await ensure_components(registry.ctx(conn))


async def test_a_stopped_name_server_is_an_outage_and_a_draft_until_it_answers(
        registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    await _ready(registry)
    settings = knot_settings(tmp_path)
    with running_knot(settings, tmp_path) as knot:
        port = knot.port
        monitor = Monitor(registry.services, [c for c in checks_for(registry.services, Targets(
            dns=(knot.host, port, settings.zone_origin))) if c.name == "dns"])
        await monitor.round()
        assert await _state(registry, "dns_nameservers") == "operational"
        knot.stop()
        await monitor.round()  # one failure: not yet
        assert await _state(registry, "dns_nameservers") == "operational"
        await monitor.round()
        assert await _state(registry, "dns_nameservers") == "major_outage"
        [draft] = await _incidents(registry)
        assert draft.draft and draft.status == "investigating"
        assert draft.components == {"dns_nameservers": "major_outage"}
        assert "dns:" in draft.updates[0].body_en
        await monitor.round()  # still failing: no second draft
        assert len(await _incidents(registry)) == 1
        knot.start()
        assert knot.port == port
        await monitor.round()
        assert await _state(registry, "dns_nameservers") == "operational"
        [resolved] = await _incidents(registry)
        assert resolved.draft and resolved.status == "resolved"
        events = await registry.rows(
            "select e.state, e.source from status_component_events e join "
            "status_components c on c.id = e.component_id where c.key = 'dns_nameservers' "
            "order by e.id")
        assert [(e.state, e.source) for e in events] == [
            ("operational", "setup"), ("major_outage", "check"), ("operational", "check")]


async def test_a_serial_behind_the_published_one_fails_the_check(
        registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    await _ready(registry)
    settings = knot_settings(tmp_path)
    with running_knot(settings, tmp_path) as knot:
        served = knot.serial()
        published = [served]
        monitor = Monitor(registry.services, [c for c in checks_for(registry.services, Targets(
            dns=(knot.host, knot.port, settings.zone_origin),
            published_serial=lambda: published[0])) if c.name == "dns"])
        await monitor.round()
        assert not monitor.failures["dns"]
        published[0] = served + 1  # published, not yet served
        assert await monitor.probe(monitor.checks[0]) == (
            f"serial {served} behind the published {served + 1}")


async def test_a_stopped_epp_server_is_an_outage(registry) -> None:  # type: ignore[no-untyped-def]
    await _ready(registry)
    monitor = Monitor(registry.services, [c for c in checks_for(registry.services, Targets(
        epp=("127.0.0.1", registry.server.port))) if c.name == "epp"])
    await monitor.round()
    assert await _state(registry, "epp") == "operational" and not monitor.failures["epp"]
    await registry.server.stop()
    await monitor.round()
    await monitor.round()
    assert await _state(registry, "epp") == "major_outage"
    [draft] = await _incidents(registry)
    assert draft.draft and draft.impact == "major"


async def test_dkreg_serve_probes_its_own_services(tmp_path: Path) -> None:
    """``app.start`` runs the checks against what it started: every probe of a healthy
    sandbox succeeds (counted as door ``status``), and no component leaves operational."""
    import asyncio

    from dkreg.app import start
    from dkreg.config import Settings

    settings = Settings(data_dir=tmp_path, epp_port=0, http_port=0, whois_port=0,
                        status_check_interval=0.3, status_check_failures=1,
                        lifecycle_interval=3600, dev_mail_catcher=False)
    settings.dns_server = "off"
    running = await start(settings)
    try:
        metrics = running.services.metrics
        wanted = {"epp", "rdap", "whois_api", "das", "portal", "website", "whois",
                  "lifecycle"}

        def seen() -> dict[str, set[str]]:
            out: dict[str, set[str]] = {}
            for metric in metrics.registry.collect():
                for sample in metric.samples:
                    if (sample.name == "dkreg_commands_total"
                            and sample.labels.get("door") == "status"):
                        out.setdefault(sample.labels["command"], set()).add(
                            sample.labels["code"])
            return out

        for _ in range(100):
            if wanted <= set(seen()):
                break
            await asyncio.sleep(0.1)
        assert {k: v for k, v in seen().items() if k in wanted} == {k: {"1000"}
                                                                     for k in wanted}
        async with running.services.db.read() as conn:
            from dkreg.store.context import Ctx

            ctx = Ctx(conn=conn, now=running.services.clock.now(), settings=settings)
            assert {c.state for c in await components(ctx)} == {"operational"}
    finally:
        await running.stop()

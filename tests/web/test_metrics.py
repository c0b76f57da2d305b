"""``/metrics``: Prometheus counts and latencies per door, command and result code, moved by
real EPP commands and portal actions (the runner measures them all), the state gauges,
and where the page may be read: the sandbox's HTTP port; in production only behind a
bearer token or on a listener of its own."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from dkreg.app import Running, start
from dkreg.config import Settings
from dkreg.web.asgi import build_app
from support import frames
from web.conftest import Web
from web.test_portal_account import ACCOUNT, topup_form


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, by name and sorted labels."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(scrape: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    return scrape.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(c: httpx.AsyncClient, **headers: str) -> dict:  # type: ignore[type-arg]
    r = await c.get("/metrics", headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return samples(r.text)


async def test_epp_commands_and_portal_actions_are_counted_and_timed(web: Web) -> None:
    reg = web.registry
    epp, _handle = await reg.registrar_client()  # type: ignore[attr-defined]
    assert (await epp.request(frames.domain_check("free-metrics.dk"))).code == 1000
    assert (await epp.request(frames.domain_info("nobody-metrics.dk"))).code == 2303
    c, _h, _email = await web.logged_in("accounting")
    r = await c.post(ACCOUNT + "/topup", data=topup_form((await c.get(ACCOUNT)).text, "100"))
    assert r.status_code == 303
    r = await c.post(ACCOUNT + "/topup", data=topup_form((await c.get(ACCOUNT)).text, "x"))
    assert r.status_code == 400

    m = await scrape(web.client())
    for door, command, code in (("epp", "login", "1000"), ("epp", "domain:check", "1000"),
                                ("epp", "domain:info", "2303"),
                                ("portal", "account:topup", "1000"),
                                ("portal", "account:topup", "2005")):
        labels = {"door": door, "command": command, "code": code}
        assert value(m, "dkreg_commands_total", **labels) == 1, (labels, m)
        assert value(m, "dkreg_command_duration_seconds_count", **labels) == 1, labels
        assert value(m, "dkreg_command_duration_seconds_sum", **labels) > 0, labels
        assert value(m, "dkreg_command_duration_seconds_bucket", le="+Inf", **labels) == 1
    # the state read at the scrape: the live session, the steps, the outbox, the pool
    assert value(m, "dkreg_epp_sessions") == 1
    assert ("dkreg_lifecycle_step_lag_seconds", (("step", "domain_expiry"),)) in m
    assert ("dkreg_lifecycle_failing_items", (("step", "mail_outbox"),)) in m
    assert ("dkreg_outbox_depth", ()) in m
    assert value(m, "dkreg_db_pool_connections", pool="sqlalchemy", state="max") >= 1

    # the counters move: one more check, the same labels
    await epp.request(frames.domain_check("free-metrics.dk"))
    m2 = await scrape(web.client())
    assert value(m2, "dkreg_commands_total", door="epp", command="domain:check",
                 code="1000") == 2


async def test_selfservice_and_staff_pages_are_measured(web: Web) -> None:
    """Their guards wrap the module-level handlers at import, before any app exists: the
    page is measured in the metrics of the app that received the request."""
    c = web.client()
    assert (await c.get("/selfservice/")).status_code == 303  # no session: to the login
    assert (await c.get("/staff/")).status_code == 303
    assert (await c.post("/staff/documents/1/decide")).status_code == 303
    m = await scrape(web.client())
    assert value(m, "dkreg_commands_total", door="selfservice", command="home",
                 code="1000") == 1, m
    assert value(m, "dkreg_commands_total", door="staff", command="queue", code="1000") == 1
    assert value(m, "dkreg_command_duration_seconds_count", door="staff", command="decide",
                 code="1000") == 1


async def test_lifecycle_steps_are_measured(web: Web) -> None:
    reg = web.registry
    from dkreg.lifecycle.tick import tick

    await tick(reg.db, reg.settings, reg.clock.now(),  # type: ignore[attr-defined]
               metrics=reg.services.metrics)  # type: ignore[attr-defined]
    m = await scrape(web.client())
    # a step with nothing to do is one empty batch
    assert value(m, "dkreg_commands_total", door="lifecycle", command="domain_expiry",
                 code="1000") == 1


def app_with(web: Web, **settings: object) -> httpx.AsyncClient:
    """A client of a web app built over the same registry with other settings."""
    reg = web.registry
    changed = dataclasses.replace(reg.settings, **settings)  # type: ignore[attr-defined]
    services = dataclasses.replace(reg.services, settings=changed)  # type: ignore[attr-defined]
    app = build_app(Running(services=services, epp=reg.server, tasks=[],  # type: ignore[attr-defined]
                            ca_file=None))
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    web.clients.append(c)
    return c


async def test_a_token_is_required_when_one_is_set(web: Web) -> None:
    c = app_with(web, mode="production", metrics_token="s3cret-scrape")
    assert (await c.get("/metrics")).status_code == 401
    r = await c.get("/metrics", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    m = await scrape(c, Authorization="Bearer s3cret-scrape")
    assert ("dkreg_outbox_depth", ()) in m


async def test_production_keeps_it_off_the_public_listener(web: Web) -> None:
    assert (await app_with(web, mode="production").get("/metrics")).status_code == 404
    # a listener of its own named: not on the main port, in the sandbox too
    assert (await app_with(web, metrics_listen="127.0.0.1:0").get("/metrics")).status_code \
        == 404
    assert (await app_with(web, mode="sandbox").get("/metrics")).status_code == 200


async def test_metrics_listen_serves_it_on_its_own_port(db_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=db_url, epp_port=0, http_port=0,
                        lifecycle_interval=3600, metrics_listen="127.0.0.1:0")
    running = await start(settings, lifecycle=False, migrate=False)
    try:
        assert running.metrics_port and running.metrics_port != running.http_port
        async with httpx.AsyncClient() as c:
            public = await c.get(f"http://127.0.0.1:{running.http_port}/metrics")
            assert public.status_code == 404
            assert (await c.get(f"http://127.0.0.1:{running.http_port}/healthz")).status_code \
                == 200
            own = await c.get(f"http://127.0.0.1:{running.metrics_port}/metrics")
            assert own.status_code == 200
            assert ("dkreg_epp_sessions", ()) in samples(own.text)
            assert (await c.get(f"http://127.0.0.1:{running.metrics_port}/healthz")
                    ).status_code == 404
    finally:
        await running.stop()


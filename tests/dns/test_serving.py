"""The zone service as ``dkreg serve`` runs it (both backends): publication to a hidden
primary that is down degrades ``/healthz`` and the zone gauges say so; once the primary
(a real Knot DNS) answers, the waiting change is published and the server is healthy."""

from __future__ import annotations

import asyncio
import base64
import re
import socket
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert

from dkreg.app import Running, start
from dkreg.config import Settings
from dkreg.dns.knot import KnotServer, knotd_available
from dkreg.store.schema import zone_changes
from support.knot import apex_zone_text, knot_settings

SECRET = base64.b64encode(b"k" * 32).decode()

pytestmark = pytest.mark.skipif(not knotd_available(), reason="Knot DNS (knotd) is not "
                                "installed: scripts/bootstrap.sh installs it")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _gauge(text: str, name: str) -> float:
    found = re.search(rf"^{name} (\S+)$", text, re.M)
    assert found, f"{name} missing from /metrics"
    return float(found.group(1))


async def _until(what: str, probe, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.2)


async def test_a_primary_that_is_down_degrades_healthz_until_it_answers(
        db_url: str, tmp_path: Path) -> None:
    port = _free_port()
    settings = Settings(data_dir=tmp_path / "dkreg", database_url=db_url, epp_port=0,
                        http_port=0, lifecycle_interval=3600, ns_check="off",
                        dns_server="primary", dns_primary=f"127.0.0.1:{port}",
                        dns_tsig_secret=SECRET, dns_lag_alert_after=1.0,
                        dns_update_timeout=2.0, dns_retry_max_delay=2.0)
    running: Running = await start(settings)
    primary = KnotServer(knot_settings(tmp_path / "primary", dns_port=port,
                                       dns_tsig_secret=SECRET), tmp_path / "primary",
                         strict_port=True)
    try:
        assert running.zone is not None and running.zone.server is None  # no own server
        async with running.services.db.begin() as conn:  # a change waiting 5 s already
            await conn.execute(insert(zone_changes).values(
                name="eksempel.dk", created_ms=int(time.time() * 1000) - 5000))
        publisher = running.zone.publisher
        base = f"http://127.0.0.1:{running.http_port}"
        async with httpx.AsyncClient(base_url=base, timeout=10) as web:
            async def failed() -> bool:
                return publisher.failures_total > 0
            await _until("a failed publication", failed)
            health = await web.get("/healthz")
            assert health.status_code == 503, health.text
            body = health.json()
            assert body["status"] == "degraded" and "zone publication" in body["steps"]
            problem = next(p for p in body["problems"] if p.startswith("zone publication"))
            assert "oldest unpublished zone change has waited" in problem
            assert "last error" in problem  # what the publisher last ran into
            metrics = (await web.get("/metrics")).text
            assert _gauge(metrics, "dkreg_zone_journal_depth") == 1
            assert _gauge(metrics, "dkreg_zone_oldest_unpublished_seconds") >= 5
            assert _gauge(metrics, "dkreg_zone_publish_failures_total") >= 1
            assert _gauge(metrics, "dkreg_zone_last_publication_timestamp_seconds") == 0

            # the primary comes up: the waiting change goes out, the lag is gone
            await asyncio.to_thread(primary.start, apex_zone_text(primary.settings))

            async def healthy() -> httpx.Response | None:
                r = await web.get("/healthz")
                return r if r.status_code == 200 else None
            body = (await _until("healthy again", healthy)).json()
            assert body["zone"]["journal_depth"] == 0
            assert body["zone"]["server"] == f"127.0.0.1:{port}"
            served = await asyncio.to_thread(primary.serial)
            assert body["zone"]["serial"] == served
            metrics = (await web.get("/metrics")).text
            assert _gauge(metrics, "dkreg_zone_journal_depth") == 0
            assert _gauge(metrics, "dkreg_zone_oldest_unpublished_seconds") == 0
            assert _gauge(metrics, "dkreg_zone_serial") == served
            assert _gauge(metrics, "dkreg_zone_names_published_total") >= 1
            assert _gauge(metrics, "dkreg_zone_last_publication_timestamp_seconds") > (
                time.time() - 120)
    finally:
        await running.stop()
        await asyncio.to_thread(primary.stop)

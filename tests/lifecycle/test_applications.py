"""Application processing as lifecycle work: idempotent, safe with several workers."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from epp.helpers import NS, setup_registrant
from support import frames


async def test_ticks_running_at_once_process_each_application_once(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    for i in range(40):
        r = await c.request(frames.domain_create(f"worker{i}.dk", contact, NS,
                                                 token=registry.token()))
        assert r.code == 1001
    # three workers on the same due work (PostgreSQL: FOR UPDATE SKIP LOCKED)
    reports = await asyncio.gather(*(registry.tick() for _ in range(3)))
    assert sum(r.done["process_applications"] for r in reports) == 40
    assert await registry.scalar("select count(*) from poll_messages") == 40
    assert await registry.scalar(
        "select count(*) from applications where state = 'done'") == 40
    again = await registry.tick()
    assert again.total == 0


async def test_nothing_is_due_before_its_time(registry) -> None:
    from datetime import UTC, datetime

    registry.clock.set(datetime(2025, 1, 2, 12, 0, tzinfo=UTC))
    # well above the low-balance thresholds, so no low-balance mail is due either
    c, _ = await registry.registrar_client(balance_ore=1_000_000_00)
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("waiting.dk", contact, NS))).code == 1001
    for days in (1, 2, 3):
        registry.clock.set(datetime(2025, 1, 2, 12, 0, tzinfo=UTC) + timedelta(days=days))
        assert (await registry.tick()).total == 0
    # deadline: end of 6 January, Copenhagen (23:00 UTC in winter)
    registry.clock.set(datetime(2025, 1, 6, 22, 59, 59, tzinfo=UTC))
    assert (await registry.tick()).total == 0
    registry.clock.set(datetime(2025, 1, 6, 23, 0, 0, tzinfo=UTC))
    assert (await registry.tick()).done["flow2_timeout"] == 1

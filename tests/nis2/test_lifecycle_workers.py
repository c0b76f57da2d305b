"""The NIS2 lifecycle steps with several workers at once (PostgreSQL: FOR UPDATE SKIP
LOCKED): each alarm is mailed once, each outcome told once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from nis2support import REPORT, REQUEST, Nis2Web

from dkreg.actions.nis2 import reports, requests
from epp.update_support import ready_registrar


async def test_ticks_at_once_alarm_and_tell_once(web: Nis2Web) -> None:
    reg = web.registry
    await ready_registrar(reg, "nis2-a.dk")
    await web.staff_user()
    async with reg.db.begin() as conn:
        ctx = reg.ctx(conn)
        for i in range(12):
            await requests.submit(ctx, requests.AccessRequestInput(
                name=f"Asker {i}", org=REQUEST["org"], email=f"a{i}@brand.example",
                requester_type="other", domains="nis2-a.dk", fields=["name"],
                legal_basis="A documented legal interest."))
        await reports.submit(ctx, reports.ReportInput(
            domain="nis2-a.dk", wrong_fields=["name"], description=REPORT["description"],
            reporter_email=REPORT["reporter_email"]))
    reg.clock.advance(timedelta(days=reg.settings.nis2_verification_days, minutes=1))
    done = await asyncio.gather(*(reg.tick() for _ in range(3)))
    assert sum(r.done["nis2_access_alarms"] for r in done) == 12
    assert sum(r.done["nis2_inaccuracy_outcomes"] for r in done) == 1
    assert len(await web.mails("nis2_access_alarm")) == 12
    assert len(await web.mails("nis2_inaccuracy_outcome")) == 1
    again = await reg.tick()
    assert again.done["nis2_access_alarms"] == again.done["nis2_inaccuracy_outcomes"] == 0

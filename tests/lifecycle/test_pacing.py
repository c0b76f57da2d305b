"""The server loop's pacing (``lifecycle.tick.Pacing``): a step with a ``rest`` that
found nothing is left out of the next ticks — until its rest is over, some step gets work
done (its input may have changed) or the loop is woken — while ``dkreg tick`` (no
pacing) asks every step every time. The NIS2 suspension step rests: at .dk's size its
due query cost the public lookups beside it their latency target."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from dkreg.lifecycle import verification
from dkreg.lifecycle.tick import Pacing, tick
from epp.update_support import ready_registrar

STEP = verification.SUSPEND_DOMAINS.name


async def _sql(registry, statement: str, **params: object) -> None:  # type: ignore[no-untyped-def]
    async with registry.db.begin() as conn:
        await conn.execute(text(statement), params)


async def _suspended(registry, name: str) -> bool:  # type: ignore[no-untyped-def]
    return await registry.scalar("select suspended_at is not null from domains "
                                 "where name = :n", n=name) in (True, 1)


async def _tick(registry, pacing: Pacing | None = None):  # type: ignore[no-untyped-def]
    return await tick(registry.db, registry.settings, registry.clock.now(), pacing=pacing)


async def test_a_resting_step_waits_unless_work_was_done(registry) -> None:  # type: ignore[no-untyped-def]
    assert verification.SUSPEND_DOMAINS.rest > 0
    _c, _h, contact = await ready_registrar(registry, "hvile.dk")
    pacing = Pacing()
    assert (await _tick(registry, pacing)).done[STEP] == 0  # nothing to suspend: rests
    # the registrant's check fails behind the lifecycle's back (no step's work)
    await _sql(registry, "update contacts set id_status = 'expired' where handle = :h",
               h=contact)
    assert (await _tick(registry, pacing)).done[STEP] == 0
    assert not await _suspended(registry, "hvile.dk")  # still resting
    pacing.work_done()  # as when the loop is woken, or another step changed something
    assert (await _tick(registry, pacing)).done[STEP] == 1
    assert await _suspended(registry, "hvile.dk")


async def test_dkreg_tick_asks_every_step_every_time(registry) -> None:  # type: ignore[no-untyped-def]
    _c, _h, contact = await ready_registrar(registry, "hver-gang.dk")
    assert (await _tick(registry)).done[STEP] == 0
    await _sql(registry, "update contacts set id_status = 'expired' where handle = :h",
               h=contact)
    assert (await _tick(registry)).done[STEP] == 1


async def test_a_check_expiring_in_the_tick_ends_the_rest(registry) -> None:  # type: ignore[no-untyped-def]
    """The suspension's usual input is the step before it: a check that expires is
    that step's work, so the resting suspension runs in the same tick."""
    _c, _h, contact = await ready_registrar(registry, "kaede.dk")
    pacing = Pacing()
    assert (await _tick(registry, pacing)).done[STEP] == 0
    now = registry.clock.now()
    await _sql(registry, "update contacts set id_status = 'pending', "
               "verification_started_at = :s, verification_due = :d where handle = :h",
               s=now - timedelta(days=30), d=now - timedelta(days=1), h=contact)
    report = await _tick(registry, pacing)
    assert report.done[verification.EXPIRE_CHECKS.name] == 1
    assert report.done[STEP] == 1 and await _suspended(registry, "kaede.dk")


async def test_the_rest_ends_after_its_time(registry, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from dkreg.lifecycle import tick as tick_module

    _c, _h, contact = await ready_registrar(registry, "udhvilet.dk")
    pacing = Pacing()
    clock = [1000.0]  # the pacing's own clock, not the event loop's
    monkeypatch.setattr(tick_module, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    assert (await _tick(registry, pacing)).done[STEP] == 0
    await _sql(registry, "update contacts set id_status = 'expired' where handle = :h",
               h=contact)
    clock[0] += verification.SUSPEND_DOMAINS.rest - 1
    assert (await _tick(registry, pacing)).done[STEP] == 0
    clock[0] += 2
    assert (await _tick(registry, pacing)).done[STEP] == 1


async def test_a_step_that_still_finds_nothing_rests_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """After its rest the step is asked; finding nothing again, it rests again (not
    asked on every tick from then on)."""
    step = verification.SUSPEND_DOMAINS
    pacing = Pacing()
    pacing.found_nothing(step, 1000.0)
    assert pacing.resting(step, 1000.0 + step.rest - 1)
    assert not pacing.resting(step, 1000.0 + step.rest + 1)  # its rest is over: asked
    pacing.found_nothing(step, 1000.0 + step.rest + 1)  # and again nothing
    assert pacing.resting(step, 1000.0 + step.rest + 2)

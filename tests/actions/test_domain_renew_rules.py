"""renew domain's period rules at the action: 1 to 10 years in unit y, and a new expiry
at most ``max_expiry_years`` ahead. tests/epp/test_domain_renew.py keeps one case of each
over the wire."""

from __future__ import annotations

import pytest

from actions.world import Refusal, World
from dkreg.actions.domain.renew import DomainRenew, domain_renew


@pytest.fixture
async def domain(world: World, registrant: str) -> str:
    await world.active_domain("forny.dk", registrant)
    return "forny.dk"


@pytest.mark.parametrize(("period", "unit", "code", "reason"), [
    (1, "m", 2005, "period_unit"), (12, "m", 2005, "period_unit"),
    (0, "y", 2004, "invalid_period"), (11, "y", 2004, "invalid_period"),
    (-1, "y", 2004, "invalid_period"),
    (10, "y", 2306, "renew_exceeds_max"),  # 1 + 10 years: beyond the ten-year limit
])
async def test_period_refused(world: World, domain: str, period: int, unit: str, code: int,
                              reason: str) -> None:
    before = await world.scalar("select expires_at from domains")
    cmd = DomainRenew(domain, world.expiry(), period=period, period_unit=unit)
    assert await world.refusal(domain_renew, cmd) == Refusal(code, reason, "domain:period", None)
    assert await world.scalar("select expires_at from domains") == before


@pytest.mark.parametrize(("period", "years"), [(None, 1), (1, 1), (9, 9)])
async def test_period_accepted(world: World, domain: str, period: int | None,
                               years: int) -> None:
    result = await world.run(domain_renew, DomainRenew(domain, world.expiry(), period=period))
    assert result.ex_date.year == world.expiry().year + years
    assert result.price_ore == years * world.settings.domain_price_ore

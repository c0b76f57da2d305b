"""The portal's "terms accepted at" may not be after the registry clock (EPP's token
allows a day ahead for a registrar's fast clock; a person reads a past moment)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dkreg.clock import COPENHAGEN
from dkreg.errors import EppError
from dkreg.model.token import FIELD, check_not_future

NOW = datetime(2026, 6, 1, 10, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(seconds=-30), timedelta(days=-29)])
def test_now_and_the_past_pass(offset: timedelta) -> None:
    check_not_future(NOW + offset, NOW, "1")


@pytest.mark.parametrize("offset", [timedelta(seconds=1), timedelta(minutes=1),
                                    timedelta(hours=23)])
def test_any_moment_after_the_registry_clock_is_refused(offset: timedelta) -> None:
    when = NOW + offset
    with pytest.raises(EppError) as caught:
        check_not_future(when, NOW, str(int(when.timestamp())))
    e = caught.value
    assert (e.code, e.reason, e.field) == (2004, "token_threshold", FIELD)
    assert e.detail is not None and e.detail.key == "accepted_after_registry_clock"
    # the times in the detail are Danish time, as the form shows them
    local = when.astimezone(COPENHAGEN)
    assert f"{local:%Y-%m-%d %H:%M} Danish time is after" in e.detail.render("en")
    assert f"{local.day}.{local.month}.{local.year} kl. {local:%H.%M}" in e.detail.render("da")

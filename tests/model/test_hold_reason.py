"""Why a domain is on hold: one reason per cause the model knows."""

from __future__ import annotations

import pytest

from dkreg.model.hold import REASONS, hold_reason


@pytest.mark.parametrize(("statuses", "cause", "id_status", "reason"), [
    (["ok"], None, "pending", None),                       # not on hold at all
    (["pendingDelete", "serverHold"], "delete", "completed", "deleted"),
    (["pendingDelete", "serverHold"], "expiry", "completed", "expired"),
    (["pendingDelete", "serverHold"], "nopay", "completed", "unpaid"),
    (["serverHold"], "nis2", "expired", "id_check_failed"),
    (["pendingDelete", "serverHold"], "unconfirmed", "completed", "unconfirmed"),
    (["serverHold"], None, "pending", "id_check"),         # activation waits for the check
    (["serverHold"], None, "rejected", "id_check_failed"),
    (["serverHold"], None, "expired", "id_check_failed"),
    (["serverHold"], None, "completed", "registry"),       # nothing of ours explains it
    (["serverHold"], None, "notRequired", "registry"),
    (["serverHold"], "something-new", "completed", "registry"),
])
def test_each_cause_has_its_reason(statuses: list[str], cause: str | None, id_status: str,
                                   reason: str | None) -> None:
    assert hold_reason(statuses, cause, id_status) == reason
    assert reason is None or reason in REASONS

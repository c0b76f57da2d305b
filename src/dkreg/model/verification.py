"""NIS2 verification states of a contact (dkhm-4.5 ``status`` values)."""

from __future__ import annotations

# a registrant counts as validated when its ID/data check is done or not required
VALIDATED = frozenset({"completed", "notRequired"})


def is_validated(status: str) -> bool:
    return status in VALIDATED

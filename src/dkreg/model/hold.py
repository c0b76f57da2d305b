"""Why a domain is on hold (out of the zone), in one word a page can explain.

A domain is held by the registry (``serverHold``) for one of a few reasons, and the
model knows which from the domain's row and its registrant's checks: a redemption
period (deleted, expired without renewal, renewal unpaid, NIS2 suspension, never
confirmed) names its cause; otherwise a registrant whose ID check is not done holds
the domain until it is (activation waits for it), and a failed or expired check
suspends it. What remains is the registry's own hold. The registrar's dashboard says
which, so a registrar knows whom to chase without opening each domain.
"""

from __future__ import annotations

from collections.abc import Iterable

from dkreg.model.verification import BLOCKING, is_validated

HOLD_STATUS = "serverHold"

# redemption_cause -> reason
_REDEMPTION = {
    "delete": "deleted",          # deleted by its registrar: restorable in redemption
    "expiry": "expired",          # auto-expire at the end of its period
    "nopay": "unpaid",            # the renewal was not paid (invoice, or prepaid account)
    "nis2": "id_check_failed",    # suspended: the registrant's NIS2 check failed/expired
    "unconfirmed": "unconfirmed",  # never confirmed by its registrant
}

REASONS = ("deleted", "expired", "unpaid", "id_check_failed", "unconfirmed", "id_check",
           "registry")


def on_hold(statuses: Iterable[str]) -> bool:
    return HOLD_STATUS in set(statuses)


def hold_reason(statuses: Iterable[str], redemption_cause: str | None,
                id_status: str) -> str | None:
    """One of ``REASONS`` for a domain on hold, None for one that is not.

    ``id_status`` is the registrant's ID check (``contacts.id_status``)."""
    if not on_hold(statuses):
        return None
    if redemption_cause:
        return _REDEMPTION.get(redemption_cause, "registry")
    if id_status in BLOCKING:
        return "id_check_failed"
    if not is_validated(id_status):
        return "id_check"
    return "registry"

"""A domain's status in words, why, and what its registrant can do: one case per reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dkreg.model.domain_situation import STEPS, DomainFacts, Situation, situation

DUE = datetime(2025, 6, 1, tzinfo=UTC)
UNTIL = datetime(2025, 7, 1, tzinfo=UTC)
HOLD = "serverHold"
OUT = "pendingDelete serverHold"


@pytest.mark.parametrize(("facts", "expected"), [
    (DomainFacts("active"), Situation("active")),
    (DomainFacts("application", awaiting_terms=True),
     Situation("awaiting_terms", "terms_not_accepted", ("accept_terms",))),
    (DomainFacts("application", id_status="pending", verification_due=DUE),
     Situation("application", "awaiting_id_check", ("verify",), DUE)),
    (DomainFacts("application"), Situation("application", "being_processed", ("wait",))),
    (DomainFacts("active", HOLD, id_status="pending", verification_due=DUE),
     Situation("on_hold", "awaiting_id_check", ("verify", "ask_registrar"), DUE)),
    (DomainFacts("active", HOLD, email_status="pending"),
     Situation("on_hold", "awaiting_data_check", ("verify", "ask_registrar"))),
    (DomainFacts("active", HOLD, id_status="rejected"),
     Situation("on_hold", "id_check_rejected", ("ask_registrar", "ask_registry"))),
    (DomainFacts("active", HOLD), Situation("on_hold", "held_by_registry", ("ask_registry",))),
    (DomainFacts("active", management="registrant", has_registrar=False, open_invoice=True),
     Situation("active", "invoice_open", ("pay",))),
    (DomainFacts("active", id_status="pending", verification_due=DUE),
     Situation("active", "id_check_due", ("verify",), DUE)),
    (DomainFacts("active", email_status="pending"),
     Situation("active", "data_check_due", ("verify",))),
    (DomainFacts("active", delete_at=DUE),
     Situation("deletion_scheduled", "deletion_scheduled", ("ask_registrar",), DUE)),
    (DomainFacts("active", OUT, redemption_cause="nis2", redemption_until=UNTIL,
                 id_status="expired"),
     Situation("suspended", "id_check_expired", ("verify", "ask_registrar"), UNTIL)),
    (DomainFacts("active", OUT, redemption_cause="nis2", redemption_until=UNTIL,
                 email_status="expired"),
     Situation("suspended", "data_check_expired", ("verify", "ask_registrar"), UNTIL)),
    (DomainFacts("active", OUT, redemption_cause="nis2", redemption_until=UNTIL,
                 id_status="rejected"),
     Situation("suspended", "id_check_rejected", ("ask_registrar", "ask_registry"), UNTIL)),
    (DomainFacts("active", OUT, management="registrant", has_registrar=False,
                 redemption_cause="nopay", redemption_until=UNTIL, open_invoice=True),
     Situation("pending_deletion", "unpaid", ("pay",), UNTIL)),
    (DomainFacts("active", OUT, redemption_cause="nopay", redemption_until=UNTIL),
     Situation("pending_deletion", "unpaid", ("ask_registrar",), UNTIL)),
    (DomainFacts("active", OUT, redemption_cause="expiry", redemption_until=UNTIL),
     Situation("pending_deletion", "expired", ("ask_registrar",), UNTIL)),
    (DomainFacts("active", OUT, redemption_cause="delete", redemption_until=UNTIL,
                 management="registrant", has_registrar=False),
     Situation("pending_deletion", "deleted", ("ask_registry",), UNTIL)),
    (DomainFacts("active", OUT, redemption_cause="unconfirmed", redemption_until=UNTIL),
     Situation("pending_deletion", "restore_unconfirmed", ("ask_registry",), UNTIL)),
])
def test_each_reason_names_its_next_steps(facts: DomainFacts, expected: Situation) -> None:
    got = situation(facts)
    assert got == expected
    assert set(got.steps) <= set(STEPS)
    assert got.needs_action == (got.reason is not None and got.steps != ("wait",))


def test_a_suspended_domain_never_offers_only_waiting() -> None:
    """Every hold names something the person can do (never a dead end)."""
    for cause in ("nis2", "nopay", "expiry", "delete", "unconfirmed"):
        for registrar in (True, False):
            s = situation(DomainFacts("active", OUT, redemption_cause=cause,
                                      redemption_until=UNTIL, has_registrar=registrar))
            assert s.needs_action and s.until == UNTIL, (cause, s)

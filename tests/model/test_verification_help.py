"""After a failed ID check a person always has a next step: try again, use another method
(a document), or ask the registrar to correct the data — one case per outcome."""

from __future__ import annotations

import pytest

from dkreg.model.verification_help import STEPS, CheckHelp, after_check


@pytest.mark.parametrize(("method", "outcome", "reason", "steps"), [
    ("mitid", "cancelled", "mitid_cancelled", ("retry", "document")),
    ("mitid", "error", "service_error", ("retry", "document")),
    ("mitid", "name_mismatch", "name_mismatch", ("registrar", "retry", "document")),
    ("mitid", "invalid_cpr", "invalid_cpr", ("retry", "document", "registrar")),
    ("cvr", "error", "service_error", ("retry", "document")),
    ("cvr", "unknown_cvr", "unknown_cvr", ("registrar", "document")),
    ("cvr", "dissolved", "dissolved", ("registrar",)),
    ("cvr", "name_mismatch", "name_mismatch", ("registrar", "retry", "document")),
    ("cvr", "address_mismatch", "address_mismatch", ("registrar", "retry", "document")),
    ("cvr", "pnumber_mismatch", "pnumber_mismatch", ("registrar", "retry")),
    ("cvr", "ean_invalid", "ean_invalid", ("registrar", "retry")),
    ("document", "rejected", "document_rejected", ("retry", "registrar")),
    ("document", "something_new", "service_error", ("retry", "registrar")),
])
def test_each_failed_outcome_has_next_steps(method: str, outcome: str, reason: str,
                                            steps: tuple[str, ...]) -> None:
    got = after_check(method, outcome)
    assert got == CheckHelp(reason, steps)
    assert got.steps and set(got.steps) <= set(STEPS) and "wait" not in got.steps


def test_a_match_needs_no_help_and_the_registry_s_verdict_overrides() -> None:
    assert after_check("mitid", "matched") is None
    assert after_check("document", "approved") is None
    assert after_check("mitid", "cancelled", id_status="rejected") == CheckHelp(
        "check_rejected", ("registry", "registrar"))
    assert after_check("document", "rejected", document_waiting=True) == CheckHelp(
        "document_waiting", ("wait",))

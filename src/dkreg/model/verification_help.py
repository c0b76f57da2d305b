"""What a person can do after an ID check that did not succeed — never a dead end.

Each outcome of a MitID login, a CVR look-up or a document review names why it failed
and the next steps, in the order offered:

``retry``     the same method again (a cancelled MitID login, a passing fault)
``document``  another method: upload an identity document for the registry's review
              (open to every contact; the one method for a registrant abroad)
``registrar`` ask the registrar to correct the contact's data (the registrant cannot
              edit it: a name, address or CVR number that does not match the register
              must be corrected before a check can match)
``registry``  ask the registry's support (the check was rejected for good)
``wait``      nothing to do now: a document awaits the registry's review

MitID is for Danish individuals and CVR for Danish companies, associations and public
bodies (``actions.contact.verification_checks.method_for``); a document is the other way
for both, so "use another method" always has somewhere to go.
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS = ("retry", "document", "registrar", "registry", "wait")


@dataclass(frozen=True)
class CheckHelp:
    reason: str                 # key suffix: why the check did not succeed
    steps: tuple[str, ...]      # from STEPS, the first is the one to try first


# (method, outcome) -> (reason, steps); ``document`` is dropped where it is the method
_HELP: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("mitid", "cancelled"): ("mitid_cancelled", ("retry", "document")),
    ("mitid", "error"): ("service_error", ("retry", "document")),
    ("mitid", "name_mismatch"): ("name_mismatch", ("registrar", "retry", "document")),
    ("mitid", "invalid_cpr"): ("invalid_cpr", ("retry", "document", "registrar")),
    ("cvr", "error"): ("service_error", ("retry", "document")),
    ("cvr", "unknown_cvr"): ("unknown_cvr", ("registrar", "document")),
    ("cvr", "dissolved"): ("dissolved", ("registrar",)),
    ("cvr", "name_mismatch"): ("name_mismatch", ("registrar", "retry", "document")),
    ("cvr", "address_mismatch"): ("address_mismatch", ("registrar", "retry", "document")),
    ("cvr", "pnumber_mismatch"): ("pnumber_mismatch", ("registrar", "retry")),
    ("cvr", "ean_invalid"): ("ean_invalid", ("registrar", "retry")),
    ("document", "rejected"): ("document_rejected", ("retry", "registrar")),
}


def after_check(method: str, outcome: str, *, id_status: str = "pending",
                document_waiting: bool = False) -> CheckHelp | None:
    """The help after an attempt by ``method`` that ended in ``outcome``; None when it
    matched. ``id_status`` rejected (the registry rejected the check for good) and a
    document under review override the attempt's own help."""
    if id_status == "rejected":
        return CheckHelp("check_rejected", ("registry", "registrar"))
    if document_waiting:
        return CheckHelp("document_waiting", ("wait",))
    if outcome in ("matched", "approved"):
        return None
    reason, steps = _HELP.get((method, outcome), ("service_error", ("retry", "registrar")))
    if method == "document":
        steps = tuple(s for s in steps if s != "document")
    return CheckHelp(reason, steps)

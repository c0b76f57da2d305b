"""A domain's situation as its registrant sees it: the status in words, why it is not
simply active, and what the person can do about it.

Self-service shows this for every domain a person holds a role on, so nobody is left
with "serverHold" or "pendingDelete" and no idea what to do. The rule is pure: it reads
the facts the registry already keeps (state, EPP statuses, redemption cause, the
registrant's NIS2 check, an open invoice) and names a status, a reason and the next
steps by key; the web turns keys into words and links in the reader's language.

Steps, in the order they are offered:

``accept_terms``  accept the registry's terms for a waiting application (Flow 2)
``verify``        complete the ID or data check (``/selfservice/verification``)
``pay``           pay the open invoice (its payment link)
``ask_registrar`` ask the domain's registrar (its public contact details)
``ask_registry``  ask the registry's support: no registrar is involved, or only the
                  registry can lift it (a rejected check, a registry hold)
``wait``          nothing to do: the registry is processing it
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dkreg.model.verification import is_validated

STATUSES = ("active", "application", "awaiting_terms", "on_hold", "suspended",
            "deletion_scheduled", "pending_deletion")
STEPS = ("accept_terms", "verify", "pay", "ask_registrar", "ask_registry", "wait")


@dataclass(frozen=True)
class DomainFacts:
    """What the registry knows about a domain and its registrant, as stored."""

    state: str                            # application | active
    statuses: str = "ok"                  # space-separated EPP statuses
    management: str = "registrar"         # registrar | registrant
    has_registrar: bool = True            # a registrar sponsors it or is its billing contact
    redemption_cause: str | None = None   # delete | expiry | nopay | nis2 | unconfirmed
    redemption_until: datetime | None = None
    delete_at: datetime | None = None     # a deletion scheduled by dkhm:delDate
    id_status: str = "completed"          # the registrant's ID check
    email_status: str = "completed"       # the registrant's data (e-mail) check
    verification_due: datetime | None = None
    awaiting_terms: bool = False          # a Flow 2 application waits for acceptance
    open_invoice: bool = False            # the registry's invoice for it is unpaid


@dataclass(frozen=True)
class Situation:
    status: str                  # one of STATUSES
    reason: str | None = None    # why it is not simply active (None: all is well)
    steps: tuple[str, ...] = ()  # what the person can do, from STEPS
    until: datetime | None = None  # the deadline or date the reason is about

    @property
    def needs_action(self) -> bool:
        return any(s != "wait" for s in self.steps)


def _ask(f: DomainFacts) -> str:
    return "ask_registrar" if f.has_registrar else "ask_registry"


def _check_pending(f: DomainFacts) -> str | None:
    """Which of the registrant's checks is still open: ``id`` or ``data`` (None: none)."""
    if not is_validated(f.id_status):
        return "id"
    if f.email_status in ("pending", "expired"):
        return "data"
    return None


def situation(f: DomainFacts) -> Situation:
    """The status in words, the reason and the next steps for one domain."""
    if f.state == "application":
        if f.awaiting_terms:
            return Situation("awaiting_terms", "terms_not_accepted", ("accept_terms",))
        if _check_pending(f) == "id" and f.id_status != "rejected":
            return Situation("application", "awaiting_id_check", ("verify",),
                             f.verification_due)
        return Situation("application", "being_processed", ("wait",))
    if f.redemption_until is not None:
        return _in_redemption(f)
    if f.delete_at is not None:
        return Situation("deletion_scheduled", "deletion_scheduled", (_ask(f),), f.delete_at)
    if "serverHold" in f.statuses.split():
        if f.id_status == "rejected":
            return Situation("on_hold", "id_check_rejected", (_ask(f), "ask_registry"))
        pending = _check_pending(f)
        if pending is not None:
            return Situation("on_hold", f"awaiting_{pending}_check", ("verify", _ask(f)),
                             f.verification_due)
        return Situation("on_hold", "held_by_registry", ("ask_registry",))
    if f.open_invoice:
        return Situation("active", "invoice_open", ("pay",))
    pending = _check_pending(f)
    if pending is not None and f.id_status != "rejected":
        return Situation("active", f"{pending}_check_due", ("verify",), f.verification_due)
    return Situation("active")


def _in_redemption(f: DomainFacts) -> Situation:
    """On the way out: out of the zone until ``redemption_until``, then released."""
    until, cause = f.redemption_until, f.redemption_cause
    if cause == "nis2":
        if f.id_status == "rejected":
            return Situation("suspended", "id_check_rejected", (_ask(f), "ask_registry"),
                             until)
        kind = _check_pending(f) or "id"
        return Situation("suspended", f"{kind}_check_expired", ("verify", _ask(f)), until)
    if cause == "nopay":
        steps = ("pay",) if f.open_invoice else (_ask(f),)
        return Situation("pending_deletion", "unpaid", steps, until)
    if cause == "expiry":
        return Situation("pending_deletion", "expired", (_ask(f),), until)
    if cause == "delete":
        return Situation("pending_deletion", "deleted", (_ask(f),), until)
    return Situation("pending_deletion", "restore_unconfirmed", ("ask_registry",), until)

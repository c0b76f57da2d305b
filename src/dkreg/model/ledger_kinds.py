"""The kinds of line the prepaid account's ledger holds, in one list.

Every posting names one of these (``store.ledger`` refuses any other), so the portal can
show each kind in words in both languages and a test can check that none lacks its
text: a new kind of charge is added here, with its words, or it cannot be posted.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = (
    "topup",                     # money in: payment, sandbox or CLI top-up, opening balance
    "domain_create",             # a registration's first period
    "domain_renew",              # an explicit renewal
    "domain_autorenew",          # the lifecycle's renewal at expiry
    "domain_restore",            # a restore from redemption (a year plus the fee)
    "domain_transfer",           # a transfer, when it has a price
    "registrant_change",         # the registrant-change fee
    "registrant_change_refund",  # the fee back when the change does not go through
    "domain_create_refund",      # a registration's price back: its name servers failed
)


def check_kind(kind: str) -> str:
    """``kind`` when it is one of ``KINDS``; a programming error otherwise."""
    if kind not in KINDS:
        raise ValueError(f"not a ledger kind: {kind!r} (add it to dkreg.model.ledger_kinds)")
    return kind

"""NIS2 verification states of a contact (dkhm-4.5 ``status`` values).

A contact carries two of them: ``id_status`` (``verified_id``: the ID check of name and
address) and ``email_status`` (``verified_email``: the data check of the contact data).
The registry's poll texts name the checks "ID check", "data check" and "ID and data
check"; :func:`check_kind` picks the one that matches which of the two are concerned.
"""

from __future__ import annotations

STATUSES = ("completed", "notRequired", "pending", "expired", "rejected")

# a registrant counts as validated when its ID/data check is done or not required
VALIDATED = frozenset({"completed", "notRequired"})

# a registrant in one of these states has its domains suspended (serverHold)
BLOCKING = frozenset({"expired", "rejected"})


def is_validated(status: str) -> bool:
    return status in VALIDATED


def blocks_domains(id_status: str, email_status: str) -> bool:
    """An expired or rejected check suspends the registrant's domains."""
    return id_status in BLOCKING or email_status in BLOCKING


def may_activate(id_status: str, email_status: str) -> bool:
    """Domains of this registrant may be active: the ID check is done (as application
    processing requires) and no check has expired or been rejected."""
    return is_validated(id_status) and not blocks_domains(id_status, email_status)


def check_kind(id_part: bool, email_part: bool) -> str:
    """Suffix of the poll text keys: ``id_data``, ``id`` or ``data``."""
    if id_part and email_part:
        return "id_data"
    return "id" if id_part else "data"


def parts(kind: str) -> tuple[bool, bool]:
    """(ID check concerned, data check concerned) for ``id_data`` / ``id`` / ``data``."""
    if kind not in ("id_data", "id", "data"):
        raise ValueError(f"verification kind is id_data, id or data, not {kind!r}")
    return kind in ("id_data", "id"), kind in ("id_data", "data")

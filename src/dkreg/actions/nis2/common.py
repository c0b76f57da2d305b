"""What the NIS2 disclosure actions share: their audit events, field checks and the
addresses the staff alarm goes to."""

from __future__ import annotations

from sqlalchemy import select

from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.nis2 import MAX_TEXT
from dkreg.store.audit import write_facts
from dkreg.store.context import Ctx
from dkreg.store.schema import staff_users

# one audit event per decision, in the caller's transaction
audit = write_facts


def text_problem(value: str, field: str, *, required: bool = True,
                 most: int = MAX_TEXT) -> EppError | None:
    """A free-text field: present when required, not longer than ``most``."""
    if required and not value.strip():
        return err(2003, "nis2_required", field=field)
    if len(value) > most:
        return err(2306, "nis2_too_long", field=field,
                   detail=Detail("nis2_max_length", most=most))
    return None


def email_problem(value: str, field: str) -> EppError | None:
    """A plausible single address (the mail outbox refuses anything else)."""
    v = value.strip()
    if not v:
        return err(2003, "nis2_required", field=field)
    local, at, domain = v.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in v) \
            or len(v) > 254:
        return err(2005, "invalid_email", field=field)
    return None


def choices_problem(values: list[str], allowed: tuple[str, ...], field: str
                    ) -> EppError | None:
    """At least one value, each one of ``allowed``."""
    if not values:
        return err(2003, "nis2_required", field=field)
    if any(v not in allowed for v in values):
        return err(2005, "nis2_bad_choice", field=field)
    return None


async def staff_recipients(ctx: Ctx) -> list[str]:
    """The disclosure team's address when configured, else every enabled staff user."""
    if ctx.settings.nis2_disclosure_email.strip():
        return [a.strip() for a in ctx.settings.nis2_disclosure_email.split(",") if a.strip()]
    return list((await ctx.conn.execute(
        select(staff_users.c.email).where(staff_users.c.disabled.is_(False))
        .order_by(staff_users.c.id))).scalars())

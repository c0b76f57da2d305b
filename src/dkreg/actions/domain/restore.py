"""restore domain (RFC 3915 restore report): undo a deletion during the redemption period.

.dk offers only the report step, restoring at once (no ``pendingRestore``). Only what
the registrar could have caused is restorable by the registrar: its own cancellation,
an expiry without auto-renewal and a renewal that could not be paid. Suspensions the
registry imposed (NIS2 verification expired, restoration unconfirmed) are lifted only
by the registry. Restoring pays one year plus the restoration fee and runs the new
period from the old expiry date, or from today if that has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from dkreg.actions.domain.delete import mark_subordinate_hosts
from dkreg.actions.domain.lookup import lock_live_domain
from dkreg.actions.domain.renew import extend
from dkreg.actions.poll.queue import enqueue_text, pan_data
from dkreg.config import Settings
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.verification import is_validated
from dkreg.store.context import Ctx
from dkreg.store.ledger import debit
from dkreg.store.schema import contacts, domains

RESTORABLE = ("delete", "expiry", "nopay")
NOT_RESTORABLE = {
    "nis2": Detail("restore_nis2_unverified"),
    "unconfirmed": Detail("restore_unconfirmed"),
}


@dataclass
class RestoreReport:
    """The RFC 3915 report. It is on record in the command's audit entry; none of it
    changes the outcome (the registry's own example sends placeholders, 1900-01-01 for
    both times, so the times cannot be held against the deletion)."""

    del_time: datetime
    res_time: datetime
    pre_data: str = ""
    post_data: str = ""
    res_reason: str = ""
    statements: tuple[str, ...] = ()
    other: str | None = None


@dataclass
class DomainRestore:
    name: str
    report: RestoreReport


@dataclass(frozen=True)
class DomainRestoreResult:
    name: str  # U-label
    ex_date: datetime
    price_ore: int
    statuses: list[str]


def restore_price(settings: Settings) -> int:
    """What a restore debits, in øre: one year's renewal plus the restoration fee. Named
    here so that the portal's confirmation states the same sum the action then debits."""
    return settings.domain_price_ore + settings.restore_fee_ore


def restored_expiry(expires_at: datetime, now: datetime) -> datetime:
    """The expiry after a restore: a year from the old expiry date, or from today if that
    has passed (the registrant never pays for time spent deleted)."""
    return extend(max(expires_at, now), 1)


async def domain_restore(ctx: Ctx, cmd: DomainRestore) -> DomainRestoreResult:
    actor = ctx.actor
    if actor.registrar_id is None or "proxy" not in actor.roles:
        raise err(2201, "restore_no_privilege",
                  detail=Detail("restoring_needs_proxy_meta_role"))
    row = await lock_live_domain(ctx, cmd.name)
    if row.sponsor_id is None or row.sponsor_id != actor.registrar_id:
        raise err(2201, "restore_no_privilege", field="domain:name",
                  detail=Detail("registrant_managed", uname=row.uname) if row.sponsor_id is None
                  else Detail("not_your_portfolio", uname=row.uname))
    if row.redemption_until is None:
        raise err(2304, "restore_status", field="domain:name",
                  detail=Detail("not_in_redemption_scheduled" if row.delete_at is not None
                                else "not_in_redemption", uname=row.uname))
    if row.redemption_cause not in RESTORABLE:
        why = NOT_RESTORABLE.get(row.redemption_cause or "") or Detail(
            "restore_cause_not_restorable", cause=row.redemption_cause)
        raise err(2304, "restore_status", field="domain:name",
                  detail=Detail("cannot_restored", uname=row.uname, why=why))

    price = restore_price(ctx.settings)
    await debit(ctx, actor.registrar_id, price, "domain_restore", f"{row.name} restore",
                reason="restore_billing_failure")
    new_expiry = restored_expiry(row.expires_at, ctx.now)
    id_status = (await ctx.conn.execute(select(contacts.c.id_status).where(
        contacts.c.id == row.registrant_id))).scalar_one()
    statuses = "ok" if is_validated(id_status) else "serverHold"
    await ctx.conn.execute(update(domains).where(domains.c.id == row.id).values(
        statuses=statuses, expires_at=new_expiry, redemption_until=None,
        redemption_cause=None, delete_at=None, delete_cl_trid=None, delete_sv_trid=None,
        updated_at=ctx.now, updated_by=actor.registrar_handle))
    await mark_subordinate_hosts(ctx, row.id, pending=False)
    await enqueue_text(ctx, actor.registrar_id, "domain_restored",
                       pan_data(ctx, row.uname, True, ctx.cl_trid, ctx.sv_trid),
                       name=row.uname)
    return DomainRestoreResult(name=row.uname, ex_date=new_expiry, price_ore=price,
                               statuses=statuses.split())

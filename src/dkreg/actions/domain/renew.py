"""renew domain: the payer extends the paid period from the current expiry date.

The registrar pays from its prepaid account, so the Payer meta-role is needed and only
the registrar that pays for the domain may renew it: the sponsor of a registrar-managed
domain, or the registrar named as billing contact of a registrant-managed one.
``curExpDate`` guards against renewing twice when a client retries a command whose
answer it lost. A renewal also stops a deletion scheduled with ``dkhm:delDate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update

from dkreg.actions.domain.lookup import lock_live_domain
from dkreg.actions.poll.queue import enqueue_text, pan_data
from dkreg.clock import COPENHAGEN, add_years, end_of_local_day
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.ledger import debit
from dkreg.store.schema import domains

# statuses under which a domain cannot be renewed (SPEC-DIGEST §5.4 serverRenewProhibited)
NOT_RENEWABLE = {
    "pendingCreate": Detail("renew_still_application"),
    "serverHold": Detail("renew_suspended_until_verified"),
    "serverRenewProhibited": Detail("renew_blocked_by_registry"),
}


def why_not_renewable(row: Any) -> Detail | None:
    """The reason a domain row cannot be renewed now, or None."""
    if row.state != "active" or row.expires_at is None:
        return NOT_RENEWABLE["pendingCreate"]
    if row.redemption_until is not None:
        return Detail("renew_being_deleted")
    if row.suspended_at is not None:
        return NOT_RENEWABLE["serverHold"]
    statuses = row.statuses.split()
    return next((why for status, why in NOT_RENEWABLE.items() if status in statuses), None)


@dataclass
class DomainRenew:
    name: str
    cur_exp_date: date
    period: int | None = None  # default 1 year
    period_unit: str = "y"


@dataclass(frozen=True)
class DomainRenewResult:
    name: str  # U-label
    ex_date: datetime
    price_ore: int
    deletion_stopped: bool


def local_date(moment: datetime) -> date:
    """exDate values are the end of a Copenhagen day; clients compare local dates."""
    return moment.astimezone(COPENHAGEN).date()


def extend(expiry: datetime, years: int) -> datetime:
    """The end of the same Copenhagen calendar day ``years`` later.

    Adding the years to the local time rather than to UTC keeps the day right when
    the old and the new date fall on different sides of a daylight-saving change.
    """
    return end_of_local_day(add_years(expiry.astimezone(COPENHAGEN), years))


def without(statuses: str, *remove: str) -> str:
    """Space-separated statuses minus ``remove``; "ok" when nothing is left."""
    kept = [s for s in statuses.split() if s not in remove and s != "ok"]
    return " ".join(kept) or "ok"


def check_period(period: int | None, unit: str) -> int:
    if unit != "y":
        raise err(2005, "period_unit", field="domain:period")
    years = 1 if period is None else period
    if not 1 <= years <= 10:
        raise err(2004, "invalid_period", years, field="domain:period",
                  detail=Detail("period_must_1_10_years"))
    return years


async def domain_renew(ctx: Ctx, cmd: DomainRenew) -> DomainRenewResult:
    actor = ctx.actor
    if actor.registrar_id is None or "payer" not in actor.roles:
        raise err(2201, "renew_no_privilege",
                  detail=Detail("renewing_needs_payer_meta_role"))
    years = check_period(cmd.period, cmd.period_unit)
    row = await lock_live_domain(ctx, cmd.name)
    payer = row.sponsor_id if row.management == "registrar" else row.billing_registrar_id
    if payer is None or payer != actor.registrar_id:
        raise err(2201, "renew_no_privilege", field="domain:name",
                  detail=Detail("renewed_by_its_registrar", uname=row.uname)
                         if row.management == "registrar" else
                         Detail("registrant_managed_registrar_renews_it", uname=row.uname))
    why = why_not_renewable(row)
    if why is not None:
        raise err(2105, "renew_not_eligible", field="domain:name", detail=why)
    current = local_date(row.expires_at)
    if cmd.cur_exp_date != current:
        raise err(2306, "renew_cur_exp_mismatch", cmd.cur_exp_date.isoformat(),
                  current.isoformat(), field="domain:curExpDate")
    new_expiry = extend(row.expires_at, years)
    limit = end_of_local_day(add_years(ctx.now.astimezone(COPENHAGEN),
                                       ctx.settings.max_expiry_years))
    if new_expiry > limit:
        raise err(2306, "renew_exceeds_max", local_date(new_expiry).isoformat(),
                  local_date(limit).isoformat(), field="domain:period",
                  detail=Detail("domain_may_paid_at_most",
                                max_expiry_years=ctx.settings.max_expiry_years))

    values: dict[str, object] = {"expires_at": new_expiry, "updated_at": ctx.now,
                                 "updated_by": actor.registrar_handle}
    stopped = row.delete_at is not None
    if stopped:
        values.update(delete_at=None, delete_cl_trid=None, delete_sv_trid=None,
                      statuses=without(row.statuses, "pendingDelete"))
    await ctx.conn.execute(update(domains).where(domains.c.id == row.id).values(**values))
    # the debit last: it locks the registrar's account row, which every renewal of this
    # registrar needs, so it is held for as short a time as possible (until the commit)
    price = ctx.settings.domain_price_ore * years
    await debit(ctx, actor.registrar_id, price, "domain_renew",
                f"{row.name} {years}y", reason="renew_insufficient_credit")
    if stopped:
        # the outcome of the earlier delete command: it will not be carried out
        await enqueue_text(ctx, actor.registrar_id, "delete_stopped",
                           pan_data(ctx, row.uname, False, row.delete_cl_trid,
                                    row.delete_sv_trid), name=row.uname)
    return DomainRenewResult(name=row.uname, ex_date=new_expiry, price_ore=price,
                             deletion_stopped=stopped)

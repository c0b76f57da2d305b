"""delete domain: the registrar cancels a domain; it enters the 30-day redemption period.

.dk never deletes at once: the domain leaves the zone (``serverHold``) and shows
``pendingDelete`` (in its redemption period) until ``redemption_until``, so that a mistaken
cancellation can still be restored; lifecycle releases the name afterwards
(``lifecycle/domains.py``). With ``dkhm:delDate`` the cancellation is scheduled for a
later day within the paid period instead; a renewal before that day stops it.

The delete command's trIDs are kept on the domain: the final "has been deleted"
message is the panData answer to this command and must name it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from dkreg.actions.domain.lookup import lock_live_domain
from dkreg.actions.domain.renew import local_date
from dkreg.clock import COPENHAGEN
from dkreg.config import Settings
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.verification import BLOCKING
from dkreg.store.context import Ctx
from dkreg.store.domains_sql import hosts_in_use
from dkreg.store.schema import contacts, domains, hosts

# "redemptionPeriod" is an RGP status (rgp:infData, RFC 3915), not a domain-1.0 status
# value: the schema rejects it in <domain:status>, so the row says pendingDelete and
# serverHold and the redemption itself is ``redemption_until`` / ``redemption_cause``.
REDEMPTION_STATUSES = "pendingDelete serverHold"


@dataclass
class DomainDelete:
    name: str
    del_date: date | None = None  # dkhm:delDate as a Copenhagen calendar day


@dataclass(frozen=True)
class DomainDeleteResult:
    name: str  # U-label
    delete_at: datetime | None  # when a delDate scheduled the deletion
    redemption_until: datetime | None  # when the deletion started now


def start_of_local_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=COPENHAGEN).astimezone(UTC)


def with_status(statuses: str, *add: str) -> str:
    kept = [s for s in statuses.split() if s != "ok"]
    return " ".join(kept + [s for s in add if s not in kept])


async def mark_subordinate_hosts(ctx: Ctx, domain_id: int, *, pending: bool) -> None:
    """Hosts under a domain in redemption show ``pendingDelete``: they go with it."""
    rows = (await ctx.conn.execute(
        select(hosts.c.id, hosts.c.statuses).where(hosts.c.domain_id == domain_id))).all()
    for h in rows:
        if pending:
            new = with_status(h.statuses, "pendingDelete")
        else:
            new = " ".join(s for s in h.statuses.split() if s != "pendingDelete") or "ok"
        if new != h.statuses:
            await ctx.conn.execute(update(hosts).where(hosts.c.id == h.id).values(
                statuses=new, updated_at=ctx.now, updated_by=ctx.actor.registrar_handle))


def redemption_end(settings: Settings, now: datetime) -> datetime:
    """Until when a domain deleted ``now`` can be restored (the redemption period); named
    so that the portal's confirmation states the day the action then sets."""
    return now + timedelta(days=settings.redemption_days)


async def enter_redemption(ctx: Ctx, domain_id: int, *, until: datetime, cause: str) -> None:
    """Start the redemption period: out of the zone, restorable (by cause) until ``until``.

    Shared by delete and by lifecycle (expiry, non-payment, a scheduled deletion).
    """
    await ctx.conn.execute(update(domains).where(domains.c.id == domain_id).values(
        statuses=REDEMPTION_STATUSES, redemption_until=until, redemption_cause=cause,
        delete_at=None, updated_at=ctx.now, updated_by=ctx.actor.registrar_handle))
    await mark_subordinate_hosts(ctx, domain_id, pending=True)


@dataclass(frozen=True)
class DeleteFacts:
    """What decides whether the registry lets a domain be deleted now.

    Gathered by delete (from the locked row) and by info (from its own query, also the
    PostgreSQL fast path), so that both judge it by :func:`delete_prohibited`: info shows
    ``serverDeleteProhibited`` exactly when delete would refuse for one of these reasons.
    """

    uname: str
    state: str
    expires_at: datetime | None
    statuses: Sequence[str]
    delete_at: datetime | None
    redemption_until: datetime | None
    suspended_at: datetime | None
    registrant_id_status: str
    registrant_email_status: str
    hosts_in_use: Sequence[tuple[str, str]]  # (host under the domain, domain it serves)

    @classmethod
    def of(cls, row: Any, id_status: str, email_status: str,
           in_use: Sequence[tuple[str, str]]) -> DeleteFacts:
        """From a ``domains`` row (or asyncpg record) and the registrant's check states."""
        return cls(uname=row["uname"], state=row["state"], expires_at=row["expires_at"],
                   statuses=row["statuses"].split(), delete_at=row["delete_at"],
                   redemption_until=row["redemption_until"],
                   suspended_at=row["suspended_at"], registrant_id_status=id_status,
                   registrant_email_status=email_status, hosts_in_use=in_use)


def delete_prohibited(f: DeleteFacts) -> EppError | None:
    """The registry's refusal to delete the domain (``serverDeleteProhibited``), or None.

    The five cases of the registry's delete-domain rules (SPEC-DIGEST §5.5): the domain is
    an application (pendingCreate), already being deleted (pendingDelete), on hold or
    blocked (serverHold, a NIS2 suspension, or the status set by the registry), superordinate
    to a name server other domains use, or its registrant failed the ID/data check. The
    expiry date is not among them: an expired domain waits for auto-expiry a moment.
    """
    when = f.redemption_until or f.delete_at
    if when is not None:
        return err(2304, "delete_pending", field="domain:name",
                   detail=Detail("already_being_deleted_copenhagen_time", uname=f.uname,
                                 value=Detail("delete_redemption_until" if f.redemption_until
                                              else "delete_scheduled_for"),
                                 when=when.astimezone(COPENHAGEN)))
    if f.state != "active" or f.expires_at is None:
        return err(2304, "object_status", field="domain:name",
                   detail=Detail("still_application_pendingcreate_it_can", uname=f.uname))
    if (f.suspended_at is not None or "serverHold" in f.statuses
            or "serverDeleteProhibited" in f.statuses):
        return err(2304, "object_status", field="domain:name",
                   detail=Detail("hold_serverhold_blocked_by_registry", uname=f.uname))
    failed = [s for s in (f.registrant_id_status, f.registrant_email_status) if s in BLOCKING]
    if failed:
        return err(2304, "object_status", field="domain:name",
                   detail=Detail("registrant_failed_its_id_data", uname=f.uname, failed=failed[0]))
    if f.hosts_in_use:
        shown = ", ".join(f"{h} serves {d}" for h, d in f.hosts_in_use[:3])
        return err(2305, "delete_hosts_in_use", field="domain:name",
                   detail=Detail("name_servers_under_are_used", uname=f.uname, shown=shown,
                                 value=', …' if len(f.hosts_in_use) > 3 else ''))
    return None


async def delete_facts(ctx: Ctx, row: Any) -> DeleteFacts:
    """The facts for a ``domains`` row read through SQLAlchemy."""
    registrant = (await ctx.conn.execute(
        select(contacts.c.id_status, contacts.c.email_status)
        .where(contacts.c.id == row.registrant_id))).one()
    return DeleteFacts.of(row._mapping, registrant.id_status, registrant.email_status,
                          await hosts_in_use(ctx, row.id))


async def domain_delete(ctx: Ctx, cmd: DomainDelete) -> DomainDeleteResult:
    actor = ctx.actor
    if actor.registrar_id is None or "proxy" not in actor.roles:
        raise err(2201, "no_privilege",
                  detail=Detail("deleting_domain_needs_proxy_meta"))
    row = await lock_live_domain(ctx, cmd.name)
    if row.sponsor_id is None or row.sponsor_id != actor.registrar_id:
        raise err(2201, "no_privilege", field="domain:name",
                  detail=Detail("registrant_managed_only_registrant_can", uname=row.uname)
                  if row.sponsor_id is None else Detail("not_your_portfolio", uname=row.uname))
    refused = delete_prohibited(await delete_facts(ctx, row))
    if refused is not None:
        raise refused
    if ctx.now > row.expires_at:
        raise err(2304, "object_status", field="domain:name",
                  detail=Detail("expired_expired_domain_deleted_by", uname=row.uname,
                                expires_at=local_date(row.expires_at)))

    trids = {"delete_cl_trid": ctx.cl_trid, "delete_sv_trid": ctx.sv_trid}
    if cmd.del_date is not None:
        today, paid_until = local_date(ctx.now), local_date(row.expires_at)
        if not today < cmd.del_date <= paid_until:
            raise err(2306, "delete_date_rejected", field="dkhm:delDate",
                      detail=Detail("give_day_after_not_after", today=today, paid_until=paid_until))
        delete_at = start_of_local_day(cmd.del_date)
        await ctx.conn.execute(update(domains).where(domains.c.id == row.id).values(
            statuses=with_status(row.statuses, "pendingDelete"), delete_at=delete_at,
            updated_at=ctx.now, updated_by=actor.registrar_handle, **trids))
        return DomainDeleteResult(name=row.uname, delete_at=delete_at, redemption_until=None)
    until = redemption_end(ctx.settings, ctx.now)
    await ctx.conn.execute(update(domains).where(domains.c.id == row.id).values(**trids))
    await enter_redemption(ctx, row.id, until=until, cause="delete")
    return DomainDeleteResult(name=row.uname, delete_at=None, redemption_until=until)

"""What a registrar's user sees first after logging in: the state of the account at a glance.

Each panel is one query with a bounded list, and only for a user whose privilege group
may open the page the panel links to (the same privilege its handler demands): the
balance for ``account_view``, the message count for ``poll``, and the domain panels —
applications waiting, domains expiring within 30 days, domains on hold and why — for
``domains``. A panel the user may not see is None, not empty, so the page leaves it out.
A count comes from the same statement as its first rows (``count(*) over ()``), so the
two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.portfolio_domains import in_portfolio
from dkreg.model.hold import HOLD_STATUS, hold_reason
from dkreg.store.context import Ctx
from dkreg.store.ledger import balance
from dkreg.store.schema import applications, contacts, domains, poll_messages

SHOWN = 5  # rows per panel; the count says how many there are
EXPIRY_DAYS = 30
WAITING_STATES = ("awaiting_acceptance", "queued")


@dataclass(frozen=True)
class WaitingApplication:
    tracking_no: str
    name: str  # U-label
    state: str  # awaiting_acceptance | queued
    created_at: datetime
    accept_deadline: datetime | None


@dataclass(frozen=True)
class ExpiringDomain:
    name: str
    expires_at: datetime
    autorenew: bool


@dataclass(frozen=True)
class HeldDomain:
    name: str
    reason: str  # one of dkreg.model.hold.REASONS
    redemption_until: datetime | None


@dataclass(frozen=True)
class Panel:
    count: int
    rows: list[Any]


@dataclass(frozen=True)
class Dashboard:
    balance_ore: int | None
    unread: int | None
    waiting: Panel | None
    expiring: Panel | None
    on_hold: Panel | None
    expiry_days: int = EXPIRY_DAYS


def _panel(rows: list[Any], make: Any) -> Panel:
    return Panel(rows[0].total if rows else 0, [make(r) for r in rows])


async def dashboard(ctx: Ctx, user: PortalUser, shown: int = SHOWN) -> Dashboard:
    rid = user.registrar_id
    total = func.count().over().label("total")

    money = await balance(ctx, rid) if user.may("account_view") else None

    unread = None
    if user.may("poll"):
        unread = (await ctx.conn.execute(
            select(func.count()).select_from(poll_messages).where(
                poll_messages.c.registrar_id == rid, poll_messages.c.acked_at.is_(None))
        )).scalar_one()

    if not user.may("domains"):
        return Dashboard(money, unread, None, None, None)

    waiting = list(await ctx.conn.execute(
        select(applications.c.tracking_no, domains.c.uname, applications.c.state,
               applications.c.created_at, applications.c.accept_deadline, total)
        .join(domains, domains.c.id == applications.c.domain_id)
        .where(applications.c.registrar_id == rid,
               applications.c.state.in_(WAITING_STATES))
        .order_by(applications.c.created_at.desc(), applications.c.id.desc()).limit(shown)))

    until = ctx.now + timedelta(days=EXPIRY_DAYS)
    expiring = list(await ctx.conn.execute(
        select(domains.c.uname, domains.c.expires_at, domains.c.autorenew, total)
        .where(domains.c.released_at.is_(None), domains.c.state == "active",
               domains.c.redemption_until.is_(None), domains.c.expires_at > ctx.now,
               domains.c.expires_at <= until, in_portfolio(rid))
        .order_by(domains.c.expires_at, domains.c.uname).limit(shown)))

    held = list(await ctx.conn.execute(
        select(domains.c.uname, domains.c.statuses, domains.c.redemption_cause,
               domains.c.redemption_until, contacts.c.id_status, total)
        .join(contacts, contacts.c.id == domains.c.registrant_id)
        .where(domains.c.released_at.is_(None), domains.c.state == "active",
               domains.c.statuses.contains(HOLD_STATUS), in_portfolio(rid))
        .order_by(domains.c.uname).limit(shown)))

    return Dashboard(
        money, unread,
        _panel(waiting, lambda r: WaitingApplication(r.tracking_no, r.uname, r.state,
                                                     r.created_at, r.accept_deadline)),
        _panel(expiring, lambda r: ExpiringDomain(r.uname, r.expires_at, r.autorenew)),
        _panel(held, lambda r: HeldDomain(
            r.uname, hold_reason(r.statuses.split(), r.redemption_cause, r.id_status)
            or "registry", r.redemption_until)))

"""One application for a domain, as its registrar follows it in the portal.

Create domain answers at once with a tracking number (1001); the outcome is decided
later by the lifecycle and arrives as a poll message with a risk assessment. The
application row keeps both (``outcome``, ``risk_assessment``), so the page shows them
whether or not the message has been acknowledged. Only the registrar that applied sees
its application: anyone else gets None, the same as for an unknown number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.dns_check_view import DnsCheckView, application_dns_check
from dkreg.store.context import Ctx
from dkreg.store.schema import applications, contacts, domain_ns, domains, hosts

MAX_TRACKING_NO = 32  # the column's width: anything longer is no tracking number


@dataclass(frozen=True)
class ApplicationView:
    tracking_no: str
    name: str  # U-label
    state: str  # awaiting_acceptance | queued | done | cancelled
    flow: int
    created_at: datetime
    terms_accepted_at: datetime | None
    period_years: int
    price_ore: int
    billed: bool
    accept_deadline: datetime | None
    outcome: str | None  # activated | awaiting_verification | terms_not_accepted | ...
    risk_assessment: str | None  # BLUE | GREEN | YELLOW | RED | N/A
    processed_at: datetime | None
    registrant: str  # kontakt-ID
    ns: list[str]
    domain_live: bool  # the domain row still exists (not released): its page can open
    # the registry's name-server check before activation (None: not checked, or off)
    dns_check: DnsCheckView | None = None


async def application_view(ctx: Ctx, user: PortalUser, tracking_no: str
                           ) -> ApplicationView | None:
    require(user, "domains")
    wanted = tracking_no.strip()
    if not wanted or len(wanted) > MAX_TRACKING_NO:
        return None
    row = (await ctx.conn.execute(
        select(applications, domains.c.uname, domains.c.released_at, contacts.c.handle)
        .join(domains, domains.c.id == applications.c.domain_id)
        .join(contacts, contacts.c.id == domains.c.registrant_id)
        .where(applications.c.tracking_no == wanted,
               applications.c.registrar_id == user.registrar_id))).first()
    if row is None:
        return None
    ns = [r.name for r in await ctx.conn.execute(
        select(hosts.c.name).join(domain_ns, domain_ns.c.host_id == hosts.c.id)
        .where(domain_ns.c.domain_id == row.domain_id).order_by(domain_ns.c.position))]
    return ApplicationView(
        tracking_no=row.tracking_no, name=row.uname, state=row.state, flow=row.flow,
        created_at=row.created_at, terms_accepted_at=row.terms_accepted_at,
        period_years=row.period_years, price_ore=row.price_ore, billed=row.billed,
        accept_deadline=row.accept_deadline, outcome=row.outcome,
        risk_assessment=row.risk_assessment, processed_at=row.processed_at,
        registrant=row.handle, ns=ns, domain_live=row.released_at is None,
        dns_check=await application_dns_check(ctx, row.id))

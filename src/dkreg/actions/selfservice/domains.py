"""Self-service actions on a person's domains: OWN-TRANSFER tokens for registrant-managed
domains, and Flow 2 acceptance of an application's terms.

Only the registrant may act: the domain's registrant must be one of the person's
handles. A registrar-managed domain's tokens come from its registrar (REG-TRANSFER), so
self-service refuses them. Flow 2 accept/decline runs ``application_accept`` /
``application_decline``, the same actions the CLI uses; their deadline check stands.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from dkreg.actions.domain import auth_tokens
from dkreg.actions.domain.application_accept import AcceptResult, application_accept
from dkreg.actions.domain.application_decline import application_decline
from dkreg.actions.selfservice.session import Registrant, selfservice_audit
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import applications, contacts, domains


async def my_domain(ctx: Ctx, registrant: Registrant, name: str) -> Any:
    """The live domain ``name`` whose registrant the person holds, locked; 2201 when it
    is not (also for unknown names: nothing tells others' domains from none)."""
    row = (await ctx.conn.execute(ctx.for_update(
        select(domains.c.id, domains.c.name, domains.c.uname, domains.c.management,
               domains.c.state, domains.c.statuses, domains.c.autorenew,
               domains.c.expires_at, domains.c.redemption_until, domains.c.delete_at,
               domains.c.registrant_id, contacts.c.handle)
        .join(contacts, contacts.c.id == domains.c.registrant_id)
        .where(domains.c.uname == name.strip().lower(), domains.c.released_at.is_(None))
    ))).first()
    if row is None or not registrant.holds_id(row.registrant_id):
        raise err(2201, "unauthorized", field="domain",
                  detail=Detail("not_domain_you_are_registrant", name=name))
    return row


async def own_transfer_token(ctx: Ctx, registrant: Registrant, name: str,
                             client_ip: str | None = None) -> str:
    """Generate ``OWN-TRANSFER-<32 hex>`` for a registrant-managed domain of the person
    (retracting the live one); a registrar presents it in EPP transfer."""
    dom = await my_domain(ctx, registrant, name)
    if dom.management != "registrant" or dom.state != "active":
        raise err(2304, "object_status", field="domain",
                  detail=Detail("managed_by_its_registrar_which", uname=dom.uname)
                  if dom.management != "registrant" else Detail("not_active", uname=dom.uname))
    actor = replace(ctx.actor, registrar_handle=dom.handle)
    token = await auth_tokens.generate(replace(ctx, actor=actor), dom.id, "transfer",
                                       role="OWN")
    await selfservice_audit(ctx, "selfservice_transfer_token", registrant.name(), dom.uname,
                            client_ip=client_ip)
    return token


async def own_transfer_retract(ctx: Ctx, registrant: Registrant, name: str,
                               client_ip: str | None = None) -> int:
    dom = await my_domain(ctx, registrant, name)
    if dom.management != "registrant":
        raise err(2304, "object_status", field="domain",
                  detail=Detail("managed_by_its_registrar", uname=dom.uname))
    n = await auth_tokens.retract(ctx, dom.id, "transfer")
    await selfservice_audit(ctx, "selfservice_transfer_token_retract", registrant.name(),
                            dom.uname, client_ip=client_ip)
    return n


async def own_tokens(ctx: Ctx, domain_name: str) -> list[auth_tokens.LiveToken]:
    dom_id = (await ctx.conn.execute(select(domains.c.id).where(
        domains.c.uname == domain_name, domains.c.released_at.is_(None)))).scalar_one()
    return [t for t in await auth_tokens.live_tokens(ctx, dom_id, ctx.now) if t.role == "OWN"]


# -- Flow 2 ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Flow2Application:
    tracking_no: str
    name: str
    state: str
    accept_deadline: datetime | None
    open: bool  # waiting for acceptance and before the deadline


async def flow2_application(ctx: Ctx, registrant: Registrant,
                            tracking_no: str) -> Flow2Application:
    """The Flow 2 application ``tracking_no`` for its registrant; 2201 for anyone else."""
    row = (await ctx.conn.execute(
        select(applications.c.tracking_no, applications.c.state, applications.c.flow,
               applications.c.accept_deadline, domains.c.uname, domains.c.registrant_id)
        .join(domains, domains.c.id == applications.c.domain_id)
        .where(applications.c.tracking_no == tracking_no.strip()[:32]))).first()
    if row is None or row.flow != 2 or not registrant.holds_id(row.registrant_id):
        raise err(2201, "unauthorized", field="trackingNo",
                  detail=Detail("not_application_yours", tracking_no=tracking_no))
    is_open = (row.state == "awaiting_acceptance" and row.accept_deadline is not None
               and ctx.now < row.accept_deadline)
    return Flow2Application(row.tracking_no, row.uname, row.state, row.accept_deadline,
                            is_open)


async def flow2_answer(ctx: Ctx, registrant: Registrant, tracking_no: str, accept: bool,
                       client_ip: str | None = None) -> AcceptResult:
    """Accept or decline the terms; after the deadline (or once decided) 2304."""
    app = await flow2_application(ctx, registrant, tracking_no)
    if not app.open:
        raise err(2304, "object_status", field="trackingNo",
                  detail=Detail("application_can_no_longer_answered", tracking_no=app.tracking_no))
    result = await (application_accept if accept else application_decline)(ctx, app.tracking_no)
    await selfservice_audit(ctx, "selfservice_flow2_" + ("accept" if accept else "decline"),
                            registrant.name(), result.name, client_ip=client_ip,
                            request=app.tracking_no)
    return result

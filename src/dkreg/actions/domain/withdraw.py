"""withdraw (dkhm extension command): the registrar hands a domain back to the registry.

The opposite of a transfer from registrant management (SPEC-DIGEST §5.1 "Change of
management", §3 ``command``/``withdraw``): the domain becomes registrant-managed (clID
``DKHM1-DK``), the registrant administers it in self-service from now on, and the
registry bills the registrant, so auto-renew is switched on (a registrant-managed
domain cannot auto-expire). Done at once by the registry, hence ``serverApproved``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from dkreg.actions.domain import auth_tokens
from dkreg.actions.domain.lookup import lock_live_domain
from dkreg.actions.domain.transfer import (
    REGISTRY_ID,
    TransferResult,
    check_movable,
    clone_contact,
    mark_unlinked,
    move_hosts,
)
from dkreg.actions.poll.queue import enqueue_text
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domains


@dataclass
class DomainWithdraw:
    name: str


async def domain_withdraw(ctx: Ctx, cmd: DomainWithdraw) -> TransferResult:
    actor = ctx.actor
    field = "dkhm:withdraw/name"
    if actor.registrar_id is None or "registrar" not in actor.roles:
        raise err(2201, "registrar_change_no_privilege",
                  detail=Detail("withdraw_needs_service_user_with"))
    dom = await lock_live_domain(ctx, cmd.name, "transfer_not_found")
    if dom.management != "registrar" or dom.sponsor_id is None:
        raise err(2306, "not_registrar_managed", field=field,
                  detail=Detail("already_registrant_managed_clid", uname=dom.uname,
                                registry_id=REGISTRY_ID))
    if dom.sponsor_id != actor.registrar_id:
        raise err(2201, "registrar_change_no_privilege", field=field,
                  detail=Detail("only_registrar_can_withdraw_it", uname=dom.uname))
    await check_movable(ctx, dom, registrant_status=None)

    registrant = (await ctx.conn.execute(
        select(contacts.c.id, contacts.c.management)
        .where(contacts.c.id == dom.registrant_id))).one()
    registrant_id = registrant.id
    if registrant.management != "registrant":
        registrant_id, _handle = await clone_contact(ctx, registrant.id, sponsor_id=None,
                                                     management="registrant")
    await ctx.conn.execute(update(domains).where(domains.c.id == dom.id).values(
        sponsor_id=None, management="registrant", autorenew=True, registrant_id=registrant_id,
        billing_registrar_id=None, transferred_at=ctx.now, updated_by=actor.registrar_handle,
        updated_at=ctx.now))
    await mark_unlinked(ctx, [registrant.id])
    await move_hosts(ctx, dom.id, None)
    await auth_tokens.retract(ctx, dom.id)

    result = TransferResult(
        name=dom.uname, status="serverApproved", re_id=actor.registrar_handle,
        re_date=ctx.now, ac_id=REGISTRY_ID, ac_date=ctx.now, ex_date=dom.expires_at)
    await enqueue_text(ctx, actor.registrar_id, "transfer_out", result.poll_data(),
                       name=dom.uname)
    return result

"""Requests waiting for a self-service person's answer, and the answer itself.

Who is asked depends on the kind (see the actions that create them): a change of
registrant asks the new registrant (``contact_id``), an e-mail change asks the contact
itself (``contact_id``) — but only to cancel it: the new address confirms by the link
mailed to it (``contact_email``), so whoever holds the old address, and with it a login
link, cannot complete the change (``CONFIRMED_BY_LINK``) — a host under a domain asks
that domain's registrant (``target`` holds its handle), a redelegation asked for on the
public NSU form (``nsu_redelegation``) asks the domain's registrant (``contact_id``) or
one of its proxies (the domain's admin contacts, as they are when answered). A
name-server administrator
request asks a registrar, not a contact, so it is not answered here. ``pending.decide``
does not check who answers; this module does, so only the asked party can accept or
reject.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select

from dkreg.actions import pending
from dkreg.actions.selfservice.session import Registrant, selfservice_audit
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import domain_contacts, domains, hosts, pending_requests, registrars

ASKS_CONTACT_ID = ("registrant_change", "email_change", "secondary_email_change")
ASKS_TARGET_HANDLE = ("host_create",)
ASKS_REGISTRANT_OR_PROXY = ("nsu_redelegation",)
# kinds self-service may only reject (cancel): the mailed link accepts them
CONFIRMED_BY_LINK = ("email_change", "secondary_email_change")


@dataclass(frozen=True)
class WaitingRequest:
    id: int
    kind: str
    domain: str | None
    host: str | None
    target: str | None
    registrar_handle: str | None
    created_at: datetime
    due_at: datetime

    @property
    def can_accept(self) -> bool:
        """False for a change the mailed link confirms: here it can only be cancelled."""
        return self.kind not in CONFIRMED_BY_LINK


def _asked(registrant: Registrant) -> Any:
    handles = [h.upper() for h in registrant.handles]
    return or_(
        and_(pending_requests.c.kind.in_(ASKS_CONTACT_ID),
             pending_requests.c.contact_id.in_(list(registrant.contact_ids))),
        and_(pending_requests.c.kind.in_(ASKS_TARGET_HANDLE),
             func.upper(pending_requests.c.target).in_(handles)),
        and_(pending_requests.c.kind.in_(ASKS_REGISTRANT_OR_PROXY),
             or_(pending_requests.c.contact_id.in_(list(registrant.contact_ids)),
                 exists().where(domain_contacts.c.domain_id == pending_requests.c.domain_id,
                                domain_contacts.c.type == "admin",
                                domain_contacts.c.contact_id.in_(
                                    list(registrant.contact_ids))))))


async def waiting_for(ctx: Ctx, registrant: Registrant) -> list[WaitingRequest]:
    """Open, not yet due requests that ask one of the person's handles."""
    rows = (await ctx.conn.execute(
        select(pending_requests.c.id, pending_requests.c.kind, pending_requests.c.target,
               pending_requests.c.created_at, pending_requests.c.due_at,
               domains.c.uname, hosts.c.name.label("host"),
               registrars.c.handle.label("rhandle"))
        .outerjoin(domains, domains.c.id == pending_requests.c.domain_id)
        .outerjoin(hosts, hosts.c.id == pending_requests.c.host_id)
        .outerjoin(registrars, registrars.c.id == pending_requests.c.registrar_id)
        .where(pending_requests.c.state == "pending", pending_requests.c.due_at > ctx.now,
               _asked(registrant))
        .order_by(pending_requests.c.id))).all()
    return [WaitingRequest(r.id, r.kind, r.uname, r.host, r.target, r.rhandle, r.created_at,
                           r.due_at) for r in rows]


async def answer_request(ctx: Ctx, registrant: Registrant, request_id: int, outcome: str,
                         client_ip: str | None = None) -> Any:
    """Accept or reject a request asked of one of the person's handles; anything else
    (another person's request, unknown id) is 2201 and changes nothing (the door audits
    the refusal, since this transaction rolls back)."""
    asked = (await ctx.conn.execute(select(pending_requests.c.id, pending_requests.c.kind)
                                    .where(pending_requests.c.id == request_id,
                                           _asked(registrant)))).first()
    if asked is None:
        raise err(2201, "unauthorized", field="request",
                  detail=Detail("request_does_not_ask_any", request_id=request_id))
    if asked.kind in CONFIRMED_BY_LINK and outcome == "accepted":
        raise err(2201, "unauthorized", field="outcome",
                  detail=Detail("new_e_mail_address_confirmed"))
    row = await pending.decide(ctx, request_id, outcome)
    await selfservice_audit(ctx, "selfservice_request_" + outcome, registrant.name(),
                            str(request_id), client_ip=client_ip,
                            request=json.dumps({"kind": row.kind, "target": row.target}))
    return row

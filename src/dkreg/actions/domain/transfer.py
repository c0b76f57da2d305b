"""transfer domain (op="request"): the gaining registrar pulls a domain with a token.

.dk transfers are instantaneous (SPEC-DIGEST §5.6): the AuthInfo token is the
registrant's consent, so there is nothing to approve, no pendingTransfer and no period
extension. In one transaction the domain moves to the gaining registrar's portfolio as
a registrar-managed domain; the registrant contact is cloned into that portfolio
(contacts are never transferred, a registrar only ever edits its own contacts);
subordinate hosts follow the domain; DS and name servers stay; every token of the
domain stops working; both registrars get a poll message.

The helpers below are shared with withdraw (``actions/domain/withdraw.py``), the other
change of registrar: the same states forbid it and the same things move.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, insert, select, update

from dkreg.actions.contact.create import match_key
from dkreg.actions.domain import auth_tokens
from dkreg.actions.domain.lookup import lock_live_domain
from dkreg.actions.poll.queue import enqueue_text, trn_data
from dkreg.actions.poll.snapshots import domain_snapshot
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.contact_rules import ValidContact, initials_for
from dkreg.model.verification import is_validated
from dkreg.store.context import Ctx
from dkreg.store.ledger import debit
from dkreg.store.schema import (
    contacts,
    domain_contacts,
    domains,
    hosts,
    pending_requests,
    registrars,
)

REGISTRY_ID = "DKHM1-DK"


@dataclass
class DomainTransfer:
    name: str
    token: str | None  # domain:authInfo/domain:pw, None when absent


@dataclass(frozen=True)
class TransferResult:
    """What domain:trnData reports: who requested (re), who let go (ac), when."""

    name: str  # U-label
    status: str  # clientApproved (token) | serverApproved (registry decided)
    re_id: str
    re_date: datetime
    ac_id: str
    ac_date: datetime
    ex_date: datetime | None

    def poll_data(self) -> dict[str, Any]:
        return trn_data(self.name, status=self.status, re_id=self.re_id, re_date=self.re_date,
                        ac_id=self.ac_id, ac_date=self.ac_date, ex_date=self.ex_date)


async def domain_transfer(ctx: Ctx, cmd: DomainTransfer) -> TransferResult:
    actor = ctx.actor
    if actor.registrar_id is None or "registrar" not in actor.roles:
        raise err(2201, "transfer_no_privilege",
                  detail=Detail("transfer_needs_service_user_with"))

    dom = await lock_live_domain(ctx, cmd.name, "transfer_not_found")
    if dom.sponsor_id == actor.registrar_id:
        raise err(2302, "transfer_already_sponsor", field="domain:name",
                  detail=Detail("already_portfolio", uname=dom.uname,
                                registrar_handle=actor.registrar_handle))
    if not (cmd.token or "").strip():
        raise err(2201, "transfer_no_token", field="domain:authInfo",
                  detail=Detail("send_authinfo_token_registrant_got"))
    registrant = (await ctx.conn.execute(
        select(contacts.c.id, contacts.c.handle, contacts.c.id_status)
        .where(contacts.c.id == dom.registrant_id))).one()
    await check_movable(ctx, dom, registrant_status=registrant.id_status)
    await auth_tokens.consume(ctx, dom.id, "transfer", cmd.token or "")

    losing = await registrar_handle(ctx, dom.sponsor_id)
    _new_id, _new_handle = await clone_contact(ctx, registrant.id, sponsor_id=actor.registrar_id,
                                               management="registrar")
    role_ids = [r.contact_id for r in await ctx.conn.execute(
        select(domain_contacts.c.contact_id).where(domain_contacts.c.domain_id == dom.id))]
    await ctx.conn.execute(domain_contacts.delete().where(domain_contacts.c.domain_id == dom.id))
    await ctx.conn.execute(update(domains).where(domains.c.id == dom.id).values(
        sponsor_id=actor.registrar_id, management="registrar", registrant_id=_new_id,
        billing_registrar_id=None, transferred_at=ctx.now, updated_by=actor.registrar_handle,
        updated_at=ctx.now))
    await mark_unlinked(ctx, [registrant.id, *role_ids])
    await move_hosts(ctx, dom.id, actor.registrar_id)
    await auth_tokens.retract(ctx, dom.id)

    result = TransferResult(
        name=dom.uname, status="clientApproved", re_id=actor.registrar_handle,
        # a registrant-managed domain is released by its registrant (the spec's example:
        # an OWN-TRANSFER token, acID OWNER1-DK); otherwise by the losing registrar
        re_date=ctx.now, ac_id=losing or registrant.handle, ac_date=ctx.now,
        ex_date=dom.expires_at)
    await enqueue_text(ctx, actor.registrar_id, "transfer_in", result.poll_data(),
                       name=dom.uname)
    if dom.sponsor_id is not None:
        await enqueue_text(ctx, dom.sponsor_id, "transfer_out", result.poll_data(),
                           name=dom.uname)
    billing = dom.billing_registrar_id
    if billing is not None and billing != actor.registrar_id:
        # a registrar that paid for a registrant-managed domain loses that role
        await enqueue_text(ctx, billing, "billing_removed",
                           await domain_snapshot(ctx, dom.uname),
                           registrar=await registrar_handle(ctx, billing) or "", name=dom.uname)
    price = ctx.settings.transfer_price_ore
    if price > 0:  # last: the account row lock is held only until commit
        await debit(ctx, actor.registrar_id, price, "domain_transfer", dom.uname,
                    reason="transfer_billing_failure")
    return result


# -- shared with withdraw ------------------------------------------------------------------

async def check_movable(ctx: Ctx, dom: Any, *, registrant_status: str | None) -> None:
    """2106 when the domain cannot change registrar now (the registry's
    serverTransferProhibited cases). ``registrant_status`` None skips the registrant's
    ID check (withdraw hands the domain to the registry, which runs that check itself)."""
    statuses = set(dom.statuses.split())
    name = dom.uname
    if dom.state == "application" or "pendingCreate" in statuses:
        raise err(2106, "transfer_status", field="domain:name",
                  detail=Detail("still_being_created_pendingcreate", name=name))
    if dom.redemption_until is not None or "pendingDelete" in statuses:
        raise err(2106, "transfer_status", field="domain:name",
                  detail=Detail("being_deleted_pendingdelete", name=name))
    if dom.delete_at is not None:
        raise err(2106, "transfer_status", field="domain:name",
                  detail=Detail("scheduled_deletion_deletion_must_cancelled", name=name,
                                delete_at=dom.delete_at))
    if "serverTransferProhibited" in statuses:
        raise err(2106, "transfer_status", field="domain:name",
                  detail=Detail("has_status_servertransferprohibited", name=name))
    waiting = (await ctx.conn.execute(
        select(pending_requests.c.due_at).where(pending_requests.c.domain_id == dom.id,
                                                pending_requests.c.state == "pending")
        .order_by(pending_requests.c.due_at.desc()).limit(1))).first()
    if waiting is not None or "pendingUpdate" in statuses:
        until = Detail("transfer_waits_until", due=waiting.due_at) if waiting else ""
        raise err(2106, "transfer_not_ready", field="domain:name",
                  detail=Detail("change_waits_answer", name=name, until=until))
    if dom.management == "registrant" and dom.vid:
        raise err(2106, "transfer_locked", field="domain:name",
                  detail=Detail("has_vid_registry_lock_it", name=name))
    if registrant_status is not None and not is_validated(registrant_status):
        raise err(2106, "transfer_registrant_unvalidated", field="domain:name",
                  detail=Detail("registrant_s_id_data_check", registrant_status=registrant_status))
    if "serverHold" in statuses or dom.suspended_at is not None:
        raise err(2106, "transfer_blocked", field="domain:name",
                  detail=Detail("suspended_serverhold", name=name))


async def registrar_handle(ctx: Ctx, registrar_id: int | None) -> str | None:
    if registrar_id is None:
        return None
    return (await ctx.conn.execute(select(registrars.c.handle)
                                   .where(registrars.c.id == registrar_id))).scalar_one()


async def clone_contact(ctx: Ctx, contact_id: int, *, sponsor_id: int | None,
                        management: str) -> tuple[int, str]:
    """A copy of a contact under a new registry handle in another portfolio.

    Same data and verification state (the person did not change), a new handle made as
    create contact makes them, created by the acting registrar. Who is responsible for
    verification follows the new portfolio, as for a contact created there. An e-mail
    change still waiting for confirmation stays with the original.
    """
    src = (await ctx.conn.execute(select(contacts).where(contacts.c.id == contact_id))).one()
    valid = ValidContact(
        user_type=src.user_type, name=src.name, org=src.org, street=json.loads(src.street),
        city=src.city, sp=src.sp, pc=src.pc, cc=src.cc, postal_type=src.postal_type,
        voice=src.voice, fax=src.fax, email=src.email, cvr=src.cvr, ean=src.ean,
        pnumber=src.pnumber, mobilephone=src.mobilephone, secondary_email=src.secondary_email,
        sole_proprietorship=src.sole_proprietorship)
    responsible = "registry"
    if management == "registrar" and sponsor_id is not None:
        responsible = (await ctx.conn.execute(
            select(registrars.c.verification_responsible)
            .where(registrars.c.id == sponsor_id))).scalar_one()
    cid = (await ctx.conn.execute(insert(contacts).values(
        handle=f"NEW-{secrets.token_hex(8)}", sponsor_id=sponsor_id, management=management,
        user_type=src.user_type, name=src.name, org=src.org, street=src.street, city=src.city,
        sp=src.sp, pc=src.pc, cc=src.cc, postal_type=src.postal_type, voice=src.voice,
        fax=src.fax, email=src.email, cvr=src.cvr, ean=src.ean, pnumber=src.pnumber,
        mobilephone=src.mobilephone, secondary_email=src.secondary_email,
        sole_proprietorship=src.sole_proprietorship, id_status=src.id_status,
        email_status=src.email_status, verification_responsible=responsible,
        verification_due=src.verification_due, email_due=src.email_due,
        register_locked=src.register_locked,
        match_key=match_key(valid, sponsor_id, management),
        created_by=ctx.actor.registrar_handle, created_at=ctx.now,
    ).returning(contacts.c.id))).scalar_one()
    handle = f"{initials_for(src.name, src.org)}{cid}-DK"
    await ctx.conn.execute(update(contacts).where(contacts.c.id == cid).values(handle=handle))
    return cid, handle


async def mark_unlinked(ctx: Ctx, contact_ids: list[int]) -> None:
    """Start the auto-delete clock of contacts that no longer hold any role on a live
    domain (call after the domain has been changed)."""
    live = domains.c.released_at.is_(None)
    for cid in sorted(set(contact_ids)):
        registrant_of = exists().where(domains.c.registrant_id == cid, live)
        role_on = exists().where(domain_contacts.c.contact_id == cid,
                                 domain_contacts.c.domain_id == domains.c.id, live)
        await ctx.conn.execute(update(contacts).where(
            contacts.c.id == cid, ~registrant_of, ~role_on).values(unlinked_at=ctx.now))


async def move_hosts(ctx: Ctx, domain_id: int, sponsor_id: int | None) -> None:
    """Hosts under the domain follow it to its new sponsor (NULL: the registry). The
    name-server administrator role is not the registrar's and stays where it is."""
    await ctx.conn.execute(update(hosts).where(hosts.c.domain_id == domain_id).values(
        sponsor_id=sponsor_id, updated_by=ctx.actor.registrar_handle, updated_at=ctx.now))

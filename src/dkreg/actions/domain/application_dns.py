"""An application whose name servers do not answer for it is rejected.

The Name Service specification: at least two of a domain's listed name servers must
answer for it when it is registered. The lifecycle checks a queued application just
before activating it (``dns.domain_check``); when the check fails the application ends
here: the held name is released, the price the registrar paid at create (Flow 1) is
refunded, and its one outcome poll message says which servers failed and what each said,
so the registrar can fix its name servers and apply again. The check itself is kept
(``domain_dns_checks``) for the application's page in the portal.

A DS whose key is not served is not a reason to reject: it is reported
(``dnssec_keys_unpublished``) and the domain is activated as any other.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from dkreg.actions.poll.queue import enqueue_text, pan_data
from dkreg.actions.poll.snapshots import domain_snapshot
from dkreg.dns.check import DelegationCheck
from dkreg.store.context import Ctx
from dkreg.store.ledger import post_ledger
from dkreg.store.schema import applications, domains

OUTCOME = "ns_check_failed"
REFUND_KIND = "domain_create_refund"


async def reject_for_name_servers(ctx: Ctx, app: Any, check: DelegationCheck) -> None:
    """``app``: the application row (id, domain_id, registrar_id, uname, cl_trid, sv_trid,
    billed, price_ore, tracking_no)."""
    await ctx.conn.execute(update(domains).where(domains.c.id == app.domain_id).values(
        state="released", statuses="", released_at=ctx.now, updated_at=ctx.now,
        updated_by="DKHM1-DK"))
    await ctx.conn.execute(update(applications).where(applications.c.id == app.id).values(
        state="cancelled", outcome=OUTCOME, processed_at=ctx.now))
    if app.billed and app.price_ore:
        await post_ledger(ctx, app.registrar_id, app.price_ore, REFUND_KIND,
                          f"{app.uname} {app.tracking_no or ''}".strip())
    await enqueue_text(ctx, app.registrar_id, "create_rejected_dns",
                       pan_data(ctx, app.uname, False, app.cl_trid, app.sv_trid),
                       name=app.uname, reason=check.summary_en())


async def report_unpublished_keys(ctx: Ctx, registrar_id: int, uname: str,
                                  check: DelegationCheck) -> bool:
    """Tell the registrar about DS records that match no served DNSKEY (True: told)."""
    if check.dnssec is None or not check.dnssec.keys_unpublished:
        return False
    snapshot = await domain_snapshot(ctx, uname)
    await enqueue_text(ctx, registrar_id, "dnssec_keys_unpublished", snapshot, name=uname,
                       reason=check.dnssec.detail(check.domain).render("en"))
    return True

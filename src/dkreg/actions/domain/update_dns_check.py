"""update domain: the registry's name-server check after a change of name servers or DS.

The Name Service specification asks for the same check at an NS change as at
registration: at least two of the new set must answer for the domain. It runs once the
whole update is applied (NS removed and added, DS removed and added), on exactly what is
about to be committed, and a failure refuses the update with the registry's 2303 text
for what went wrong ("Failed to query nameservers. Timed out.", "Problem with nameserver
setup.", ...) and every failing server with what it said as the reason. A DS-only
change is not refused for lame servers, but its DS records are checked against the
DNSKEYs served: one that matches none is reported to the sponsor by poll ("keys
unpublished"), and the check is kept for the domain's page in the portal.
"""

from __future__ import annotations

from dkreg.actions.domain.application_dns import report_unpublished_keys
from dkreg.actions.domain.update_target import Target
from dkreg.dns import domain_check
from dkreg.errors import err
from dkreg.store.context import Ctx


async def check_after_update(ctx: Ctx, dom: Target, *, ns_changed: bool,
                             ds_changed: bool) -> None:
    if not domain_check.enabled(ctx.settings) or not (ns_changed or ds_changed):
        return
    check = await domain_check.check_domain(ctx.conn, ctx.settings, dom.id, dom.name)
    reason = check.reason
    if ns_changed and reason is not None:
        raise err(2303, reason, field="domain:ns", detail=check.detail())
    await domain_check.record(ctx.conn, check, domain_id=dom.id, occasion="update",
                              now=ctx.now, registrar_id=dom.sponsor_id)
    notify = dom.sponsor_id if dom.sponsor_id is not None else dom.billing_registrar_id
    if notify is not None:
        await report_unpublished_keys(ctx, notify, dom.uname, check)

"""What a registrant does itself with a registrant-managed domain: change its name
servers and choose whether it renews.

Only the registrant (one of the person's contact IDs is the domain's registrant) and
only on a registrant-managed domain: a registrar-managed domain's name servers and
renewal are its registrar's (SPEC-DIGEST §7; the registrant asks the registrar, or hands
it a REDEL token). That is the .dk rule of the self-service specification: "registrant
can change NS itself if the target hosts are registered and active".

Name servers change through ``domain_update``, the action EPP's update domain runs, with
the self-service actor (the registry's own door, named by the person), so the host
rules, the 2–7 count, the removal of DS records and the audit are EPP's own.

Auto-renew: EPP refuses ``autoRenew false`` on a registrant-managed domain (2004) because
a registrar must not let a registrant's domain lapse; the registrant itself may. With it
off the registry stops invoicing the renewal (``billing.invoices``) and the domain enters
redemption at expiry; turning it off withdraws the renewal invoice already sent for the
coming period (cancelled, so it can no longer be paid for nothing), and turning it back
on before expiry reopens that same invoice (its payment link works again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from dkreg.actions.domain.update import DomainUpdate, domain_update
from dkreg.actions.selfservice.domains import my_domain
from dkreg.actions.selfservice.session import Registrant, selfservice_audit
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import domain_ns, domains, hosts, invoices


def _own_managed(dom: Any) -> None:
    """2304 unless the domain is registrant-managed, active and not on its way out."""
    if dom.management != "registrant":
        raise err(2304, "object_status", field="domain",
                  detail=Detail("managed_by_its_registrar", uname=dom.uname))
    if dom.state != "active" or dom.redemption_until is not None or dom.delete_at is not None:
        raise err(2304, "object_status", field="domain",
                  detail=Detail("not_active", uname=dom.uname))


async def current_nameservers(ctx: Ctx, domain_id: int) -> list[str]:
    return list((await ctx.conn.execute(
        select(hosts.c.name).join(domain_ns, domain_ns.c.host_id == hosts.c.id)
        .where(domain_ns.c.domain_id == domain_id).order_by(domain_ns.c.position)
    )).scalars())


@dataclass(frozen=True)
class NsChanged:
    uname: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return set(self.before) != set(self.after)


async def own_nameservers(ctx: Ctx, registrant: Registrant, name: str, wanted: list[str],
                          client_ip: str | None = None) -> NsChanged:
    """Make ``wanted`` the domain's name servers (update domain: remove those not wanted,
    add the new ones). Refusals are EPP's errors, with their fields and positions."""
    dom = await my_domain(ctx, registrant, name)
    _own_managed(dom)
    wanted = list(dict.fromkeys(n.strip().lower().rstrip(".") for n in wanted if n.strip()))
    before = await current_nameservers(ctx, dom.id)
    add = [n for n in wanted if n not in before]
    rem = [n for n in before if n not in wanted]
    if add or rem:
        await domain_update(ctx, DomainUpdate(name=dom.name, add_ns=add, rem_ns=rem))
    after = await current_nameservers(ctx, dom.id)
    await selfservice_audit(ctx, "selfservice_domain_ns", registrant.name(), dom.uname,
                            client_ip=client_ip, request=" ".join(after)[:255])
    return NsChanged(dom.uname, tuple(before), tuple(after))


async def own_autorenew(ctx: Ctx, registrant: Registrant, name: str, on: bool,
                        client_ip: str | None = None) -> str:
    """Turn the domain's renewal on or off; returns its U-label."""
    dom = await my_domain(ctx, registrant, name)
    _own_managed(dom)
    if bool(dom.autorenew) != on:
        await ctx.conn.execute(update(domains).where(domains.c.id == dom.id).values(
            autorenew=on, updated_at=ctx.now, updated_by=ctx.actor.registrar_handle))
        # the renewal invoice of the coming period follows the choice
        before, after = ("cancelled", "open") if on else ("open", "cancelled")
        await ctx.conn.execute(update(invoices).where(
            invoices.c.domain_id == dom.id, invoices.c.kind == "renewal",
            invoices.c.period_start == dom.expires_at, invoices.c.status == before)
            .values(status=after))
    await selfservice_audit(ctx, "selfservice_domain_autorenew", registrant.name(),
                            dom.uname, client_ip=client_ip, request="on" if on else "off")
    return str(dom.uname)

"""Who receives a registrar's account mail: invoices, statements, low-balance alerts.

One rule for every such mail, so an invoice and the alert that the balance ran low reach
the same people.
"""

from __future__ import annotations

from sqlalchemy import select

from dkreg.store.context import Ctx
from dkreg.store.schema import portal_users


async def recipients(ctx: Ctx, registrar_id: int, registrar_email: str) -> list[str]:
    """The registrar's own address and its enabled Accounting and Administration users.

    Not its invitations: an invited address has not joined (it may even be another
    registrar's user, invited without the inviter being told), so the registrar's
    account is none of its business yet."""
    rows = await ctx.conn.execute(
        select(portal_users.c.email).where(
            portal_users.c.registrar_id == registrar_id,
            portal_users.c.disabled.is_(False), portal_users.c.invited.is_(False),
            portal_users.c.privilege_group.in_(("accounting", "administration")))
        .order_by(portal_users.c.email))
    found = [registrar_email.strip().lower()]
    found += [r.email for r in rows if r.email not in found]
    return found

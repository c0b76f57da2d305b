"""The referral programme (unikpånettet.dk): a registrar opts in by accepting its terms.

The consent is kept with its time, the accepting portal user and the terms version, so
the later referral hand-off can show which registrars take part and since when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.login import portal_audit
from dkreg.store.context import Ctx
from dkreg.store.schema import registrar_referral


@dataclass(frozen=True)
class Referral:
    member: bool
    terms_version: str | None
    consented_at: datetime | None
    consented_by: str | None


async def referral_get(ctx: Ctx, user: PortalUser) -> Referral:
    require(user, "referral")
    row = (await ctx.conn.execute(select(registrar_referral).where(
        registrar_referral.c.registrar_id == user.registrar_id))).first()
    if row is None:
        return Referral(False, None, None, None)
    return Referral(row.member, row.terms_version, row.consented_at, row.consented_by)


async def referral_set(ctx: Ctx, user: PortalUser, member: bool,
                       client_ip: str | None = None) -> Referral:
    """Join (accepting the current terms) or leave. Leaving keeps no consent."""
    require(user, "referral")
    version = ctx.settings.referral_terms_version
    values: dict[str, Any] = {"member": member, "updated_at": ctx.now,
              "terms_version": version if member else None,
              "consented_at": ctx.now if member else None,
              "consented_by": user.email if member else None}
    dialect = sqlite if ctx.is_sqlite else postgresql
    stmt = dialect.insert(registrar_referral).values(registrar_id=user.registrar_id, **values)
    await ctx.conn.execute(stmt.on_conflict_do_update(
        index_elements=[registrar_referral.c.registrar_id], set_=values))
    await portal_audit(ctx, "referral_opt_in" if member else "referral_opt_out", user.email,
                       user.registrar_id, client_ip, obj=user.registrar_handle,
                       request=f"terms {version}" if member else None)
    return Referral(member, values["terms_version"], values["consented_at"],
                    values["consented_by"])

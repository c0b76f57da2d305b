"""Administration > Account settings: the registrar's defaults for EPP creates.

``default_management`` (registrar/registrant) is what a domain or contact create without
``dkhm:management`` gets; ``default_autorenew`` (auto-renew / auto-expire) what a domain
create without ``dkhm:autoRenew`` gets; ``verification_responsible`` (registrar/registry)
who verifies the registrar's registrar-managed contacts created from now on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select, update

from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.login import portal_audit
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import registrars

MANAGEMENT = ("registrar", "registrant")
RESPONSIBLE = ("registrar", "registry")


@dataclass(frozen=True)
class AccountSettings:
    default_management: str
    default_autorenew: bool
    verification_responsible: str


def validate(s: AccountSettings) -> AccountSettings:
    if s.default_management not in MANAGEMENT:
        raise err(2005, "value_syntax", field="default_management",
                  detail=Detail("management_registrar_registrant"))
    if s.verification_responsible not in RESPONSIBLE:
        raise err(2005, "value_syntax", field="verification_responsible",
                  detail=Detail("verification_registrar_s_registry_s"))
    if s.default_management == "registrant" and not s.default_autorenew:
        # domain create refuses registrant management without auto-renew (2004): such a
        # default would make every create that relies on it fail
        raise err(2004, "autorenew_registrant", field="default_autorenew")
    return AccountSettings(s.default_management, bool(s.default_autorenew),
                           s.verification_responsible)


async def account_settings_get(ctx: Ctx, user: PortalUser) -> AccountSettings:
    require(user, "account_settings")
    row = (await ctx.conn.execute(
        select(registrars.c.default_management, registrars.c.default_autorenew,
               registrars.c.verification_responsible)
        .where(registrars.c.id == user.registrar_id))).one()
    return AccountSettings(row.default_management, bool(row.default_autorenew),
                           row.verification_responsible)


async def account_settings_update(ctx: Ctx, user: PortalUser, settings: AccountSettings,
                                  client_ip: str | None = None) -> AccountSettings:
    require(user, "account_settings")
    clean = validate(settings)
    await ctx.conn.execute(update(registrars).where(registrars.c.id == user.registrar_id)
                           .values(**asdict(clean)))
    await portal_audit(ctx, "account_settings_update", user.email, user.registrar_id,
                       client_ip, obj=user.registrar_handle, request=repr(asdict(clean)))
    return clean


__all__ = ["AccountSettings", "account_settings_get", "account_settings_update"]

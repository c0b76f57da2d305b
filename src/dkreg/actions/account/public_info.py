"""Administration > Public Information > Registrar Management, and the public list it feeds.

The registrar decides what the registry's public registrar list says about it: whether
it offers registrar management, its public name, website, contact e-mail, logo, and
whether it is listed at all. The list reads the same rows, so a change shows at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.login import portal_audit
from dkreg.actions.portal.users import EMAIL
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import registrar_public_info, registrars


@dataclass(frozen=True)
class PublicInfo:
    offers_registrar_management: bool
    public_name: str
    website: str | None
    email: str | None
    logo_url: str | None
    listed: bool


@dataclass(frozen=True)
class ListedRegistrar:
    handle: str
    name: str
    website: str | None
    email: str | None
    logo_url: str | None
    offers_registrar_management: bool


def _url(value: str | None, field: str, max_len: int, https_only: bool = False) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    schemes = ("https",) if https_only else ("http", "https")
    if (len(value) > max_len or parts.scheme not in schemes or not parts.hostname
            or "." not in parts.hostname or any(c.isspace() for c in value)):
        raise err(2005, "value_syntax", field=field,
                  detail=Detail("address_starting",
                                value=' or '.join(s + '://' for s in schemes)))
    return value


def validate(info: PublicInfo) -> PublicInfo:
    """The stored form of what the registrar typed, or the first rule broken."""
    name = info.public_name.strip()
    if not name:
        raise err(2003, "missing_parameter", field="public_name",
                  detail=Detail("public_name_needed"))
    if len(name) > 255:
        raise err(2004, "value_range", field="public_name", detail=Detail("at_most_255_characters"))
    website = _url(info.website, "website", 255)
    email = (info.email or "").strip() or None
    if email is not None and (len(email) > 254 or not EMAIL.fullmatch(email)):
        raise err(2005, "value_syntax", field="email", detail=Detail("not_e_mail_address"))
    logo = _url(info.logo_url, "logo_url", 512, https_only=True)
    return PublicInfo(bool(info.offers_registrar_management), name, website, email, logo,
                      bool(info.listed))


async def public_info_get(ctx: Ctx, user: PortalUser) -> PublicInfo:
    require(user, "public_info")
    row = (await ctx.conn.execute(
        select(registrar_public_info).where(
            registrar_public_info.c.registrar_id == user.registrar_id))).first()
    if row is not None:
        return PublicInfo(row.offers_registrar_management, row.public_name, row.website,
                          row.email, row.logo_url, row.listed)
    name = (await ctx.conn.execute(select(registrars.c.name).where(
        registrars.c.id == user.registrar_id))).scalar_one()
    return PublicInfo(False, name, None, None, None, False)


async def public_info_update(ctx: Ctx, user: PortalUser, info: PublicInfo,
                             client_ip: str | None = None) -> PublicInfo:
    require(user, "public_info")
    clean = await public_info_store(ctx, user.registrar_id, info, user.email)
    await portal_audit(ctx, "registrar_public_info_update", user.email, user.registrar_id,
                       client_ip, obj=user.registrar_handle,
                       request=repr({k: v for k, v in asdict(clean).items()}))
    return clean


async def public_info_store(ctx: Ctx, registrar_id: int, info: PublicInfo, by: str
                            ) -> PublicInfo:
    """Validate and keep a registrar's public information (the portal's form, and the
    sandbox's demo registrar, which is listed from the first start)."""
    clean = validate(info)
    values = {**asdict(clean), "updated_at": ctx.now, "updated_by": by}
    dialect = sqlite if ctx.is_sqlite else postgresql
    stmt = dialect.insert(registrar_public_info).values(registrar_id=registrar_id, **values)
    await ctx.conn.execute(stmt.on_conflict_do_update(
        index_elements=[registrar_public_info.c.registrar_id], set_=values))
    return clean


async def public_registrars(ctx: Ctx, registrar_management: bool | None = None
                            ) -> list[ListedRegistrar]:
    """Listed registrars, by public name; optionally only those offering management."""
    stmt = (select(registrars.c.handle, registrar_public_info)
            .join(registrars, registrars.c.id == registrar_public_info.c.registrar_id)
            .where(registrar_public_info.c.listed.is_(True)))
    if registrar_management is not None:
        stmt = stmt.where(registrar_public_info.c.offers_registrar_management.is_(
            registrar_management))
    rows = await ctx.conn.execute(stmt.order_by(registrar_public_info.c.public_name,
                                                registrars.c.handle))
    return [ListedRegistrar(r.handle, r.public_name, r.website, r.email, r.logo_url,
                            r.offers_registrar_management) for r in rows]


__all__ = ["ListedRegistrar", "PublicInfo", "public_info_get", "public_info_store",
           "public_info_update", "public_registrars"]

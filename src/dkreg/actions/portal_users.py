"""Portal users: people who log in to the registrar portal with e-mail and password."""

from __future__ import annotations

import re

from sqlalchemy import insert, select

from dkreg.actions.context import Ctx
from dkreg.actions.portal_access import GROUPS
from dkreg.errors import err
from dkreg.model.passwords import check_password_rule, hash_password
from dkreg.store.schema import portal_users, registrars

EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")


def normalise_email(email: str) -> str:
    """E-mail is the login name: compared case-insensitively, without outer spaces."""
    return email.strip().lower()


async def portal_user_create(ctx: Ctx, registrar_handle: str, email: str, group: str,
                             password: str) -> int:
    email = normalise_email(email)
    if not EMAIL.fullmatch(email) or len(email) > 254:
        raise err(2005, "value_syntax", field="email", detail="not an e-mail address")
    if group not in GROUPS:
        raise err(2005, "value_syntax", field="group",
                  detail=f"the group must be one of {', '.join(GROUPS)}")
    check_password_rule(password, field="password")
    rid = (await ctx.conn.execute(
        select(registrars.c.id).where(registrars.c.handle == registrar_handle))).scalar()
    if rid is None:
        raise err(2303, "object_not_exist", field="registrar",
                  detail=f"no registrar {registrar_handle}")
    taken = (await ctx.conn.execute(
        select(portal_users.c.id).where(portal_users.c.email == email))).scalar()
    if taken:
        raise err(2302, "object_exists", field="email", detail=f"{email} is already a user")
    return (await ctx.conn.execute(insert(portal_users).values(
        registrar_id=rid, email=email, privilege_group=group,
        password_hash=hash_password(password), created_at=ctx.now,
    ).returning(portal_users.c.id))).scalar_one()

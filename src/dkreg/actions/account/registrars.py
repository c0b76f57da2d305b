"""Registrars and their service users (used by the CLI, the seed and later the portal)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Label, func, insert, select

from dkreg.actions.account.ip_allow_list import login_refusal
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.passwords import check_password_rule, hash_password
from dkreg.store.context import Actor, Ctx
from dkreg.store.ledger import post_ledger
from dkreg.store.schema import registrar_ip_allow, registrars, users

REGISTRAR_HANDLE = re.compile(r"REG-[0-9]{1,12}")
LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,15}")  # eppcom clIDType is 3-16 chars
SERVICES = ("epp", "das", "dsu")


async def registrar_create(ctx: Ctx, handle: str, name: str, email: str,
                           balance_ore: int = 0) -> int:
    if not REGISTRAR_HANDLE.fullmatch(handle):
        raise err(2005, "value_syntax", field="handle",
                  detail=Detail("registrar_handle_looks_like_reg"))
    if "@" not in email:
        raise err(2005, "value_syntax", field="email", detail=Detail("not_e_mail_address"))
    exists = (await ctx.conn.execute(
        select(registrars.c.id).where(registrars.c.handle == handle))).scalar()
    if exists:
        raise err(2302, "object_exists", field="handle", detail=Detail("already_exists",
                                                                       handle=handle))
    rid = (await ctx.conn.execute(insert(registrars).values(
        handle=handle, name=name, email=email, balance_ore=0, created_at=ctx.now,
    ).returning(registrars.c.id))).scalar_one()
    if balance_ore:
        await post_ledger(ctx, rid, balance_ore, "topup", "opening balance")
    return rid


async def user_create(ctx: Ctx, registrar_handle: str, login: str, service: str,
                      password: str, roles: str = "registrar proxy payer nsa") -> int:
    if service not in SERVICES:
        raise err(2005, "value_syntax", field="service",
                  detail=Detail("service_must_one", services=', '.join(SERVICES)))
    if not LOGIN.fullmatch(login):
        raise err(2005, "value_syntax", field="login",
                  detail=Detail("login_3_16_letters_digits"))
    check_password_rule(password, field="password")
    rid = (await ctx.conn.execute(
        select(registrars.c.id).where(registrars.c.handle == registrar_handle))).scalar()
    if rid is None:
        raise err(2303, "object_not_exist", field="registrar",
                  detail=Detail("no_registrar", registrar_handle=registrar_handle))
    if (await ctx.conn.execute(select(users.c.id).where(users.c.login == login))).scalar():
        raise err(2302, "object_exists", field="login", detail=Detail("login_taken", login=login))
    return (await ctx.conn.execute(insert(users).values(
        registrar_id=rid, login=login, service=service, password_hash=hash_password(password),
        roles=roles, created_at=ctx.now).returning(users.c.id))).scalar_one()


@dataclass
class AddressRefused(EppError):
    """2200 "Login failed" for a service user whose registrar's IP allow-list does not admit
    the client's address, whatever the password: the client gets exactly the text of a wrong
    password, ``why`` (the precise reason) and who it was go to the audit only."""

    registrar_id: int | None = None
    login: str | None = None
    why: str | None = None


def allow_list_column(is_sqlite: bool) -> Label[Any]:
    """The user's registrar's allow-list as one space-separated column, read in the same
    query as the user (login and the live-session check both need it)."""
    agg = (func.group_concat(registrar_ip_allow.c.network, " ") if is_sqlite
           else func.string_agg(registrar_ip_allow.c.network, " "))
    return (select(agg).where(registrar_ip_allow.c.registrar_id == users.c.registrar_id)
            .scalar_subquery().label("networks"))


async def authenticate(ctx: Ctx, login: str, password: str, service: str = "epp",
                       client_ip: str | None = None) -> Actor:
    """The service user's actor, or 2200 "Login failed".

    For EPP the registrar's IP allow-list comes in the same query (one aggregated column)
    and is checked *before* the password: from an address the list does not admit, the
    password is never compared, so the answer cannot depend on it (it was an oracle that
    told a right password from a wrong one to anyone anywhere). The refusal is the same
    text as a wrong password's; its reason goes to the audit (``AddressRefused``).
    """
    networks = allow_list_column(ctx.is_sqlite)
    row = (await ctx.conn.execute(
        select(users.c.id, users.c.password_hash, users.c.roles, users.c.disabled,
               users.c.service, registrars.c.id.label("rid"), registrars.c.handle, networks)
        .join(registrars, registrars.c.id == users.c.registrar_id)
        .where(users.c.login == login))).first()
    refusal = None
    if row is not None and service == "epp" and row.service == "epp":
        refusal = login_refusal((row.networks or "").split(), client_ip,
                                production=not ctx.settings.sandbox)
    # argon2 is deliberately slow: done outside the transaction (``ctx.passwords``). An
    # unknown login, and a refused address, still pay for one hash (the dummy one: the
    # stored hash is not compared) so that timing does not tell which logins exist.
    stored = row.password_hash if row is not None and refusal is None else None
    ok = await ctx.passwords.matches(stored, password)
    if refusal is not None and row is not None:
        raise AddressRefused(code=2200, reason="login_failed", registrar_id=row.rid,
                             login=login, why=refusal)
    if row is None or row.disabled or row.service != service or not ok:
        raise err(2200, "login_failed")
    return Actor(registrar_id=row.rid, registrar_handle=row.handle, login=login,
                 roles=frozenset(row.roles.split()))


async def login(ctx: Ctx, login_name: str, password: str, new_password: str | None = None,
                service: str = "epp", client_ip: str | None = None) -> Actor:
    """Log a service user in, changing the password in the same step when asked.

    The new password's rule is public, so it is checked before the (deliberately slow)
    hash comparison; a refused change leaves the old password in force.
    """
    if new_password is not None:
        check_password_rule(new_password)
    actor = await authenticate(ctx, login_name, password, service, client_ip)
    if new_password is not None:
        await change_password(ctx, login_name, new_password)
    return actor


async def change_password(ctx: Ctx, login: str, new_password: str) -> None:
    check_password_rule(new_password)
    new_hash = await ctx.passwords.new_hash(new_password)
    await ctx.conn.execute(users.update().where(users.c.login == login).values(
        password_hash=new_hash, password_changed_at=ctx.now))

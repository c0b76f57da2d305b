"""AuthInfo tokens: ``<ROLE>-<OP>-<32 hex>``, one domain, one operation, single use.

A token is the registrant's consent carried to another party (SPEC-DIGEST §5.6): whoever
may act on the domain generates it, hands it to the registrant, and the party that
receives it presents it once. It stops working after ``auth_token_days`` (14), when it
is used, or when it is retracted; there is one live token per domain and operation, so
generating a new one retracts the previous one.

Every door uses these functions: update domain (``autotransfer``/``autoredel`` and
``domain:null``), transfer domain, withdraw, and later the portal and self-service
(which pass ``role="OWN"``, ``"PXY"`` or ``"NSA"``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import auth_tokens

OPS = ("transfer", "redel")
ROLES = ("REG", "OWN", "PXY", "NSA")


@dataclass(frozen=True)
class LiveToken:
    op: str
    token: str
    role: str
    expires_at: datetime


def _live(domain_id: int, now: datetime) -> list[Any]:
    """Conditions of a token that still works (the same definition info domain uses)."""
    return [auth_tokens.c.domain_id == domain_id, auth_tokens.c.used_at.is_(None),
            auth_tokens.c.retracted_at.is_(None), auth_tokens.c.expires_at > now]


def _check_op(op: str) -> None:
    if op not in OPS:
        raise ValueError(f"unknown AuthInfo token operation {op!r}")


async def generate(ctx: Ctx, domain_id: int, op: str = "transfer", *,
                   role: str | None = None) -> str:
    """Issue a new token for ``op`` and retract the live one it replaces.

    The role says who issued it: ``REG`` when a registrar acts (the default), the other
    doors name theirs. The caller has already decided that the actor may issue it
    (privilege rules differ per door).
    """
    _check_op(op)
    if role is None:
        if ctx.actor.registrar_id is None:
            raise ValueError("role is required when no registrar is acting")
        role = "REG"
    if role not in ROLES:
        raise ValueError(f"unknown AuthInfo token role {role!r}")
    await retract(ctx, domain_id, op)
    token = f"{role}-{op.upper()}-{secrets.token_hex(16)}"  # lower-case hex, as in the spec
    await ctx.conn.execute(insert(auth_tokens).values(
        domain_id=domain_id, op=op, role=role, token=token,
        registrar_id=ctx.actor.registrar_id, created_by=ctx.actor.registrar_handle,
        created_at=ctx.now,
        expires_at=ctx.now + timedelta(days=ctx.settings.auth_token_days)))
    return token


async def retract(ctx: Ctx, domain_id: int, op: str | None = None) -> int:
    """Withdraw the live token(s) of a domain (all operations when ``op`` is None);
    returns how many stopped working."""
    conds = _live(domain_id, ctx.now)
    if op is not None:
        _check_op(op)
        conds.append(auth_tokens.c.op == op)
    done = await ctx.conn.execute(update(auth_tokens).where(*conds)
                                  .values(retracted_at=ctx.now))
    return done.rowcount or 0


async def live_tokens(conn_or_ctx: AsyncConnection | Ctx, domain_id: int,
                      now: datetime) -> list[LiveToken]:
    """The tokens that still work, one per operation at most, ordered by operation."""
    conn = conn_or_ctx.conn if isinstance(conn_or_ctx, Ctx) else conn_or_ctx
    rows = await conn.execute(
        select(auth_tokens.c.op, auth_tokens.c.token, auth_tokens.c.role,
               auth_tokens.c.expires_at)
        .where(*_live(domain_id, now)).order_by(auth_tokens.c.op, auth_tokens.c.id))
    return [LiveToken(r.op, r.token, r.role, r.expires_at) for r in rows]


async def consume(ctx: Ctx, domain_id: int, op: str, token: str) -> Any:
    """Accept a presented token and mark it used; returns its row.

    Whatever is wrong with it — unknown, used, retracted, expired, for another domain or
    another operation — the answer is the same 2202, so that a guess learns nothing
    about which tokens exist. The comparison is exact (tokens are case-sensitive);
    surrounding whitespace from XML indentation is ignored.
    """
    _check_op(op)
    value = (token or "").strip()
    row = None
    if value:
        row = (await ctx.conn.execute(ctx.for_update(
            select(auth_tokens).where(auth_tokens.c.token == value,
                                      auth_tokens.c.op == op, *_live(domain_id, ctx.now)))
        )).first()
    if row is None or row.token != value:  # != guards collations that ignore case
        raise err(2202, "authinfo_invalid", field="domain:authInfo",
                  detail=Detail("token_must_live_token_generated", op=op,
                                auth_token_days=ctx.settings.auth_token_days))
    # the state check in the WHERE makes a concurrent second use fail rather than succeed
    done = await ctx.conn.execute(update(auth_tokens).where(
        auth_tokens.c.id == row.id, auth_tokens.c.used_at.is_(None),
        auth_tokens.c.retracted_at.is_(None)).values(used_at=ctx.now))
    if done.rowcount != 1:
        raise err(2202, "authinfo_invalid", field="domain:authInfo",
                  detail=Detail("token_has_just_been_used"))
    return row

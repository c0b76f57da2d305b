"""One-time tokens for portal users: invitation links, password-reset links, and the
password-checked login that waits for its TOTP code.

The token is ``secrets.token_urlsafe(32)`` (256 bits from the OS's CSPRNG), handed out
once (in a mail or a cookie) and stored only as its SHA-256, so a copy of the database
opens nothing. It is bound to one user and one purpose, expires, is used at most once,
and issuing a new one for the same user and purpose deletes the older unused ones (the
newest invitation or reset mail is the only one that works). Looking a token up does not
use it: mail scanners that fetch a link must not spend it, only the form's POST does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, insert, select, update

from dkreg.model.secret_tokens import new_token, token_hash
from dkreg.store.context import Ctx
from dkreg.store.schema import portal_user_tokens, portal_users

PURPOSES = ("invite", "reset", "login")


@dataclass(frozen=True)
class TokenHolder:
    """The user a valid token belongs to."""

    token_id: int
    user_id: int
    email: str
    registrar_id: int


async def void_tokens(ctx: Ctx, user_id: int, purpose: str) -> None:
    """The unused tokens of ``user_id`` for ``purpose`` stop working."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    await ctx.conn.execute(delete(portal_user_tokens).where(
        portal_user_tokens.c.portal_user_id == user_id,
        portal_user_tokens.c.purpose == purpose, portal_user_tokens.c.used_at.is_(None)))


async def issue_token(ctx: Ctx, user_id: int, purpose: str, lifetime: timedelta) -> str:
    """A new token for ``user_id``; older unused tokens of the same purpose stop working."""
    await void_tokens(ctx, user_id, purpose)
    token = new_token()
    await ctx.conn.execute(insert(portal_user_tokens).values(
        portal_user_id=user_id, purpose=purpose, token_hash=token_hash(token),
        created_at=ctx.now, expires_at=ctx.now + lifetime))
    return token


async def find_token(ctx: Ctx, token: str | None, purpose: str) -> TokenHolder | None:
    """The holder of an unused, unexpired token of ``purpose`` whose user is not disabled;
    None for anything else (unknown, used, expired, other purpose — the caller cannot and
    need not tell which)."""
    if not token or len(token) > 128:
        return None
    row = (await ctx.conn.execute(
        select(portal_user_tokens.c.id, portal_users.c.id.label("uid"), portal_users.c.email,
               portal_users.c.registrar_id)
        .join(portal_users, portal_users.c.id == portal_user_tokens.c.portal_user_id)
        .where(portal_user_tokens.c.token_hash == token_hash(token),
               portal_user_tokens.c.purpose == purpose,
               portal_user_tokens.c.used_at.is_(None),
               portal_user_tokens.c.expires_at > ctx.now,
               portal_users.c.disabled.is_(False)))).first()
    return None if row is None else TokenHolder(row.id, row.uid, row.email, row.registrar_id)


async def use_token(ctx: Ctx, holder: TokenHolder) -> bool:
    """Spend the token; False when a concurrent request spent it first (the conditional
    update is the lock: of two racing POSTs only one changes the row)."""
    done = await ctx.conn.execute(update(portal_user_tokens).where(
        portal_user_tokens.c.id == holder.token_id, portal_user_tokens.c.used_at.is_(None))
        .values(used_at=ctx.now))
    return done.rowcount == 1

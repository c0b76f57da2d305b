"""Portal users: people who log in to the registrar portal with e-mail and password.

Administration > Users: an administrator invites a person (a user in state "invited",
who cannot log in, and a mail with a one-time link to choose a password), changes a
user's group, disables and enables users (disabling ends their sessions at once) and
resets another user's TOTP. Every action is scoped to the acting user's registrar: an id
from another registrar is "does not exist". A registrar always keeps at least one enabled
administrator, so nobody can lock the registrar out of its own portal. Each user turns
TOTP on and off from "My account", always proving a current code. Every change is
audited naming the portal user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from dkreg.actions.portal.access import GROUPS, PortalUser, require
from dkreg.actions.portal.login import (
    end_sessions,
    is_active_user,
    normalise_email,
    portal_audit,
    queue_link_mail,
)
from dkreg.actions.portal.tokens import issue_token, void_tokens
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model import totp
from dkreg.model.passwords import check_password_rule, hash_password
from dkreg.store.context import Ctx
from dkreg.store.schema import portal_users, registrars

EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
# Not an argon2 hash: verification fails, and login checks the dummy hash for invited users.
_NO_PASSWORD = "!invited"

def _clean(email: str, group: str) -> str:
    email = normalise_email(email)
    if not EMAIL.fullmatch(email) or len(email) > 254:
        raise err(2005, "value_syntax", field="email", detail=Detail("not_e_mail_address"))
    _check_group(group)
    return email


def _check_group(group: str) -> None:
    if group not in GROUPS:
        raise err(2005, "value_syntax", field="group",
                  detail=Detail("group_must_one", groups=', '.join(GROUPS)))


async def portal_user_create(ctx: Ctx, registrar_handle: str, email: str, group: str,
                             password: str) -> int:
    """An active user with a password (CLI, seed data, tests). The address must not be
    an active user anywhere nor a user (or invitation) of this registrar; another
    registrar's invitation to it then stops working (it is refused when used)."""
    email = _clean(email, group)
    check_password_rule(password, field="password")
    rid = (await ctx.conn.execute(
        select(registrars.c.id).where(registrars.c.handle == registrar_handle))).scalar()
    if rid is None:
        raise err(2303, "object_not_exist", field="registrar",
                  detail=Detail("no_registrar", registrar_handle=registrar_handle))
    taken = (await ctx.conn.execute(select(portal_users.c.id).where(
        portal_users.c.email == email,
        or_(portal_users.c.invited.is_(False), portal_users.c.registrar_id == rid)))).scalar()
    if taken:
        raise err(2302, "object_exists", field="email", detail=Detail("already_user", email=email))
    return (await ctx.conn.execute(insert(portal_users).values(
        registrar_id=rid, email=email, privilege_group=group,
        password_hash=hash_password(password), created_at=ctx.now,
    ).returning(portal_users.c.id))).scalar_one()


# -- Administration > Users ----------------------------------------------------------------

@dataclass(frozen=True)
class PortalUserRow:
    id: int
    email: str
    group: str
    disabled: bool
    invited: bool
    totp: bool
    created_at: datetime

    @property
    def status(self) -> str:
        return "disabled" if self.disabled else "invited" if self.invited else "active"


def _row(r: Any) -> PortalUserRow:
    return PortalUserRow(r.id, r.email, r.privilege_group, r.disabled, r.invited,
                         r.totp_enabled_at is not None, r.created_at)


async def portal_users_list(ctx: Ctx, user: PortalUser) -> list[PortalUserRow]:
    require(user, "portal_users")
    rows = await ctx.conn.execute(select(portal_users).where(
        portal_users.c.registrar_id == user.registrar_id).order_by(portal_users.c.email))
    return [_row(r) for r in rows]


async def _own(ctx: Ctx, user: PortalUser, target_id: int) -> PortalUserRow:
    require(user, "portal_users")
    r = (await ctx.conn.execute(ctx.for_update(select(portal_users).where(
        portal_users.c.id == target_id,
        portal_users.c.registrar_id == user.registrar_id)))).first()
    if r is None:
        raise err(2303, "object_not_exist", field="id", detail=Detail("no_portal_user",
                                                                      target_id=target_id))
    return _row(r)


async def _keep_an_administrator(ctx: Ctx, user: PortalUser, target: PortalUserRow) -> None:
    """Refuse a change that would leave the registrar without an enabled administrator."""
    if target.group != "administration" or target.disabled or target.invited:
        return
    others = (await ctx.conn.execute(select(func.count()).select_from(portal_users).where(
        portal_users.c.registrar_id == user.registrar_id, portal_users.c.id != target.id,
        portal_users.c.privilege_group == "administration",
        portal_users.c.disabled.is_(False), portal_users.c.invited.is_(False)))).scalar_one()
    if not others:
        raise err(2304, "object_status", field="last_administrator",
                  detail=Detail("last_enabled_administrator", email=target.email))


async def _invite(ctx: Ctx, user: PortalUser, user_id: int, email: str, group: str,
                  lang: str, client_ip: str | None) -> None:
    """Mail the invitation of the invited user ``user_id``, new or again. The inviter's
    answer, audit event and Users list are the same whoever the address belongs to: it
    must not learn that the address is another registrar's user. The e-mail is the login
    name, so an address that already is an active user elsewhere cannot take the
    invitation: its owner — who knows it has an account — is told so by mail (without
    naming the other registrar), and gets no link. Only the registry's own audit (no
    registrar) says what happened."""
    await portal_audit(ctx, "portal_user_invite", user.email, user.registrar_id, client_ip,
                       obj=email, request=f"group={group}")
    if await is_active_user(ctx, email):  # this registrar's row is only invited
        await void_tokens(ctx, user_id, "invite")  # an older link would be refused anyway
        await queue_link_mail(ctx, "portal_invitation_existing", email, lang, "/portal/login",
                              user.registrar_id, email=email, registrar=user.registrar_handle,
                              inviter=user.email)
        await portal_audit(ctx, "portal_user_invite_user_elsewhere", user.email, None,
                           client_ip, obj=email, request=f"by={user.registrar_handle}")
        return
    hours = ctx.settings.portal_invitation_hours
    token = await issue_token(ctx, user_id, "invite", timedelta(hours=hours))
    await queue_link_mail(ctx, "portal_invitation", email, lang, "/portal/invite/" + token,
                          user.registrar_id, email=email, registrar=user.registrar_handle,
                          inviter=user.email, group=group, hours=hours)


async def portal_user_invite(ctx: Ctx, user: PortalUser, email: str, group: str, lang: str,
                             client_ip: str | None = None) -> str:
    """Invite ``email`` into ``group``: a new user of this registrar in state "invited"
    and a mail with a one-time link. Inviting a still-invited user of this registrar
    again sends a new link (the old one stops working) and takes the group given now.
    Other registrars' users and invitations of the address do not matter here: the row
    and the answer are those of any invitation (see ``_invite`` for the mail); whichever
    invitation is used first wins, and the others are then refused when used."""
    require(user, "portal_users")
    email = _clean(email, group)
    existing = (await ctx.conn.execute(select(portal_users).where(
        portal_users.c.email == email,
        portal_users.c.registrar_id == user.registrar_id))).first()
    if existing is not None:
        if not existing.invited:  # this registrar's own user: its list shows it anyway
            raise err(2302, "object_exists", field="email", detail=Detail("already_user",
                                                                          email=email))
        user_id = existing.id
        await ctx.conn.execute(update(portal_users).where(portal_users.c.id == user_id)
                               .values(privilege_group=group))
    else:
        user_id = (await ctx.conn.execute(insert(portal_users).values(
            registrar_id=user.registrar_id, email=email, privilege_group=group,
            password_hash=_NO_PASSWORD, invited=True, created_at=ctx.now,
        ).returning(portal_users.c.id))).scalar_one()
    await _invite(ctx, user, user_id, email, group, lang, client_ip)
    return email


async def portal_user_reinvite(ctx: Ctx, user: PortalUser, target_id: int, lang: str,
                               client_ip: str | None = None) -> str:
    target = await _own(ctx, user, target_id)
    if not target.invited:
        raise err(2304, "object_status", field="id", detail=Detail("not_invited",
                                                                   email=target.email))
    await _invite(ctx, user, target.id, target.email, target.group, lang, client_ip)
    return target.email


async def portal_user_set_group(ctx: Ctx, user: PortalUser, target_id: int, group: str,
                                client_ip: str | None = None) -> str:
    """The new group applies from the user's next request (sessions read it each time)."""
    _check_group(group)
    target = await _own(ctx, user, target_id)
    if group != "administration":
        await _keep_an_administrator(ctx, user, target)
    await ctx.conn.execute(update(portal_users).where(portal_users.c.id == target.id)
                           .values(privilege_group=group))
    await portal_audit(ctx, "portal_user_group", user.email, user.registrar_id, client_ip,
                       obj=target.email, request=f"group={target.group}->{group}")
    return target.email


async def portal_user_set_disabled(ctx: Ctx, user: PortalUser, target_id: int,
                                   disabled: bool, client_ip: str | None = None) -> str:
    target = await _own(ctx, user, target_id)
    if disabled:
        await _keep_an_administrator(ctx, user, target)
        await end_sessions(ctx, target.id)
    await ctx.conn.execute(update(portal_users).where(portal_users.c.id == target.id)
                           .values(disabled=disabled))
    await portal_audit(ctx, "portal_user_disable" if disabled else "portal_user_enable",
                       user.email, user.registrar_id, client_ip, obj=target.email)
    return target.email


async def _set_totp(ctx: Ctx, user_id: int, secret: str | None,
                    enabled_at: datetime | None, last_step: int | None) -> None:
    await ctx.conn.execute(update(portal_users).where(portal_users.c.id == user_id).values(
        totp_secret=secret, totp_enabled_at=enabled_at, totp_last_step=last_step))


async def portal_user_reset_totp(ctx: Ctx, user: PortalUser, target_id: int,
                                 client_ip: str | None = None) -> str:
    """For a user who lost their authenticator: TOTP off, to be set up again."""
    target = await _own(ctx, user, target_id)
    await _set_totp(ctx, target.id, None, None, None)
    await portal_audit(ctx, "portal_user_totp_reset", user.email, user.registrar_id,
                       client_ip, obj=target.email)
    return target.email


# -- My account: TOTP ------------------------------------------------------------------------

@dataclass(frozen=True)
class TotpState:
    enabled: bool
    pending_secret: str | None  # shown while waiting for the first code

    def uri(self, user: PortalUser) -> str | None:
        if self.pending_secret is None:
            return None
        return totp.otpauth_uri(self.pending_secret, user.email,
                                f"dkreg {user.registrar_handle}")


async def _totp_row(ctx: Ctx, user: PortalUser) -> Any:
    return (await ctx.conn.execute(ctx.for_update(select(
        portal_users.c.totp_secret, portal_users.c.totp_enabled_at,
        portal_users.c.totp_last_step).where(portal_users.c.id == user.id)))).one()


async def totp_state(ctx: Ctx, user: PortalUser) -> TotpState:
    r = await _totp_row(ctx, user)
    enabled = r.totp_enabled_at is not None
    return TotpState(enabled, None if enabled else r.totp_secret)


async def totp_start(ctx: Ctx, user: PortalUser) -> TotpState:
    """A new secret to enrol; TOTP is not on until a code from it is confirmed."""
    if (await totp_state(ctx, user)).enabled:
        raise err(2304, "object_status", field="totp", detail=Detail("totp_already"))
    secret = totp.new_secret()
    await _set_totp(ctx, user.id, secret, None, None)
    return TotpState(False, secret)


async def totp_confirm(ctx: Ctx, user: PortalUser, code: str, client_ip: str | None) -> bool:
    """Turn TOTP on with a current code from the pending secret."""
    r = await _totp_row(ctx, user)
    if r.totp_enabled_at is not None or not r.totp_secret:
        return False
    step = totp.verify(r.totp_secret, code, ctx.now, None)
    if step is None:
        return False
    await _set_totp(ctx, user.id, r.totp_secret, ctx.now, step)
    await portal_audit(ctx, "portal_totp_on", user.email, user.registrar_id, client_ip,
                       obj=user.email)
    return True


async def totp_turn_off(ctx: Ctx, user: PortalUser, code: str, client_ip: str | None) -> bool:
    """Turn TOTP off, proven with a current (unused) code."""
    r = await _totp_row(ctx, user)
    if r.totp_enabled_at is None or totp.verify(r.totp_secret, code, ctx.now,
                                                r.totp_last_step) is None:
        return False
    await _set_totp(ctx, user.id, None, None, None)
    await portal_audit(ctx, "portal_totp_off", user.email, user.registrar_id, client_ip,
                       obj=user.email)
    return True

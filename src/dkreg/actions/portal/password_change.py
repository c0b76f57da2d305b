"""A portal user changes their own password (``/portal/me``).

The current password is asked again, so that a session left open on someone else's
screen cannot take the account over; a wrong one counts as a failed login (the same
throttle, per e-mail and per address, reserved by ``portal_login_reserve`` in a
transaction of its own before the password is compared), so the form is no faster way
to guess than the login page. The new password follows the rule every portal password
follows (``check_password_rule``) and is hashed with argon2 outside the transaction
(``ctx.passwords``). Every other session of the user ends — as after a reset — and the
one that made the change stays logged in. Each attempt is audited.

Every problem with the form is reported at once, field by field; nothing is written
unless there is none.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.login import portal_audit
from dkreg.actions.session.throttle import Reservation, release
from dkreg.errors import EppError, err
from dkreg.model.passwords import check_password_rule
from dkreg.model.secret_tokens import token_hash
from dkreg.store.context import Ctx
from dkreg.store.schema import portal_sessions, portal_users

FIELDS = ("current_password", "password", "password_again")


async def portal_password_change(ctx: Ctx, user: PortalUser, current: str, new: str,
                                 again: str, session_token: str, client_ip: str,
                                 attempt: Reservation) -> dict[str, EppError]:
    """Change ``user``'s password from ``current`` to ``new`` (typed twice), for an
    ``attempt`` reserved by ``portal_login_reserve``. Returns the problems by field
    (``FIELDS``); empty when the password was changed. A wrong current password keeps
    the reservation as a failed login; anything else gives it back."""
    problems: dict[str, EppError] = {}
    try:
        check_password_rule(new, field="password")
    except EppError as e:
        problems["password"] = e
    if new != again:
        problems["password_again"] = err(2005, "value_syntax", field="password_again")
    stored = (await ctx.conn.execute(select(portal_users.c.password_hash).where(
        portal_users.c.id == user.id, portal_users.c.disabled.is_(False),
        portal_users.c.invited.is_(False)))).scalar()
    if not await ctx.passwords.matches(stored, current):
        problems = {"current_password": err(2200, "login_failed", field="current_password"),
                    **problems}
        await portal_audit(ctx, "portal_password_change_failed", user.email,
                           user.registrar_id, client_ip, obj=user.email, result_code=2200)
        return problems
    await release(ctx, attempt)  # the right password: not a failed login
    if problems:
        return problems
    new_hash = await ctx.passwords.new_hash(new)
    await ctx.conn.execute(update(portal_users).where(portal_users.c.id == user.id)
                           .values(password_hash=new_hash, password_changed_at=ctx.now))
    await ctx.conn.execute(delete(portal_sessions).where(
        portal_sessions.c.portal_user_id == user.id,
        portal_sessions.c.id_hash != token_hash(session_token)))
    await portal_audit(ctx, "portal_password_changed", user.email, user.registrar_id,
                       client_ip, obj=user.email, request="via=me")
    return {}

"""Administration > Users (``/portal/users``) and My account (``/portal/me``).

The users page lists this registrar's portal users and invites, regroups, disables,
enables and resets TOTP; each change is one POST to one action, which checks the
privilege and the registrar again (an id of another registrar's user is 404). My
account lets each user change their password (the current one asked again; the other
sessions end) and turn TOTP on (a new secret, active after its first code) and off
(with a current code). Every change answers with a redirect carrying its summary
(``web.flash``), so a reload never repeats it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg.actions.portal.access import GROUPS
from dkreg.actions.portal.login import portal_login_reserve
from dkreg.actions.portal.password_change import portal_password_change
from dkreg.actions.portal.users import (
    portal_user_invite,
    portal_user_reinvite,
    portal_user_reset_totp,
    portal_user_set_disabled,
    portal_user_set_group,
    portal_users_list,
    totp_confirm,
    totp_start,
    totp_state,
    totp_turn_off,
)
from dkreg.errors import EppError
from dkreg.store.password_check import PasswordChecks, run_checking_passwords
from dkreg.web import flash
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import SESSION_COOKIE, Call, form_int, portal_route, transaction

USERS = "/users"
ME = "/me"
# which text says what a field's refusal means on the password form
PASSWORD_TEXTS = {"current_password": "me.password.wrong_current",
                  "password": "invalid.password", "password_again": "invalid.password_again"}


def t(call: Call) -> Callable[..., str]:
    return translator(language_of(call.request))


async def users_page(call: Call, status_code: int = 200,
                     errors: dict[str, str] | None = None, form_email: str = "",
                     form_group: str = "portfolio") -> Response:
    async with call.tx() as ctx:
        rows = await portal_users_list(ctx, call.user)
    return call.page("portal/users.html", status_code, users=rows, groups=GROUPS,
                     errors=errors or {}, form_email=form_email, form_group=form_group)


def done(call: Call, key: str, email: str) -> Response:
    return flash.redirect(call.request, f"/portal{USERS}",
                          flash.Flash(f"users.notice.{key}", {"email": email}))


@portal_route("portal_users")
async def users(call: Call) -> Response:
    if call.form is None:
        return await users_page(call)
    email = str(call.form.get("email", "")).strip()[:254]
    group = str(call.form.get("group", ""))
    try:
        async with call.tx() as ctx:
            email = await portal_user_invite(ctx, call.user, email, group,
                                             language_of(call.request), call.ip)
    except EppError as e:
        if e.field not in ("email", "group"):
            raise
        key = "invalid.email_taken" if e.code == 2302 else f"invalid.user_{e.field}"
        return await users_page(call, 400, errors={e.field: t(call)(key)},
                                form_email=email, form_group=group)
    return done(call, "invited", email)


@portal_route("portal_users")
async def user_op(call: Call) -> Response:
    assert call.form is not None
    op = call.request.path_params["op"]
    target = form_int(call.form.get("id"))
    try:
        if target is None:
            raise EppError(code=2303, reason="object_not_exist", field="id")
        async with call.tx() as ctx:
            if op == "group":
                email = await portal_user_set_group(ctx, call.user, target,
                                                    str(call.form.get("group", "")),
                                                    call.ip)
            elif op in ("disable", "enable"):
                email = await portal_user_set_disabled(ctx, call.user, target,
                                                       op == "disable", call.ip)
            elif op == "reinvite":
                email = await portal_user_reinvite(ctx, call.user, target,
                                                   language_of(call.request), call.ip)
            elif op == "reset-totp":
                email = await portal_user_reset_totp(ctx, call.user, target, call.ip)
            else:
                raise EppError(code=2303, reason="object_not_exist", field="id")
    except EppError as e:
        shown = {"last_administrator": (409, "users.last_admin"),
                 "group": (400, "invalid.user_group"), "id": (400, "users.not_invited")}
        if e.code != 2303 and e.field not in shown:
            raise
        status_code, key = (404, "users.not_found") if e.code == 2303 else shown[e.field or ""]
        return await users_page(call, status_code, errors={"id": t(call)(key)})
    key = {"group": "group", "disable": "disabled", "enable": "enabled",
           "reinvite": "reinvited", "reset-totp": "totp_reset"}[op]
    return done(call, key, email)


# -- My account -------------------------------------------------------------------------
async def me_page(call: Call, status_code: int = 200,
                  errors: dict[str, str] | None = None) -> Response:
    async with call.tx() as ctx:
        state = await totp_state(ctx, call.user)
    return call.page("portal/me.html", status_code, totp=state, uri=state.uri(call.user),
                     errors=errors or {})


@portal_route(None)
async def me(call: Call) -> Response:
    return await me_page(call)


@portal_route(None)
async def me_password(call: Call) -> Response:
    """Change one's own password. A wrong current password is a failed login: the
    attempt is reserved (committed) before argon2 compares it, as on the login page."""
    assert call.form is not None
    form = {name: str(call.form.get(name, ""))[:256] for name in PASSWORD_TEXTS}
    async with call.tx() as ctx:
        held = await portal_login_reserve(ctx, call.user.email, call.ip)
    if held is None:
        return await me_page(call, 429, {"current_password": t(call)("login.throttled")})
    token = call.request.cookies.get(SESSION_COOKIE, "")

    async def attempt(passwords: PasswordChecks) -> dict[str, EppError]:
        assert held is not None
        async with transaction(call.services, call.user, passwords=passwords) as ctx:
            return await portal_password_change(
                ctx, call.user, form["current_password"], form["password"],
                form["password_again"], token, call.ip, held)

    problems = await run_checking_passwords(attempt)  # argon2 with no transaction open
    if problems:
        return await me_page(call, 400, {field: t(call)(PASSWORD_TEXTS[field])
                                         for field in PASSWORD_TEXTS if field in problems})
    return flash.redirect(call.request, f"/portal{ME}", flash.Flash("me.password.changed", {}))


@portal_route(None)
async def me_totp(call: Call) -> Response:
    assert call.form is not None
    op = call.request.path_params["op"]
    code = str(call.form.get("code", ""))[:16]
    if op not in ("start", "confirm", "off"):
        return await me_page(call, 404)
    async with call.tx() as ctx:
        if op == "start":
            with suppress(EppError):  # already on: the page shows that
                await totp_start(ctx, call.user)
            return RedirectResponse(f"/portal{ME}#totp-h", 303)
        turn = totp_confirm if op == "confirm" else totp_turn_off
        ok = await turn(ctx, call.user, code, call.ip)
    if not ok:
        return await me_page(call, 400, errors={"code": t(call)("invalid.totp_code")})
    key = "me.notice.totp_on" if op == "confirm" else "me.notice.totp_off"
    return flash.redirect(call.request, f"/portal{ME}", flash.Flash(key, {}))


ROUTES: list[Route] = [
    Route(USERS, users, methods=["GET", "POST"]),
    Route(USERS + "/{op:str}", user_op, methods=["POST"]),
    Route(ME, me, methods=["GET"]),
    Route(ME + "/password", me_password, methods=["POST"]),
    Route(ME + "/totp/{op:str}", me_totp, methods=["POST"]),
]

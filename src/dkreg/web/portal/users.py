"""Administration > Users (``/portal/users``) and My account (``/portal/me``).

The users page lists this registrar's portal users and invites, regroups, disables,
enables and resets TOTP; each change is one POST to one action, which checks the
privilege and the registrar again (an id of another registrar's user is 404). My
account lets each user turn TOTP on (a new secret, active after its first code) and
off (with a current code).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg.actions.portal.access import GROUPS
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
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import Call, form_int, portal_route

USERS = "/users"
ME = "/me"
NOTICES = ("invited", "group", "disabled", "enabled", "reinvited", "totp_reset")


def t(call: Call) -> Callable[..., str]:
    return translator(language_of(call.request))


async def users_page(call: Call, status_code: int = 200,
                     errors: dict[str, str] | None = None, form_email: str = "",
                     form_group: str = "portfolio") -> Response:
    q = call.request.query_params
    notice = next((t(call)(f"users.notice.{key}", email=q[key])
                   for key in NOTICES if q.get(key)), None)
    async with call.tx() as ctx:
        rows = await portal_users_list(ctx, call.user)
    return call.page("portal/users.html", status_code, users=rows, groups=GROUPS,
                     errors=errors or {}, form_email=form_email, form_group=form_group,
                     notice=notice)


def done(key: str, email: str) -> Response:
    return RedirectResponse(f"/portal{USERS}?{urlencode({key: email})}", 303)


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
    return done("invited", email)


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
    return done(key, email)


# -- My account -------------------------------------------------------------------------
async def me_page(call: Call, status_code: int = 200, errors: dict[str, str] | None = None,
                  notice: str | None = None) -> Response:
    async with call.tx() as ctx:
        state = await totp_state(ctx, call.user)
    return call.page("portal/me.html", status_code, totp=state, uri=state.uri(call.user),
                     errors=errors or {}, notice=notice)


@portal_route(None)
async def me(call: Call) -> Response:
    q = call.request.query_params
    notice = next((t(call)(f"me.notice.{key}") for key in ("totp_on", "totp_off")
                   if key in q), None)
    return await me_page(call, notice=notice)


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
            return RedirectResponse(f"/portal{ME}", 303)
        turn = totp_confirm if op == "confirm" else totp_turn_off
        ok = await turn(ctx, call.user, code, call.ip)
    if not ok:
        return await me_page(call, 400, errors={"code": t(call)("invalid.totp_code")})
    return RedirectResponse(f"/portal{ME}?{'totp_on' if op == 'confirm' else 'totp_off'}=1",
                            303)


ROUTES: list[Route] = [
    Route(USERS, users, methods=["GET", "POST"]),
    Route(USERS + "/{op:str}", user_op, methods=["POST"]),
    Route(ME, me, methods=["GET"]),
    Route(ME + "/totp/{op:str}", me_totp, methods=["POST"]),
]

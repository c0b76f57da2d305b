"""Administration pages of the second slice: service users (EPP, DAS and DSU, one
service each), IP allow-list, account settings. Each route names its privilege
(Administration only); the actions check it again. A generated password is rendered on
the one response to the POST that made it (``Cache-Control: no-store``) and never again:
the list shows no passwords. Every other change answers with a redirect carrying its
summary (``web.flash``): a reload shows the page again and never repeats the change."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.account.ip_allow_list import allow_list_add, allow_list_get, allow_list_remove
from dkreg.actions.account.service_users import (
    DKHM_VERSIONS,
    META_ROLES,
    SERVICES,
    login_prefix,
    service_user_create,
    service_user_reset_password,
    service_user_set_disabled,
    service_user_set_dkhm_version,
    service_users_list,
)
from dkreg.actions.account.settings import (
    AccountSettings,
    account_settings_get,
    account_settings_update,
)
from dkreg.actions.session import service_lockout
from dkreg.actions.session.login_throttle import Lockout, lift, lockouts, refused_logins
from dkreg.errors import EppError
from dkreg.web import flash
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import Call, form_int, portal_route

SERVICE_USERS = "/administration/service-users"
IP_ALLOW_LIST = "/administration/ip-allow-list"
ACCOUNT_SETTINGS = "/administration/account-settings"


def t(call: Call) -> Callable[..., str]:
    return translator(language_of(call.request))


def done(call: Call, path: str, key: str, **args: str) -> Response:
    """303 back to ``path`` with the summary ``key`` shown there once."""
    return flash.redirect(call.request, f"/portal{path}", flash.Flash(key, args))


# -- service users ---------------------------------------------------------------
async def users_page(call: Call, status_code: int = 200, errors: dict[str, str] | None = None,
                     form_login: str = "", form_roles: tuple[str, ...] = META_ROLES,
                     form_service: str = "epp") -> Response:
    async with call.tx() as ctx:
        rows = await service_users_list(ctx, call.user)
        locks = await lockouts(ctx, call.user)
        refused = await refused_logins(ctx, call.user)
        http_locks = await service_lockout.locked_users(ctx, call.user.registrar_id)
    locked_users = {lock.key: lock for lock in locks if lock.kind == "login"}
    # DAS and DSU lockouts end by themselves (no lift button): shown with their time
    locked_users.update({u.login: Lockout("http", u.login, 0, u.locked_until)
                         for u in http_locks})
    return call.page("portal/service_users.html", status_code, users=rows,
                     locked_users=locked_users,
                     locked_addresses=[lock for lock in locks if lock.kind == "address"],
                     refused=refused,
                     meta_roles=META_ROLES, dkhm_versions=DKHM_VERSIONS,
                     errors=errors or {}, form_login=form_login, form_roles=form_roles,
                     services=SERVICES, form_service=form_service,
                     login_prefix=login_prefix(call.user.registrar_handle))


@portal_route("service_users")
async def service_users(call: Call) -> Response:
    if call.form is None:
        return await users_page(call)
    login = str(call.form.get("login", "")).strip()[:64]
    roles = tuple(str(r) for r in call.form.getlist("roles"))
    service = str(call.form.get("service", "epp"))[:16]  # EPP, DAS or DSU: one per user
    try:
        async with call.tx() as ctx:
            issued = await service_user_create(ctx, call.user, login, roles, call.ip,
                                               service=service)
    except EppError as e:
        if e.field not in ("login", "roles", "service"):
            raise
        key = "invalid.login_taken" if e.code == 2302 else f"invalid.{e.field}"
        return await users_page(call, 400, errors={e.field: t(call)(key)},
                                form_login=login,
                                form_roles=tuple(r for r in META_ROLES if r in roles),
                                form_service=service if service in SERVICES else "epp")
    return call.page("portal/service_user_password.html", issued=issued, created=True,
                     service=service)


@portal_route("service_users")
async def service_user_lift(call: Call) -> Response:
    """Lift an EPP login lockout of one of the registrar's service users, or of an
    address last seen trying one of them (audited)."""
    assert call.form is not None
    kind = str(call.form.get("kind", ""))
    key = str(call.form.get("key", "")).strip()[:64]
    try:
        async with call.tx() as ctx:
            key = await lift(ctx, call.user, kind, key, call.ip)
    except EppError as e:
        if e.code != 2303:
            raise
        return await users_page(call, 404, errors={"id": t(call)("service_users.not_found")})
    return done(call, SERVICE_USERS, "service_users.lifted_notice", what=key)


@portal_route("service_users")
async def service_user_op(call: Call) -> Response:
    assert call.form is not None
    op = call.request.path_params["op"]
    user_id = form_int(call.form.get("id"))
    try:
        if user_id is None or op not in ("disable", "enable", "reset-password",
                                         "dkhm-version"):
            raise EppError(code=2303, reason="object_not_exist", field="id")
        async with call.tx() as ctx:
            if op == "dkhm-version":
                version = str(call.form.get("dkhm_version", "")).strip() or None
                login = await service_user_set_dkhm_version(ctx, call.user, user_id,
                                                            version, call.ip)
                if version is None:
                    return done(call, SERVICE_USERS, "service_users.dkhm_notice_login_order",
                                login=login)
                return done(call, SERVICE_USERS, "service_users.dkhm_notice", login=login,
                            version=f"dkhm-{version}")
            if op == "reset-password":
                issued = await service_user_reset_password(ctx, call.user, user_id, call.ip)
                return call.page("portal/service_user_password.html", issued=issued,
                                 created=False, service=None)
            login = await service_user_set_disabled(ctx, call.user, user_id,
                                                    op == "disable", call.ip)
    except EppError as e:
        if e.field == "dkhm_version":
            return await users_page(call, 400, errors={
                "dkhm_version": t(call)("invalid.dkhm_version")})
        if e.code != 2303:
            raise
        return await users_page(call, 404, errors={"id": t(call)("service_users.not_found")})
    key = "disabled_notice" if op == "disable" else "enabled_notice"
    return done(call, SERVICE_USERS, f"service_users.{key}", login=login)


# -- IP allow-list ---------------------------------------------------------------
async def allow_page(call: Call, status_code: int = 200, errors: dict[str, str] | None = None,
                     value: str = "") -> Response:
    async with call.tx() as ctx:
        entries = await allow_list_get(ctx, call.user)
    return call.page("portal/ip_allow_list.html", status_code, entries=entries,
                     errors=errors or {}, value=value,
                     sandbox=call.services.settings.sandbox)


@portal_route("ip_allow_list")
async def ip_allow_list(call: Call) -> Response:
    if call.form is None:
        return await allow_page(call)
    value = str(call.form.get("network", ""))[:100]
    try:
        async with call.tx() as ctx:
            network = await allow_list_add(ctx, call.user, value, call.ip)
    except EppError as e:
        if e.field != "network":
            raise
        key = {2302: "invalid.network_exists", 2004: "invalid.network_max"}.get(
            e.code, "invalid.network")
        return await allow_page(call, 400, errors={"network": t(call)(key)}, value=value)
    return done(call, IP_ALLOW_LIST, "ip_allow.added", network=network)


@portal_route("ip_allow_list")
async def ip_allow_remove(call: Call) -> Response:
    assert call.form is not None
    entry = form_int(call.form.get("id"))
    try:
        if entry is None:
            raise EppError(code=2303, reason="object_not_exist", field="id")
        async with call.tx() as ctx:
            network = await allow_list_remove(ctx, call.user, entry, call.ip)
    except EppError as e:
        if e.code != 2303:
            raise
        return await allow_page(call, 404, errors={"id": t(call)("ip_allow.not_found")})
    return done(call, IP_ALLOW_LIST, "ip_allow.removed", network=network)


# -- account settings --------------------------------------------------------------
@portal_route("account_settings")
async def account_settings(call: Call) -> Response:
    if call.form is None:
        async with call.tx() as ctx:
            current = await account_settings_get(ctx, call.user)
        return call.page("portal/account_settings.html", settings=current, errors={})
    f = call.form
    typed = AccountSettings(
        default_management=str(f.get("default_management", "")),
        default_autorenew=f.get("default_autorenew") == "auto-renew",
        verification_responsible=str(f.get("verification_responsible", "")))
    try:
        async with call.tx() as ctx:
            await account_settings_update(ctx, call.user, typed, call.ip)
    except EppError as e:
        fields = ("default_management", "default_autorenew", "verification_responsible")
        if e.field not in fields:
            raise
        return call.page("portal/account_settings.html", 400, settings=typed,
                         errors={e.field: t(call)(f"invalid.{e.field}")})
    return done(call, ACCOUNT_SETTINGS, "settings.saved")


ROUTES: list[Route] = [
    Route(SERVICE_USERS, service_users, methods=["GET", "POST"]),
    Route(SERVICE_USERS + "/lift-lockout", service_user_lift, methods=["POST"]),
    Route(SERVICE_USERS + "/{op:str}", service_user_op, methods=["POST"]),
    Route(IP_ALLOW_LIST, ip_allow_list, methods=["GET", "POST"]),
    Route(IP_ALLOW_LIST + "/remove", ip_allow_remove, methods=["POST"]),
    Route(ACCOUNT_SETTINGS, account_settings, methods=["GET", "POST"]),
]

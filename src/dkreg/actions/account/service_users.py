"""Administration > Service users: the registrar's machine logins, managed from the portal.

A service user is a row of ``users`` for one service — ``epp`` (the EPP server), ``das``
(the availability service, HTTP Basic) or ``dsu`` (DS update, userid/password in the form)
— with a login, an argon2id hash and meta-roles (registrar, proxy, payer, nsa). One
service per user, as the registrar portal specification has it: a DAS password cannot log
in to EPP or DSU, so a credential kept on a web server that only checks availability
cannot change a delegation. The portal never lets anyone choose or see a
stored password: the server generates a strong random one at create and at reset and
returns it once, to be shown on that one result page. A disabled user cannot log in
over EPP (``accounts.authenticate``). Every change is audited naming the portal user.

Logins are namespaced with the registrar: EPP login sends only the clID (eppcom
clIDType, 3–16 characters), so a login must name one user across the whole registry, and
a login chosen freely would tell a registrar which names other registrars use ("already
in use"). So the portal stores the name the registrar chooses behind a prefix that only
its registrar has, the digits of its handle (``REG-123456`` chooses ``epp`` and logs in
as ``123456-epp``, as .dk's registry-assigned ``EPP-123`` logins are the registry's own
scheme): names of two registrars never collide and "taken" can only mean taken in one's
own registrar. Logins that exist already (the seed's ``demo-epp``, logins the CLI makes)
are kept as they are; the CLI, the registry's own tool, still names logins freely.

A service user may have a pinned dkhm version: its sessions get answers to requests that
carry no dkhm element (info, poll, check) and poll messages in that version instead of
the first one the client lists at login. A request written in a dkhm version is still
answered in that version (the client reads what it writes), and a pin the client did
not announce at login is not used (the EPP door decides, ``commands/session/login.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from dkreg.actions.account.registrars import LOGIN, SERVICES, user_create
from dkreg.actions.portal.access import PortalUser, require
from dkreg.actions.portal.login import portal_audit
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.dkhm import DKHM_VERSIONS
from dkreg.model.passwords import generate_password, hash_password
from dkreg.store.context import Ctx
from dkreg.store.schema import users

META_ROLES = ("registrar", "proxy", "payer", "nsa")


@dataclass(frozen=True)
class ServiceUser:
    id: int
    login: str
    roles: tuple[str, ...]
    disabled: bool
    created_at: datetime
    password_changed_at: datetime | None
    dkhm_version: str | None = None  # pinned; None follows the order of the login
    service: str = "epp"  # epp | das | dsu: the one service the user logs in to

    @property
    def status(self) -> str:
        """``active`` or ``disabled`` (a lockout is a state of the login, shown beside)."""
        return "disabled" if self.disabled else "active"


@dataclass(frozen=True)
class IssuedPassword:
    """A password to show once; nothing keeps it but the one response."""

    login: str
    password: str


def clean_service(service: str) -> str:
    """One of the services a service user can be for (``SERVICES``)."""
    if service not in SERVICES:
        raise err(2005, "value_syntax", field="service",
                  detail=Detail("service_must_one", services=', '.join(SERVICES)))
    return service


def clean_roles(roles: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    chosen = set(roles)
    unknown = chosen - set(META_ROLES)
    if unknown:
        raise err(2005, "value_syntax", field="roles",
                  detail=Detail("unknown_role_s", unknown=', '.join(sorted(unknown))))
    if not chosen:
        raise err(2003, "missing_parameter", field="roles",
                  detail=Detail("choose_at_least_one_role"))
    return tuple(r for r in META_ROLES if r in chosen)


NAME = re.compile(r"[A-Za-z0-9._-]+")


def login_prefix(registrar_handle: str) -> str:
    """What every portal-made login of the registrar starts with: ``REG-123456`` →
    ``123456-`` (registrar handles are unique, so prefixes are)."""
    return registrar_handle.removeprefix("REG-") + "-"


def namespaced_login(registrar_handle: str, name: str) -> str:
    """The stored login for ``name`` chosen in the registrar's portal. A name already
    carrying the registrar's own prefix is not prefixed twice."""
    prefix = login_prefix(registrar_handle)
    name = name.strip()
    if name.startswith(prefix):
        name = name[len(prefix):]
    login = prefix + name
    if not NAME.fullmatch(name) or not LOGIN.fullmatch(login):
        raise err(2005, "value_syntax", field="login",
                  detail=Detail("login_up_letters_digits_16", prefix=prefix,
                                value=16 - len(prefix)))
    return login


async def service_users_list(ctx: Ctx, user: PortalUser) -> list[ServiceUser]:
    require(user, "service_users")
    rows = await ctx.conn.execute(
        select(users).where(users.c.registrar_id == user.registrar_id,
                            users.c.service.in_(SERVICES)).order_by(users.c.login))
    return [ServiceUser(r.id, r.login, tuple(r.roles.split()), r.disabled, r.created_at,
                        r.password_changed_at, r.dkhm_version, r.service) for r in rows]


async def service_user_create(ctx: Ctx, user: PortalUser, login: str,
                              roles: list[str] | tuple[str, ...],
                              client_ip: str | None = None,
                              service: str = "epp") -> IssuedPassword:
    """A new service user of ``service`` (EPP, DAS or DSU) named ``login`` within the
    registrar's namespace (``namespaced_login``); "taken" can only be by a user of the
    same registrar. The password is generated as for EPP, under the same rule
    (``user_create`` checks it)."""
    require(user, "service_users")
    service = clean_service(service)
    login = namespaced_login(user.registrar_handle, login)
    chosen = clean_roles(roles)
    password = generate_password()
    await user_create(ctx, user.registrar_handle, login, service, password,
                      roles=" ".join(chosen))
    await portal_audit(ctx, "service_user_create", user.email, user.registrar_id, client_ip,
                       obj=login, request=f"service={service} roles={' '.join(chosen)}")
    return IssuedPassword(login, password)


async def _own(ctx: Ctx, user: PortalUser, user_id: int,
               services: tuple[str, ...] = SERVICES) -> str:
    """The login of the registrar's own service user ``user_id`` (of one of
    ``services``), else 2303 — another registrar's id is as unknown as a missing one."""
    login = (await ctx.conn.execute(select(users.c.login).where(
        users.c.id == user_id, users.c.registrar_id == user.registrar_id,
        users.c.service.in_(services)))).scalar()
    if login is None:
        raise err(2303, "object_not_exist", field="id", detail=Detail("no_service_user",
                                                                      user_id=user_id))
    return login


async def service_user_set_disabled(ctx: Ctx, user: PortalUser, user_id: int, disabled: bool,
                                    client_ip: str | None = None) -> str:
    require(user, "service_users")
    login = await _own(ctx, user, user_id)
    await ctx.conn.execute(update(users).where(users.c.id == user_id)
                           .values(disabled=disabled))
    await portal_audit(ctx, "service_user_disable" if disabled else "service_user_enable",
                       user.email, user.registrar_id, client_ip, obj=login)
    return login


async def service_user_reset_password(ctx: Ctx, user: PortalUser, user_id: int,
                                      client_ip: str | None = None) -> IssuedPassword:
    require(user, "service_users")
    login = await _own(ctx, user, user_id)
    password = generate_password()
    await ctx.conn.execute(update(users).where(users.c.id == user_id).values(
        password_hash=hash_password(password), password_changed_at=ctx.now))
    await portal_audit(ctx, "service_user_reset_password", user.email, user.registrar_id,
                       client_ip, obj=login)
    return IssuedPassword(login, password)


async def service_user_set_dkhm_version(ctx: Ctx, user: PortalUser, user_id: int,
                                        version: str | None,
                                        client_ip: str | None = None) -> str:
    """Pin the dkhm version of a service user's answers (None: follow the login order).
    Sessions already open keep the version they logged in with; the next login uses it."""
    require(user, "service_users")
    if version is not None and version not in DKHM_VERSIONS:
        raise err(2005, "value_syntax", field="dkhm_version",
                  detail=Detail("dkhm_version_one_none", dkhm_versions=', '.join(DKHM_VERSIONS)))
    login = await _own(ctx, user, user_id, services=("epp",))  # a pin is EPP's only
    await ctx.conn.execute(update(users).where(users.c.id == user_id)
                           .values(dkhm_version=version))
    await portal_audit(ctx, "service_user_dkhm_version", user.email, user.registrar_id,
                       client_ip, obj=login, request=f"dkhm_version={version or 'login order'}")
    return login


async def pinned_dkhm_version(ctx: Ctx, login: str) -> str | None:
    """The dkhm version pinned for a service user, read at EPP login."""
    return (await ctx.conn.execute(
        select(users.c.dkhm_version).where(users.c.login == login))).scalar()


__all__ = ["DKHM_VERSIONS", "META_ROLES", "SERVICES", "IssuedPassword", "ServiceUser",
           "clean_service",
           "pinned_dkhm_version", "service_user_create", "service_user_reset_password",
           "service_user_set_disabled", "service_user_set_dkhm_version",
           "service_users_list"]

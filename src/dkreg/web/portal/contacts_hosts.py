"""The registrar's contacts and hosts in the portal: lists (searched, sorted, paged),
detail pages from the EPP views (``contact_info``, ``host_info``) with what may be
changed and why not (``contact_editability``, ``host_editability``), and forms that
create them through the same actions as EPP create (``contact_create``,
``host_create``), via ``actions_door`` so the result code and text, the rules and the
audit are EPP's. Editing and deleting are ``contact_edit`` and ``host_edit``.

A contact is created with ``contact:id`` "auto", as the registry recommends: identical
data re-uses the existing contact (EPP's "Contact already exists. Please re-use.").
A successful create answers with a redirect to the new object's page and a one-time
summary (Post/Redirect/Get); a refused one re-shows the form (400) with every error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.contact.create import contact_create
from dkreg.actions.contact.editable import contact_editability
from dkreg.actions.contact.info import contact_info
from dkreg.actions.host.create import HostCreate, host_create
from dkreg.actions.host.editable import host_editability
from dkreg.actions.host.info import host_info
from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.portfolio_objects import portfolio_contacts, portfolio_hosts
from dkreg.errors import EppError
from dkreg.model import contact_rules as rules
from dkreg.model.numbers import bounded_int
from dkreg.store.context import Ctx
from dkreg.web import flash
from dkreg.web.portal import contact_edit, host_edit
from dkreg.web.portal.actions_door import field_of, run_action
from dkreg.web.portal.contact_form import CREATE_FIELDS, create_command
from dkreg.web.portal.contact_form import ERRORS as CONTACT_ERRORS
from dkreg.web.portal.guard import Call, portal_route
from dkreg.web.portal.host_edit import ip_version, parse_addrs

CONTACTS, HOSTS = "/contacts", "/hosts"
HOST_FIELDS = ("name", "addrs")
HOST_ERRORS = {"host:name": "name", "host:addr": "addrs"}
HOST_PENDING = {"registrant": "host.flash.pending_registrant", "nsa": "host.flash.pending_nsa"}


def page_number(q: QueryParams) -> int:
    raw = q.get("page", "1")
    return bounded_int(raw, 8) or 1


def host_command(v: dict[str, str]) -> HostCreate:
    return HostCreate(name=v["name"].strip(),
                      addrs=[(a, ip_version(a)) for a in parse_addrs(v["addrs"])])


def object_url(kind: str, key: str) -> str:
    return f"/portal/{kind}s/{quote(key, safe='')}"


def listing(privilege: str, lister: Callable[..., Awaitable[Any]], template: str
            ) -> Callable[..., Any]:
    @portal_route(privilege)
    async def endpoint(call: Call) -> Response:
        q = call.request.query_params
        async with call.tx() as ctx:
            found = await lister(ctx, call.user, q.get("q", ""), q.get("sort", ""),
                                 page_number(q))
        return call.page(template, listing=found)

    return endpoint


async def show(call: Call, kind: str, key: str) -> Response:
    """A contact's or host's page; 404 unless it is the registrar's own."""
    load, mine, editability = DETAILS[kind]
    try:
        async with call.tx() as ctx:
            info = await load(ctx, key)
            edit = await editability(ctx, key) if mine(info, call.user) else None
    except EppError:
        info = edit = None
    if edit is None:
        info = None
    return call.page(f"portal/{kind}.html", 200 if info else 404, info=info, key=key,
                     edit=edit)


def detail(privilege: str, kind: str, param: str) -> Callable[..., Any]:
    @portal_route(privilege)
    async def endpoint(call: Call) -> Response:
        return await show(call, kind, call.request.path_params[param])

    return endpoint


def creator(privilege: str, kind: str, fields: tuple[str, ...], errors_map: dict[str, str],
            defaults: dict[str, str],
            run: Callable[[Ctx, dict[str, str]], Awaitable[tuple[str, flash.Flash]]]
            ) -> Callable[..., Any]:
    @portal_route(privilege)
    async def endpoint(call: Call) -> Response:
        def form(values: dict[str, str], status_code: int = 200,
                 errors: dict[str, str] | None = None) -> Response:
            return call.page(f"portal/{kind}_new.html", status_code, values=values,
                             errors=errors or {}, user_types=rules.USER_TYPES)

        if call.form is None:
            return form({k: "" for k in fields} | defaults)
        values = {k: str(call.form.get(k, ""))[:1000] for k in fields}
        request = " ".join(f"{k}={values[k]}" for k in fields if values[k])
        done: dict[str, Any] = {}

        async def action(ctx: Ctx) -> int:
            key, summary = await run(ctx, values)
            ctx.notes["object"] = done["key"] = key
            done["flash"] = summary
            return 1001 if summary.key in HOST_PENDING.values() else 1000

        try:
            await run_action(call, privilege, f"{kind}:create", "", request, action,
                             code=lambda c: c)
        except EppError as e:
            field, message = field_of(e, errors_map, f"{kind}-form", call)
            return form(values, 400, {field: message})
        return flash.redirect(call.request, object_url(kind, done["key"]), done["flash"])

    return endpoint


async def create_contact(ctx: Ctx, values: dict[str, str]) -> tuple[str, flash.Flash]:
    result = await contact_create(ctx, create_command(values))
    key = "contact.flash.created" if result.created else "contact.flash.reused"
    return result.handle, flash.Flash(key, {"handle": result.handle})


async def create_host(ctx: Ctx, values: dict[str, str]) -> tuple[str, flash.Flash]:
    result = await host_create(ctx, host_command(values))
    key = HOST_PENDING.get(result.pending or "", "host.flash.created")
    return result.name, flash.Flash(key, {"name": result.name})


ROUTES: list[Route] = [
    Route(CONTACTS, listing("contacts", portfolio_contacts, "portal/contacts.html")),
    Route(CONTACTS + "/create", creator(
        "contact_create", "contact", CREATE_FIELDS, CONTACT_ERRORS,
        {"user_type": "individual", "cc": "DK"}, create_contact), methods=["GET", "POST"]),
    Route(CONTACTS + "/{handle:str}", detail("contacts", "contact", "handle")),
    *contact_edit.routes(CONTACTS),
    Route(HOSTS, listing("hosts", portfolio_hosts, "portal/hosts.html")),
    Route(HOSTS + "/create", creator("host_create", "host", HOST_FIELDS, HOST_ERRORS, {},
                                     create_host), methods=["GET", "POST"]),
    Route(HOSTS + "/{name:str}", detail("hosts", "host", "name")),
    *host_edit.routes(HOSTS),
]


def _my_contact(info: Any, user: PortalUser) -> bool:
    return bool(info.related)


def _my_host(info: Any, user: PortalUser) -> bool:
    return bool(info.cl_id == user.registrar_handle)


DETAILS: dict[str, tuple[Callable[[Ctx, str], Awaitable[Any]],
                         Callable[[Any, PortalUser], bool],
                         Callable[[Ctx, str], Awaitable[Any]]]] = {
    "contact": (contact_info, _my_contact, contact_editability),
    "host": (host_info, _my_host, host_editability)}

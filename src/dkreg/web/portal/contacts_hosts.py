"""The registrar's contacts and hosts in the portal: lists (searched, sorted, paged),
detail pages from the EPP views (``contact_info``, ``host_info``), and forms that create
them through the same actions as EPP create (``contact_create``, ``host_create``), via
``actions_door`` so the result code and text, the rules and the audit are EPP's.

A contact is created with ``contact:id`` "auto", as the registry recommends: identical
data re-uses the existing contact (EPP's "Contact already exists. Please re-use.").
The address is sent as the ``loc`` block, which the registry uses for any country.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.contact.create import ContactCreate, contact_create
from dkreg.actions.contact.info import contact_info
from dkreg.actions.host.create import HostCreate, host_create
from dkreg.actions.host.info import host_info
from dkreg.actions.portal.access import PortalUser
from dkreg.actions.portal.portfolio_objects import portfolio_contacts, portfolio_hosts
from dkreg.errors import EppError
from dkreg.messages import text as epp_text
from dkreg.model import contact_rules as rules
from dkreg.model.contact_rules import ContactInput, PostalInfo
from dkreg.model.numbers import bounded_int
from dkreg.store.context import Ctx
from dkreg.web.portal.actions_door import Outcome, field_of, run_action
from dkreg.web.portal.guard import Call, portal_route

CONTACTS, HOSTS = "/contacts", "/hosts"
CONTACT_FIELDS = ("user_type", "name", "org", "street1", "street2", "street3", "city", "pc",
                  "cc", "voice", "email", "cvr", "ean", "pnumber", "verified")
CONTACT_ERRORS = {rules.F_USER_TYPE: "user_type", rules.F_NAME: "name", rules.F_ORG: "org",
                  rules.F_STREET: "street1", rules.F_CITY: "city", rules.F_PC: "pc",
                  rules.F_CC: "cc", rules.F_VOICE: "voice", rules.F_EMAIL: "email",
                  rules.F_CVR: "cvr", rules.F_EAN: "ean", rules.F_PNUMBER: "pnumber"}
HOST_FIELDS = ("name", "addrs")
HOST_ERRORS = {"host:name": "name", "host:addr": "addrs"}
HOST_PENDING = {"registrant": "host_pending_registrant", "nsa": "host_pending_nsa"}


def page_number(q: QueryParams) -> int:
    raw = q.get("page", "1")
    return bounded_int(raw, 8) or 1


def contact_command(v: dict[str, str]) -> ContactCreate:
    """The form as EPP's create contact would carry it; empty fields are absent."""
    def opt(key: str) -> str | None:
        return v[key].strip() or None

    postal = PostalInfo(type="loc", name=opt("name"), org=opt("org"),
                        street=[v[k] for k in ("street1", "street2", "street3")],
                        city=v["city"].strip(), sp=None, pc=opt("pc"), cc=v["cc"].strip())
    verified = True if v["verified"] else None
    return ContactCreate(id="auto", data=ContactInput(
        postal=[postal], voice=opt("voice"), fax=None, email=v["email"].strip(),
        user_type=opt("user_type"), cvr=opt("cvr"), ean=opt("ean"), pnumber=opt("pnumber"),
        mobilephone=None, secondary_email=None),
        verified_id=verified, verified_email=verified)


def host_command(v: dict[str, str]) -> HostCreate:
    addrs = [a.strip() for a in v["addrs"].replace(",", "\n").splitlines() if a.strip()]
    return HostCreate(name=v["name"].strip(),
                      addrs=[(a, "v6" if ":" in a else "v4") for a in addrs])


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


async def show(call: Call, kind: str, key: str, outcome: Outcome | None = None
               ) -> Response:
    """A contact's or host's page; 404 unless it is the registrar's own."""
    load, mine = DETAILS[kind]
    try:
        async with call.tx() as ctx:
            info = await load(ctx, key)
    except EppError:
        info = None
    if info is not None and not mine(info, call.user):
        info = None
    return call.page(f"portal/{kind}.html", 200 if info else 404, info=info, key=key,
                     outcome=outcome)


def detail(privilege: str, kind: str, param: str) -> Callable[..., Any]:
    @portal_route(privilege)
    async def endpoint(call: Call) -> Response:
        return await show(call, kind, call.request.path_params[param])

    return endpoint


def creator(privilege: str, kind: str, fields: tuple[str, ...], errors_map: dict[str, str],
            defaults: dict[str, str], run: Callable[[Ctx, dict[str, str]], Awaitable[
                tuple[str, Outcome]]]) -> Callable[..., Any]:
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

        async def action(ctx: Ctx) -> Outcome:
            key, outcome = await run(ctx, values)
            ctx.notes["object"] = done["key"] = key
            return outcome

        try:
            outcome = await run_action(call, privilege, f"{kind}:create", "", request,
                                       action, code=lambda o: o.code)
        except EppError as e:
            field, message = field_of(e, errors_map, "form", call)
            return form(values, 400, {field: message})
        return await show(call, kind, done["key"], outcome)

    return endpoint


async def create_contact(ctx: Ctx, values: dict[str, str]) -> tuple[str, Outcome]:
    result = await contact_create(ctx, contact_command(values))
    reason = "contact_created" if result.created else "contact_exists_reuse"
    return result.handle, Outcome(1000, epp_text(reason))


async def create_host(ctx: Ctx, values: dict[str, str]) -> tuple[str, Outcome]:
    result = await host_create(ctx, host_command(values))
    if result.pending is not None:
        return result.name, Outcome(1001, epp_text(HOST_PENDING[result.pending]))
    return result.name, Outcome(1000, epp_text("ok"))


ROUTES: list[Route] = [
    Route(CONTACTS, listing("contacts", portfolio_contacts, "portal/contacts.html")),
    Route(CONTACTS + "/create", creator(
        "contact_create", "contact", CONTACT_FIELDS, CONTACT_ERRORS,
        {"user_type": "individual", "cc": "DK"}, create_contact), methods=["GET", "POST"]),
    Route(CONTACTS + "/{handle:str}", detail("contacts", "contact", "handle")),
    Route(HOSTS, listing("hosts", portfolio_hosts, "portal/hosts.html")),
    Route(HOSTS + "/create", creator("host_create", "host", HOST_FIELDS, HOST_ERRORS, {},
                                     create_host), methods=["GET", "POST"]),
    Route(HOSTS + "/{name:str}", detail("hosts", "host", "name")),
]


def _my_contact(info: Any, user: PortalUser) -> bool:
    return bool(info.related)


def _my_host(info: Any, user: PortalUser) -> bool:
    return bool(info.cl_id == user.registrar_handle)


DETAILS: dict[str, tuple[Callable[[Ctx, str], Awaitable[Any]], Callable[[Any, PortalUser],
                                                                      bool]]] = {
    "contact": (contact_info, _my_contact), "host": (host_info, _my_host)}

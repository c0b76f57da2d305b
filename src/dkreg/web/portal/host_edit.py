"""Editing and deleting a host in the portal: EPP's update and delete host for people.

The addresses are edited as the list they should become; the page turns the difference
into ``host:add`` / ``host:rem`` of ``host:addr`` (one change of the host's glue, as
``host_update`` takes it). A host outside .dk has no addresses, so there is nothing to
edit, and its page says why (``host_editability``). Deleting asks first, naming the
host (a confirm page that works without JavaScript, ``confirmed=1``); a host that live
domains use cannot go (2305), and the page names them before anyone asks.

Both go through the actions via ``actions_door``: the rules, the result code, the audit
event and the poll messages are EPP's own. Success answers with a redirect and a
one-time summary (Post/Redirect/Get); a refusal re-shows the page (400) with the
action's text, and nothing is written.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import quote

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.host.delete import host_delete
from dkreg.actions.host.editable import HostEditability, host_editability
from dkreg.actions.host.info import HostInfo, host_info
from dkreg.actions.host.update import ADD, REM, HostUpdate, HostUpdateResult, host_update
from dkreg.errors import EppError
from dkreg.store.context import Ctx
from dkreg.web import flash
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.actions_door import field_of, run_action
from dkreg.web.portal.guard import Call, portal_route

PRIVILEGE = "host_change"
EDIT_ERRORS = {ADD: "addrs", REM: "addrs", "host:update": "addrs", "host:name": "addrs"}


def parse_addrs(text: str) -> list[str]:
    """One address a line (or comma-separated), blanks dropped."""
    return [a.strip() for a in text.replace(",", "\n").splitlines() if a.strip()]


def canonical(addr: str) -> str:
    """The address as the registry stores it, so "2A01:3F0::1" is no change of
    "2a01:3f0::1"; text that is no address stays as typed for the action to refuse."""
    try:
        return str(ipaddress.ip_address(addr))
    except ValueError:
        return addr


def ip_version(addr: str) -> str:
    return "v6" if ":" in addr else "v4"


def address_change(name: str, current: list[str], wanted: list[str]) -> HostUpdate:
    """The update that turns ``current`` into ``wanted``: removals and additions."""
    want = [canonical(a) for a in wanted]
    return HostUpdate(name=name,
                      add_addrs=[(a, ip_version(a)) for a in want if a not in current],
                      rem_addrs=[(a, ip_version(a)) for a in current if a not in want])


def host_url(name: str) -> str:
    return f"/portal/hosts/{quote(name, safe='')}"


async def _load(call: Call, key: str) -> tuple[HostInfo, HostEditability] | None:
    """The host and what may be changed, when it is the registrar's own."""
    try:
        async with call.tx() as ctx:
            info = await host_info(ctx, key)
            if info.cl_id != call.user.registrar_handle:
                return None
            return info, await host_editability(ctx, key)
    except EppError:
        return None


@portal_route(PRIVILEGE)
async def edit_host(call: Call) -> Response:
    key = call.request.path_params["name"]
    loaded = await _load(call, key)
    if loaded is None:
        return call.page("portal/host_edit.html", 404, info=None, key=key, errors={})
    info, edit = loaded

    def form(text: str, status_code: int = 200,
             errors: dict[str, str] | None = None) -> Response:
        return call.page("portal/host_edit.html", status_code, info=info, edit=edit,
                         key=key, values={"addrs": text}, errors=errors or {})

    current = [ip for ip, _version in info.addrs]
    if call.form is None:
        return form("\n".join(current))
    text = str(call.form.get("addrs", ""))[:4000]
    command = address_change(info.name, current, parse_addrs(text))
    if not (command.add_addrs or command.rem_addrs):
        t = translator(language_of(call.request))
        return form(text, 400, {"addrs": t("host.edit.unchanged")})
    request = " ".join([*(f"add={a}" for a, _ in command.add_addrs),
                        *(f"rem={a}" for a, _ in command.rem_addrs)])

    async def action(ctx: Ctx) -> HostUpdateResult:
        return await host_update(ctx, command)

    try:
        await run_action(call, PRIVILEGE, "host:update", info.name, request, action)
    except EppError as e:
        field, message = field_of(e, EDIT_ERRORS, "addrs", call)
        return form(text, 400, {field: message})
    shown = [canonical(a) for a in parse_addrs(text)]
    return flash.redirect(call.request, host_url(info.name), flash.Flash(
        "host.flash.updated", {"name": info.name, "addrs": ", ".join(shown)}))


@portal_route(PRIVILEGE)
async def delete_host(call: Call) -> Response:
    """GET or an unconfirmed POST: the confirm page; a confirmed POST: delete."""
    key = call.request.path_params["name"]
    loaded = await _load(call, key)
    if loaded is None:
        return call.page("portal/host_delete.html", 404, info=None, key=key, errors={})
    info, edit = loaded
    if call.form is None or call.form.get("confirmed") != "1":
        return call.page("portal/host_delete.html", info=info, edit=edit, key=key,
                         errors={})

    async def action(ctx: Ctx) -> None:
        await host_delete(ctx, info.name)

    try:
        await run_action(call, PRIVILEGE, "host:delete", info.name, f"name={info.name}",
                         action)
    except EppError as e:
        _field, message = field_of(e, {}, "delete", call)
        return call.page("portal/host_delete.html", 400, info=info, edit=edit, key=key,
                         errors={"delete": message})
    return flash.redirect(call.request, "/portal/hosts",
                          flash.Flash("host.flash.deleted", {"name": info.name}))


def routes(base: str) -> list[Route]:
    return [Route(base + "/{name:str}/edit", edit_host, methods=["GET", "POST"]),
            Route(base + "/{name:str}/delete", delete_host, methods=["GET", "POST"])]

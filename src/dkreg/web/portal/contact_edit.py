"""Editing a contact in the portal: EPP's update contact for people.

The page shows the contact's data as a form, with the fields the .dk rules lock right
now shown as text and the reason beside them (``contact_editability``: matched to
CPR/CVR by the ID check, or registrant of a live domain). What the form sends goes
through ``contact_update`` via ``actions_door``, so the rules, the result code, the
audit event and the poll messages are EPP's own; a refusal re-shows the form (400) with
the action's text at the field, and nothing is written. A new e-mail address waits for
the contact's confirmation, as it does over EPP, and the summary says so.

There is no delete: .dk offers no delete contact (2101); the registry deletes a contact
that has been unused for a while, which the contact's page explains.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.contact.editable import ContactEditability, contact_editability
from dkreg.actions.contact.info import ContactInfo, contact_info
from dkreg.actions.contact.update import ContactUpdateResult, contact_update
from dkreg.errors import EppError
from dkreg.model import contact_rules as rules
from dkreg.store.context import Ctx
from dkreg.web import flash
from dkreg.web.portal.actions_door import field_of, run_action
from dkreg.web.portal.contact_form import (
    COLUMN,
    DATA_FIELDS,
    ERRORS,
    current_values,
    update_command,
)
from dkreg.web.portal.guard import Call, portal_route

PRIVILEGE = "contact_change"


async def _load(call: Call, key: str) -> tuple[ContactInfo, ContactEditability] | None:
    """The contact and what may be changed, when the registrar may see it."""
    try:
        async with call.tx() as ctx:
            info = await contact_info(ctx, key)
            if not info.related:
                return None
            return info, await contact_editability(ctx, key)
    except EppError:
        return None


@portal_route(PRIVILEGE)
async def edit_contact(call: Call) -> Response:
    key = call.request.path_params["handle"]
    loaded = await _load(call, key)
    if loaded is None:
        return call.page("portal/contact_edit.html", 404, info=None, key=key, errors={})
    info, edit = loaded
    locked = {f: edit.locked[COLUMN[f]] for f in DATA_FIELDS if COLUMN[f] in edit.locked}

    def form(values: dict[str, str], status_code: int = 200,
             errors: dict[str, str] | None = None) -> Response:
        return call.page("portal/contact_edit.html", status_code, info=info, edit=edit,
                         key=key, values=values, errors=errors or {}, locked=locked,
                         user_types=rules.USER_TYPES)

    if call.form is None:
        return form(current_values(info))
    sent = [k for k in DATA_FIELDS if k in call.form]
    values = current_values(info) | {k: str(call.form.get(k, ""))[:1000] for k in sent}
    request = " ".join(f"{k}={values[k]}" for k in sent if values[k])
    command = update_command(info, values, sent)

    async def action(ctx: Ctx) -> ContactUpdateResult:
        return await contact_update(ctx, command)

    try:
        result = await run_action(call, PRIVILEGE, "contact:update", info.handle, request,
                                  action, code=lambda r: 1001 if r.pending_email else 1000)
    except EppError as e:
        field, message = field_of(e, ERRORS, "contact-form", call)
        return form(values, 400, {field: message})
    summary = "contact.flash.updated_email" if result.pending_email else \
        "contact.flash.updated"
    return flash.redirect(call.request, f"/portal/contacts/{quote(info.handle, safe='')}",
                          flash.Flash(summary, {"handle": info.handle,
                                                "email": values["email"].strip()}))


def routes(base: str) -> list[Route]:
    return [Route(base + "/{handle:str}/edit", edit_contact, methods=["GET", "POST"])]

"""The portal as a door to the actions: run one through the runner (``dkreg.runner``), in a
transaction that also writes its audit event, as EPP's ``Session._run`` does.

The event names the portal user (``door="portal"``, the user's e-mail as actor), the
command as EPP names it (``domain:renew``), the result code and the object, and is
written in the same transaction as the change, so neither exists without the other.
A refused attempt (``EppError``) rolls the change back and is audited with its code in
a transaction of its own, in which nothing else is written. An action that writes the
event itself (``domain_create`` stores it with the application) sets ``ctx.audit`` to
None, and this door then writes nothing more.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from dkreg import runner
from dkreg.actions.portal.access import require
from dkreg.errors import EppError
from dkreg.store.context import Ctx
from dkreg.web.error_text import error_text
from dkreg.web.portal.guard import Call

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """What the page shows after an action: EPP's result code and text."""

    code: int
    text: str


def field_of(e: EppError, fields: dict[str, str], default: str,
             call: Call | None = None) -> tuple[str, str]:
    """(form field, message) for an error: the form field the EPP field maps to, or the
    form's own error slot, with the catalogue's text in the page's language (English
    when no request is at hand) and the EPP code as a small aside."""
    request = call.request if call is not None else None
    return fields.get(e.field or "", default), error_text(e, request)


async def run_action(call: Call, privilege: str, command: str, obj: str, request: str,
                     action: Callable[[Ctx], Awaitable[T]],
                     code: int | Callable[[T], int] = 1000) -> T:
    """Run ``action`` for the portal user; ``code`` is the result code (or how to read it
    from the result) that the audit event records on success. ``obj`` names the object
    until the action names it in ``ctx.notes["object"]``, as EPP handlers do."""
    user = call.user

    async def checked(ctx: Ctx) -> T:
        require(user, privilege)
        return await action(ctx)

    # svTRID as EPP's, so poll messages name the command
    return await runner.run(call.services, "portal", command, checked, code=code,
                            actor=user.actor(), who=user.email, obj=obj, client_ip=call.ip,
                            request=request)

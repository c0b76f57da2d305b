"""The dispatch table: (verb, object) -> the module that handles it.

Each module exposes ``MUTATES`` (does it write?) and ``async def handle(req) -> Response``.
Verbs the RFC defines but .dk does not offer for an object map to ``UNIMPLEMENTED``.
"""

from __future__ import annotations

from types import ModuleType

from dkreg.details import Detail
from dkreg.epp.commands.balance import info as balance_info
from dkreg.epp.commands.contact import check as contact_check
from dkreg.epp.commands.contact import create as contact_create
from dkreg.epp.commands.contact import info as contact_info
from dkreg.epp.commands.contact import update as contact_update
from dkreg.epp.commands.domain import check as domain_check
from dkreg.epp.commands.domain import create as domain_create
from dkreg.epp.commands.domain import delete as domain_delete
from dkreg.epp.commands.domain import info as domain_info
from dkreg.epp.commands.domain import renew as domain_renew
from dkreg.epp.commands.domain import transfer as domain_transfer
from dkreg.epp.commands.domain import update as domain_update
from dkreg.epp.commands.domain import withdraw as domain_withdraw
from dkreg.epp.commands.host import check as host_check
from dkreg.epp.commands.host import create as host_create
from dkreg.epp.commands.host import delete as host_delete
from dkreg.epp.commands.host import info as host_info
from dkreg.epp.commands.host import update as host_update
from dkreg.epp.commands.poll import poll

TABLE: dict[tuple[str, str | None], ModuleType] = {
    ("check", "domain"): domain_check,
    ("info", "domain"): domain_info,
    ("create", "domain"): domain_create,
    ("renew", "domain"): domain_renew,
    ("delete", "domain"): domain_delete,
    ("update", "domain"): domain_update,
    ("transfer", "domain"): domain_transfer,
    # <extension><dkhm:command><dkhm:withdraw> (session.py dispatches extension commands)
    ("dkhm:withdraw", "extension"): domain_withdraw,
    ("check", "contact"): contact_check,
    ("info", "contact"): contact_info,
    ("create", "contact"): contact_create,
    ("update", "contact"): contact_update,
    ("check", "host"): host_check,
    ("info", "host"): host_info,
    ("create", "host"): host_create,
    ("update", "host"): host_update,
    ("delete", "host"): host_delete,
    ("poll", None): poll,
    ("info", "balance"): balance_info,
}

RFC_VERBS = ("check", "info", "create", "delete", "renew", "transfer", "update")

# What .dk documents as not offered at all (SPEC-DIGEST §2): a clear 2101 with the reason.
NOT_OFFERED: dict[tuple[str, str], Detail] = {
    ("delete", "contact"): Detail("contact_delete_not_offered"),
    ("transfer", "contact"): Detail("contact_transfer_not_offered"),
    ("transfer", "host"): Detail("host_transfer_not_offered"),
    ("renew", "contact"): Detail("contact_renew_not_offered"),
    ("renew", "host"): Detail("host_renew_not_offered"),
}

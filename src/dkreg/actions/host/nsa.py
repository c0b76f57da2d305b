"""Hosts waiting for someone else's answer: a requested name-server administrator
(NSA) and the registrant of the host's superordinate domain.

``dkhm:requestedNsAdmin`` asks another registrar to take over the NSA role — on create
(the host exists as ``pendingCreate`` meanwhile and cannot serve domains) or on update
(the host shows ``pendingUpdate``; the current NSA keeps the role until the answer). A
host under a registrant-managed .dk domain that the requesting registrar does not
administer also needs the registrant's approval [SPEC §create host].

Sequencing when a new host needs both: the registrant is asked first (request kind
``host_create``); only after the registrant approves is the requested NSA asked (kind
``host_nsa``, created at that moment with a fresh deadline and the original command's
clTRID/svTRID). Whoever says no first ends it. The creating registrar therefore gets
exactly one final poll message per create, as the registry sends since 2025-03:
``host_approved_nsa_accepted`` when both said yes.

A host whose creation is rejected or not answered in time is removed; outcomes are
``host:panData`` messages to the registrar that asked (paResult 1 only when the host
or the role change took effect).

Whoever answers (the sandbox CLI, later self-service and the portal) calls
``pending.decide``; unanswered requests expire through ``pending.expire_due``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, select, update

from dkreg.actions import pending
from dkreg.actions.host.delete import erase_host
from dkreg.actions.poll.queue import enqueue_text, pan_data
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import (
    contacts,
    domain_ns,
    domains,
    hosts,
    pending_requests,
    registrars,
    users,
)

KIND_NSA = "host_nsa"
KIND_REGISTRANT = "host_create"
FIELD = "dkhm:requestedNsAdmin"


@dataclass(frozen=True)
class Registrar:
    id: int
    handle: str


# -- statuses are stored space-separated; "ok" only stands alone


def with_status(stored: str, status: str) -> str:
    values = [s for s in stored.split() if s != "ok"]
    return " ".join(values if status in values else [*values, status])


def without_status(stored: str, status: str) -> str:
    return " ".join(s for s in stored.split() if s != status) or "ok"


async def resolve_nsa(ctx: Ctx, raw: str) -> Registrar:
    """The registrar a ``requestedNsAdmin`` value names.

    Since service 5.1.0 registrar handles may hold the NSA role [SPEC 5.1.0]; here the
    role belongs to a registrar, named by its handle (``REG-…``) or, as a convenience,
    by the login of one of its service users.
    """
    value = raw.strip()
    if not value:
        raise err(2005, "value_syntax", field=FIELD,
                  detail=Detail("name_registrar_reg_that_should"))
    row = (await ctx.conn.execute(select(registrars.c.id, registrars.c.handle).where(
        registrars.c.handle == value.upper()))).first()
    if row is None:
        row = (await ctx.conn.execute(
            select(registrars.c.id, registrars.c.handle)
            .join(users, users.c.registrar_id == registrars.c.id)
            .where(func.lower(users.c.login) == value.lower()))).first()
    if row is None:
        raise err(2303, "nsa_unknown", field=FIELD,
                  detail=Detail("there_no_registrar_name_server", value=value))
    return Registrar(id=row.id, handle=row.handle)


async def administers(ctx: Ctx, domain_id: int, registrar_id: int) -> bool:
    """Does the registrar administer the DNS of a registrant-managed domain?

    It does when it is the NSA of one of the domain's name servers: that role already
    lets it change the domain's delegation, so hosts in the domain's zone need no
    separate approval from the registrant. Being only the billing contact does not
    count — paying for a domain is not running its zone.
    """
    return bool((await ctx.conn.execute(select(exists().where(
        domain_ns.c.domain_id == domain_id, domain_ns.c.host_id == hosts.c.id,
        hosts.c.nsa_id == registrar_id)))).scalar())


async def request_for_create(ctx: Ctx, host_id: int, *, nsa: Registrar | None,
                             registrant_domain_id: int | None) -> None:
    """Open the first request a new ``pendingCreate`` host waits for."""
    if registrant_domain_id is not None:
        registrant = (await ctx.conn.execute(
            select(contacts.c.handle).join(domains, domains.c.registrant_id == contacts.c.id)
            .where(domains.c.id == registrant_domain_id))).scalar_one()
        await pending.create(ctx, pending.NewRequest(
            kind=KIND_REGISTRANT, registrar_id=ctx.actor.registrar_id, host_id=host_id,
            domain_id=registrant_domain_id, target=registrant,
            data=_nsa_data(nsa) | {"on": "create"}))
    elif nsa is not None:
        await pending.create(ctx, pending.NewRequest(
            kind=KIND_NSA, registrar_id=ctx.actor.registrar_id, host_id=host_id,
            target=nsa.handle, data=_nsa_data(nsa) | {"on": "create"}))


async def request_nsa_change(ctx: Ctx, host_id: int, stored: str, nsa: Registrar) -> None:
    """Ask ``nsa`` to take over an existing host; the host shows pendingUpdate."""
    await ctx.conn.execute(update(hosts).where(hosts.c.id == host_id).values(
        statuses=with_status(stored, "pendingUpdate")))
    await pending.create(ctx, pending.NewRequest(
        kind=KIND_NSA, registrar_id=ctx.actor.registrar_id, host_id=host_id,
        target=nsa.handle, data=_nsa_data(nsa) | {"on": "update"}))


def _nsa_data(nsa: Registrar | None) -> dict[str, Any]:
    return {"nsa_id": nsa.id, "nsa": nsa.handle} if nsa is not None else {}


# -- outcomes (pending.KINDS points here)


async def on_decision(ctx: Ctx, row: Any, outcome: str) -> None:
    host = (await ctx.conn.execute(ctx.for_update(
        select(hosts.c.id, hosts.c.name, hosts.c.statuses).where(hosts.c.id == row.host_id))
    )).first()
    if host is None or row.registrar_id is None:  # the host went first; nothing to tell
        return
    data = json.loads(row.data or "{}")
    if row.kind == KIND_REGISTRANT:
        await _registrant_answered(ctx, row, host, data, outcome)
    elif data.get("on") == "create":
        await _new_host_nsa_answered(ctx, row, host, data, outcome)
    else:
        await _nsa_change_answered(ctx, row, host, data, outcome)


async def _registrant_answered(ctx: Ctx, row: Any, host: Any, data: dict[str, Any],
                               outcome: str) -> None:
    if outcome == "accepted" and data.get("nsa_id"):
        # the registrant said yes; now the requested administrator is asked
        new_id = await pending.create(ctx, pending.NewRequest(
            kind=KIND_NSA, registrar_id=row.registrar_id, host_id=host.id,
            target=data["nsa"], data=data | {"on": "create", "registrant_approved": True}))
        await ctx.conn.execute(update(pending_requests).where(pending_requests.c.id == new_id)
                               .values(cl_trid=row.cl_trid, sv_trid=row.sv_trid))
        return
    if outcome == "accepted":
        await _activate(ctx, host, nsa_id=None)
        key = "host_approved"
    else:
        await erase_host(ctx, host.id)
        key = "host_rejected" if outcome == "rejected" else "host_not_approved_in_time"
    await _tell(ctx, row, host.name, key, outcome == "accepted")


async def _new_host_nsa_answered(ctx: Ctx, row: Any, host: Any, data: dict[str, Any],
                                 outcome: str) -> None:
    if outcome == "accepted":
        await _activate(ctx, host, nsa_id=data["nsa_id"])
        key = ("host_approved_nsa_accepted" if data.get("registrant_approved")
               else "host_nsa_accepted")
    else:
        await erase_host(ctx, host.id)
        key = "host_nsa_rejected" if outcome == "rejected" else "host_nsa_not_in_time"
    await _tell(ctx, row, host.name, key, outcome == "accepted", nsa=data["nsa"])


async def _nsa_change_answered(ctx: Ctx, row: Any, host: Any, data: dict[str, Any],
                               outcome: str) -> None:
    values: dict[str, Any] = {"statuses": without_status(host.statuses, "pendingUpdate")}
    if outcome == "accepted":
        values |= {"nsa_id": data["nsa_id"], "updated_by": data["nsa"], "updated_at": ctx.now}
    await ctx.conn.execute(update(hosts).where(hosts.c.id == host.id).values(**values))
    key = {"accepted": "nsa_role_accepted", "rejected": "nsa_role_rejected",
           "expired": "nsa_role_not_in_time"}[outcome]
    await _tell(ctx, row, host.name, key, outcome == "accepted", nsa=data["nsa"])


async def _activate(ctx: Ctx, host: Any, nsa_id: int | None) -> None:
    values: dict[str, Any] = {"statuses": without_status(host.statuses, "pendingCreate")}
    if nsa_id is not None:
        values["nsa_id"] = nsa_id
    await ctx.conn.execute(update(hosts).where(hosts.c.id == host.id).values(**values))


async def _tell(ctx: Ctx, row: Any, host: str, key: str, result: bool, **values: str) -> None:
    await enqueue_text(ctx, row.registrar_id, key,
                       pan_data(ctx, host, result, row.cl_trid, row.sv_trid),
                       host=host, **values)

"""Record an ID-check attempt and, when it matched, complete the contact's check.

Every attempt is a row in ``identity_checks`` and an audit event in the caller's
transaction; a match calls ``contact_verification.complete`` — which flips
``registrant_validated``, activates the registrant's waiting domains and queues the
sponsor's poll message — exactly as every other door does. Nothing here stores a CPR.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from dkreg.actions.contact import verification as contact_verification
from dkreg.store.audit import AuditEvent, write
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, identity_checks

MATCHED = "matched"
METHODS = ("mitid", "cvr", "document", "email")


@dataclass(frozen=True)
class CheckOutcome:
    method: str
    outcome: str  # matched | name_mismatch | invalid_cpr | cancelled | error | ...
    detail: str | None = None  # what did not match (never a CPR or other register data)

    @property
    def matched(self) -> bool:
        return self.outcome == MATCHED


def method_for(contact: Any) -> str:
    """Danish individuals verify with MitID; Danish companies, associations and public
    bodies with CVR; foreign registrants with documents."""
    if contact.cc != "DK":
        return "document"
    return "mitid" if contact.user_type == "individual" else "cvr"


async def contact_by_id(ctx: Ctx, contact_id: int) -> Any:
    return (await ctx.conn.execute(select(contacts).where(
        contacts.c.id == contact_id, contacts.c.deleted_at.is_(None)))).first()


async def audit(ctx: Ctx, command: str, actor: str, obj: str | None,
                result_code: int = 1000, request: str | None = None,
                client_ip: str | None = None) -> None:
    await write(ctx.conn, AuditEvent(at=ctx.now, door=ctx.door, command=command,
                                     result_code=result_code, actor=actor[:255], object=obj,
                                     client_ip=client_ip, request=request))


async def record(ctx: Ctx, contact: Any, result: CheckOutcome, actor: str,
                 client_ip: str | None = None, what: str = "id") -> bool:
    """Store the outcome; complete the check (``what``) when it matched. True when the
    contact's check was completed by this call."""
    await ctx.conn.execute(insert(identity_checks).values(
        contact_id=contact.id, method=result.method, outcome=result.outcome,
        detail=(result.detail or None) and result.detail[:255], actor=actor[:255],
        created_at=ctx.now))
    await audit(ctx, f"identity_{result.method}", actor, contact.handle,
                1000 if result.matched else 2306, f"outcome={result.outcome}", client_ip)
    if not result.matched:
        return False
    done = await contact_verification.complete(ctx, contact.handle, what)
    return done.changed


async def history(ctx: Ctx, contact_id: int, limit: int = 10) -> list[Any]:
    return list((await ctx.conn.execute(
        select(identity_checks).where(identity_checks.c.contact_id == contact_id)
        .order_by(identity_checks.c.id.desc()).limit(limit))).all())

"""Identity documents from foreign registrants, reviewed by registry staff.

The type is decided by the file's first bytes (PDF, JPEG, PNG), never by its name or the
browser's claim; the size is capped (``document_max_bytes``). The file is written under
``data_dir/documents`` with a random name — a directory no route serves — and only a
staff session can read it back (``web/staff``). Approving completes the contact's ID
check, rejecting rejects it (``contact_verification``), both audited with door "staff".
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, insert, select, update

from dkreg.actions.contact import verification as contact_verification
from dkreg.actions.contact.verification_checks import CheckOutcome, audit, record
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, identity_documents

MAGIC = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
         (b"\x89PNG\r\n\x1a\n", "image/png"))
SUFFIX = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def sniff(data: bytes) -> str | None:
    return next((kind for magic, kind in MAGIC if data.startswith(magic)), None)


def directory(ctx_or_settings: Any) -> Path:
    settings = getattr(ctx_or_settings, "settings", ctx_or_settings)
    return Path(settings.data_dir) / "documents"


def validate(data: bytes, max_bytes: int) -> str:
    """The content type, or EppError naming the rule the file broke."""
    if not data:
        raise err(2003, "document_missing", field="document", detail=Detail("choose_file"))
    if len(data) > max_bytes:
        raise err(2306, "document_too_large", field="document",
                  detail=Detail("file_has_bytes_limit", n_data=len(data), max_bytes=max_bytes))
    kind = sniff(data)
    if kind is None:
        raise err(2306, "document_type", field="document",
                  detail=Detail("file_not_pdf_jpeg_png"))
    return kind


async def upload(ctx: Ctx, contact: Any, data: bytes, original_name: str | None,
                 actor: str) -> int:
    """Store the file and queue it for staff review; returns the document id."""
    kind = validate(data, ctx.settings.document_max_bytes)
    folder = directory(ctx)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = secrets.token_hex(16) + SUFFIX[kind]
    path = folder / stored
    path.write_bytes(data)
    path.chmod(0o600)
    doc_id = (await ctx.conn.execute(insert(identity_documents).values(
        contact_id=contact.id, stored_name=stored, content_type=kind, size=len(data),
        original_name=(original_name or "")[:255] or None, uploaded_by=actor[:255],
        uploaded_at=ctx.now, status="submitted").returning(identity_documents.c.id))
    ).scalar_one()
    await audit(ctx, "identity_document_uploaded", actor, contact.handle,
                request=f"document={doc_id} type={kind} size={len(data)}")
    return int(doc_id)


@dataclass(frozen=True)
class Queued:
    id: int
    handle: str
    name: str | None
    cc: str
    content_type: str
    size: int
    uploaded_at: Any
    status: str
    reason: str | None


def _select() -> Select[Any]:
    return (select(identity_documents.c.id, contacts.c.handle, contacts.c.name, contacts.c.cc,
                   identity_documents.c.content_type, identity_documents.c.size,
                   identity_documents.c.uploaded_at, identity_documents.c.status,
                   identity_documents.c.reason, identity_documents.c.stored_name,
                   identity_documents.c.contact_id)
            .join(contacts, contacts.c.id == identity_documents.c.contact_id))


async def queue(ctx: Ctx, status: str = "submitted") -> list[Queued]:
    rows = (await ctx.conn.execute(_select().where(identity_documents.c.status == status)
                                   .order_by(identity_documents.c.id))).all()
    return [Queued(r.id, r.handle, r.name, r.cc, r.content_type, r.size, r.uploaded_at,
                   r.status, r.reason) for r in rows]


async def for_contact(ctx: Ctx, contact_id: int) -> list[Any]:
    return list((await ctx.conn.execute(_select().where(
        identity_documents.c.contact_id == contact_id)
        .order_by(identity_documents.c.id.desc()))).all())


async def load(ctx: Ctx, doc_id: int) -> Any:
    row = (await ctx.conn.execute(_select().where(identity_documents.c.id == doc_id))).first()
    if row is None:
        raise err(2303, "document_not_found", field="document", detail=Detail("document_id",
                                                                              doc_id=doc_id))
    return row


def read(ctx_or_settings: Any, row: Any) -> bytes:
    return (directory(ctx_or_settings) / row.stored_name).read_bytes()


async def decide(ctx: Ctx, doc_id: int, approve: bool, reason: str, staff: str) -> Any:
    """Staff's decision: approve completes the ID check, reject (a reason is required)
    rejects it. A document already decided is not decided again."""
    row = await load(ctx, doc_id)
    reason = reason.strip()
    if row.status != "submitted":
        raise err(2304, "document_decided", field="document",
                  detail=Detail("document_was_already", doc_id=doc_id, status=row.status))
    if not approve and not reason:
        raise err(2003, "reason_required", field="reason",
                  detail=Detail("say_why_document_rejected"))
    done = await ctx.conn.execute(update(identity_documents).where(
        identity_documents.c.id == doc_id, identity_documents.c.status == "submitted")
        .values(status="approved" if approve else "rejected", decided_by=staff[:254],
                decided_at=ctx.now, reason=reason[:2000] or None))
    if done.rowcount != 1:
        raise err(2304, "document_decided", field="document", detail=Detail("document_id",
                                                                            doc_id=doc_id))
    contact = (await ctx.conn.execute(select(contacts).where(
        contacts.c.id == row.contact_id))).one()
    outcome = CheckOutcome("document", "matched" if approve else "rejected",
                           None if approve else reason[:255])
    await record(ctx, contact, outcome, staff)
    if not approve:
        await contact_verification.reject(ctx, contact.handle)
    return row


"""Contact auto-delete: .dk has no delete contact command; the registry deletes contacts
that nothing uses any more (SPEC-DIGEST §4.1).

A contact is deleted when it has been inactive for ``contact_autodelete_days``: it is
registrant of no live domain or application and holds no admin/billing role on one, no
open request refers to it, and none of these happened within the period — it was
created, updated, lost its last role (``unlinked_at``), or a domain it was registrant
of was released. Taking the latest of those (rather than only the first one set) keeps
a contact that was just edited or just lost its domain.

Deletion marks the row (``deleted_at``): the handle stays taken for ever (check
contact answers "In use"), info answers 2303 and nothing can refer to it again. The
sponsor is told with a snapshot taken before the deletion; registry-managed contacts
have nobody to tell.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, or_, select, update

from dkreg.actions.context import Ctx
from dkreg.actions.poll_queue import enqueue_text
from dkreg.actions.snapshots import contact_snapshot
from dkreg.store.schema import contacts, domain_contacts, domains, pending_requests

BATCH = 200


def _recent_or_live(cutoff):  # type: ignore[no-untyped-def]
    return or_(domains.c.released_at.is_(None), domains.c.released_at > cutoff)


async def delete_unused(ctx: Ctx, limit: int = BATCH) -> int:
    cutoff = ctx.now - timedelta(days=ctx.settings.contact_autodelete_days)
    c = contacts.c
    rows = (await ctx.conn.execute(ctx.skip_locked(
        select(c.id, c.handle, c.sponsor_id).where(
            c.deleted_at.is_(None), c.created_at <= cutoff,
            or_(c.updated_at.is_(None), c.updated_at <= cutoff),
            or_(c.unlinked_at.is_(None), c.unlinked_at <= cutoff),
            ~exists().where(domains.c.registrant_id == c.id, _recent_or_live(cutoff)),
            ~exists().where(domain_contacts.c.contact_id == c.id,
                            domain_contacts.c.domain_id == domains.c.id,
                            _recent_or_live(cutoff)),
            ~exists().where(pending_requests.c.state == "pending",
                            or_(pending_requests.c.contact_id == c.id,
                                pending_requests.c.target == c.handle)))
        .order_by(c.id).limit(limit), of=contacts))).all()
    for row in rows:
        snapshot = await contact_snapshot(ctx, row.handle) if row.sponsor_id else None
        await ctx.conn.execute(update(contacts).where(contacts.c.id == row.id).values(
            deleted_at=ctx.now))
        if snapshot is not None:
            await enqueue_text(ctx, row.sponsor_id, "contact_deleted", snapshot,
                               handle=row.handle)
    return len(rows)

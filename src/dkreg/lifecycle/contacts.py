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

Most contacts are in use, so scanning them all on every tick would not scale to .dk's
size. The step keeps a bookmark instead (``registry_state``): the time of its last
complete sweep. A contact is looked at again only when one of its activity times
(creation, last update, losing its last role) has passed the inactivity limit since
then, or a request that kept it was decided since then — all of them indexed — so
each contact is examined about once per change. A contact the step failed on is
looked at again when its retry time comes (``Run.retrying``), bookmark or not.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, func, insert, or_, select, true, union, update
from sqlalchemy.exc import IntegrityError

from dkreg.actions.poll.queue import enqueue_text
from dkreg.actions.poll.snapshots import contact_snapshot
from dkreg.lifecycle.runner import Run, Step
from dkreg.store.context import Ctx
from dkreg.store.schema import (
    contacts,
    domain_contacts,
    domains,
    pending_requests,
    registry_state,
)

BATCH = 200
BOOKMARK = "contact_autodelete_swept_until"


async def due_unused(ctx: Ctx, run: Run, limit: int) -> list[Any]:
    days = timedelta(days=ctx.settings.contact_autodelete_days)
    bookmark = await _lock_bookmark(ctx)
    if bookmark is False:
        return []  # another worker is sweeping
    last = bookmark if isinstance(bookmark, datetime) and bookmark <= ctx.now else None
    rows = (await ctx.conn.execute(ctx.skip_locked(
        select(contacts.c.id, contacts.c.handle, contacts.c.sponsor_id)
        .where(_newly_due(ctx.now, last, days, run.retrying_ids()),
               run.ready(contacts.c.id), *_unused(ctx.now - days))
        .order_by(contacts.c.id).limit(limit), of=contacts))).all()
    if len(rows) < limit:  # every contact that became due by now is being looked at
        await ctx.conn.execute(update(registry_state).where(registry_state.c.key == BOOKMARK)
                               .values(value=ctx.now.isoformat()))
    return list(rows)


async def delete_unused(ctx: Ctx, rows: list[Any]) -> int:
    for row in rows:
        snapshot = await contact_snapshot(ctx, row.handle) if row.sponsor_id else None
        await ctx.conn.execute(update(contacts).where(contacts.c.id == row.id).values(
            deleted_at=ctx.now))
        if snapshot is not None:
            await enqueue_text(ctx, row.sponsor_id, "contact_deleted", snapshot,
                               handle=row.handle)
    return len(rows)


async def oldest_unused(ctx: Ctx) -> datetime | None:
    """The oldest deletable contact among those the step looks at (newly due since its
    last complete sweep): due ``contact_autodelete_days`` after its latest activity."""
    days = timedelta(days=ctx.settings.contact_autodelete_days)
    value = (await ctx.conn.execute(select(registry_state.c.value)
                                    .where(registry_state.c.key == BOOKMARK))).scalar()
    last = datetime.fromisoformat(value) if value else None
    last = last if last is not None and last <= ctx.now else None
    c = contacts.c
    latest = (func.max if ctx.is_sqlite else func.greatest)(
        c.created_at, func.coalesce(c.updated_at, c.created_at),
        func.coalesce(c.unlinked_at, c.created_at))
    first = (await ctx.conn.execute(select(func.min(latest)).where(
        _newly_due(ctx.now, last, days), *_unused(ctx.now - days)))).scalar()
    return first + days if first is not None else None


AUTODELETE = Step("contact_autodelete", due_unused, delete_unused, oldest_unused,
                  lambda row: f"contact {row.id} ({row.handle})", limit=BATCH)


def _newly_due(now: datetime, last: datetime | None, days: timedelta,
               *more: Select[Any]) -> Any:
    """Contacts that may have become deletable since the last complete sweep at ``last``
    (None: never, or the sandbox clock went back: look at all): an activity time passed
    the inactivity limit, or a request that kept the contact was decided; or one of the
    ids ``more`` selects.

    One list of ids from a UNION of indexed reads: as an OR of the conditions (an IN
    among them) PostgreSQL could use no index and read every contact, about 0.2 s at
    .dk's size on every lifecycle interval."""
    if last is None:
        return true()
    c = contacts.c

    def passed(column: Any) -> Select[Any]:
        return select(c.id).where(column > last - days, column <= now - days)

    decided = select(pending_requests.c.contact_id).where(
        pending_requests.c.decided_at > last, pending_requests.c.decided_at <= now,
        pending_requests.c.contact_id.is_not(None))
    return c.id.in_(union(passed(c.created_at), passed(c.updated_at), passed(c.unlinked_at),
                          decided, *more))


def _unused(cutoff: datetime) -> list[Any]:
    c = contacts.c
    live_or_recent = or_(domains.c.released_at.is_(None), domains.c.released_at > cutoff)
    return [
        c.deleted_at.is_(None), c.created_at <= cutoff,
        or_(c.updated_at.is_(None), c.updated_at <= cutoff),
        or_(c.unlinked_at.is_(None), c.unlinked_at <= cutoff),
        ~exists().where(domains.c.registrant_id == c.id, live_or_recent),
        ~exists().where(domain_contacts.c.contact_id == c.id,
                        domain_contacts.c.domain_id == domains.c.id, live_or_recent),
        ~exists().where(pending_requests.c.state == "pending",
                        or_(pending_requests.c.contact_id == c.id,
                            pending_requests.c.target == c.handle)),
    ]


async def _lock_bookmark(ctx: Ctx) -> datetime | bool | None:
    """The bookmark, its row locked for this transaction; False when another worker
    holds it (PostgreSQL). None: never swept."""
    stmt = select(registry_state.c.value).where(registry_state.c.key == BOOKMARK)
    found = (await ctx.conn.execute(ctx.skip_locked(stmt))).first()
    if found is None:
        exists_ = (await ctx.conn.execute(stmt)).first()
        if exists_ is not None:
            return False  # present but locked by another worker
        try:
            async with ctx.conn.begin_nested():
                await ctx.conn.execute(insert(registry_state).values(key=BOOKMARK, value=""))
        except IntegrityError:
            return False  # another worker created it just now
        return None
    return datetime.fromisoformat(found.value) if found.value else None

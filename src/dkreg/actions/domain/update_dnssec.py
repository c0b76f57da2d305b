"""update domain, DS records (secDNS-1.1 ``update``): remove, then add.

Removals are judged against the DS set the domain had when the command began: a name
server change earlier in the same command already removed every DS record, and a
client that also says "remove this DS" (or "remove all") asked for what happened, not
for an error. Additions are judged against what is there now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select

from dkreg.actions.domain.update_target import Target, require_sponsor
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.model.dnssec import DsRecord, check_count
from dkreg.store.context import Ctx
from dkreg.store.schema import ds_records


@dataclass
class DsPlan:
    """A secDNS update after its values passed ``model.dnssec``."""

    rem_all: bool = False
    rem: list[DsRecord] = field(default_factory=list)
    add: list[DsRecord] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.rem_all or bool(self.rem) or bool(self.add)


async def load(ctx: Ctx, dom: Target) -> dict[DsRecord, int]:
    """The domain's DS records (record -> row id)."""
    return {DsRecord(r.key_tag, r.alg, r.digest_type, r.digest): r.id
            for r in await ctx.conn.execute(
                select(ds_records.c.id, ds_records.c.key_tag, ds_records.c.alg,
                       ds_records.c.digest_type, ds_records.c.digest)
                .where(ds_records.c.domain_id == dom.id))}


def check_privilege(ctx: Ctx, dom: Target) -> None:
    require_sponsor(ctx, dom, "update_no_privilege", "nsa", what=Detail("to_change_ds_records"),
                    field="secDNS:update")


async def remove(ctx: Ctx, dom: Target, plan: DsPlan, original: dict[DsRecord, int]) -> bool:
    """Returns whether anything was asked to go (the DS set changed)."""
    if plan.rem_all:
        if not original and not plan.add:
            raise err(2303, "update_ds_none", field="secDNS:all",
                      detail=Detail("has_no_ds_records_remove", uname=dom.uname))
        await ctx.conn.execute(delete(ds_records).where(ds_records.c.domain_id == dom.id))
        return bool(original)
    for i, rec in enumerate(plan.rem, 1):
        if rec not in original:
            raise err(2303, "update_ds_not_found", field="secDNS:dsData", position=i,
                      detail=Detail("has_no_ds_record", uname=dom.uname, rec=rec))
    if plan.rem:
        await ctx.conn.execute(delete(ds_records).where(
            ds_records.c.domain_id == dom.id,
            ds_records.c.id.in_([original[r] for r in plan.rem])))
    return bool(plan.rem)


async def add(ctx: Ctx, dom: Target, plan: DsPlan) -> bool:
    if not plan.add:
        return False
    present = await load(ctx, dom)
    for i, rec in enumerate(plan.add, 1):
        if rec in present:
            raise err(2302, "update_ds_exists", field="secDNS:dsData", position=i,
                      detail=Detail("already_has_ds_record", uname=dom.uname, rec=rec))
    check_count(len(present) + len(plan.add), ctx.settings.max_ds)
    await ctx.conn.execute(insert(ds_records), [
        {"domain_id": dom.id, "key_tag": r.key_tag, "alg": r.alg, "digest_type": r.digest_type,
         "digest": r.digest, "created_at": ctx.now} for r in plan.add])
    return True

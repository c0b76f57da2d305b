"""The status page's components: made from the configured list, their state set by the
automatic checks, by staff, by incidents and by maintenance — every change kept, since
the uptime bars are computed from the changes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select, update

from dkreg.errors import err
from dkreg.model.status import COMPONENT_STATES, DEFAULT_COMPONENTS, ComponentSpec, indicator, worst
from dkreg.store.context import Ctx
from dkreg.store.schema import status_component_events, status_components

SOURCES = ("check", "staff", "incident", "maintenance", "setup")


@dataclass(frozen=True)
class Component:
    id: int
    key: str
    group_key: str | None
    position: int
    state: str
    state_since: datetime
    created_at: datetime


@dataclass(frozen=True)
class Board:
    """The components as every door shows them: a group's state is the worst of its
    members', the page's indicator is worked out from the services themselves (not
    their groups) and the open incidents' impacts."""

    items: Sequence[Component]
    members: dict[str, list[Component]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Sequence[Component]) -> Board:
        members: dict[str, list[Component]] = {}
        for c in items:
            if c.group_key:
                members.setdefault(c.group_key, []).append(c)
        return cls(items, members)

    def is_group(self, c: Component) -> bool:
        return c.key in self.members

    def state(self, c: Component) -> str:
        return worst(m.state for m in self.members[c.key]) if self.is_group(c) else c.state

    def updated(self, c: Component) -> datetime:
        return max([c.state_since, *(m.state_since for m in self.members.get(c.key, []))])

    @property
    def leaves(self) -> list[Component]:
        """The services an incident or maintenance names (not the groups)."""
        return [c for c in self.items if not self.is_group(c)]

    @property
    def top(self) -> list[Component]:
        """The page's rows: groups and the services in none."""
        return [c for c in self.items if not c.group_key]

    def level(self, open_impacts: Iterable[str]) -> str:
        return indicator([c.state for c in self.leaves], open_impacts)


async def ensure_components(ctx: Ctx,
                            specs: Sequence[ComponentSpec] = DEFAULT_COMPONENTS) -> int:
    """Add the components of ``specs`` that do not exist yet (operational, in the list's
    order); an existing one keeps its state and history. How many were added."""
    have = {r.key for r in await ctx.conn.execute(select(status_components.c.key))}
    added = 0
    for position, spec in enumerate(specs, 1):
        if spec.key in have:
            continue
        cid = (await ctx.conn.execute(insert(status_components).values(
            key=spec.key, group_key=spec.group, position=position, state="operational",
            state_since=ctx.now, created_at=ctx.now).returning(status_components.c.id))
            ).scalar_one()
        await ctx.conn.execute(insert(status_component_events).values(
            component_id=cid, state="operational", at=ctx.now, source="setup"))
        added += 1
    return added


async def components(ctx: Ctx) -> list[Component]:
    rows = await ctx.conn.execute(select(status_components)
                                  .order_by(status_components.c.position))
    return [Component(r.id, r.key, r.group_key, r.position, r.state, r.state_since,
                      r.created_at) for r in rows]


async def component(ctx: Ctx, key: str) -> Component:
    row = (await ctx.conn.execute(select(status_components)
                                  .where(status_components.c.key == key))).first()
    if row is None:
        raise err(2303, "status_unknown_component", field="component")
    return Component(row.id, row.key, row.group_key, row.position, row.state,
                     row.state_since, row.created_at)


def check_state(state: str, field: str = "state") -> None:
    if state not in COMPONENT_STATES:
        raise err(2005, "status_bad_value", field=field)


async def set_state(ctx: Ctx, key: str, state: str, source: str) -> bool:
    """Put the component ``key`` in ``state``; False (nothing written) when it is in that
    state already."""
    check_state(state)
    if source not in SOURCES:
        raise err(2005, "status_bad_value", field="source")
    found = await component(ctx, key)
    if found.state == state:
        return False
    await ctx.conn.execute(update(status_components)
                           .where(status_components.c.id == found.id)
                           .values(state=state, state_since=ctx.now))
    await ctx.conn.execute(insert(status_component_events).values(
        component_id=found.id, state=state, at=ctx.now, source=source))
    return True

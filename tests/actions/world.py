"""What action-level tests work with: a store with one registrar as the actor, the
defaults of a contact, and a refusal as code, reason, field and position.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import text

from dkreg.actions.contact.create import ContactCreate, contact_create
from dkreg.actions.domain.create import DomainCreate, domain_create
from dkreg.actions.host.create import HostCreate, host_create
from dkreg.clock import FixedClock
from dkreg.config import Settings
from dkreg.errors import EppError
from dkreg.lifecycle.tick import tick
from dkreg.model.contact_rules import ContactInput, PostalInfo
from dkreg.store.context import Actor, Ctx
from dkreg.store.db import Database

T = TypeVar("T")
START = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)  # as tests/conftest.py
NS = ["ns1.example.net", "ns2.example.net"]
MORE_NS = ["ns3.example.net", "ns4.example.net"]


def postal(**kw: Any) -> PostalInfo:
    """The postal block tests/support/frames.contact_create sends by default."""
    base: dict[str, Any] = dict(type="loc", name="Jens Hansen", org=None,
                                street=["Vesterbrogade 1"], city="København V", sp=None,
                                pc="1620", cc="DK")
    base.update(kw)
    return PostalInfo(**base)


def contact_input(*, postal_blocks: list[PostalInfo] | None = None, **kw: Any) -> ContactInput:
    """A valid Danish individual, the same data as frames.contact_create's defaults.

    Keyword arguments of PostalInfo (name, org, street, city, pc, cc, type) change the
    one postal block; the others change the contact."""
    postal_keys = {"type", "name", "org", "street", "city", "sp", "pc", "cc"}
    block = {k: kw.pop(k) for k in list(kw) if k in postal_keys}
    base: dict[str, Any] = dict(voice="+45.12345678", fax=None, email="jens@example.dk",
                                user_type="individual", cvr=None, ean=None, pnumber=None,
                                mobilephone=None, secondary_email=None)
    base.update(kw)
    return ContactInput(postal=postal_blocks or [postal(**block)], **base)


@dataclass
class Refusal:
    """What a test asserts of a refused action: never the prose."""

    code: int
    reason: str
    field: str | None
    position: int | None


@dataclass
class World:
    """A registry store with one registrar (the actor), as the actions see it."""

    db: Database
    settings: Settings
    clock: FixedClock
    actor: Actor

    def ctx(self, conn: Any, actor: Actor | None = None) -> Ctx:
        return Ctx(conn=conn, now=self.clock.now(), settings=self.settings,
                   actor=actor or self.actor, is_sqlite=True, door="epp")

    async def run(self, action: Callable[[Ctx, Any], Awaitable[T]], cmd: Any,
                  actor: Actor | None = None) -> T:
        """One action in one transaction, as a door runs it."""
        async with self.db.begin() as conn:
            return await action(self.ctx(conn, actor), cmd)

    async def refusal(self, action: Callable[[Ctx, Any], Awaitable[Any]], cmd: Any,
                      actor: Actor | None = None) -> Refusal:
        try:
            await self.run(action, cmd, actor)
        except EppError as exc:
            return Refusal(exc.code, exc.reason, exc.field, exc.position)
        raise AssertionError(f"{action.__name__} accepted {cmd!r}")

    def token(self, offset_seconds: int = 0) -> str:
        return str(int(self.clock.now().timestamp()) + offset_seconds)

    async def contact(self, data: ContactInput | None = None, *, verified: bool = True
                      ) -> str:
        result = await self.run(contact_create, ContactCreate(
            id="force", data=data or contact_input(), verified_id=verified,
            verified_email=verified))
        return result.handle

    async def hosts(self, *names: str) -> None:
        for name in names:
            await self.run(host_create, HostCreate(name=name))

    async def active_domain(self, name: str, registrant: str, ns: list[str] | None = None,
                            period: int = 1) -> None:
        """A domain created by Flow 1 and activated by the lifecycle."""
        await self.run(domain_create, DomainCreate(name=name, registrant=registrant,
                                                   ns=ns or NS, token=self.token(),
                                                   period=period))
        await tick(self.db, self.settings, self.clock.now())
        assert await self.scalar("select state from domains where uname = :n",
                                 n=name) == "active"

    async def scalar(self, sql: str, **params: object) -> Any:
        async with self.db.read() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def rows(self, sql: str, **params: object) -> list[Any]:
        async with self.db.read() as conn:
            return list(await conn.execute(text(sql), params))

    def expiry(self, years: int = 1) -> date:
        """curExpDate of a domain created now for ``years`` (START is 1 June: summer)."""
        now = self.clock.now()
        return now.date().replace(year=now.year + years)



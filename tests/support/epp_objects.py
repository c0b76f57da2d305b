"""Building blocks for object tests (contacts, hosts, domains) over real EPP sessions.

``Agent`` is one registrar's service user. It reopens its EPP session before the
server's "three errors of the same kind" budget would close it, so a test can send a
series of bad requests without the disconnect rule getting in the way (that rule has
its own tests).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from support import frames
from support.eppclient import EppClient, Reply

if TYPE_CHECKING:
    from conftest import Registry

HANDLE_RE = re.compile(r"^[A-Z]{1,3}[0-9]+-DK$")

_names = itertools.count(1)


def unique(prefix: str = "x") -> str:
    """A label no other object in this test run uses."""
    return f"{prefix}{next(_names)}"


@dataclass
class Agent:
    registry: Registry
    handle: str
    login: str
    dkhm: str = "4.3"
    _client: EppClient | None = field(default=None, repr=False)
    _errors: int = 0

    @classmethod
    async def new(cls, registry: Registry, dkhm: str = "4.3") -> Agent:
        handle, login, _pw = await registry.new_registrar()
        return cls(registry, handle, login, dkhm)

    async def client(self) -> EppClient:
        if self._client is None or self._errors >= 2:
            self._client = await self.registry.client(self.login, dkhm=self.dkhm)
            self._errors = 0
        return self._client

    async def send(self, frame: str) -> Reply:
        r = await (await self.client()).request(frame)
        if r.code >= 2000:
            self._errors += 1
        return r

    async def contact(self, **kw: object) -> str:
        """Create a contact (default: a Danish individual) and return its handle."""
        kw.setdefault("dkhm", self.dkhm)
        kw.setdefault("id_", "force")
        r = await self.send(frames.contact_create(**kw))  # type: ignore[arg-type]
        assert r.code == 1000, r.msg
        handle = r.text(".//contact:id")
        assert handle and HANDLE_RE.match(handle), handle
        return handle

    async def host(self, name: str, *addrs: str) -> None:
        r = await self.send(frames.host_create(name, *addrs))
        assert r.code == 1000, r.msg

    async def domain(self, name: str, registrant: str | None = None,
                     ns: list[str] | None = None, tick: bool = True) -> str:
        """Apply for ``name`` (Flow 1, with a token) and, by default, let the registry
        process the application so the domain is active. Returns the registrant."""
        if registrant is None:
            registrant = await self.contact(email=f"{unique('owner')}@example.dk")
        if ns is None:
            zone = unique("dns")
            ns = [f"ns1.{zone}.net", f"ns2.{zone}.net"]
            for h in ns:
                await self.host(h)
        r = await self.send(frames.domain_create(name, registrant, ns,
                                                 token=self.registry.token()))
        assert r.code == 1001, r.msg
        if tick:
            await self.registry.tick()
        return registrant


async def count(registry: Registry, table: str) -> int:
    n = await registry.scalar(f"select count(*) from {table}")
    assert isinstance(n, int)
    return n

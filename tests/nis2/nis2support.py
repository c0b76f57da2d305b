"""Helpers for the NIS2 tests: browsers on the web app, a logged-in staff user, the
forms filled in, and reading what was mailed and audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from dkreg.identity import staff
from support import PASSWORD

STAFF = "disclosure@registry.example"

REQUEST = {"name": "Ida Jensen", "org": "Brand Owner A/S", "email": "ida@brand.example",
           "requester_type": "rights_holder", "domains": "nis2-a.dk",
           "fields": ["name", "email"], "legal_basis": "Trademark infringement, "
           "Varemærkeloven § 4; we need the registrant to send a cease-and-desist."}

REPORT = {"domain": "nis2-a.dk", "wrong_fields": ["name", "address"],
          "description": "The registrant name is a cartoon character.",
          "reporter_email": "watcher@example.org"}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def token_in(text: str) -> str:
    """The bearer token a grant mail carries (the line after the header hint)."""
    match = re.search(r"^([A-Za-z0-9_-]{40,})\r?$", text, re.M)
    assert match, text
    return match.group(1)


@dataclass
class Nis2Web:
    registry: Any  # conftest.Registry
    app: Any
    base: str
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, ip: str = "192.0.2.30", lang: str | None = None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(ip, 40000))  # type: ignore[arg-type]
        c = httpx.AsyncClient(transport=transport, base_url=self.base)
        if lang:
            c.cookies.set("dkreg_lang", lang)
        self.clients.append(c)
        return c

    async def post_form(self, path: str, data: dict[str, Any], ip: str = "192.0.2.30",
                        lang: str | None = None) -> httpx.Response:
        c = self.client(ip, lang)
        page = await c.get(path)
        assert page.status_code == 200, page.text
        return await c.post(path, data={**data, "csrf": csrf_of(page.text)})

    async def staff_user(self, email: str = STAFF) -> None:
        async with self.registry.db.begin() as conn:
            await staff.create(self.registry.ctx(conn), email, PASSWORD)

    async def staff(self, email: str = STAFF, create: bool = True) -> httpx.AsyncClient:
        """A browser logged in to /staff/ (the user created first unless ``create`` is
        False)."""
        if create:
            await self.staff_user(email)
        c = self.client("192.0.2.99")
        page = await c.get("/staff/login")
        ok = await c.post("/staff/login", data={"email": email, "password": PASSWORD,
                                                "csrf": csrf_of(page.text)})
        assert ok.status_code == 303, ok.text
        return c

    async def staff_post(self, c: httpx.AsyncClient, path: str, data: dict[str, Any],
                         page: str = "/staff/nis2/") -> httpx.Response:
        shown = await c.get(page)
        assert shown.status_code == 200, shown.text
        return await c.post(path, data={**data, "csrf": csrf_of(shown.text)})

    async def mails(self, kind: str, to: str | None = None) -> list[Any]:
        sql = "select * from mail_outbox where kind = :k" + (" and to_addr = :t" if to else "")
        return await self.registry.rows(sql + " order by id", k=kind, **({"t": to} if to else {}))

    async def audit(self, command: str) -> list[Any]:
        return await self.registry.rows(
            "select door, actor, object, result_code, request from audit where command = :c "
            "order by id", c=command)

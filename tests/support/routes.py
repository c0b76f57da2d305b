"""Every route of the web app, for the tests that must reach them all (browser headers,
bad input): the Starlette routing tree walked recursively, path parameters filled with
sample (or hostile) values, and the names of every form and query field the doors read.

Values are written into the URL and the body already percent-encoded, so that a NUL
(``%00``) or a byte that is not UTF-8 (``%FF``) reaches the app as sent.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route

import dkreg

PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")
# a sample value per parameter name (else "1" for numbers, "x" for text)
SAMPLES = {"code": "en", "name": "example.dk", "path": "dkreg.css", "handle": "DKREG-1",
           "kind": "invite", "key": "x"}
# hostile values, percent-encoded: numbers wider than any database integer, a sign,
# superscript two and Arabic-Indic three (str.isdigit says yes, int() says no or 3),
# NUL bytes, and bytes that are not UTF-8
HOSTILE = ("99999999999999999999999", "9223372036854775808", "-1", "%C2%B2", "%D9%A3",
           "%00", "a%00b", "%FF%FE", "%C3%28")


@dataclass(frozen=True)
class RouteCase:
    template: str  # the full path, with {name} or {name:convertor}
    methods: tuple[str, ...]

    @property
    def params(self) -> list[tuple[str, str]]:
        return [(m.group(1), m.group(2) or "str") for m in PARAM.finditer(self.template)]

    def sample(self, name: str) -> str:
        conv = dict(self.params)[name]
        return SAMPLES.get(name, "1" if conv in ("int", "id") else "x")

    def path(self, **values: str) -> str:
        """The path with ``values`` (percent-encoded as given) and samples elsewhere."""
        return PARAM.sub(lambda m: values.get(m.group(1), self.sample(m.group(1))),
                         self.template)

    def hostile_paths(self) -> Iterator[str]:
        """Each path parameter in turn given each hostile value (the others sample)."""
        for name, _conv in self.params:
            for value in HOSTILE:
                yield self.path(**{name: value})


def walk(routes: Iterable[BaseRoute], prefix: str = "") -> list[RouteCase]:
    """Every route under ``routes`` (mounts followed); a mount of a plain ASGI app (the
    static files) as ``<mount>/{path:path}``."""
    found: list[RouteCase] = []
    for route in routes:
        if isinstance(route, Mount):
            inner = route.routes
            if inner:
                found += walk(inner, prefix + route.path)
            else:
                found.append(RouteCase(prefix + route.path + "/{path:path}", ("GET",)))
        elif isinstance(route, Route):
            methods = sorted((route.methods or {"GET"}) - {"HEAD"})
            found.append(RouteCase(prefix + route.path, tuple(methods)))
    # a logout ends the walker's session: last, so that every other route is walked
    # logged in
    return sorted(found, key=lambda r: r.template.endswith("/logout"))


_TEMPLATE_NAME = re.compile(r'\bname="([a-z_]+)"')
_GET_NAME = re.compile(r'\.get\(\s*"([a-z_]+)"')
_TUPLE = re.compile(r'^[A-Z_]*FIELDS\s*=\s*\(([^)]*)\)', re.M)
_STRING = re.compile(r'"([a-z_0-9]+)"')


def field_names() -> list[str]:
    """Every form and query field name the web doors read or their pages send: the
    ``name=`` of every template's inputs, every ``.get("…")`` in the web, identity and
    billing code, and the ``…FIELDS`` tuples (the form macros' fields)."""
    src = Path(dkreg.__file__).parent
    names: set[str] = set()
    for path in (src / "web" / "templates").rglob("*.html"):
        names.update(_TEMPLATE_NAME.findall(path.read_text()))
    for sub in ("web", "identity", "billing"):
        for path in (src / sub).rglob("*.py"):
            text = path.read_text()
            names.update(_GET_NAME.findall(text))
            for body in _TUPLE.findall(text):
                names.update(_STRING.findall(body))
            for body in re.findall(r'for k in\s*\(([^)]*)\)', text):
                names.update(_STRING.findall(body))
    names.discard("csrf")  # sent right, so that the handlers behind the CSRF checks run
    return sorted(names)


def _source_files(fn: object, seen: set[int] | None = None) -> set[str]:
    """The files of ``fn`` and of every function in its closure (a door's guard wraps
    the handler, which may call a shared form helper)."""
    seen = seen if seen is not None else set()
    files: set[str] = set()
    if id(fn) in seen or not hasattr(fn, "__code__"):
        return files
    seen.add(id(fn))
    files.add(fn.__code__.co_filename)  # type: ignore[attr-defined]
    for cell in getattr(fn, "__closure__", None) or ():
        with contextlib.suppress(ValueError):  # an empty cell
            files |= _source_files(cell.cell_contents, seen)
    return files


def route_field_names(app: object, template: str) -> list[str]:
    """The field names the module(s) behind one route read (for the one-field round)."""
    def find(routes: Iterable[BaseRoute], prefix: str = "") -> object:
        for route in routes:
            if isinstance(route, Mount) and route.routes:
                hit = find(route.routes, prefix + route.path)
                if hit is not None:
                    return hit
            elif isinstance(route, Route) and prefix + route.path == template:
                return route.endpoint
        return None

    endpoint = find(app.routes)  # type: ignore[attr-defined]
    names: set[str] = set()
    for path in _source_files(endpoint):
        if "/dkreg/" not in path or path.endswith("guard.py"):
            continue
        text = Path(path).read_text()
        names.update(_GET_NAME.findall(text))
        names.update(re.findall(r'_field\(\w+,\s*"([a-z_]+)"', text))
        for body in _TUPLE.findall(text) + re.findall(r'for k in\s*\(([^)]*)\)', text):
            names.update(_STRING.findall(body))
    names.discard("csrf")
    return sorted(names)


def encoded(fields: Iterable[str], value: str, **extra: str) -> str:
    """``a=v&b=v…`` with ``value`` (already percent-encoded) in every field."""
    return "&".join([f"{k}={v}" for k, v in extra.items()] + [f"{n}={value}" for n in fields])


# -- who walks: one visitor per door, logged in, with the CSRF values its forms need ----

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
# the double-submit cookie of each door's pages shown before a session
LOGIN_COOKIES = {"/portal": "dkreg_login_csrf", "/selfservice": "dkreg_self_csrf",
                 "/staff": "dkreg_staff_login"}
VISITOR_PASSWORD = "Walk-Passw0rd-1"


@dataclass
class Visitor:
    """A client of the app (in-process; an app exception is a 500, not raised), and the
    CSRF value of the session it holds per door."""

    name: str
    client: object  # httpx.AsyncClient
    session_csrf: dict[str, str]
    home: str | None = None  # the page that answers 200 while the session lives

    async def still_logged_in(self) -> bool:
        if self.home is None:
            return True
        r = await self.client.get(self.home)  # type: ignore[attr-defined]
        return r.status_code == 200

    def csrf_values(self, path: str) -> list[str]:
        """What to put in a POST's ``csrf``: the door's session value and its login
        cookie's (a login page wants the one, a page behind the login the other)."""
        door = next((d for d in LOGIN_COOKIES if path.startswith(d)), None)
        values = []
        if door in self.session_csrf:
            values.append(self.session_csrf[door])
        cookie = self.client.cookies.get(LOGIN_COOKIES[door]) if door else None  # type: ignore[attr-defined]
        if cookie:
            values.append(cookie)
        return values or [""]


def _csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def visitors(registry, app) -> list[Visitor]:  # type: ignore[no-untyped-def]
    """An anonymous visitor (holding every login page's cookie), a portal administrator,
    a registrant logged in to self-service and a member of the registry's staff."""
    import httpx

    from dkreg.actions.portal.users import portal_user_create
    from dkreg.actions.selfservice.login import set_password
    from dkreg.actions.selfservice.session import Registrant
    from dkreg.identity import staff
    from support.epp_objects import Agent

    def client() -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False,
                                        client=("192.0.2.77", 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    anonymous = Visitor("anonymous", client(), {})
    for door in LOGIN_COOKIES:
        r = await anonymous.client.get(door + "/login")  # type: ignore[attr-defined]
        assert r.status_code == 200, (door, r.status_code)

    handle, _login, _pw = await registry.new_registrar()
    email = f"walker@{handle.lower()}.example"
    agent = await Agent.new(registry, dkhm="4.5")
    contact = await agent.contact(email=f"walker.{handle.lower()}@example.dk")
    cid = await registry.scalar("select id from contacts where handle = :h", h=contact)
    async with registry.db.begin() as conn:
        ctx = registry.ctx(conn)
        await portal_user_create(ctx, handle, email, "administration", VISITOR_PASSWORD)
        await staff.create(ctx, f"staff.{handle.lower()}@registry.example", VISITOR_PASSWORD)
        await set_password(ctx, Registrant(email=None, contact_ids=(cid,), handles=(contact,)),
                           cid, VISITOR_PASSWORD, "127.0.0.1")

    async def logged_in(name: str, door: str, home: str, **fields: str) -> Visitor:
        c = client()
        page = await c.get(door + "/login")
        r = await c.post(door + "/login", data={**fields, "password": VISITOR_PASSWORD,
                                               "csrf": _csrf_of(page.text)})
        assert r.status_code == 303, (name, r.status_code, r.text[:300])
        r = await c.get(home)
        assert r.status_code == 200, (name, r.status_code)
        return Visitor(name, c, {door: _csrf_of(r.text)}, home)

    return [anonymous,
            await logged_in("portal", "/portal", "/portal/", email=email),
            await logged_in("selfservice", "/selfservice", "/selfservice/", login=contact),
            await logged_in("staff", "/staff", "/staff/",
                            email=f"staff.{handle.lower()}@registry.example")]

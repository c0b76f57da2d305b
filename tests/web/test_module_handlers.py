"""The web doors' handlers stay module-level functions with module-level route tables.

A ``routes(services)`` factory that holds its handlers as nested closures hides them from
import, from tests and from a reader (they were up to 156 lines of nested code); the
handlers read the service container from the request instead (``services_of``). This
walks the source of ``dkreg.web`` and fails when such a factory comes back: a function
that returns routes and defines async functions inside, or any function that takes the
container (``services``) and defines functions inside it, which is a closure over it.
The sandbox simulators under ``web/dev/`` are held to the same rule: whether one is
mounted is a function of the settings (``mounted``) that ``web/asgi.py`` asks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import dkreg.web
from dkreg.web.dev import mail as dev_mail
from dkreg.web.dev import payment as dev_payment
from dkreg.web.dev import sim_cvr, sim_mitid, simulators
from dkreg.web.pay import ROUTES as PAY_ROUTES
from dkreg.web.portal import account, login
from dkreg.web.selfservice import pages as ss_pages
from dkreg.web.staff import pages as staff_pages

WEB = Path(dkreg.web.__file__).parent


def _returns_routes(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A route factory: named ``routes``, annotated as returning routes, or returning a
    list that holds ``Route(...)``/``Mount(...)`` calls."""
    if fn.name == "routes":
        return True
    if fn.returns is not None and "Route" in ast.unparse(fn.returns):
        return True
    for node in ast.walk(fn):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.List):
            for item in ast.walk(node.value):
                if (isinstance(item, ast.Call) and isinstance(item.func, ast.Name)
                        and item.func.id in ("Route", "Mount")):
                    return True
    return False


def _takes_services(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = fn.args
    return any(a.arg == "services" for a in [*args.posonlyargs, *args.args,
                                             *args.kwonlyargs])


def nested_handlers(source: str, where: str) -> list[str]:
    """Each function in ``source`` that builds handlers as closures, as ``where:line name``."""
    found = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        inner = [n for n in ast.walk(fn) if n is not fn
                 and isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        if not inner:
            continue
        has_async = any(isinstance(n, ast.AsyncFunctionDef) for n in inner)
        if (has_async and _returns_routes(fn)) or _takes_services(fn):
            found.append(f"{where}:{fn.lineno} {fn.name}")
    return found


def web_sources() -> list[Path]:
    return sorted(WEB.rglob("*.py"))


def test_no_route_factory_holds_nested_handlers() -> None:
    found = [hit for p in web_sources()
             for hit in nested_handlers(p.read_text(encoding="utf-8"),
                                        str(p.relative_to(WEB)))]
    assert found == [], ("handlers nested in a function (make them module-level and read "
                         f"the services with services_of(request)): {found}")


def test_the_walk_sees_the_doors() -> None:
    names = {str(p.relative_to(WEB)) for p in web_sources()}
    assert {"pay.py", "public_registrars.py", "portal/login.py", "selfservice/pages.py",
            "staff/pages.py", "dev/mail.py", "dev/payment.py", "dev/sim_cvr.py",
            "dev/sim_mitid.py", "dev/simulators.py"} <= names


def test_the_check_catches_a_routes_factory() -> None:
    """The shape this test exists to keep out, in each of its disguises."""
    factory = '''
def routes(services):
    async def home(request):
        return services.settings
    return [Route("/", home)]
'''
    unnamed = '''
def portal_pages(settings) -> list[Route]:
    async def home(request):
        return settings
    return [home]
'''
    closure = '''
def guard(services, privilege):
    def wrap(handler):
        return handler
    return wrap
'''
    listed = '''
def table(settings):
    async def home(request):
        return settings
    return [Route("/", home)]
'''
    for source in (factory, unnamed, closure, listed):
        assert nested_handlers(source, "x"), source
    module_level = '''
async def home(request):
    return services_of(request).settings

ROUTES = [Route("/", home)]

def listing(privilege):
    @portal_route(privilege)
    async def endpoint(call):
        return call.services
    return endpoint
'''
    assert nested_handlers(module_level, "x") == []


def test_route_tables_are_module_level_lists_of_module_level_handlers() -> None:
    for module in (account, login, ss_pages, staff_pages, dev_mail, dev_payment, sim_cvr,
                   sim_mitid, simulators):
        assert isinstance(module.ROUTES, list) and module.ROUTES
        assert not hasattr(module, "routes")
    assert not hasattr(dev_payment, "simulator_routes")
    endpoints = {r.endpoint.__name__ for r in PAY_ROUTES}  # type: ignore[attr-defined]
    assert endpoints == {"callback", "show", "start", "pdf", "returned"}

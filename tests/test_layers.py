"""The import contract: dkreg's packages import downwards only.

From the bottom up (a package may import any package in a lower layer, none in its own
or a higher one):

    base       dkreg (the version), clock, config, poll_texts, detail_texts, messages_da
                              (texts: English and Danish)
               details, poll_texts_da   typed details of an error; Danish poll texts
               messages       the catalogue of reasons, rendered in either language
               errors, policy, logs, tls
               model          value types and pure rules
    store      store          tables, the unit of work (Ctx), ledger and audit writers, the
                              domain store (SQLAlchemy and PostgreSQL implementations)
               metrics        the Prometheus registry of a running server
               services, runner   the container a running server hands every door; the
                              one runner every door runs a command through
    core       mail, dns      the outbox and its sender (an adapter; bounces are passed in);
                              the .dk zone, its publication and the name-server checks
               actions        one module per business operation, by object or door
               identity       the outside registers (MitID, CVR) and ID documents, which
                              complete a contact's check through the actions
               billing        invoices, payment links, the payment provider's protocol
               lifecycle      time-driven steps (tick) over actions and billing; seed;
                              demo (the synthetic registry for measurements)
    doors      public         the public lookup protocols (WHOIS port 43, WHOIS REST,
                              RDAP, DAS, DSU): machine doors over the lookup read
                              models, mounted by the web app and started by the app
               epp, web       translate a request into actions (peers: neither imports
                              the other; sandbox simulators are web pages, web/dev/)
               monitor        the status page's automatic checks: probes of the doors
                              from outside, their verdicts through the status actions
    top        app            starts the doors, the lifecycle loop and the mail sender
               cli_support    one registry context per command
               cli_dns, cli_demo, cli_names   ``dkreg zone|sandbox|demo|names ...``
               cli            ``dkreg ...``, which runs the app

An import is any ``import`` statement anywhere in a module: at the top, inside a function
(a lazy import hides an edge, it does not remove it) or under ``TYPE_CHECKING``; and a
string that names a dkreg module, as handed to ``importlib.import_module``. A cycle
between packages needs an import within a layer or upwards, so it fails here too.

A new package gets a layer in ``LAYERS``; a function needed by a lower layer moves down
to it, or is passed in as a callable (``mail.sender.MailSender(bounces=...)``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import dkreg

SRC = Path(dkreg.__file__).parent

LAYERS: list[set[str]] = [
    {"dkreg", "clock", "config", "poll_texts", "detail_texts", "messages_da"},
    {"details", "poll_texts_da"},
    {"messages"},
    {"errors", "policy", "logs", "tls"},
    {"model"},
    {"store"},
    {"metrics"},
    {"services", "runner"},
    {"mail", "dns"},
    {"actions"},
    {"identity"},
    {"billing"},
    {"lifecycle", "seed", "demo"},
    {"public"},
    {"epp", "web"},
    {"monitor"},
    {"app"},
    {"cli_support"},
    {"cli_dns", "cli_demo", "cli_names"},
    {"cli"},
]
LAYER = {pkg: i for i, layer in enumerate(LAYERS) for pkg in layer}


def module_name(root: Path, path: Path) -> str:
    parts = ["dkreg", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """The top-level package (``dkreg.actions.domain.create`` -> ``actions``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "dkreg"


def imported(tree: ast.AST, here: str, is_package: bool, modules: set[str],
             module_files: set[str]) -> Iterator[tuple[int, str]]:
    """(line, dkreg module) for every import in the tree, wherever it stands."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = here.split(".")[: None if is_package else -1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield node.lineno, full if full in modules else base
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and node.value in module_files):
            # a module named by a string (importlib); logger names such as "dkreg.epp"
            # name packages, not module files, and are not counted
            yield node.lineno, node.value


def violations(root: Path) -> list[str]:
    """Every import of a package in the same or a higher layer, and every package
    without a layer."""
    files = sorted(root.rglob("*.py"))
    names = {module_name(root, f): f for f in files}
    module_files = {m for m, f in names.items() if f.name != "__init__.py"}
    found = []
    for module, path in names.items():
        if "migrations" in path.parts:
            continue
        source = package_of(module)
        if source not in LAYER:
            found.append(f"{module}: package {source!r} has no layer in LAYERS")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, target in imported(tree, module, path.name == "__init__.py", set(names),
                                     module_files):
            if target != "dkreg" and not target.startswith("dkreg."):
                continue
            dest = package_of(target)
            if dest == source:
                continue
            if dest not in LAYER:
                found.append(f"{module}:{line} imports {target} (package without a layer)")
            elif LAYER[dest] >= LAYER[source]:
                how = "a peer" if LAYER[dest] == LAYER[source] else "upwards"
                found.append(f"{module}:{line} imports {target}: {source} -> {dest} is {how}")
    return found


def test_packages_import_downwards_only() -> None:
    assert violations(SRC) == []


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    packages |= {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"}
    assert packages - set(LAYER) == set()


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "dkreg"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for d in {p.parent for p in root.rglob("*.py")}:
        (d / "__init__.py").touch()
    return root


def test_an_upward_import_is_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "store/schema.py": "from dkreg.web.templating import render\n",
        "web/templating.py": "",
    })
    assert violations(root) == [
        "dkreg.store.schema:1 imports dkreg.web.templating: store -> web is upwards"]


def test_a_lazy_import_and_a_module_named_by_string_are_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "mail/sender.py": ("def f():\n    from dkreg.actions import create\n"
                           'KINDS = {"x": "dkreg.actions.create"}\n'
                           'LOG = "dkreg.actions"\n'),
        "actions/create.py": "",
    })
    assert violations(root) == [
        "dkreg.mail.sender:2 imports dkreg.actions.create: mail -> actions is upwards",
        "dkreg.mail.sender:3 imports dkreg.actions.create: mail -> actions is upwards"]


def test_a_cycle_between_peers_is_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "epp/a.py": "from dkreg.web import b\n",
        "web/b.py": "from dkreg.epp import a\n",
    })
    assert sorted(violations(root)) == [
        "dkreg.epp.a:1 imports dkreg.web.b: epp -> web is a peer",
        "dkreg.web.b:1 imports dkreg.epp.a: web -> epp is a peer"]

"""ICANN's RDAP JSON Schemas (reference/rdap/icann-json-schema, from the RDAP Conformance
Tool) as validators, loaded as the reference README says: every file into one
``referencing.Registry`` under its file name, and the nested ``$id`` of ``jcard.json``
(which the Java tool ignores, and which would make ``#/definitions/vcard`` unreachable)
dropped. Standard formats (``idn-hostname``, ``date-time``, ``email``, …) are checked
where jsonschema can; ICANN's own formats (``status``, ``role``, ``eventAction``) are
IANA-registry lookups the Python validator skips — ``tests/public/test_rdap.py``
checks those values against the RFCs itself.

Without the reference folder the tests that need it are skipped, saying why."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

SCHEMAS = {"domain": "rdap_domain.json", "nameserver": "rdap_nameserver.json",
           "entity": "rdap_entity.json", "error": "rdap_error.json", "help": "rdap_help.json"}


def schema_dir() -> Path | None:
    base = os.environ.get("DKREG_REFERENCE_DIR")
    candidates = [Path(base)] if base else []
    candidates.append(Path(__file__).resolve().parents[3] / "shared" / "reference")
    for root in candidates:
        folder = root / "rdap" / "icann-json-schema"
        if (folder / "rdap_domain.json").is_file():
            return folder
    return None


def _strip_nested_ids(node: Any, top: bool = True) -> None:
    if isinstance(node, dict):
        if not top:
            node.pop("$id", None)
        for value in node.values():
            _strip_nested_ids(value, False)
    elif isinstance(node, list):
        for value in node:
            _strip_nested_ids(value, False)


@cache
def _validators() -> dict[str, Any]:
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    folder = schema_dir()
    assert folder is not None
    resources = []
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        _strip_nested_ids(doc)
        resources.append((path.name, Resource.from_contents(doc, default_specification=DRAFT7)))
    registry = Registry().with_resources(resources)
    return {kind: Draft7Validator({"$ref": name}, registry=registry,
                                  format_checker=Draft7Validator.FORMAT_CHECKER)
            for kind, name in SCHEMAS.items()}


def require_schemas() -> None:
    """Skip the calling test, visibly, when the ICANN schemas are not at hand."""
    if schema_dir() is None:
        pytest.skip("ICANN RDAP JSON schemas not found: set DKREG_REFERENCE_DIR to the "
                    "folder holding rdap/icann-json-schema")


def schema_errors(kind: str, body: Any) -> list[str]:
    """The schema's complaints about ``body`` as ``kind`` (domain, nameserver, entity,
    error, help); [] when it fits."""
    require_schemas()
    validator = _validators()[kind]
    return [f"{'/'.join(map(str, e.absolute_path)) or '<top>'}: {e.message}"
            for e in validator.iter_errors(body)]


def assert_valid(kind: str, body: Any) -> None:
    errors = schema_errors(kind, body)
    assert not errors, f"{kind} answer fails ICANN's schema:\n" + "\n".join(errors[:20])

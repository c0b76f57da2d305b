"""Access to ../shared/reference (configurable with DKREG_REFERENCE_DIR).

Tests that need it skip with a visible reason when it is absent; nothing is copied
into this repository.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[2]
REFERENCE_DIR = Path(os.environ.get("DKREG_REFERENCE_DIR", REPO.parent / "shared" / "reference"))

DKHM_NEW = (b"urn:dkhm:params:xml:ns:dkhm-4.4", b"urn:dkhm:params:xml:ns:dkhm-4.5")


def reference_path(*parts: str) -> Path:
    path = REFERENCE_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference material not found at {path} (set DKREG_REFERENCE_DIR)")
    return path


@functools.cache
def _schema(which: str) -> etree.XMLSchema:
    if which == "4.3":
        path = reference_path("epp", "all-dkhm-4.3.xsd")
    else:
        path = reference_path("dkhm", "xsd", "epp.xsd")
    return etree.XMLSchema(etree.parse(str(path)))


def validate_frame(data: bytes) -> None:
    """Validate a frame against the official schemas; raise AssertionError with the reason."""
    which = "4.5" if any(ns in data for ns in DKHM_NEW) else "4.3"
    schema = _schema(which)
    doc = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    if not schema.validate(doc):
        errors = "; ".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise AssertionError(f"frame does not validate against dkhm-{which} schemas: "
                             f"{errors}\n{data.decode(errors='replace')}")

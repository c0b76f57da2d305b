"""More of the web's texts, one module per area (``DA`` and ``EN`` dicts with the same keys).

Each area of the web keeps its texts beside the others instead of in one growing file;
``dkreg.web.i18n`` merges every module here into its catalogues and refuses a key that two
modules (or a module and i18n itself) both define, so no text silently replaces another.
"""

from __future__ import annotations

import importlib
import pkgutil


def catalogue_parts() -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """Every module's (name, DA, EN), in name order so the merge is repeatable."""
    parts = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        parts.append((info.name, module.DA, module.EN))
    return parts

"""The sandbox's identity simulators, mounted by ``web/asgi.py``: present only in
sandbox mode with ``identity_provider_mode`` "simulator" (production refuses that mode)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import Route

from dkreg.web.dev import sim_cvr, sim_mitid

if TYPE_CHECKING:
    from dkreg.config import Settings


def mounted(settings: Settings) -> bool:
    """Whether the app serves the MitID and CVR simulators."""
    return settings.sandbox and settings.identity_mode == "simulator"


ROUTES: list[Route] = [*sim_mitid.ROUTES, *sim_cvr.ROUTES]

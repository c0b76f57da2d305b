"""The sandbox's identity simulators, mounted by ``web/asgi.py``: present only in
sandbox mode with ``identity_provider_mode`` "simulator" (production refuses that mode)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import Route

from dkreg.web.dev import sim_cvr, sim_mitid

if TYPE_CHECKING:
    from dkreg.services import Services


def routes(services: Services) -> list[Route]:
    settings = services.settings
    if not settings.sandbox or settings.identity_mode != "simulator":
        return []
    return [*sim_mitid.routes(services), *sim_cvr.routes(services)]

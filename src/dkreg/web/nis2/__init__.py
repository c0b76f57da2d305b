"""NIS2 disclosure on the web: the public forms (``public``), the authorities' API
(``api``) and the staff's pages (``staff``); ``ROUTES`` mounts them all."""

from __future__ import annotations

from starlette.routing import Route

from dkreg.web.nis2 import api, public, staff

ROUTES: list[Route] = [*public.ROUTES, *api.ROUTES, *staff.ROUTES]

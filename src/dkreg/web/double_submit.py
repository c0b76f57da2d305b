"""Double-submit CSRF for forms shown before there is a session (the login pages of the
portal, self-service and the staff page).

A random value goes in an HttpOnly cookie and the same value in the form's ``csrf``
field; another site can make the browser send the cookie but cannot read it to put it
in the form. Each door has its own cookie, scoped to its path.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from dkreg.web.portal.guard import secure_cookies

if TYPE_CHECKING:
    from dkreg.services import Services

Render = Callable[..., Response]  # render(request, name, status_code, **context)


@dataclass(frozen=True)
class DoubleSubmit:
    cookie: str  # the cookie's name
    path: str  # the cookie's path: the door's pages
    samesite: Literal["lax", "strict"] = "lax"

    def page(self, render: Render, services: Services, request: Request, name: str,
             status_code: int = 200, **context: Any) -> Response:
        """``render``'s page with ``csrf`` in its context and the cookie that matches."""
        token = request.cookies.get(self.cookie) or secrets.token_urlsafe(32)
        resp = render(request, name, status_code, csrf=token, **context)
        resp.set_cookie(self.cookie, token, httponly=True, samesite=self.samesite,
                        secure=secure_cookies(request, services), path=self.path)
        return resp

    async def checked_form(self, request: Request) -> FormData | None:
        """The POSTed form, or None when its CSRF value does not match the cookie."""
        form = await request.form()
        cookie = request.cookies.get(self.cookie, "")
        sent = str(form.get("csrf", ""))
        if not cookie or not secrets.compare_digest(cookie.encode(), sent.encode()):
            return None
        return form

    def clear(self, resp: Response) -> None:
        resp.delete_cookie(self.cookie, path=self.path)

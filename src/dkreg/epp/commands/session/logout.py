"""logout: 1500 and close."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dkreg.epp.codec.response import Response

if TYPE_CHECKING:
    from dkreg.epp.session import Session


async def handle_session(session: Session) -> Response:
    if session.actor is None:
        return Response(code=1500, msg="Not logged in, or already logged out",
                        reason="not_logged_in_logout", close=True)
    session.actor = None
    return Response(code=1500, msg="User logged out. Closing Connection.", reason="logout",
                    close=True)

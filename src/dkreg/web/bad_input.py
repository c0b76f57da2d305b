"""Bad input gets a 400 or 404 page, never a 500.

Three causes made the web doors answer 500 to hostile input, each stopped here once for
every route:

- **NUL bytes.** PostgreSQL refuses ``\\x00`` in text, so a NUL in a login field, a
  search or a path segment became a database error. ``BadInputGuard`` (an ASGI
  middleware around the whole app) refuses a request whose path, query or form (URL-
  encoded or multipart: field names, text values, file names) holds a NUL, with a 400
  page in the reader's language naming the field.
- **Invalid UTF-8.** Starlette decodes such bytes to U+FFFD without a word, so what a
  handler sees is not what was sent; the guard refuses it in the path, the query and
  URL-encoded forms the same way. (A multipart text part that is not UTF-8 is read as
  Latin-1 by Starlette; harmless, and not refused.)
- **Numbers wider than the database's integer.** ``int`` path converters accept any
  number of digits; SQLite and PostgreSQL refuse one above 2**63-1. Ids in paths use
  the ``id`` converter (at most 18 digits: no route matches a longer one, so the answer
  is the 404 page), and ids from forms go through ``bounded_int``.

The pages themselves (and ``error_handlers``, every other error's page) are
``dkreg.web.error_pages``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dkreg.model.numbers import ID_DIGITS, bounded_int
from dkreg.web.error_pages import error_handlers, error_page

__all__ = ["ID_DIGITS", "BadInputGuard", "IdConvertor", "bounded_int", "error_handlers",
           "error_page"]

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator


class IdConvertor(Convertor[int]):
    """``{name:id}``: a database id in a path; a longer number matches no route."""

    regex = f"[0-9]{{1,{ID_DIGITS}}}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())


def _problem(raw: bytes) -> bool:
    """True when percent-decoded ``raw`` holds a NUL or is not UTF-8."""
    decoded = unquote_to_bytes(raw)
    if b"\x00" in decoded:
        return True
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _name(raw: bytes) -> str:
    """A field's name fit to show: decoded leniently, NUL shown as \\0, kept short."""
    return unquote_to_bytes(raw).decode("utf-8", "replace").replace("\x00", "\\0")[:64]


def encoded_problem(data: bytes) -> str | None:
    """The first field of a query string or URL-encoded form with a NUL or invalid UTF-8
    in its name or value; None when all are fine."""
    for pair in data.split(b"&"):
        name, _, value = pair.replace(b"+", b" ").partition(b"=")
        if _problem(name) or _problem(value):
            return _name(name) or "?"
    return None


async def multipart_problem(scope: Scope, body: bytes) -> str | None:
    """The first multipart field with a NUL in its name, text value or file name."""
    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    try:
        form = await MultiPartParser(Headers(scope=scope), stream()).parse()
    except MultiPartException:
        return None  # malformed: the handler's own request.form() answers 400
    try:
        for name, value in form.multi_items():
            text = (value.filename or "") if isinstance(value, UploadFile) else value
            if "\x00" in name or "\x00" in text:
                return name.replace("\x00", "\\0")[:64] or "?"
        return None
    finally:
        await form.close()


# Machine doors that answer bad input in their own protocol (DAS: 400 in the format the
# client asked for; DSU: reads non-UTF-8 form values as ISO-8859-1, as its specification
# says, and answers an X-DSU sub-code): an HTML page would be no answer to them.
OWN_DECODING = ("/das/", "/dsu/")


class BadInputGuard:
    """Refuse (400 page) a request with a NUL or invalid UTF-8 in its path, query or form."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(OWN_DECODING):
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        if _problem(raw_path.split(b"?", 1)[0]) or "\x00" in scope["path"]:
            await error_page(Request(scope), 400, "path")(scope, receive, send)
            return
        field = encoded_problem(scope.get("query_string", b""))
        if field is not None:
            await error_page(Request(scope), 400, field)(scope, receive, send)
            return
        ctype = Headers(scope=scope).get("content-type", "").lower()
        if not ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            await self.app(scope, receive, send)
            return
        chunks, more, first = [], True, None
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                first = message
                break
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if first is None:
            if ctype.startswith("multipart/"):
                field = await multipart_problem(scope, body)
            else:
                field = encoded_problem(body)
            if field is not None:
                await error_page(Request(scope), 400, field)(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                if first is not None:
                    return first
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

"""CSV downloads, written the way a spreadsheet in Denmark opens them, and streamed.

The format, and why:

- **Semicolon-separated.** Danish Excel (and LibreOffice in a Danish locale) splits a
  double-clicked ``.csv`` on the locale's list separator, which is ``;`` because ``,``
  is the decimal comma. A comma-separated file opens as one column there.
- **UTF-8 with a byte-order mark.** Without the BOM, Excel reads a CSV as the Windows
  code page and turns "Søren Ærø" into "SÃ¸ren Ã†rÃ¸"; with it, Excel, LibreOffice,
  Numbers, Python's ``utf-8-sig`` and pandas all read UTF-8. (Tools that do not expect a
  BOM see it as U+FEFF before the first header name, which is why it is only there once.)
- **CRLF line ends, RFC 4180 quoting** (``csv`` module, minimal quoting): a value with
  ``;``, a quote or a line break is quoted, so addresses survive.
- **ISO dates** (``2027-01-31``) and kontakt-IDs as text: unambiguous in any locale.
- **A formula guard.** A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
  carriage return, which some spreadsheets skip before reading one of those) is a formula
  to a spreadsheet: a contact named ``=HYPERLINK(...)`` would run when the registrar opens
  the file (CSV injection, OWASP). Such a cell gets a leading apostrophe, which the
  spreadsheet shows as text and does not display.

Rows are written as they are read, chunk by chunk (``stream``), so a registrar with a
hundred thousand domains gets the file without the server holding it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence

from starlette.responses import StreamingResponse

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: object) -> str:
    """A cell's text, made inert if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def lines(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text (guarded cells, ``;``, CRLF)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    for row in rows:
        writer.writerow([guard(cell) for cell in row])
    return out.getvalue()


async def _encoded(header: Sequence[str], chunks: AsyncIterator[list[Sequence[object]]]
                   ) -> AsyncIterator[bytes]:
    yield (BOM + lines([header])).encode("utf-8")
    async for chunk in chunks:
        if chunk:
            yield lines(chunk).encode("utf-8")


def stream(filename: str, header: Sequence[str],
           chunks: AsyncIterator[list[Sequence[object]]]) -> StreamingResponse:
    """A download of ``header`` then every chunk's rows, written as each chunk arrives."""
    return StreamingResponse(
        _encoded(header, chunks), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Cache-Control": "no-store"})

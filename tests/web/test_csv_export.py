"""The CSV format of the portal's exports: a spreadsheet formula is made inert, ``;`` and
CRLF with RFC 4180 quoting, UTF-8 with one BOM before the header."""

from __future__ import annotations

import csv
import io

import pytest

from dkreg.web.csv_export import _encoded, guard, lines


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("+45 12345678", "'+45 12345678"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("a=1", "a=1"), ("Jens-Ole", "Jens-Ole"), ("ærø.dk", "ærø.dk"), ("", ""), (None, ""),
    (2027, "2027"), ("'=quoted", "'=quoted"),
])
def test_guard(cell: object, written: str) -> None:
    assert guard(cell) == written


def test_lines_quote_and_end_with_crlf() -> None:
    text = lines([["a;b", 'say "hi"', "two\nlines", "=x"], ["", None, "ø", "3"]])
    assert text == '"a;b";"say ""hi""";"two\nlines";\'=x\r\n;;ø;3\r\n'
    assert list(csv.reader(io.StringIO(text, newline=""), delimiter=";")) == [
        ["a;b", 'say "hi"', "two\nlines", "'=x"], ["", "", "ø", "3"]]


async def test_one_bom_then_the_chunks() -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        yield [["ærø.dk", "2027-01-31"]]
        yield []
        yield [["b.dk", ""]]

    body = b"".join([part async for part in _encoded(["Domæne", "Udløber"], chunks())])
    assert body.startswith(b"\xef\xbb\xbf") and body.count(b"\xef\xbb\xbf") == 1
    assert body.decode("utf-8-sig") == "Domæne;Udløber\r\nærø.dk;2027-01-31\r\nb.dk;\r\n"

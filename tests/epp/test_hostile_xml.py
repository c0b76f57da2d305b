"""The XML guard (issue 11, item 4): every hostile frame of tests/epp/hostile_frames is a
2001, opens no file and no socket, and answers the same for an existing and a missing
file, both in the codec and through a real EPP session before login.

"Opens nothing" is checked twice: by a Python audit hook (``sys.addaudithook``), and,
because libxml2 opens files in C where no audit event fires, by tripwires that notice a
C-level open (a FIFO and a listening socket, tests/support/hostile.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

from dkreg.epp.codec import xml
from dkreg.epp.codec.response import Response, render
from dkreg.errors import EppError
from support import hostile

NO_DB = pytest.mark.parametrize(
    "backend", [os.environ.get("DKREG_TEST_BACKENDS", "sqlite").split(",")[0]])

HELLO = (b'<?xml version="1.0" encoding="UTF-8"?>'
         b'<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><hello/></epp>')


def _codec(data: bytes) -> EppError | None:
    try:
        xml.decode_frame(xml.parse_frame(data))
    except EppError as e:
        return e
    return None


def test_corpus_is_there() -> None:
    names = hostile.corpus_names()
    assert len(names) >= 25
    for expected in ("utf16-bom-doctype.utf-16.xml", "utf16le-nobom-doctype.utf-16-le.xml",
                     "utf32-bom-doctype.utf-32.xml", "doctype-after-5k-comment.xml",
                     "doctype-etc-shadow.xml", "parameter-entity.xml", "xinclude.xml",
                     "billion-laughs.xml", "external-entity-in-attribute.xml",
                     "xml-stylesheet-pi.xml", "declared-latin1-with-latin1-bytes.latin-1.xml"):
        assert expected in names


def test_every_hostile_frame_is_2001_and_opens_nothing(tmp_path: Path) -> None:
    assert _codec(HELLO) is None  # warm up: lazy imports are not the parser opening files
    with hostile.tripwires(tmp_path / "trip") as wires:
        answers: dict[tuple[str, str], str] = {}
        for name, kind, data in hostile.instances(wires):
            with hostile.audit_events() as events:
                e = _codec(data)
            assert e is not None, f"{name} ({kind}) was accepted"
            assert e.code == 2001, (name, kind, e.reason, e.detail)
            assert events == [], (name, kind, events)
            assert wires.touched() == [], (name, kind)
            text = f"{e.field}: {e.detail}"
            assert hostile.SECRET not in text and str(wires.root) not in text, (name, text)
            answers[name, kind] = text
        for (name, kind), text in answers.items():
            if kind == "existing":
                assert answers[name, "missing"] == text, f"{name}: a file-existence oracle"


@pytest.mark.parametrize("name", [n for n in hostile.corpus_names()
                                  if n.endswith("-5k-comment.xml") or n in (
                                      "utf16-bom-doctype.utf-16.xml",
                                      "utf16le-nobom-doctype.utf-16-le.xml",
                                      "utf32-bom-doctype.utf-32.xml",
                                      "doctype-after-pi-and-whitespace.xml")])
def test_each_encoding_and_position_trick_is_refused_by_name(name: str) -> None:
    e = _codec(hostile.render(name))
    assert e is not None and e.code == 2001
    assert e.field in ("DOCTYPE", "encoding"), (e.field, e.detail)
    if e.field == "encoding":
        assert "UTF-8" in (e.detail or "")


def test_declared_encoding_other_than_utf8_is_refused_naming_it() -> None:
    e = _codec(hostile.render("declared-latin1-ascii-only.xml"))
    assert e is not None and (e.code, e.field) == (2001, "encoding")
    assert "ISO-8859-1" in (e.detail or "") and "UTF-8" in (e.detail or "")
    e = _codec(hostile.render("declared-utf7-hidden-doctype.xml"))
    assert e is not None and (e.code, e.field) == (2001, "encoding")
    # a name that is not one is not echoed: control characters cannot be written in XML
    # (found by bench/fuzz_front_door.py --engine atheris)
    e = _codec(hostile.render("declared-encoding-control-chars.xml"))
    assert e is not None and (e.code, e.field) == (2001, "encoding")
    assert "invalid encoding name" in (e.detail or "")
    render(Response.from_error(e))
    # UTF-8 itself, with or without a byte order mark, in any case, is fine
    for head in (b"", b"\xef\xbb\xbf"):
        assert _codec(head + HELLO.replace(b"UTF-8", b"utf-8")) is None


def test_the_parser_itself_cannot_open_anything(tmp_path: Path) -> None:
    """Behind parse_frame's checks, the parser alone (``xml._parse``) must refuse to load an
    external subset or entity: lxml's ``load_dtd=False`` does not stop libxml2 from opening
    a ``file://`` DTD; the resolver that refuses every URL does."""
    with hostile.tripwires(tmp_path / "trip") as wires:
        answers = {}
        for name in ("doctype-after-5k-comment.xml", "parameter-entity.xml",
                     "external-general-entity.xml", "doctype-http.xml",
                     "attribute-default-from-external-dtd.xml"):
            kinds = wires.targets if hostile.uses_target(name) else {"fixed": ""}
            for kind, url in kinds.items():
                data = hostile.render(name, url, wires.http)
                try:  # an internal entity left unexpanded parses; a DTD to load does not
                    answer = etree.tostring(xml._parse(data), encoding="unicode")
                except EppError as e:
                    assert e.code == 2001
                    answer = f"{e.field}: {e.detail}"
                assert wires.touched() == [], (name, kind)
                assert hostile.SECRET not in answer
                answers[name, kind] = answer
        assert answers["parameter-entity.xml", "existing"] == \
            answers["parameter-entity.xml", "missing"]


def test_tripwires_work(tmp_path: Path) -> None:
    """The tripwires do see an open and a connect (otherwise the tests above prove nothing)."""
    import socket

    with hostile.tripwires(tmp_path / "trip") as wires:
        assert wires.touched() == []
        with open(wires.fifo, "rb") as f:  # a plain open, as libxml2 does
            # the writer loops: it may open the FIFO again and write once more before
            # this reader sees end of file, so read one copy
            assert f.read(len(hostile.DTD)) == hostile.DTD
        with hostile.audit_events() as events:
            socket.create_connection(wires.listener.getsockname()).close()
        assert "socket.connect" in {e for e, _ in events}
        assert sorted(wires.touched()) == sorted([f"{wires.fifo} was opened",
                                                  f"{wires.http} got a connection"])


@NO_DB
async def test_hostile_frames_through_a_session_before_login(registry, tmp_path: Path) -> None:
    with hostile.tripwires(tmp_path / "trip") as wires:
        answers: dict[tuple[str, str], str] = {}
        for name, kind, data in hostile.instances(wires):
            c = await registry.client()
            with hostile.audit_events() as events:
                r = await c.request(data)
            assert wires.touched() == [], (name, kind)
            assert wires.mentions(events) == [], (name, kind)
            assert hostile.SECRET.encode() not in r.raw, name
            assert r.find("epp:greeting") is None, f"{name} ({kind}) was answered as <hello>"
            assert r.code == 2001, (name, kind, r.msg)
            answers[name, kind] = r.msg
            await c.close()
        for (name, kind), msg in answers.items():
            if kind == "existing":
                assert answers[name, "missing"] == msg, f"{name}: a file-existence oracle"
        c = await registry.client()
        assert (await c.request(HELLO)).find("epp:greeting") is not None

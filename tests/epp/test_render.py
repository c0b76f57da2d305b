"""A response whose message holds a character XML cannot carry is still an answer.

Messages may echo what a client sent; before ``xml_text`` such a character made
``render`` raise outside the session's error handling, and the session ended with a
traceback instead of a 2001 (found by the front-door fuzz run)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from dkreg.epp.codec.response import MsgQ, Response, render
from support.reference import validate_frame


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x1b[31m", "\x0b\x0c", "\ud800", "\ufffe"])
def test_a_message_with_characters_xml_cannot_hold_renders_and_validates(bad: str) -> None:
    resp = Response(code=2001, msg=f"Command syntax error; encoding {bad!s} is not UTF-8",
                    cl_trid="ABC-1", sv_trid="SV-1",
                    msgq=MsgQ(count=1, id=1, msg=f"poll {bad}"))
    data = render(resp)
    validate_frame(data)
    msg = etree.fromstring(data).findtext(".//{urn:ietf:params:xml:ns:epp-1.0}msg")
    assert msg is not None and "\ufffd" in msg and bad not in msg


@given(st.text(max_size=80))
def test_any_message_text_renders(text: str) -> None:
    data = render(Response(code=2400, msg=text or "x", sv_trid="SV-1"))
    etree.fromstring(data)

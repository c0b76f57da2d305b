"""``Request.obj`` and ``Request.verb_element``: the typed way a handler reaches the
elements ``decode_frame`` guarantees, so that a handler dispatched without them (a
dispatch bug) fails by name rather than with ``'NoneType' object has no attribute``."""

from __future__ import annotations

from typing import Any

import pytest

from dkreg.epp.codec import xml
from dkreg.epp.request import Request

CHECK = (b'<?xml version="1.0" encoding="UTF-8"?>'
         b'<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command><check>'
         b'<domain:check xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">'
         b'<domain:name>example.dk</domain:name></domain:check>'
         b'</check><clTRID>ABC-1</clTRID></command></epp>')


def _request(frame: xml.Frame) -> Request:
    # a handler's other inputs play no part in these two properties
    none: Any = None
    return Request(frame=frame, ctx=none, session=none, services=none, raw=b"")


def test_decoded_command_gives_its_object_and_verb_element() -> None:
    req = _request(xml.decode_frame(xml.parse_frame(CHECK)))
    assert xml.element_name(req.obj) == "domain:check"
    assert xml.local(req.verb_element) == "check"


def test_missing_object_or_verb_element_is_named() -> None:
    req = _request(xml.Frame(kind="command", verb="check"))
    with pytest.raises(RuntimeError, match="<check> dispatched without an object element"):
        _ = req.obj
    with pytest.raises(RuntimeError, match="<check> dispatched without a verb element"):
        _ = req.verb_element

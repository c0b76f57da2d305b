"""Fuzzing the EPP front door (issue 11, item 5): inputs and the properties every input
must satisfy, shared by the bounded run in the suite (tests/epp/test_fuzz_front_door.py)
and the long run (bench/fuzz_front_door.py).

The front door is what a client reaches before it has logged in: the frame decoder
(``framing.read_frame``), the XML codec (``parse_frame`` + ``decode_frame``) and the
session's ``handle_frame``. Each must either return a result or fail in the one defined
way (``FrameError``/end of stream for framing, ``EppError`` for the codec), and every
answer must validate against the EPP schemas.
"""

from __future__ import annotations

import asyncio
import os
import struct
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from dkreg.epp.codec.response import Response, render
from dkreg.epp.codec.xml import Frame, decode_frame, parse_frame
from dkreg.epp.framing import FrameError, encode_frame, read_frame
from dkreg.errors import EppError
from support import frames, hostile
from support.reference import validate_frame

VALID = [s.encode() for s in (
    frames.hello(), frames.login("user1", "pw<&>æøå", dkhm=["4.3", "4.5"]), frames.logout(),
    frames.domain_check("a.dk", "b.dk"), frames.domain_info("eksempel.dk"),
    frames.contact_check("ABC1-DK"), frames.host_info("ns1.eksempel.dk"), frames.poll_req(),
    frames.command("<logout/>", cl_trid="<![CDATA[x&y]]>"),
)]

# fragments a mutation inserts: the tricks of the hostile corpus, in small pieces
TOKENS = [
    b"<!DOCTYPE epp>", b"<!doctype", b"<!ENTITY x 'y'>", b"&x;", b"&#0;", b"&#x10FFFF;",
    b"&lt;", b"<![CDATA[", b"]]>", b"<!--", b"-->", b"<?xml version='1.0'?>",
    b'<?xml version="1.0" encoding="UTF-16"?>', b"encoding='ISO-8859-1'", b"\x00",
    b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
    b"+ADw-", b"<", b">", b"/>", b'"', b"'", b"=", b"xmlns=", b'xmlns:x="urn:x"',
    b"<epp xmlns='urn:ietf:params:xml:ns:epp-1.0'>", b"</epp>", b"<command>", b"</command>",
    b"<clTRID>", b"</clTRID>", b"<extension>", b"<hello/>", b"<login>", b"<xi:include/>",
    b"\r\n", b"\t", b"\x0b", b"\x1b", "\u2028".encode(), "\ufffe".encode(),
]


# the hostile seeds point their {{TARGET}} at a FIFO tripwire here (hostile.Tripwires), so
# a fuzz run also notices the parser opening a file
TRIP_ROOT = Path(tempfile.gettempdir()) / f"dkreg-fuzz-{os.getpid()}"


def seeds() -> list[bytes]:
    fifo = (TRIP_ROOT / "fifo.dtd").as_uri()
    return VALID + [hostile.render(name, fifo) for name in hostile.corpus_names()]


@st.composite
def mutated(draw: st.DrawFn, pool: list[bytes]) -> bytes:
    """A seed with a few byte-level mutations (flip, insert a token, delete, duplicate,
    splice with another seed, truncate)."""
    data = bytearray(draw(st.sampled_from(pool)))
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["flip", "token", "bytes", "delete", "dup", "splice",
                                     "truncate"]))
        pos = draw(st.integers(0, len(data)))
        if kind == "flip" and data:
            i = min(pos, len(data) - 1)
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif kind == "token":
            data[pos:pos] = draw(st.sampled_from(TOKENS))
        elif kind == "bytes":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif kind == "dup":
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 64))]
        elif kind == "splice":
            other = draw(st.sampled_from(pool))
            cut = draw(st.integers(0, len(other)))
            data = data[:pos] + bytearray(other[cut:])
        elif kind == "truncate":
            del data[pos:]
    return bytes(data)


def frame_bodies() -> st.SearchStrategy[bytes]:
    pool = seeds()
    return st.one_of(
        mutated(pool),
        st.sampled_from(pool),
        st.binary(max_size=512),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )


def streams(max_frame: int) -> st.SearchStrategy[bytes]:
    """Byte streams for the frame decoder: well-formed frames, lying length headers, lengths
    at the limits, and garbage, in any order and cut anywhere."""
    def header(n: int) -> bytes:
        return struct.pack(">I", n)

    pieces = st.one_of(
        frame_bodies().map(encode_frame),
        st.sampled_from([0, 1, 3, 4, 5, max_frame - 1, max_frame, max_frame + 1, 2**31,
                         2**32 - 1]).map(header),
        st.tuples(st.integers(0, 2**32 - 1), st.binary(max_size=64)).map(
            lambda t: header(t[0]) + t[1]),
        st.binary(max_size=16),
    )
    return st.lists(pieces, max_size=6).map(b"".join)


# -- properties --------------------------------------------------------------------------

def check_codec(data: bytes) -> Frame | EppError:
    """parse_frame + decode_frame: a Frame, or an EppError whose response validates."""
    try:
        return decode_frame(parse_frame(data))
    except EppError as e:
        assert 2000 <= e.code <= 2999, (e.code, e.reason)
        resp = Response.from_error(e)
        resp.sv_trid = "FUZZ-1"
        validate_frame(render(resp))
        return e


async def read_all(data: bytes, max_frame: int) -> list[bytes]:
    """Feed ``data`` to read_frame until the stream ends; only the defined errors end it."""
    reader = asyncio.StreamReader(limit=2**16)
    reader.feed_data(data)
    reader.feed_eof()
    got: list[bytes] = []
    consumed = 0
    while True:
        try:
            body = await read_frame(reader, max_frame=max_frame, first_byte_timeout=5,
                                    read_timeout=5)
        except asyncio.IncompleteReadError:
            return got  # end of stream, possibly in the middle of a frame
        except FrameError:
            (length,) = struct.unpack(">I", data[consumed:consumed + 4])
            assert length <= 4 or length > max_frame, length
            return got
        assert len(body) + 4 <= max_frame
        assert data[consumed:consumed + 4 + len(body)] == encode_frame(body)
        consumed += 4 + len(body)
        got.append(body)


def check_answer(payload: bytes) -> None:
    """What the session sends back: a schema-valid EPP frame."""
    validate_frame(payload)

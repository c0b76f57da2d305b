"""A bounded fuzz run of the EPP front door (issue 11, item 5), seeded from the hostile
corpus (tests/epp/hostile_frames) and valid frames; the long run is
bench/fuzz_front_door.py.

Properties (tests/support/fuzz.py): the frame decoder ends only with a frame, the end of
the stream or a FrameError; the codec returns a Frame or an EppError whose response
validates against the EPP schemas; the session answers every frame before login with a
schema-valid response and no internal error. Derandomized, so the suite is reproducible;
the whole module stays well under 20 s.
"""

from __future__ import annotations

import asyncio
import os

import pytest
from hypothesis import HealthCheck, given, settings

from dkreg.epp.codec.xml import Frame
from dkreg.errors import EppError
from support import fuzz, hostile

NO_DB = pytest.mark.parametrize(
    "backend", [os.environ.get("DKREG_TEST_BACKENDS", "sqlite").split(",")[0]])

BOUNDED = settings(max_examples=250, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MAX_FRAME = 4096


@pytest.fixture(scope="module")
def wires():  # type: ignore[no-untyped-def]
    import shutil

    with hostile.tripwires(fuzz.TRIP_ROOT) as t:
        yield t
    shutil.rmtree(fuzz.TRIP_ROOT, ignore_errors=True)


def test_every_seed_is_handled() -> None:
    for data in fuzz.seeds():
        fuzz.check_codec(data)
    for name in hostile.corpus_names():
        assert isinstance(fuzz.check_codec(hostile.render(name)), EppError), name
    assert all(isinstance(fuzz.check_codec(v), Frame) for v in fuzz.VALID)


@BOUNDED
@given(data=fuzz.frame_bodies())
def test_codec_never_fails_outside_epp_errors(wires, data: bytes) -> None:  # type: ignore[no-untyped-def]
    fuzz.check_codec(data)
    assert wires.touched() == [], data


@BOUNDED
@given(fuzz.streams(MAX_FRAME))
def test_frame_decoder_ends_only_in_defined_ways(data: bytes) -> None:
    asyncio.run(fuzz.read_all(data, MAX_FRAME))


@NO_DB
def test_session_answers_every_frame_before_login(registry_factory, wires) -> None:  # type: ignore[no-untyped-def]
    """``handle_frame`` of a real session (over TLS, not logged in): every answer is a
    schema-valid EPP response (the autouse fixture validates what ``render`` produces, and
    the test once more), never 2400, never a greeting unless the frame was a <hello>."""
    with asyncio.Runner() as runner:
        cm = registry_factory()
        registry = runner.run(cm.__aenter__())
        try:
            runner.run(registry.client())
            (session,) = registry.server.sessions

            @settings(BOUNDED, max_examples=100)
            @given(fuzz.frame_bodies())
            def one(data: bytes) -> None:
                session.errors.clear()
                session.closing = False
                payload = runner.run(session.handle_frame(data))
                fuzz.check_answer(payload)
                assert b'code="2400"' not in payload, data
                assert session.actor is None
                assert wires.touched() == [], data

            one()
        finally:
            runner.run(cm.__aexit__(None, None, None))


def test_fuzz_properties_can_fail() -> None:
    """The properties are not vacuous: an answer that is not EPP fails check_answer, and a
    stream whose frames do not add up fails read_all."""
    with pytest.raises(AssertionError):
        fuzz.check_answer(b"<epp xmlns='urn:ietf:params:xml:ns:epp-1.0'><nonsense/></epp>")
    assert asyncio.run(fuzz.read_all(fuzz.encode_frame(b"x" * 100), 50)) == []
    assert asyncio.run(fuzz.read_all(fuzz.encode_frame(b"ab") * 2 + b"\0\0", 50)) == [b"ab"] * 2

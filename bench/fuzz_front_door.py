"""The long fuzz run of the EPP front door (issue 11, item 5).

The suite runs a bounded, derandomized version (tests/epp/test_fuzz_front_door.py); this
runs the same properties (tests/support/fuzz.py) for as long as you like, seeded from
the hostile corpus (tests/epp/hostile_frames) and with the FIFO/socket tripwires armed,
so a parser that opens a file is caught as well as one that raises::

    .venv/bin/python bench/fuzz_front_door.py --seconds 600            # hypothesis
    .venv/bin/python bench/fuzz_front_door.py --seconds 600 --engine atheris

``--engine atheris`` (coverage-guided; ``pip install atheris``, not a dkreg dependency)
fuzzes the codec only. A failure prints the input (as a Python bytes literal) and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

from hypothesis import HealthCheck, given, settings  # noqa: E402

if "--engine=atheris" in sys.argv or "atheris" in sys.argv:
    # coverage needs dkreg imported under atheris' instrumentation, before support does
    import atheris  # type: ignore[import-not-found]

    with atheris.instrument_imports(include=["dkreg"]):
        import dkreg.epp.codec.xml  # noqa: F401

from support import fuzz, hostile  # noqa: E402

MAX_FRAME = 262_144


def run_hypothesis(seconds: float, wires: hostile.Tripwires) -> int:
    deadline = time.monotonic() + seconds
    counts = {"codec": 0, "framing": 0}
    common = settings(max_examples=10**9, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))

    class Done(Exception):
        pass

    @common
    @given(fuzz.frame_bodies())
    def codec(data: bytes) -> None:
        if time.monotonic() > deadline:
            raise Done
        fuzz.check_codec(data)
        assert wires.touched() == [], data
        counts["codec"] += 1

    @common
    @given(fuzz.streams(MAX_FRAME))
    def framing(data: bytes) -> None:
        if time.monotonic() > deadline:
            raise Done
        asyncio.run(fuzz.read_all(data, MAX_FRAME))
        counts["framing"] += 1

    half = seconds / 2
    for name, test in (("codec", codec), ("framing", framing)):
        deadline = time.monotonic() + half
        with contextlib.suppress(Done):
            test()
        print(f"{name}: {counts[name]} inputs, no failure")
    return 0


def run_atheris(seconds: float, wires: hostile.Tripwires) -> int:
    deadline = time.monotonic() + seconds

    def one(data: bytes) -> None:
        if time.monotonic() > deadline:
            # libFuzzer ends with a C exit(), past Python's cleanup: stop on our own terms
            print(f"codec: {len(runs)} inputs, no failure", flush=True)
            wires.close()
            shutil.rmtree(wires.root, ignore_errors=True)
            os._exit(0)
        fuzz.check_codec(data)
        assert wires.touched() == [], data
        runs.append(1)

    runs: list[int] = []
    corpus = wires.root / "atheris-corpus"
    corpus.mkdir()
    for i, seed in enumerate(fuzz.seeds()):
        (corpus / f"seed-{i}").write_bytes(seed)
    atheris.Setup([sys.argv[0], str(corpus), "-artifact_prefix=/tmp/dkreg-fuzz-crash-"], one)
    atheris.Fuzz()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--engine", choices=["hypothesis", "atheris"], default="hypothesis")
    args = ap.parse_args()
    root = fuzz.TRIP_ROOT
    with hostile.tripwires(root) as wires:
        try:
            if args.engine == "atheris":
                return run_atheris(args.seconds, wires)
            return run_hypothesis(args.seconds, wires)
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

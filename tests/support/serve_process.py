"""``dkreg serve`` as a subprocess in a test: started, read until it says it is ready, and
the processes it started."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


def read_until_ready(proc: subprocess.Popen[str], seconds: float = 60) -> str:
    """What ``dkreg serve`` printed up to and including its "Stop with" line (all it
    printed, if it ended or the time ran out first)."""
    out, deadline = "", time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            break
        out += line
        if line.startswith("Stop with"):
            break
    return out


def children(pid: int) -> set[int]:
    """The processes ``pid`` started (its workers)."""
    return {int(x) for t in Path(f"/proc/{pid}/task").glob("*/children")
            for x in t.read_text().split()}


def alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False

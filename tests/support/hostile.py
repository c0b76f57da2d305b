"""The hostile-frame corpus (tests/epp/hostile_frames) and tripwires that show whether
parsing a frame opened a file or a socket.

Python-level opens and sockets are seen by an audit hook (``sys.addaudithook``). libxml2
opens files in C, where no audit event fires, so the frames also point at tripwires
that notice a C-level open:

- a FIFO with a writer in a child process: the child's ``open(O_WRONLY)`` only returns
  once somebody opens the FIFO for reading; it then creates a marker file *before* it
  writes and closes, and a reader cannot finish before that close, so once parsing has
  returned the marker exists if and only if the parser opened the FIFO. The child loops,
  so a parser that opens it again never hangs;
- a listening TCP socket: a connect on loopback lands in its backlog at once, so a
  non-blocking ``accept`` after parsing tells whether anything connected.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "epp" / "hostile_frames"

SECRET = "TOPSECRET"
DTD = f'<!ENTITY leak "{SECRET}">'.encode()

WATCHED_EVENTS = frozenset({
    "open", "os.listdir", "os.scandir", "shutil.copyfile", "socket.__new__",
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request",
    "http.client.connect", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn",
})

_FIFO_WRITER = """
import os, sys
fifo, marker, data = sys.argv[1], sys.argv[2], sys.argv[3].encode()
while True:
    fd = os.open(fifo, os.O_WRONLY)
    open(marker, "w").close()
    try:
        os.write(fd, data)
    except OSError:
        pass
    os.close(fd)
"""


# -- the audit hook ----------------------------------------------------------------------

_recording: list[list[tuple[str, tuple[object, ...]]]] = []
_installed = False


def _hook(event: str, args: tuple[object, ...]) -> None:
    if _recording and event in WATCHED_EVENTS:
        _recording[-1].append((event, args))


@contextlib.contextmanager
def audit_events() -> Iterator[list[tuple[str, tuple[object, ...]]]]:
    """Collect the file, socket and process audit events raised inside the block.

    The hook is installed once per process (audit hooks cannot be removed) and records
    only while a block is open.
    """
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    events: list[tuple[str, tuple[object, ...]]] = []
    _recording.append(events)
    try:
        yield events
    finally:
        _recording.pop()


# -- tripwires ---------------------------------------------------------------------------

@dataclass
class Tripwires:
    root: Path
    secret: Path = field(init=False)
    missing: Path = field(init=False)
    fifo: Path = field(init=False)
    marker: Path = field(init=False)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.secret = self.root / "secret.dtd"
        self.secret.write_bytes(DTD)
        self.missing = self.root / "missing.dtd"
        self.fifo = self.root / "fifo.dtd"
        os.mkfifo(self.fifo)
        self.marker = self.root / "fifo-was-opened"
        self._writer = subprocess.Popen(
            [sys.executable, "-c", _FIFO_WRITER, str(self.fifo), str(self.marker),
             DTD.decode()])
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.http = f"http://127.0.0.1:{self.listener.getsockname()[1]}/epp.dtd"

    @property
    def targets(self) -> dict[str, str]:
        """The ``{{TARGET}}`` variants: the answers for ``existing`` and ``missing`` must
        be the same; ``fifo`` is the C-level tripwire."""
        return {"existing": self.secret.as_uri(), "missing": self.missing.as_uri(),
                "fifo": self.fifo.as_uri()}

    def touched(self) -> list[str]:
        """What has been opened or connected to since the last call (and reset it)."""
        found = []
        if self.marker.exists():
            found.append(f"{self.fifo} was opened")
            self.marker.unlink()
        with contextlib.suppress(BlockingIOError):
            conn, _ = self.listener.accept()
            conn.close()
            found.append(f"{self.http} got a connection")
        return found

    def mentions(self, events: list[tuple[str, tuple[object, ...]]]) -> list[str]:
        """Audit events that name a tripwire (for in-process servers whose other work,
        such as the database, legitimately opens files and sockets)."""
        port = str(self.listener.getsockname()[1])
        return [f"{e} {a!r}" for e, a in events
                if str(self.root) in repr(a) or f"'127.0.0.1', {port}" in repr(a)
                or "/etc/shadow" in repr(a) or "/proc/self/environ" in repr(a)]

    def close(self) -> None:
        self._writer.kill()
        self._writer.wait()
        self.listener.close()


@contextlib.contextmanager
def tripwires(root: Path) -> Iterator[Tripwires]:
    t = Tripwires(root)
    try:
        yield t
    finally:
        t.close()


# -- the corpus --------------------------------------------------------------------------

def corpus_names() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("*.xml"))


def render(name: str, target: str = "file:///nonexistent/dkreg.dtd",
           http: str = "http://127.0.0.1:9/epp.dtd") -> bytes:
    """One corpus frame with its placeholders filled, in the encoding its name says."""
    path = CORPUS / name
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    text = text.replace("{{TARGET}}", target).replace("{{HTTP}}", http)
    parts = name.split(".")
    if len(parts) == 3:
        return text.encode(parts[1])
    return text.encode("utf-8")


def uses_target(name: str) -> bool:
    return b"{{TARGET}}" in (CORPUS / name).read_bytes()


def instances(wires: Tripwires) -> Iterator[tuple[str, str, bytes]]:
    """(corpus name, target kind, frame bytes) for every frame and every target."""
    for name in corpus_names():
        kinds = wires.targets if uses_target(name) else {"fixed": ""}
        for kind, url in kinds.items():
            yield name, kind, render(name, url or "file:///nonexistent", wires.http)


def seeds() -> list[bytes]:
    """Every corpus frame once, for the fuzzers (targets point nowhere)."""
    return [render(name) for name in corpus_names()]

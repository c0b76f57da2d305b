"""RFC 5734 framing: a 4-byte big-endian total length (header included), then the XML."""

from __future__ import annotations

import asyncio
import struct


class FrameError(Exception):
    """The peer broke framing (bad header, too large, truncated, stalled): close, no reply."""


async def read_frame(reader: asyncio.StreamReader, *, max_frame: int, first_byte_timeout: float,
                     read_timeout: float) -> bytes:
    """Read one frame.

    ``first_byte_timeout`` is the idle budget (waiting for a client to start a frame);
    ``read_timeout`` bounds the rest, so a client that announces 200 kB and sends 10 bytes
    cannot hold the session forever.
    """
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(first_byte_timeout) as budget:
        header = await reader.readexactly(1)
        budget.reschedule(loop.time() + read_timeout)
        header += await reader.readexactly(3)
        (length,) = struct.unpack(">I", header)
        if length > max_frame:
            raise FrameError(f"frame of {length} bytes exceeds the {max_frame} byte limit")
        if length <= 4:
            raise FrameError(f"length header {length} is too small")
        return await reader.readexactly(length - 4)


def encode_frame(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 4) + payload

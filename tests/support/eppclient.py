"""A small asyncio EPP client for dkreg's own tests.

Every frame it receives is validated against the official schemas, so no test can see a
response that a real client would reject.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from support.reference import validate_frame

NS = {
    "epp": "urn:ietf:params:xml:ns:epp-1.0",
    "domain": "urn:ietf:params:xml:ns:domain-1.0",
    "contact": "urn:ietf:params:xml:ns:contact-1.0",
    "host": "urn:ietf:params:xml:ns:host-1.0",
    "balance": "http://www.verisign.com/epp/balance-1.0",
    "dkhm": "urn:dkhm:params:xml:ns:dkhm-4.3",
    "dkhm45": "urn:dkhm:params:xml:ns:dkhm-4.5",
    "secDNS": "urn:ietf:params:xml:ns:secDNS-1.1",
}


@dataclass
class Reply:
    raw: bytes
    root: etree._Element

    @property
    def code(self) -> int:
        return int(self.root.find(".//epp:result", NS).get("code"))

    @property
    def msg(self) -> str:
        return self.root.findtext(".//epp:result/epp:msg", namespaces=NS) or ""

    def find(self, path: str) -> etree._Element | None:
        return self.root.find(path, NS)

    def findall(self, path: str) -> list[etree._Element]:
        return self.root.findall(path, NS)

    def text(self, path: str) -> str | None:
        el = self.root.find(path, NS)
        return None if el is None else (el.text or "").strip()

    def dkhm(self, name: str) -> str | None:
        for ns in ("urn:dkhm:params:xml:ns:dkhm-4.3", "urn:dkhm:params:xml:ns:dkhm-4.4",
                   "urn:dkhm:params:xml:ns:dkhm-4.5"):
            el = self.root.find(f".//{{{ns}}}{name}")
            if el is not None:
                return (el.text or "").strip()
        return None


def client_ssl(ca_file: str | Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(ca_file))
    return ctx


class EppClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.greeting: Reply | None = None

    @classmethod
    async def connect(cls, host: str, port: int, ca_file: str | Path,
                      local_addr: tuple[str, int] | None = None) -> EppClient:
        """``local_addr``: the source address (``("127.0.0.2", 0)`` is another client
        address on Linux loopback)."""
        reader, writer = await asyncio.open_connection(host, port, ssl=client_ssl(ca_file),
                                                       server_hostname="localhost",
                                                       local_addr=local_addr)
        client = cls(reader, writer)
        client.greeting = await client.read()
        return client

    async def read(self, timeout: float = 30) -> Reply:
        header = await asyncio.wait_for(self.reader.readexactly(4), timeout)
        (length,) = struct.unpack(">I", header)
        data = await asyncio.wait_for(self.reader.readexactly(length - 4), timeout)
        validate_frame(data)
        return Reply(data, etree.fromstring(data))

    async def send_raw(self, payload: bytes) -> None:
        self.writer.write(struct.pack(">I", len(payload) + 4) + payload)
        await self.writer.drain()

    async def request(self, xml: str | bytes) -> Reply:
        payload = xml.encode() if isinstance(xml, str) else xml
        await self.send_raw(payload)
        return await self.read()

    async def login(self, login: str, password: str, *, dkhm: str | Sequence[str] = "4.3",
                    new_pw: str | None = None) -> Reply:
        from support import frames

        return await self.request(frames.login(login, password, dkhm=dkhm, new_pw=new_pw))

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
            await asyncio.wait_for(self.writer.wait_closed(), 2)

    async def at_eof(self, timeout: float = 5) -> bool:
        """True when the server has closed the connection (no further frame)."""
        try:
            data = await asyncio.wait_for(self.reader.read(1), timeout)
        except (ConnectionError, ssl.SSLError):
            return True
        return data == b""

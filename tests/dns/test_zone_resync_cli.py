"""``dkreg zone resync`` against the sandbox's own Knot DNS, as an operator runs it: the
server lets the update key transfer the zone, the differences go out, and a second run
finds nothing to do. Both backends."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from pub_support import served

from dkreg.dns.knot import KnotServer
from epp.update_support import ready_registrar
from support.knot import apex_zone_text, knot_settings

NS_SET = ["ns1.example.net.", "ns2.example.net."]  # ready_registrar's domains


def resync_cli(registry) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "DKREG_DNS_SERVER": "knot", "DKREG_DNS_PORT": "0"}
    return subprocess.run([sys.executable, "-m", "dkreg.cli", "zone", "resync",
                           "--data-dir", str(registry.settings.data_dir),
                           "--database-url", registry.settings.database_url],
                          capture_output=True, text=True, timeout=120, env=env)


async def test_resync_fills_the_sandbox_server_and_is_idempotent(registry) -> None:  # type: ignore[no-untyped-def]
    await ready_registrar(registry, "rigtig.dk", "anden.dk")
    data_dir = Path(registry.settings.data_dir)
    settings = knot_settings(data_dir)
    server = KnotServer(settings, data_dir / "dns")  # where `dkreg serve` keeps it
    server.start(apex_zone_text(settings))  # a server that knows none of the domains
    try:
        assert served(server, "rigtig.dk", "NS") == []  # type: ignore[arg-type]
        first = await asyncio.to_thread(resync_cli, registry)
        assert first.returncode == 0, first.stderr
        assert f"at 127.0.0.1 port {server.port}" in first.stdout
        assert " 2 updated (0 removed), 0 refused" in first.stdout, first.stdout
        for name in ("rigtig.dk", "anden.dk"):
            assert served(server, name, "NS") == NS_SET  # type: ignore[arg-type]
        again = await asyncio.to_thread(resync_cli, registry)
        assert again.returncode == 0, again.stderr
        assert " 0 updated (0 removed), 0 refused, 0 messages" in again.stdout, again.stdout
    finally:
        server.stop()

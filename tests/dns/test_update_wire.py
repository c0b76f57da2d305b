"""An update larger than one DNS message (64 KiB over TCP) is split, not failed: the
publisher's batch of 500 names with several name servers and DS records each is about
twice that. Against a real Knot DNS."""

from __future__ import annotations

from pathlib import Path

import dns.exception
import pytest
from pub_support import own_knot, served

from dkreg.dns.update import MAX_WIRE, Change, Updater

DIGEST = "2BB183AF5F22588179A53B0A98631FAD1A292118C4E8B1A8C2F4B7D0A4E9BF5E"


def change(i: int) -> Change:
    name = f"stor-delegering-{i:04d}.dk"
    records = [("NS", f"ns{k}.hosting-med-et-langt-navn-{i % 7}.example.net.")
               for k in range(1, 7)]
    records += [("DS", f"{10000 + k} 13 2 {DIGEST}") for k in range(3)]
    return Change.build(name, records)


async def test_a_batch_larger_than_one_message_is_sent_in_parts(tmp_path: Path) -> None:
    changes = [change(i) for i in range(500)]
    with own_knot(tmp_path / "knot") as knot:
        updater = Updater(knot.target(timeout=30.0), 3600)
        with pytest.raises(dns.exception.TooBig):  # the case at hand: no single message
            updater.message(changes).to_wire(max_size=MAX_WIRE)
        out = await updater.publish(changes)
        assert sorted(out.published) == sorted(c.name for c in changes)
        assert out.refused == [] and out.messages >= 2
        for i in (0, 249, 499):
            assert len(served(knot, f"stor-delegering-{i:04d}.dk", "NS")) == 6
            assert len(served(knot, f"stor-delegering-{i:04d}.dk", "DS")) == 3

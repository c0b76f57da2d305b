"""Poll snapshots come back as the same info dataclass, nested values and times included."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from dkreg.actions.domain.info import AuthToken, DomainInfo, DsRecord
from dkreg.actions.host.info import HostInfo
from dkreg.actions.poll.snapshots import from_json, to_json

T = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def test_domain_info_round_trip_through_json() -> None:
    info = DomainInfo(
        name="eksempel.dk", roid="EKSEMPEL_DK-DK", statuses=["ok"], registrant="AB1-DK",
        ns=["ns1.eksempel.dk"], hosts=None, cl_id="REG-1", cr_id="REG-1", cr_date=T,
        up_id=None, up_date=None, ex_date=T, registrant_validated=True, autorenew=True,
        related=True, contacts=[("billing", "REG-1")], ds=[DsRecord(1, 13, 2, "AB" * 32)],
        auth_tokens=[AuthToken("transfer", "REG-TRANSFER-" + "0" * 32, T)],
        advisories=[("pendingDeletionDate", T)], tr_date=T, vid=True)
    back = from_json("domain", json.loads(json.dumps(to_json(info))))
    assert back == info
    assert isinstance(back.ds[0], DsRecord) and back.auth_tokens[0].expires_at == T


def test_fields_missing_from_an_old_snapshot_get_defaults() -> None:
    data = to_json(HostInfo(name="ns1.x.dk", roid="NS1_X_DK-DK", statuses=["ok"],
                            addrs=[("192.0.2.1", "v4")], cl_id="REG-1", cr_id="REG-1",
                            cr_date=T, up_id=None, up_date=None))
    del data["up_date"]
    back = from_json("host", data)
    assert back.up_date is None and back.cr_date == T and back.addrs == [("192.0.2.1", "v4")]

"""The settings a test registry runs with: one place for conftest and for test modules
(importing ``conftest`` by name is ambiguous: each test folder has one)."""

from __future__ import annotations

from pathlib import Path

from dkreg.config import Settings


def make_settings(db_url: str, data_dir: Path, **kw: object) -> Settings:
    s = Settings(data_dir=data_dir, database_url=db_url, epp_port=0, lifecycle_interval=3600)
    # no name server and no name-server check unless a test asks for them (tests/dns)
    s.dns_server = "off"
    s.ns_check = "off"
    # the HTTP lookups unthrottled: every test client is in 192.0.2.0/24 (one network to
    # the limit) and many tests look up more than once a second; tests/public turn it on
    s.lookup_http_rate = 0.0
    for k, v in kw.items():
        setattr(s, k, v)
    return s

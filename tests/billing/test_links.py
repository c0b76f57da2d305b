"""Payment links: signed, for one invoice, expiring; the sandbox makes its own key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dkreg.billing.links import LinkInvalid, payment_link, secret_key, sign, verify
from dkreg.config import Settings

NOW = datetime(2027, 5, 2, 10, 0, tzinfo=UTC)


def test_a_link_opens_its_own_invoice_until_it_expires(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, payment_link_days=60)
    token = sign(s, 42, NOW)
    assert verify(s, token, NOW) == 42
    assert verify(s, token, NOW + timedelta(days=59)) == 42
    with pytest.raises(LinkInvalid) as e:
        verify(s, token, NOW + timedelta(days=60))
    assert e.value.reason == "expired"
    assert payment_link(s, 42, NOW) == f"{s.public_base_url}/pay/{token}"


def test_altered_forged_and_malformed_links_are_refused(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path)
    invoice, expires, mac = sign(s, 42, NOW).split(".")
    other = sign(s, 43, NOW).split(".")[2]
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    for token, reason in ((f"43.{expires}.{mac}", "signature"),  # another invoice
                          (f"{invoice}.{int(expires) + 86400}.{mac}", "signature"),  # later
                          (f"{invoice}.{expires}.{flipped}", "signature"),
                          (f"{invoice}.{expires}.{other}", "signature"),
                          (f"{invoice}.{expires}", "malformed"), ("", "malformed"),
                          (f"{invoice}.{expires}.{mac}x", "malformed")):
        with pytest.raises(LinkInvalid) as e:
            verify(s, token, NOW)
        assert e.value.reason == reason, token
    # a link signed under another installation's key is worthless here
    elsewhere = Settings(data_dir=tmp_path / "other")
    with pytest.raises(LinkInvalid):
        verify(s, sign(elsewhere, 42, NOW), NOW)


def test_the_sandbox_keeps_its_generated_key_and_production_needs_one(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path)
    key = secret_key(s)
    assert len(key) >= 32 and secret_key(Settings(data_dir=tmp_path)) == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    with pytest.raises(RuntimeError):
        secret_key(Settings(data_dir=tmp_path / "p", mode="production"))
    configured = Settings(data_dir=tmp_path / "p", mode="production", secret_key="k" * 40)
    assert verify(configured, sign(configured, 1, NOW), NOW) == 1

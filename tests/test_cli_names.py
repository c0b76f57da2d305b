"""``dkreg names``: the operator reserves, offers and releases names; the lookups follow."""

from __future__ import annotations

from pathlib import Path

from test_cli import run


def test_reserve_offer_release_and_list(db_url: str, tmp_path: Path) -> None:
    common = ["--data-dir", str(tmp_path), "--database-url", db_url]
    r = run("names", "reserve", "Kongehuset.dk", "--reason", "the royal house", *common)
    assert r.returncode == 0 and "kongehuset.dk: reserved" in r.stdout, r.stderr
    r = run("names", "offer", "xn--blbr-roah.dk", "--days", "7", *common)  # A-label in
    assert r.returncode == 0 and "blåbær.dk: offered" in r.stdout, r.stderr
    r = run("names", "list", *common)
    assert "kongehuset.dk\treserved\tthe royal house" in r.stdout
    assert "blåbær.dk\twaiting_list\toffered until" in r.stdout
    r = run("names", "reserve", "bad_name.dk", "--reason", "x", *common)
    assert r.returncode == 1 and "2306" in r.stderr
    r = run("names", "offer", "noget.dk", "--days", "0", *common)
    assert r.returncode == 1 and "2004" in r.stderr
    assert run("names", "release", "kongehuset.dk", *common).returncode == 0
    r = run("names", "release", "kongehuset.dk", *common)
    assert r.returncode == 1 and "neither" in r.stdout
    assert "kongehuset.dk" not in run("names", "list", *common).stdout

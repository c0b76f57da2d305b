"""Generated passwords: the registry's rule, EPP's 16-character login limit, and safe to
paste into a shell or an XML frame as they are."""

from __future__ import annotations

import shlex
from xml.sax.saxutils import escape

from dkreg.model.passwords import check_password_rule, generate_password


def test_generated_passwords_paste_into_shells_and_frames_unquoted() -> None:
    seen: set[str] = set()
    for _ in range(500):
        password = generate_password(16)
        assert len(password) == 16
        check_password_rule(password)
        assert shlex.quote(password) == password, password
        assert escape(password, {'"': "&quot;", "'": "&apos;"}) == password, password
        seen.update(c for c in password if not c.isalnum())
    assert len(seen) >= 5  # the specials class is really used, not one character


def test_reading_settings_leaves_the_hash_cost_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``load_settings`` used to set the process's argon2 cost: every test after one that
    read settings hashed at production cost (the suite ran three times slower). Only the
    CLI, where a process starts, sets it."""
    from dkreg import cli
    from dkreg.config import load_settings
    from dkreg.model import passwords

    before = passwords.cost()
    load_settings(env={"DKREG_ARGON2_TIME_COST": "3", "DKREG_ARGON2_MEMORY_KIB": "9000"})
    assert passwords.cost() == before
    config = tmp_path / "dkreg.toml"
    config.write_text("argon2_time_cost = 2\nargon2_memory_kib = 8200\n")
    assert cli.main(["ledger", "verify", "--data-dir", str(tmp_path / "data"),
                     "--config", str(config)]) == 0
    assert passwords.cost() == (2, 8200)  # the conftest fixture puts the cheap cost back

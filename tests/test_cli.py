"""The ``dkreg`` command line against a real database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DKREG = [sys.executable, "-m", "dkreg.cli"]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:  # type: ignore[type-arg]
    return subprocess.run([*DKREG, *args], capture_output=True, text=True, timeout=120,
                          env=env)


def test_registrar_user_and_clock(db_url: str, tmp_path: Path) -> None:
    common = ["--data-dir", str(tmp_path), "--database-url", db_url]
    r = run("registrar", "create", "REG-777", "--name", "CLI Registrar", "--email",
            "cli@example.dk", "--balance", "1500.50", *common)
    assert r.returncode == 0, r.stderr
    r = run("registrar", "create", "REG-777", "--name", "Again", "--email", "a@example.dk",
            *common)
    assert r.returncode == 1 and "2302" in r.stderr
    r = run("registrar", "create", "777", "--name", "Bad", "--email", "a@example.dk", *common)
    assert r.returncode == 1 and "REG-123456" in r.stderr
    r = run("user", "create", "REG-777", "cli-epp", "--service", "epp", "--password",
            "weak", *common)
    assert r.returncode == 1 and "8 to 64" in r.stderr
    r = run("user", "create", "REG-777", "cli-epp", "--service", "epp", "--password",
            "Str0ng-Password", *common)
    assert r.returncode == 0, r.stderr
    r = run("registrar", "topup", "REG-777", "99.50", *common)
    assert "DKK 1600.00" in r.stdout
    assert "ledger OK" in run("ledger", "verify", *common).stdout
    r = run("clock", "set", "2025-01-01T12:00:00Z", *common)
    assert r.returncode == 0 and "2025-01-01T12:00" in r.stdout
    r = run("clock", "advance", "4d", *common)
    assert "2025-01-05T12:00" in r.stdout
    r = run("clock", "advance", "1d12h", *common)
    assert "2025-01-07T00:00" in r.stdout
    assert "2025-01-07T00:00" in run("clock", "show", *common).stdout
    r = run("clock", "advance", "soon", *common)
    assert r.returncode == 2 and "duration" in r.stderr
    r = run("tick", *common)
    assert r.returncode == 0 and "process_applications: 0" in r.stdout
    # production mode refuses clock changes
    env = dict(os.environ, DKREG_MODE="production")
    r = run("clock", "advance", "1d", *common, env=env)
    assert r.returncode == 2 and "sandbox" in r.stderr
    r = run("clock", "reset", *common)
    from datetime import UTC, datetime

    assert r.returncode == 0 and f"registry time: {datetime.now(UTC):%Y-%m-%d}" in r.stdout


def test_config_file_and_environment(tmp_path: Path) -> None:
    from dkreg.config import load_settings

    cfg = tmp_path / "dkreg.toml"
    cfg.write_text('epp_port = 7700\nmode = "production"\ntoken_max_age_days = 7\n')
    s = load_settings(cfg, env={"DKREG_EPP_PORT": "7800"})
    assert s.epp_port == 7800 and s.mode == "production" and s.token_max_age_days == 7
    assert not s.sandbox
    s = load_settings(None, env={"DKREG_DATA_DIR": str(tmp_path)})
    assert s.url == f"sqlite+aiosqlite:///{tmp_path / 'dkreg.sqlite3'}"
    s = load_settings(None, env={"DKREG_DATABASE_URL": "postgresql://u@h/db"})
    assert s.url == "postgresql+asyncpg://u@h/db" and s.is_postgres


def test_unknown_config_key_names_it_and_the_nearest_setting(tmp_path: Path) -> None:
    """A typo in the TOML file is an error at start, not a default silently kept."""
    import pytest

    from dkreg.config import load_settings

    cfg = tmp_path / "dkreg.toml"
    cfg.write_text('epp_prot = 7700\nsmtp_hots = "mail.example"\nwhatever = 1\n')
    with pytest.raises(ValueError) as caught:
        load_settings(cfg, env={})
    text = str(caught.value)
    assert "'epp_prot' (did you mean 'epp_port'?)" in text
    assert "'smtp_hots' (did you mean 'smtp_host'?)" in text
    assert "'whatever'" in text and str(cfg) in text
    # a table is a key like any other: [smtp] host = ... is not how settings are written
    cfg.write_text('[smtp]\nhost = "mail.example"\n')
    with pytest.raises(ValueError, match="unknown setting 'smtp'"):
        load_settings(cfg, env={})


def test_every_command_refuses_an_unknown_config_key_without_traceback(tmp_path: Path) -> None:
    cfg = tmp_path / "dkreg.toml"
    cfg.write_text('http_prot = 8100\n')
    env = {k: v for k, v in os.environ.items() if k != "DKREG_CONFIG"}
    for args in (["serve", "--config", str(cfg), "--data-dir", str(tmp_path / "d"),
                  "--epp-port", "0", "--http-port", "-1"],
                 ["clock", "show", "--config", str(cfg), "--data-dir", str(tmp_path / "d")]):
        r = run(*args, env=env)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stderr.strip() == (f"error: {cfg}: unknown setting 'http_prot' "
                                    "(did you mean 'http_port'?)"), r.stderr
        assert "Stop with" not in r.stdout
    # the same file named by DKREG_CONFIG
    r = run("tick", "--data-dir", str(tmp_path / "d"), env=dict(env, DKREG_CONFIG=str(cfg)))
    assert r.returncode == 2 and "'http_prot' (did you mean 'http_port'?)" in r.stderr
    assert "Traceback" not in r.stderr


def test_environment_variable_nearly_a_setting_is_warned_about(caplog) -> None:  # type: ignore[no-untyped-def]
    """DKREG_* is shared with variables that are no settings (the suite's own among them):
    those are left alone; one that is nearly a setting's name gets a warning."""
    import logging

    from dkreg.config import load_settings

    with caplog.at_level(logging.WARNING, logger="dkreg.config"):
        s = load_settings(None, env={"DKREG_EPP_PROT": "7100", "DKREG_TEST_PG": "x",
                                     "DKREG_REFERENCE_DIR": "x", "DKREG_CONFIG_X": "x",
                                     "DKREG_EPP_PORT": "7200"})
    assert s.epp_port == 7200
    assert [r.getMessage() for r in caplog.records] == [
        "DKREG_EPP_PROT is not a setting and is ignored (did you mean DKREG_EPP_PORT?)"]


def test_a_command_without_a_data_directory_does_not_make_an_empty_registry(
        tmp_path: Path) -> None:
    """``dkreg clock advance`` beside ``scripts/serve.sh`` (sandbox in ./data) used to make
    and move an empty registry in the default data directory; it names the way instead."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DKREG_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")  # the default data directory's parent
    default = tmp_path / "xdg" / "dkreg"
    r = run("clock", "advance", "4d", env=env)
    assert r.returncode == 2, r.stdout + r.stderr
    assert f"no registry in {default}" in r.stderr and "--data-dir data" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (default / "dkreg.sqlite3").exists()
    # named explicitly, a new registry may start there; then the default finds it
    assert run("clock", "show", "--data-dir", str(default), env=env).returncode == 0
    r = run("clock", "advance", "4d", env=env)
    assert r.returncode == 0 and "registry time" in r.stdout, r.stderr

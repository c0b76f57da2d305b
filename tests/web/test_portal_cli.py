"""``dkreg portal-user create`` makes a user who can log in to the portal."""

from __future__ import annotations

from pathlib import Path

from dkreg.cli import main


def test_portal_user_create(db_url: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    common = ["--data-dir", str(tmp_path), "--database-url", db_url]
    assert main(["registrar", "create", "REG-4242", "--name", "Portal ApS", "--email",
                 "p@example.dk", *common]) == 0
    assert main(["portal-user", "create", "REG-4242", "Admin@Portal.example", "--group",
                 "administration", "--password", "Str0ng-Password", *common]) == 0
    assert "portal user" in capsys.readouterr().out
    assert main(["portal-user", "create", "REG-4242", "admin@portal.example", "--password",
                 "Str0ng-Password", *common]) == 1  # e-mail compared case-insensitively
    assert main(["portal-user", "create", "REG-4242", "x@portal.example", "--password",
                 "weak", *common]) == 1
    assert "8 to 64" in capsys.readouterr().err

"""The README's hidden-primary configurations are ones the servers accept: the Knot DNS
one passes ``knotc conf-check`` and the BIND one ``named-checkconf`` (secrets filled in,
as an operator would)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
SECRET = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI="


def section() -> str:
    text = README.read_text()
    start = text.index("### Production: the operator's hidden primary")
    return text[start:text.index("\n## ", start)]


def test_the_knot_primary_configuration_is_valid(tmp_path: Path) -> None:
    knotc = shutil.which("knotc") or shutil.which("knotc", path="/usr/sbin")
    if knotc is None:
        pytest.skip("knotc (Debian knot) is not installed: scripts/bootstrap.sh --test")
    yaml = re.search(r"```yaml\n(.*?)```", section(), re.S)
    assert yaml, "no Knot configuration in the README's production section"
    conf = tmp_path / "knot.conf"
    conf.write_text(yaml.group(1).replace("secret: …", f"secret: {SECRET}")
                    .replace("pin-value=…", "pin-value=1234"))
    r = subprocess.run([knotc, "-c", str(conf), "conf-check"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "acl: [dkreg-update, secondaries]" in yaml.group(1)
    assert "action: [update, transfer]" in yaml.group(1)  # dkreg zone resync transfers


def test_the_bind_primary_configuration_is_valid(tmp_path: Path) -> None:
    checker = shutil.which("named-checkconf")
    if checker is None:
        pytest.skip("named-checkconf (Debian bind9-utils) is missing: scripts/bootstrap.sh --test")
    text = section()
    block = re.search(r"```\n(key \"dkreg-update\".*?)```", text, re.S)
    assert block, "no BIND configuration in the README's production section"
    conf = tmp_path / "named.conf"
    conf.write_text(block.group(1).replace('secret "…"', f'secret "{SECRET}"'))
    r = subprocess.run([checker, str(conf)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "key dkreg-update" in block.group(1).split("allow-transfer", 1)[1].split(";")[1]

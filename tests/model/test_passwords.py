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

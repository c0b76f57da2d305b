"""What Chromium's console says while a browser test runs, for the check that no page
of dkreg breaks its own Content-Security-Policy (an inline script or style, a form
posting elsewhere): Chromium reports each violation on the console ("Refused to apply
inline style because it violates the following Content Security Policy directive…")."""

from __future__ import annotations

from typing import Any


class ConsoleWatch:
    """Every console message of every page of one browser context."""

    def __init__(self, context: Any) -> None:
        self.messages: list[str] = []
        context.on("console", self._seen)

    def _seen(self, message: Any) -> None:
        where = (message.location or {}).get("url", "")
        self.messages.append(f"{message.type}: {message.text} [{where}]")

    @property
    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if "Content Security Policy" in m]

    def assert_no_csp_violation(self) -> None:
        assert not self.csp_violations, "\n".join(self.csp_violations[:10])

"""Dated registry rules.

The .dk rules changed on known dates (Flow 2 ended 2025-01-15, NIS2 from 2025-03-01,
registrar-only creation from 2026-07-01 as an opt-in). Each rule is an entry in a
timeline, so "what applies at time t" is a lookup, never an ``if date > ...`` in an action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dkreg.clock import COPENHAGEN


@dataclass(frozen=True)
class Rule:
    name: str
    start: datetime | None  # inclusive; None = since forever
    end: datetime | None  # exclusive; None = forever
    description: str

    def active(self, at: datetime) -> bool:
        return (self.start is None or at >= self.start) and (self.end is None or at < self.end)


def _cph(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=COPENHAGEN)


DEFAULT_TIMELINE: tuple[Rule, ...] = (
    Rule("flow2", None, _cph(2025, 1, 15),
         "Create without dkhm:orderconfirmationToken accepted; registrant accepts terms "
         "with the registry (newsletter 2024-08)."),
    Rule("nis2", _cph(2025, 3, 1), None,
         "NIS2: verified registration data; ID/data checks with deadlines."),
    Rule("public_org_email", _cph(2025, 11, 3), None,
         "WHOIS, WHOIS REST and RDAP publish the e-mail of a registrant that is a company, "
         "association or public body (status.punktum.dk, 2025)."),
)


@dataclass(frozen=True)
class Policy:
    timeline: tuple[Rule, ...] = DEFAULT_TIMELINE

    def applies(self, name: str, at: datetime) -> bool:
        return any(rule.name == name and rule.active(at) for rule in self.timeline)

    def rule(self, name: str) -> Rule:
        for rule in self.timeline:
            if rule.name == name:
                return rule
        raise KeyError(name)

    def flow2_allowed(self, at: datetime) -> bool:
        return self.applies("flow2", at)

    def nis2(self, at: datetime) -> bool:
        return self.applies("nis2", at)


DEFAULT_POLICY = Policy()

"""The status page's vocabulary and its default components (issue 16).

The words are Atlassian Statuspage's, which Punktum's status page runs on and which the
registrars' tools and dashboards already read (``/api/v2/summary.json`` and friends):

* a component is ``operational``, ``degraded_performance``, ``partial_outage``,
  ``major_outage`` or ``under_maintenance``;
* an incident is ``investigating``, ``identified``, ``monitoring``, ``resolved`` (or
  ``postmortem``); a scheduled maintenance ``scheduled``, ``in_progress``,
  ``verifying``, ``completed``;
* an impact is ``none``, ``minor``, ``major``, ``critical`` (``maintenance`` for a
  maintenance); the page's indicator is the worst one in force.

The default components are the registry's services (reference OTHER-SERVICES.md), in
groups as the registry's page shows them: DNS with the .dk name servers, the website,
self-service, the registrar portal, WHOIS (web, text, API), RDAP, EPP, DAS, DSU and the
sandbox. Their names are texts (``status.component.<key>``) in Danish and English.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

ComponentState = Literal["operational", "degraded_performance", "partial_outage",
                         "major_outage", "under_maintenance"]
COMPONENT_STATES: tuple[ComponentState, ...] = (
    "operational", "degraded_performance", "partial_outage", "major_outage",
    "under_maintenance")
INCIDENT_STATUSES = ("investigating", "identified", "monitoring", "resolved", "postmortem")
MAINTENANCE_STATUSES = ("scheduled", "in_progress", "verifying", "completed")
IMPACTS = ("none", "minor", "major", "critical")
INDICATORS = ("none", "minor", "major", "critical")

# how bad a component state is (for the page's indicator and a group's state)
_SEVERITY: dict[str, int] = {"operational": 0, "under_maintenance": 1,
                             "degraded_performance": 1, "partial_outage": 2,
                             "major_outage": 3}
_INDICATOR_DESCRIPTION = {"none": "All Systems Operational", "minor": "Minor Service Outage",
                          "major": "Partial System Outage", "critical": "Major System Outage"}


@dataclass(frozen=True)
class ComponentSpec:
    key: str
    group: str | None = None  # a group's key; a group is a component with members


# (key, group): the groups first, each followed by its members
DEFAULT_COMPONENTS: tuple[ComponentSpec, ...] = (
    ComponentSpec("dns"), ComponentSpec("dns_nameservers", "dns"),
    ComponentSpec("website"),
    ComponentSpec("selfservice"),
    ComponentSpec("portal"),
    ComponentSpec("whois"), ComponentSpec("whois_web", "whois"),
    ComponentSpec("whois_text", "whois"), ComponentSpec("whois_api", "whois"),
    ComponentSpec("rdap"),
    ComponentSpec("epp"),
    ComponentSpec("das"),
    ComponentSpec("dsu"),
    ComponentSpec("sandbox"),
)


def worst(states: Iterable[str]) -> str:
    """The worst of ``states`` (a group's state from its members'); operational if none."""
    return max(states, key=lambda s: _SEVERITY.get(s, 0), default="operational")


def indicator(component_states: Iterable[str], incident_impacts: Iterable[str]) -> str:
    """The page's indicator: the worst of the unresolved incidents' impacts and of what
    the components' states say (a major outage is critical, a partial outage major, a
    degraded component minor; maintenance alone is none, as at Statuspage)."""
    from_components = {3: "critical", 2: "major", 1: "minor", 0: "none"}
    level = max((INDICATORS.index(i) for i in incident_impacts if i in INDICATORS),
                default=0)
    for s in component_states:
        sev = 0 if s == "under_maintenance" else _SEVERITY.get(s, 0)
        level = max(level, INDICATORS.index(from_components[sev]))
    return INDICATORS[level]


def indicator_description(value: str) -> str:
    """Statuspage's own words for the indicator (its API's ``status.description``)."""
    return _INDICATOR_DESCRIPTION[value]

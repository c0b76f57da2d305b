"""Who in a registrar's portal may do what: the three privilege groups.

One table, read by the web layer (a route's guard) and by the portal actions (the
same check again, so a new door cannot forget it).
"""

from __future__ import annotations

from dataclasses import dataclass

from dkreg.details import Detail
from dkreg.errors import err
from dkreg.store.context import Actor

GROUPS = ("administration", "portfolio", "accounting")

# privilege -> the groups that hold it. Administration holds everything.
PRIVILEGES: dict[str, frozenset[str]] = {
    "public_info": frozenset({"administration"}),
    "referral": frozenset({"administration"}),
    "service_users": frozenset({"administration"}),
    "portal_users": frozenset({"administration"}),
    "ip_allow_list": frozenset({"administration"}),
    "account_settings": frozenset({"administration"}),
    "account_view": frozenset({"administration", "portfolio", "accounting"}),
    "account_topup": frozenset({"administration", "accounting"}),
    # invoices and their PDFs (issue 5, billing)
    "invoices": frozenset({"administration", "accounting"}),
    "poll": frozenset({"administration", "portfolio"}),
    "domains": frozenset({"administration", "portfolio"}),
    "domain_create": frozenset({"administration", "portfolio"}),
    # portfolio actions (issue 4, item 5): the same commands as EPP, for people
    "domain_change": frozenset({"administration", "portfolio"}),
    "contacts": frozenset({"administration", "portfolio"}),
    "contact_create": frozenset({"administration", "portfolio"}),
    "hosts": frozenset({"administration", "portfolio"}),
    "host_create": frozenset({"administration", "portfolio"}),
    # edit and delete of contacts and hosts (issue 13): EPP's update and delete commands
    "contact_change": frozenset({"administration", "portfolio"}),
    "host_change": frozenset({"administration", "portfolio"}),
}


@dataclass(frozen=True)
class PortalUser:
    """A logged-in person in the registrar portal."""

    id: int
    email: str
    group: str
    registrar_id: int
    registrar_handle: str

    def may(self, privilege: str) -> bool:
        return self.group in PRIVILEGES[privilege]

    def actor(self) -> Actor:
        """The same actor shape EPP uses, so shared actions (poll) see the registrar."""
        return Actor(registrar_id=self.registrar_id, registrar_handle=self.registrar_handle,
                     login=self.email, roles=frozenset({"registrar", "proxy", "payer", "nsa"}))


def require(user: PortalUser, privilege: str) -> None:
    if not user.may(privilege):
        raise err(2201, "unauthorized", field="privilege_group",
                  detail=Detail("group_may_not_use", group=user.group, privilege=privilege))

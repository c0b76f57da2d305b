"""The portal's and self-service's menus: links grouped the way a registrar thinks of them.

One description here feeds both renderings of the menu in ``base.html`` (the desktop bar
with its drop-down groups and the phone drawer), so a link can never be in one and not
the other; each link names the privilege that shows it, the same one its handler demands.
"""

from __future__ import annotations

from dataclasses import dataclass

from dkreg.actions.portal.access import PortalUser


@dataclass(frozen=True)
class Link:
    key: str          # the text's key in the catalogue
    href: str
    privilege: str | None = None


@dataclass(frozen=True)
class Group:
    key: str
    links: tuple[Link, ...]


PORTAL: tuple[Group, ...] = (
    Group("navgroup.domains", (
        Link("nav.domains", "/portal/domains", "domains"),
        Link("nav.register", "/portal/domains/register", "domain_create"),
    )),
    Group("navgroup.contacts", (
        Link("nav.contacts", "/portal/contacts", "contacts"),
        Link("nav.contact_new", "/portal/contacts/create", "contact_create"),
    )),
    Group("navgroup.hosts", (
        Link("nav.hosts", "/portal/hosts", "hosts"),
        Link("nav.host_new", "/portal/hosts/create", "host_create"),
    )),
    Group("navgroup.messages", (
        Link("nav.poll", "/portal/poll", "poll"),
    )),
    Group("navgroup.account", (
        Link("nav.account", "/portal/account", "account_view"),
        Link("nav.invoices", "/portal/invoices", "invoices"),
        Link("nav.me", "/portal/me"),
        Link("nav.prices", "/portal/prices"),
    )),
    Group("navgroup.administration", (
        Link("nav.users", "/portal/users", "portal_users"),
        Link("nav.service_users", "/portal/administration/service-users", "service_users"),
        Link("nav.ip_allow_list", "/portal/administration/ip-allow-list", "ip_allow_list"),
        Link("nav.account_settings", "/portal/administration/account-settings",
             "account_settings"),
        Link("nav.public_info", "/portal/administration/public-information/registrar-management",
             "public_info"),
        Link("nav.referral", "/portal/administration/referral", "referral"),
    )),
)

SELFSERVICE: tuple[Group, ...] = (
    Group("navgroup.selfservice", (
        Link("nav.home", "/selfservice/"),
        Link("ss.nav.requests", "/selfservice/requests"),
        Link("ss.nav.verification", "/selfservice/verification"),
        Link("ss.nav.invoices", "/selfservice/invoices"),
    )),
)


@dataclass(frozen=True)
class Shown:
    """A group as one visitor sees it: only the links they may follow, and which is open."""

    key: str
    links: tuple[tuple[Link, bool], ...]   # (link, is the current page)

    @property
    def active(self) -> bool:
        return any(current for _, current in self.links)


def _current(href: str, path: str) -> bool:
    home = href.rstrip("/") in ("/portal", "/selfservice")
    return path.rstrip("/") == href.rstrip("/") if home else (
        path == href or path.startswith(href.rstrip("/") + "/"))


def menu(groups: tuple[Group, ...], path: str,
         user: PortalUser | None = None) -> list[Shown]:
    """The groups with at least one link for ``user`` (None: every link shows); the link
    for ``path`` is marked current — the longest match, so Register is not also Domains."""
    def shown(link: Link) -> bool:
        return link.privilege is None or (user is not None and user.may(link.privilege))

    visible = [(g, tuple(link for link in g.links if shown(link))) for g in groups]
    matches = [link.href for _, links in visible for link in links if _current(link.href, path)]
    best = max(matches, key=len, default=None)
    return [Shown(g.key, tuple((link, link.href == best) for link in links))
            for g, links in visible if links]

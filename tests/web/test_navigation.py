"""The portal's grouped menu shows a person exactly the pages they may open.

Each link's privilege is written beside it in ``dkreg.web.navigation``; the handlers
demand theirs separately. These tests hold the two together from outside: every link the
menu shows a group answers 200, every link it hides answers 403 (nothing to click that
then refuses, nothing reachable that the menu hides by mistake).
"""

from __future__ import annotations

import re

import pytest

from dkreg.actions.portal.access import GROUPS, PortalUser
from dkreg.web.navigation import PORTAL, SELFSERVICE, menu

ALL_LINKS = [link for group in PORTAL for link in group.links]
_HREF = re.compile(r'<nav class="nav" aria-label="[^"]+">(.*?)</nav>', re.S)


def shown_hrefs(html: str) -> set[str]:
    match = _HREF.search(html)
    assert match, "no desktop menu on the page"
    return set(re.findall(r'href="([^"]+)"', match.group(1)))


@pytest.mark.parametrize("group", GROUPS)
async def test_the_menu_shows_what_the_group_may_open_and_only_that(web, group: str) -> None:
    c, _handle, _email = await web.logged_in(group)
    home = await c.get("/portal/")
    assert home.status_code == 200
    shown = shown_hrefs(home.text)
    for link in ALL_LINKS:
        r = await c.get(link.href)
        if link.href in shown:
            assert r.status_code == 200, (group, link.href, r.status_code)
        else:
            assert r.status_code == 403, (group, link.href, r.status_code)
    assert shown, group


def test_each_menu_link_is_in_exactly_one_group() -> None:
    hrefs = [link.href for group in (*PORTAL, *SELFSERVICE) for link in group.links]
    assert len(hrefs) == len(set(hrefs))


def test_the_current_page_is_the_longest_matching_link() -> None:
    user = PortalUser(1, "a@b.example", "administration", 1, "REG-1")
    groups = menu(PORTAL, "/portal/domains/register", user)
    current = [link.href for g in groups for link, now in g.links if now]
    assert current == ["/portal/domains/register"]
    groups = menu(PORTAL, "/portal/domains/example.dk", user)
    assert [link.href for g in groups for link, now in g.links if now] == ["/portal/domains"]
    assert [g.key for g in groups if g.active] == ["navgroup.domains"]


def test_a_group_with_nothing_to_show_is_left_out() -> None:
    accounting = PortalUser(1, "a@b.example", "accounting", 1, "REG-1")
    keys = [g.key for g in menu(PORTAL, "/portal/", accounting)]
    assert "navgroup.domains" not in keys and "navgroup.administration" not in keys
    assert "navgroup.account" in keys

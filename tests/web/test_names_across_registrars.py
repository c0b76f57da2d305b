"""Names do not leak across registrars (issue 11, item 9). Inviting an address that is a
portal user of another registrar is answered like any invitation and listed like one
(the address's owner is told by mail, the other registrar's user is untouched); an
invitation used when its address is meanwhile an active user somewhere is refused with a
page, writing nothing (the first invitation used wins); and a service-user name another
registrar uses is free: portal-made logins are namespaced with the registrar, so the
answer for it is the answer for any free name, and the login works over EPP."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import unquote

from dkreg.actions.account.service_users import login_prefix
from dkreg.actions.portal.users import portal_user_create
from support import PASSWORD
from web.conftest import csrf_of
from web.test_portal_administration import USERS as SERVICE_USERS
from web.test_portal_administration import shown_password
from web.test_portal_users import (
    NEW_PASSWORD,
    USERS,
    audit,
    invite,
    link_path,
    op,
    set_password,
)


async def rows_of(web, email: str) -> list:  # type: ignore[no-untyped-def]
    return await web.registry.rows(
        "select u.id, u.invited, u.password_hash, u.privilege_group, r.handle "
        "from portal_users u join registrars r on r.id = u.registrar_id "
        "where u.email = :e order by u.id", e=email)


def listed(page: str, email: str) -> str:
    """The Users list's row of ``email``, with the address and the id taken out."""
    row = re.search(rf'<tr data-email="{re.escape(email)}" data-id="(\d+)">.*?</tr>',
                    page, re.S)
    assert row, f"{email} is not listed"
    return re.sub(rf'\b{row.group(1)}\b', "I", row.group(0).replace(email, "E"))


async def test_inviting_another_registrars_user_answers_like_any_invitation(
        web, mailbox) -> None:  # type: ignore[no-untyped-def]
    other = await web.registrar()
    taken = await web.user(other, "portfolio")
    c, handle, admin = await web.logged_in("administration")
    fresh = f"fresh@{handle.lower()}.example"
    answers = []
    for email in (taken, fresh):
        r = await invite(web, c, email)
        page = await c.get(r.headers["location"])
        flash = re.search(r'id="flash">.*?<p class="alert-text">([^<]*)</p>', page.text, re.S)
        answers.append((r.status_code, unquote(r.headers["location"]).replace(email, "E"),
                        page.status_code, 'id="email-error"' in page.text,
                        "allerede" in page.text,
                        flash.group(1).replace(email, "E") if flash else None))
    assert answers[0] == answers[1] == (303, USERS, 200, False, False,
                                        "Invitationen til E er sendt.")
    # the inviter's list shows both alike: invited, in the group, to be invited again
    page = (await c.get(USERS)).text
    assert listed(page, taken) == listed(page, fresh)
    assert "Inviteret" in listed(page, taken) and "/portal/users/reinvite" in listed(page, taken)
    # the inviter's audit cannot tell the two apart either
    events = await audit(web, "portal_user_invite")
    assert [(e.actor, e.request, e.registrar_id) for e in events] == [
        (admin, "group=portfolio", events[0].registrar_id)] * 2
    # the other registrar's user is untouched and still logs in
    [theirs, mine] = await rows_of(web, taken)
    assert (theirs.handle, theirs.invited, mine.handle, mine.invited) == (other, False,
                                                                          handle, True)
    assert (await web.login(taken)).cookies
    # its owner is told, without naming the other registrar; no link to choose a password
    await mailbox.deliver()
    [told] = mailbox.to(taken)
    body = told.get_body(("plain",)).get_content()
    assert handle in body and other not in body and "/portal/invite/" not in body
    assert "/portal/invite/" in mailbox.to(fresh)[0].get_body(("plain",)).get_content()
    # invited again, regrouped, disabled: like any invitation (and the mail is again the one
    # without a link)
    for name, extra in (("reinvite", {}), ("group", {"group": "accounting"}),
                        ("disable", {})):
        r = await op(web, c, name, mine.id, **extra)
        assert r.status_code == 303, (name, r.text)
    await mailbox.deliver()
    assert len(mailbox.to(taken)) == 2
    assert "/portal/invite/" not in mailbox.to(taken)[1].get_body(("plain",)).get_content()
    assert [(r.handle, r.invited, r.privilege_group) for r in await rows_of(web, taken)] == [
        (other, False, "portfolio"), (handle, True, "accounting")]
    assert (await web.login(taken)).cookies


async def test_an_invitation_to_an_address_active_meanwhile_is_refused(
        web, mailbox) -> None:  # type: ignore[no-untyped-def]
    c, handle, _ = await web.logged_in("administration")
    email = f"later@{handle.lower()}.example"
    assert (await invite(web, c, email)).status_code == 303
    await mailbox.deliver()
    path = link_path(mailbox, mailbox.to(email)[0])
    other = await web.registrar()
    async with web.registry.db.begin() as conn:  # the address becomes another's user
        await portal_user_create(web.registry.ctx(conn), other, email, "portfolio", PASSWORD)
    before = await rows_of(web, email)
    opened = await web.client().get(path)
    assert opened.status_code == 409 and 'id="invite-taken"' in opened.text
    assert "Bed den, der inviterede dig, om at invitere en anden adresse" in opened.text
    r = await set_password(web, path)  # the form, had it been open before
    assert r.status_code == 409 and 'id="invite-taken"' in r.text
    assert await rows_of(web, email) == before  # nothing written, the link not used
    assert (await web.login(email)).cookies
    r = await web.attempt(web.client(), email, NEW_PASSWORD)
    assert r.status_code != 303


async def test_two_registrars_invite_one_address_and_the_first_used_wins(
        web, mailbox) -> None:  # type: ignore[no-untyped-def]
    first, first_handle, _ = await web.logged_in("administration")
    second, second_handle, _ = await web.logged_in("administration")
    email = "shared.person@example.dk"
    for c in (first, second):
        assert (await invite(web, c, email)).status_code == 303
    await mailbox.deliver()
    mails = mailbox.to(email)
    # both ordinary invitations: an invited address is nobody's user yet
    paths = {first_handle if first_handle in m["Subject"] else second_handle:
             link_path(mailbox, m) for m in mails}
    assert len(paths) == 2
    assert (await set_password(web, paths[second_handle])).status_code == 303
    before = await rows_of(web, email)
    refused = await set_password(web, paths[first_handle], "Other-Passw0rd")
    assert refused.status_code == 409 and 'id="invite-taken"' in refused.text
    assert await rows_of(web, email) == before
    assert [(r.handle, r.invited) for r in before] == [(first_handle, True),
                                                      (second_handle, False)]
    me = await web.login(email, NEW_PASSWORD)
    assert second_handle in (await me.get("/portal/")).text


async def test_two_invitations_used_at_once_make_one_user(
        web, mailbox) -> None:  # type: ignore[no-untyped-def]
    """Both forms submitted together: one wins, the other gets the page (the partial
    unique index decides when both passed the check), never an error or two users."""
    clients = [(await web.logged_in("administration"))[0] for _ in range(2)]
    email = "racing.person@example.dk"
    for c in clients:
        assert (await invite(web, c, email)).status_code == 303
    await mailbox.deliver()
    paths = [link_path(mailbox, m) for m in mailbox.to(email)]
    answers = await asyncio.gather(*(set_password(web, p) for p in paths))
    assert sorted(a.status_code for a in answers) == [303, 409]
    assert sorted(r.invited for r in await rows_of(web, email)) == [False, True]


async def test_a_name_another_registrar_uses_is_free_and_its_login_works(web) -> None:  # type: ignore[no-untyped-def]
    first, first_handle, _ = await web.logged_in("administration")
    r = await first.post(SERVICE_USERS, data={"csrf": await web.csrf(first, SERVICE_USERS),
                                              "login": "shared", "roles": ["registrar"]})
    assert r.status_code == 200
    second, handle, _ = await web.logged_in("administration")
    csrf = await web.csrf(second, SERVICE_USERS)

    def answer(resp, login: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
        text = resp.text.replace(csrf_of(resp.text), "C") if 'name="csrf"' in resp.text \
            else resp.text
        return resp.status_code, text.replace(shown_password(resp.text), "P").replace(login, "L")

    mine = login_prefix(handle)
    taken = await second.post(SERVICE_USERS, data={"csrf": csrf, "login": "shared",
                                                   "roles": ["registrar"]})
    free = await second.post(SERVICE_USERS, data={"csrf": csrf, "login": "unused",
                                                  "roles": ["registrar"]})
    assert answer(taken, mine + "shared") == answer(free, mine + "unused")
    assert taken.status_code == 200 and first_handle not in taken.text
    assert await web.epp_login(mine + "shared", shown_password(taken.text)) == 1000
    assert await web.epp_login(login_prefix(first_handle) + "shared",
                           shown_password(taken.text)) == 2200
    # the first registrar's full login typed in: just a name, too long like any other
    too_long = [await second.post(SERVICE_USERS, data={"csrf": csrf, "login": login,
                                                       "roles": ["registrar"]})
                for login in (login_prefix(first_handle) + "shared", "999999-shared")]
    assert [r.status_code for r in too_long] == [400, 400]
    assert (too_long[0].text.replace(login_prefix(first_handle) + "shared", "L")
            == too_long[1].text.replace("999999-shared", "L"))

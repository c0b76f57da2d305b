"""Names do not leak across registrars (issue 11, item 9). Inviting an address that is a
portal user of another registrar is answered like any invitation (the address's owner is
told by mail, the other registrar's user is untouched), and a service-user name another
registrar uses is free: portal-made logins are namespaced with the registrar, so the
answer for it is the answer for any free name, and the login works over EPP."""

from __future__ import annotations

from urllib.parse import unquote

from dkreg.actions.service_users import login_prefix
from support.eppclient import EppClient
from web.conftest import csrf_of
from web.test_portal_administration import USERS as SERVICE_USERS
from web.test_portal_administration import shown_password
from web.test_portal_users import USERS, audit, invite, user_row


async def epp_login(web, login: str, password: str) -> int:  # type: ignore[no-untyped-def]
    c = await EppClient.connect("127.0.0.1", web.registry.port, web.registry.ca_file)
    try:
        return (await c.login(login, password)).code
    finally:
        await c.close()


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
        answers.append((r.status_code, unquote(r.headers["location"]).replace(email, "E"),
                        page.status_code, 'id="email-error"' in page.text,
                        "allerede" in page.text))
    assert answers[0] == answers[1] == (303, f"{USERS}?invited=E", 200, False, False)
    # the inviter's audit cannot tell the two apart either
    events = await audit(web, "portal_user_invite")
    assert [(e.actor, e.request, e.registrar_id) for e in events] == [
        (admin, "group=portfolio", events[0].registrar_id)] * 2
    # the other registrar's user is untouched and still logs in
    row = await user_row(web, taken)
    assert not row.invited and row.registrar_id != events[0].registrar_id
    assert (await web.login(taken)).cookies
    # its owner is told, without naming the other registrar; no link to choose a password
    await mailbox.deliver()
    [told] = mailbox.to(taken)
    body = told.get_body(("plain",)).get_content()
    assert handle in body and other not in body and "/portal/invite/" not in body
    assert "/portal/invite/" in mailbox.to(fresh)[0].get_body(("plain",)).get_content()


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
    assert await epp_login(web, mine + "shared", shown_password(taken.text)) == 1000
    assert await epp_login(web, login_prefix(first_handle) + "shared",
                           shown_password(taken.text)) == 2200
    # the first registrar's full login typed in: just a name, too long like any other
    too_long = [await second.post(SERVICE_USERS, data={"csrf": csrf, "login": login,
                                                       "roles": ["registrar"]})
                for login in (login_prefix(first_handle) + "shared", "999999-shared")]
    assert [r.status_code for r in too_long] == [400, 400]
    assert (too_long[0].text.replace(login_prefix(first_handle) + "shared", "L")
            == too_long[1].text.replace("999999-shared", "L"))

"""The outbox: a mail is queued in the causing transaction, sent over real SMTP (aiosmtpd)
by the worker, retried with back-off when the server is away, never lost, never sent
twice; links outside the configured base URL are refused before anything is stored."""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from dkreg.mail.outbox import MailLinkError, check_links, mail_row, queue_mail
from dkreg.mail.render import Rendered, render_mail
from dkreg.mail.sender import MailSender, backoff
from dkreg.store.schema import mail_outbox

CONTEXT = {"registrar": "Registrar Ø", "handle": "REG-1", "balance_ore": 123456,
           "threshold_ore": 500000}


async def queue(registry, to: str = "billing@example.dk", lang: str = "en") -> int:  # type: ignore[no-untyped-def]
    async with registry.db.begin() as conn:
        return await queue_mail(registry.ctx(conn), kind="low_balance", to=to, lang=lang,
                                context=CONTEXT)


async def row(registry, mail_id: int):  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:  # typed columns: datetimes on both backends
        return (await conn.execute(select(mail_outbox).where(mail_outbox.c.id == mail_id))
                ).one()


async def test_a_queued_mail_is_delivered_once_with_text_and_html(registry, mailbox) -> None:
    mail_id = await queue(registry, lang="da")
    assert mailbox.messages == []  # nothing is sent inside the transaction
    report = await mailbox.deliver()
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [msg] = mailbox.messages
    assert msg["To"] == "billing@example.dk"
    assert msg["From"] == registry.settings.mail_from
    assert msg["Subject"] == "Lav saldo på den forudbetalte konto for REG-1: DKK 1234.56"
    assert msg["Content-Language"] == "da" and msg["Auto-Submitted"] == "auto-generated"
    text = mailbox.text(msg)
    assert "Kære Registrar Ø" in text and "DKK 5000.00" in text
    assert mailbox.link(msg) == registry.settings.public_base_url + "/portal/account"
    html = mailbox.html(msg)
    assert html is not None and f'href="{registry.settings.public_base_url}/portal/account"' \
        in html
    r = await row(registry, mail_id)
    assert r.status == "sent" and r.attempts == 1 and r.sent_at is not None
    assert (await mailbox.deliver()).sent == 0  # not twice
    assert len(mailbox.messages) == 1


async def test_a_rolled_back_cause_sends_nothing(registry, mailbox) -> None:
    with pytest.raises(RuntimeError):
        async with registry.db.begin() as conn:
            await queue_mail(registry.ctx(conn), kind="low_balance", to="x@example.dk",
                             lang="en", context=CONTEXT)
            raise RuntimeError("the cause failed")
    assert await registry.scalar("select count(*) from mail_outbox") == 0
    assert (await mailbox.deliver()).sent == 0 and mailbox.messages == []


async def test_temporary_refusal_is_retried_with_back_off_and_not_lost(registry,
                                                                        mailbox) -> None:
    mail_id = await queue(registry)
    mailbox.catcher.refuse = "451 4.3.0 Try again later"
    report = await mailbox.deliver()
    assert (report.sent, report.retried) == (0, 1) and "451" in report.errors[0]
    r = await row(registry, mail_id)
    assert r.status == "queued" and r.attempts == 1 and "451" in r.last_error
    assert r.next_attempt_at == registry.clock.now() + timedelta(seconds=30)
    assert (await mailbox.deliver()).retried == 0  # not due yet
    registry.clock.advance(timedelta(seconds=30))
    assert (await mailbox.deliver()).retried == 1  # second failure: 60 s
    r = await row(registry, mail_id)
    assert r.attempts == 2 and r.next_attempt_at == registry.clock.now() + timedelta(seconds=60)
    mailbox.catcher.refuse = None
    registry.clock.advance(timedelta(seconds=60))
    assert (await mailbox.deliver()).sent == 1
    assert len(mailbox.messages) == 1 and (await row(registry, mail_id)).status == "sent"


async def test_an_unreachable_server_keeps_the_mail(registry, mailbox) -> None:
    mail_id = await queue(registry)
    registry.settings.smtp_port = mailbox.catcher.port + 1 if mailbox.catcher.port < 65535 \
        else 1  # nothing listens there
    report = await mailbox.deliver()
    assert report.retried == 1 and report.sent == 0
    assert (await row(registry, mail_id)).status == "queued"
    registry.settings.smtp_port = mailbox.catcher.port
    registry.clock.advance(timedelta(seconds=30))
    assert (await mailbox.deliver()).sent == 1


async def test_a_permanent_refusal_marks_the_mail_failed(registry, mailbox) -> None:
    mail_id = await queue(registry, to="nobody@example.dk")
    mailbox.catcher.refuse = "550 5.1.1 No such user"
    report = await mailbox.deliver()
    assert report.failed == 1
    r = await row(registry, mail_id)
    assert r.status == "failed" and "550" in r.last_error
    registry.clock.advance(timedelta(days=1))
    mailbox.catcher.refuse = None
    assert (await mailbox.deliver()).sent == 0  # failed mails are not retried


async def test_two_workers_send_each_mail_exactly_once(registry, mailbox) -> None:
    ids = [await queue(registry, to=f"r{i}@example.dk") for i in range(12)]
    registry.settings.mail_batch = 5
    other = MailSender(registry.db, registry.settings, registry.clock)
    for _ in range(4):
        await asyncio.gather(mailbox.deliver(), other.send_due())
    assert sorted(m["To"] for m in mailbox.messages) == sorted(f"r{i}@example.dk"
                                                                for i in range(12))
    assert [(await row(registry, i)).status for i in ids] == ["sent"] * 12


async def test_header_injection_in_the_address_is_refused(registry) -> None:
    with pytest.raises(ValueError, match="single e-mail address"):
        await queue(registry, to="a@example.dk\r\nBcc: victim@example.dk")
    assert await registry.scalar("select count(*) from mail_outbox") == 0


def test_links_outside_the_public_base_url_are_refused() -> None:
    base = "https://dkreg.example"
    ok = Rendered("s", "plain\n", f'<a href="{base}/portal">x</a> <a href="mailto:a@b.dk">m</a>',
                  links=(f"{base}/portal/account", f"{base}?x=1", base))
    check_links(ok, base)
    for bad in (Rendered("s", "plain\n", None, links=("https://dkreg.example.evil.com/x",)),
                Rendered("s", "plain\n", None, links=("http://dkreg.example/x",)),  # scheme
                Rendered("s", "plain\n", '<a href="https://phish.example/">x</a>'),
                Rendered("s", "plain\n", '<img src="//phish.example/x.png">'),
                Rendered("s", "plain\n", '<img srcset="/a.png 1x, //phish.example/x.png">'),
                Rendered("s", "plain\n", "<a href=https://phish.example>x</a>")):
        with pytest.raises(MailLinkError):
            check_links(bad, base)


USER_TEXT = ("Eve <img src=x onerror=alert(1)>", "Ole https://shop.example", "a src=x b",
             '" href="https://phish.example', "<a href='//phish.example'>x</a>")


@pytest.mark.parametrize("name", USER_TEXT)
def test_user_text_is_data_never_a_link(name: str) -> None:
    """Names and organisations are printed plain in the text part and escaped in the
    HTML; whatever they contain, the check looks only at the template's own links."""
    base = "https://dkreg.example"
    mail = render_mail("email_verification", "en", {"handle": "H1-DK", "hours": 48,
                                                    "name": name},
                       {"link": f"{base}/selfservice/verification/email/t", "base_url": base})
    check_links(mail, base)
    assert f"Hello {name}" in mail.text
    assert mail.html is not None and f"Hello {html.escape(name, quote=True)}" in \
        mail.html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    assert mail.links == (f"{base}/selfservice/verification/email/t", base)


def test_a_template_s_own_urls_are_checked_however_they_are_written() -> None:
    """A URL written in a template's text (not via a link value) is the template's own:
    lexed from the source, whatever the values printed into it contain."""
    from dkreg.mail import render

    source = ("Subject: {{ name }}\n\nSee https://phish.example/x and "
              "{{ 'ftp://x.example' }}; {{ name }} https://d.x/ok\n")
    urls = render.urls_in_source(source)
    assert urls == ("https://phish.example/x", "ftp://x.example", "https://d.x/ok")
    with pytest.raises(MailLinkError, match=r"phish\.example"):
        check_links(Rendered("s", "t\n", None, links=urls), "https://d.x")
    assert render.urls_in_source('<a href="{{ link }}">{{ name }}</a>', html=True) == ()
    # the shipped templates write no URL of their own: every link is a link value
    for path in sorted(render.TEMPLATES.iterdir()):
        assert render.literal_urls("html" if path.suffix == ".html" else "text",
                                   path.name) == (), path.name


def test_a_link_passed_as_data_is_refused(registry) -> None:  # type: ignore[no-untyped-def]
    ctx = registry.ctx(None)
    with pytest.raises(ValueError, match="links="):
        mail_row(ctx, kind="email_verification", to="a@example.dk", lang="en",
                 context={"link": "https://x.example", "handle": "H", "hours": 1, "name": "n"})


def test_every_template_renders_in_both_languages_with_a_subject() -> None:
    for lang in ("da", "en"):
        mail = render_mail("low_balance", lang, {**CONTEXT, "base_url": "https://x.example"})
        assert mail.subject and "\n" not in mail.subject
        assert mail.html and f'lang="{lang}"' in mail.html


def test_back_off_doubles_up_to_the_cap() -> None:
    assert [backoff(n, 3600).total_seconds() for n in (1, 2, 3, 4, 8, 20)] == \
        [30, 60, 120, 240, 3600, 3600]


def test_mail_settings_are_checked_at_start_up() -> None:
    from dkreg.config import load_settings

    s = load_settings(env={"DKREG_PUBLIC_BASE_URL": "https://dkreg.example/",
                           "DKREG_LOW_BALANCE_THRESHOLDS_DKK": "5000, 10000,0"})
    assert s.public_base_url == "https://dkreg.example"
    assert s.low_balance_thresholds_ore == [1_000_000, 500_000, 0]
    for key, value in (("SMTP_SECURITY", "ssl"), ("PUBLIC_BASE_URL", "dkreg.example"),
                       ("LOW_BALANCE_THRESHOLDS_DKK", "ten thousand")):
        with pytest.raises(ValueError, match=key.lower()):
            load_settings(env={f"DKREG_{key}": value})


async def test_a_mail_that_cannot_be_built_fails_for_good_and_holds_back_no_other(
        registry, mailbox, caplog) -> None:  # type: ignore[no-untyped-def]
    """A stored mail whose header cannot be written (here: a line break in the subject,
    as an older version or a hand-edited row could leave) is no temporary trouble:
    retrying cannot mend it. It is failed at once, with the traceback logged once; the
    mail after it is sent."""
    caplog.set_level(logging.INFO, logger="dkreg.mail")
    bad = await queue(registry, to="bad@example.dk")
    async with registry.db.begin() as conn:
        await conn.execute(update(mail_outbox).where(mail_outbox.c.id == bad)
                           .values(subject="Invoice\nBcc: victim@example.dk"))
    good = await queue(registry, to="good@example.dk")
    report = await mailbox.deliver()
    assert (report.sent, report.failed, report.retried) == (1, 1, 0)
    assert [m["To"] for m in mailbox.messages] == ["good@example.dk"]
    r = await row(registry, bad)
    assert r.status == "failed" and r.last_error.startswith("ValueError: ")
    assert (await row(registry, good)).status == "sent"
    registry.clock.advance(timedelta(days=1))
    assert (await mailbox.deliver()).failed == 0  # not tried again
    logged = [x for x in caplog.records if x.name == "dkreg.mail" and f"mail {bad} " in
              x.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None


async def test_a_mail_failing_the_same_way_is_logged_once(registry, mailbox, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="dkreg.mail")
    mail_id = await queue(registry)
    mailbox.catcher.refuse = "451 4.3.0 Try again later"
    for _ in range(3):
        assert (await mailbox.deliver()).retried == 1
        registry.clock.advance(timedelta(hours=2))
    mine = [x for x in caplog.records if f"mail {mail_id} " in x.getMessage()]
    assert [x.levelno for x in mine] == [logging.WARNING, logging.INFO, logging.INFO]
    mailbox.catcher.refuse = "550 5.1.1 No such user"  # a new kind of failure: told again
    assert (await mailbox.deliver()).failed == 1
    mine = [x for x in caplog.records if f"mail {mail_id} " in x.getMessage()]
    assert mine[-1].levelno == logging.WARNING and "given up" in mine[-1].getMessage()


def _odd_context(kind: str, lang: str, odd: str) -> dict[str, object]:
    """Every value a template prints, filled with hostile user text where it is text."""
    import jinja2.meta

    from dkreg.mail import render

    names: set[str] = set()
    for env, suffix in ((render._text, "txt"), (render._html, "html")):
        path = render.TEMPLATES / f"{kind}.{lang}.{suffix}"
        if path.exists():
            names |= jinja2.meta.find_undeclared_variables(env.parse(path.read_text()))
    fixed: dict[str, object] = {"group": "administration", "kind": "renewal", "hours": 48,
                                "minutes": 15, "number": 17,
                                "lines": [{"description": odd, "amount_ore": 4500}]}
    return {n: fixed.get(n, 4500 if n.endswith("_ore") else odd)
            for n in names - {"link", "base_url", "subject"}}


@pytest.mark.parametrize("odd", USER_TEXT)
def test_every_template_takes_hostile_user_text_as_data(odd: str) -> None:
    from dkreg.mail import render

    base = "https://dkreg.example"
    kinds = sorted({p.name.split(".")[0] for p in render.TEMPLATES.glob("*.txt")})
    assert len(kinds) >= 8
    for kind in kinds:
        for lang in ("da", "en"):
            mail = render_mail(kind, lang, _odd_context(kind, lang, odd),
                               {"link": f"{base}/x/t", "base_url": base})
            check_links(mail, base)
            assert odd in mail.text or odd in mail.subject, (kind, lang)
            assert mail.html is None or "<img src=x" not in mail.html, (kind, lang)

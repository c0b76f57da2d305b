"""The web's texts in Danish and English: one catalogue per language, the same keys.

Pages look texts up by key (``t("login.title")``); ``tests/web`` checks that both
catalogues have exactly the same keys, so no page shows a key instead of a text.
"""

from __future__ import annotations

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
COOKIE = "dkreg_lang"

DA: dict[str, str] = {
    "site.name": "dkreg — .dk-registret",
    "portal.name": "Registrarportal",
    "nav.skip": "Spring til indhold",
    "nav.home": "Forside",
    "nav.public_info": "Administration › Offentlig information › Registrar Management",
    "nav.referral": "Administration › Henvisningsprogram",
    "nav.account": "Forudbetalt konto",
    "nav.poll": "Beskeder",
    "nav.registrars": "Registrarliste",
    "nav.logout": "Log ud",
    "lang.switch": "English",
    "lang.label": "Sprog",
    "login.title": "Log ind",
    "login.email": "E-mail",
    "login.password": "Adgangskode",
    "login.submit": "Log ind",
    "login.failed": "E-mail eller adgangskode er forkert.",
    "login.throttled": "For mange mislykkede forsøg. Prøv igen senere.",
    "login.expired": "Din session er udløbet. Log ind igen.",
    "login.logged_out": "Du er logget ud.",
    "home.title": "Velkommen",
    "home.signed_in_as": "Logget ind som",
    "home.group": "Rettighedsgruppe",
    "group.administration": "Administration",
    "group.portfolio": "Porteføljestyring",
    "group.accounting": "Regnskab",
    "public_info.title": "Registrar Management",
    "public_info.intro": "Det, du angiver her, vises på registrets offentlige registrarliste.",
    "public_info.offers": "Vi tilbyder registrarhåndtering (Registrar Management)",
    "public_info.public_name": "Offentligt navn",
    "public_info.website": "Hjemmeside",
    "public_info.email": "Kontakt-e-mail",
    "public_info.logo_url": "Logo (https-adresse)",
    "public_info.listed": "Vis os på den offentlige registrarliste",
    "public_info.saved": "Gemt. Registrarlisten er opdateret.",
    "form.save": "Gem",
    "form.yes": "Ja",
    "form.no": "Nej",
    "form.optional": "valgfri",
    "form.error_summary": "Formularen blev ikke gemt:",
    "invalid.public_name": "Offentligt navn skal udfyldes (højst 255 tegn).",
    "invalid.website": "Hjemmeside skal være en adresse, der begynder med http:// eller https://.",
    "invalid.email": "Kontakt-e-mail skal være en gyldig e-mailadresse.",
    "invalid.logo_url": "Logo skal være en adresse, der begynder med https://.",
    "referral.title": "Henvisningsprogram",
    "referral.terms_heading": "Vilkår",
    "referral.terms": ("Som deltager i henvisningsprogrammet vises vi som registrar på "
                       "unikpånettet.dk, når en kunde lægger et domænenavn i kurven. Punktum "
                       "dk videregiver først kundens oplysninger, når kunden har givet "
                       "samtykke. Vi kan til enhver tid melde os ud her."),
    "referral.member": ("I deltager i henvisningsprogrammet (vilkår {version}, accepteret "
                        "{at} af {by})."),
    "referral.not_member": "I deltager ikke i henvisningsprogrammet.",
    "referral.accept": "Jeg accepterer vilkårene",
    "referral.join": "Tilmeld",
    "referral.leave": "Afmeld",
    "referral.must_accept": "Vilkårene skal accepteres for at tilmelde sig.",
    "account.title": "Forudbetalt konto",
    "account.balance": "Saldo",
    "account.ledger": "Posteringer",
    "account.at": "Tidspunkt (UTC)",
    "account.kind": "Type",
    "account.reference": "Reference",
    "account.amount": "Beløb (DKK)",
    "account.after": "Saldo efter (DKK)",
    "account.empty": "Ingen posteringer.",
    "pager.page": "Side {page} af {pages}",
    "pager.prev": "Forrige",
    "pager.next": "Næste",
    "poll.title": "Beskeder",
    "poll.count": "{count} besked(er) i køen",
    "poll.empty": "Ingen beskeder i køen.",
    "poll.id": "Id",
    "poll.date": "Dato (UTC)",
    "poll.message": "Besked",
    "poll.ack": "Kvittér",
    "poll.acked": "Besked {id} er kvitteret.",
    "poll.not_found": "Beskeden findes ikke i jeres kø.",
    "registrars.title": "Registrarer",
    "registrars.intro": "Registrarer, der sælger .dk-domænenavne.",
    "registrars.filter": "Vis kun registrarer, der tilbyder registrarhåndtering",
    "registrars.apply": "Filtrér",
    "registrars.name": "Navn",
    "registrars.website": "Hjemmeside",
    "registrars.email": "E-mail",
    "registrars.management": "Registrarhåndtering",
    "registrars.none": "Ingen registrarer matcher.",
    "error.forbidden": "Adgang nægtet",
    "error.forbidden_text": "Din rettighedsgruppe giver ikke adgang til denne side eller handling.",
    "error.csrf": "Formularen er udløbet eller ugyldig. Genindlæs siden og prøv igen.",
}

EN: dict[str, str] = {
    "site.name": "dkreg — the .dk registry",
    "portal.name": "Registrar portal",
    "nav.skip": "Skip to content",
    "nav.home": "Home",
    "nav.public_info": "Administration › Public Information › Registrar Management",
    "nav.referral": "Administration › Referral programme",
    "nav.account": "Prepaid account",
    "nav.poll": "Messages",
    "nav.registrars": "Registrar list",
    "nav.logout": "Log out",
    "lang.switch": "Dansk",
    "lang.label": "Language",
    "login.title": "Log in",
    "login.email": "E-mail",
    "login.password": "Password",
    "login.submit": "Log in",
    "login.failed": "The e-mail or password is wrong.",
    "login.throttled": "Too many failed attempts. Try again later.",
    "login.expired": "Your session has expired. Please log in again.",
    "login.logged_out": "You are logged out.",
    "home.title": "Welcome",
    "home.signed_in_as": "Signed in as",
    "home.group": "Privilege group",
    "group.administration": "Administration",
    "group.portfolio": "Portfolio management",
    "group.accounting": "Accounting",
    "public_info.title": "Registrar Management",
    "public_info.intro": "What you enter here is shown on the registry's public registrar list.",
    "public_info.offers": "We offer registrar management",
    "public_info.public_name": "Public name",
    "public_info.website": "Website",
    "public_info.email": "Contact e-mail",
    "public_info.logo_url": "Logo (https address)",
    "public_info.listed": "Show us on the public registrar list",
    "public_info.saved": "Saved. The registrar list is updated.",
    "form.save": "Save",
    "form.yes": "Yes",
    "form.no": "No",
    "form.optional": "optional",
    "form.error_summary": "The form was not saved:",
    "invalid.public_name": "Public name is required (at most 255 characters).",
    "invalid.website": "Website must be an address starting with http:// or https://.",
    "invalid.email": "Contact e-mail must be a valid e-mail address.",
    "invalid.logo_url": "Logo must be an address starting with https://.",
    "referral.title": "Referral programme",
    "referral.terms_heading": "Terms",
    "referral.terms": ("As a member of the referral programme we are shown as a registrar on "
                       "unikpånettet.dk when a customer puts a domain name in the basket. "
                       "Punktum dk passes on the customer's details only after the customer "
                       "has consented. We can leave at any time here."),
    "referral.member": ("You are a member of the referral programme (terms {version}, "
                        "accepted {at} by {by})."),
    "referral.not_member": "You are not a member of the referral programme.",
    "referral.accept": "I accept the terms",
    "referral.join": "Join",
    "referral.leave": "Leave",
    "referral.must_accept": "The terms must be accepted to join.",
    "account.title": "Prepaid account",
    "account.balance": "Balance",
    "account.ledger": "Transactions",
    "account.at": "Time (UTC)",
    "account.kind": "Kind",
    "account.reference": "Reference",
    "account.amount": "Amount (DKK)",
    "account.after": "Balance after (DKK)",
    "account.empty": "No transactions.",
    "pager.page": "Page {page} of {pages}",
    "pager.prev": "Previous",
    "pager.next": "Next",
    "poll.title": "Messages",
    "poll.count": "{count} message(s) in the queue",
    "poll.empty": "No messages in the queue.",
    "poll.id": "Id",
    "poll.date": "Date (UTC)",
    "poll.message": "Message",
    "poll.ack": "Acknowledge",
    "poll.acked": "Message {id} acknowledged.",
    "poll.not_found": "The message is not in your queue.",
    "registrars.title": "Registrars",
    "registrars.intro": "Registrars selling .dk domain names.",
    "registrars.filter": "Only registrars offering registrar management",
    "registrars.apply": "Filter",
    "registrars.name": "Name",
    "registrars.website": "Website",
    "registrars.email": "E-mail",
    "registrars.management": "Registrar management",
    "registrars.none": "No registrars match.",
    "error.forbidden": "Access denied",
    "error.forbidden_text": "Your privilege group does not give access to this page or action.",
    "error.csrf": "The form has expired or is invalid. Reload the page and try again.",
}

CATALOGUES: dict[str, dict[str, str]] = {"da": DA, "en": EN}


def translator(lang: str):  # type: ignore[no-untyped-def]
    """``t(key, **args)`` for one language; an unknown key shows as itself (tests catch it)."""
    texts = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])

    def t(key: str, **args: object) -> str:
        text = texts.get(key, key)
        return text.format(**args) if args else text

    return t


def language_of(request) -> str:  # type: ignore[no-untyped-def]
    lang = request.cookies.get(COOKIE, "")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE

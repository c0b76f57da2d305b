"""Which language a mail is written in: the recipient's.

Contacts record no language, but every contact has a country, and the registry already
writes a contact's invoices in Danish for a Danish address and in English otherwise
(``billing.invoices``). Mails to a contact follow the same rule, so a registrant abroad
gets the acceptance mail, the e-mail check and the change notices in English, and a
Danish one in Danish. A login link is the exception: it answers a request made on a page,
so it is written in that page's language (the person's own choice). Registrars record
neither, so mails to them keep the installation's ``mail_default_lang``.
"""

from __future__ import annotations


def contact_language(cc: str | None) -> str:
    """``da`` for a contact with a Danish address, else ``en``."""
    return "da" if (cc or "").strip().upper() == "DK" else "en"

"""The frame's texts: header, grouped menu, footer, form furniture."""

DA: dict[str, str] = {
    "title.error": "Fejl",
    "site.home_label": "til forsiden",
    "nav.menu": "Menu",
    "nav.close": "Luk",
    "nav.main": "Hovedmenu",
    "navgroup.domains": "Domæner",
    "navgroup.contacts": "Kontakter",
    "navgroup.hosts": "Navneservere",
    "navgroup.messages": "Beskeder",
    "navgroup.account": "Konto",
    "navgroup.administration": "Administration",
    "navgroup.selfservice": "Selvbetjening",
    "nav.register": "Registrér domæne",
    "nav.contact_new": "Opret kontakt",
    "nav.host_new": "Opret navneserver",
    "table.label": "Tabel",
}

EN: dict[str, str] = {
    "title.error": "Error",
    "site.home_label": "to the front page",
    "nav.menu": "Menu",
    "nav.close": "Close",
    "nav.main": "Main menu",
    "navgroup.domains": "Domains",
    "navgroup.contacts": "Contacts",
    "navgroup.hosts": "Name servers",
    "navgroup.messages": "Messages",
    "navgroup.account": "Account",
    "navgroup.administration": "Administration",
    "navgroup.selfservice": "Self-service",
    "nav.register": "Register a domain",
    "nav.contact_new": "Create a contact",
    "nav.host_new": "Create a name server",
    "table.label": "Table",
}

"""Texts of Administration > Service users for the three services a service user can be
for (EPP, DAS, DSU): the choice on the create form, the list's column, what the
password page says the new user is for, and the form's refusal of an unknown service."""

from __future__ import annotations

DA: dict[str, str] = {
    "service_users.service": "Tjeneste",
    "service_users.service_hint": ("En tjenestebruger bruges til én tjeneste. Opret en bruger "
                                   "til hver tjeneste, I bruger."),
    "service_users.service_choice.epp": "EPP (registrering og ændring af domæner)",
    "service_users.service_choice.das": "DAS (opslag af, om et domænenavn er ledigt)",
    "service_users.service_choice.dsu": "DSU (opdatering af DS-poster)",
    "service_users.service_word.epp": "EPP",
    "service_users.service_word.das": "DAS",
    "service_users.service_word.dsu": "DSU",
    "service_users.issued_for.epp": "Brugeren logger ind på EPP-serveren.",
    "service_users.issued_for.das": ("Brugeren logger ind på DAS med HTTP Basic "
                                     "(brugernavn og adgangskode)."),
    "service_users.issued_for.dsu": ("Brugeren sendes som userid og password i "
                                     "DSU-forespørgsler."),
    "service_users.dkhm_epp_only": "Kun EPP",
    "invalid.service": "Tjeneste: vælg EPP, DAS eller DSU.",
    "service_users.lock_ends_itself": ("Spærret efter for mange mislykkede login; spærringen "
                                       "ophæves af sig selv."),
}

EN: dict[str, str] = {
    "service_users.service": "Service",
    "service_users.service_hint": ("A service user is for one service. Create a user for each "
                                   "service you use."),
    "service_users.service_choice.epp": "EPP (registering and changing domains)",
    "service_users.service_choice.das": "DAS (whether a domain name is available)",
    "service_users.service_choice.dsu": "DSU (updating DS records)",
    "service_users.service_word.epp": "EPP",
    "service_users.service_word.das": "DAS",
    "service_users.service_word.dsu": "DSU",
    "service_users.issued_for.epp": "The user logs in to the EPP server.",
    "service_users.issued_for.das": "The user logs in to DAS with HTTP Basic (login and password).",
    "service_users.issued_for.dsu": "The user is sent as userid and password in DSU requests.",
    "service_users.dkhm_epp_only": "EPP only",
    "invalid.service": "Service: choose EPP, DAS or DSU.",
    "service_users.lock_ends_itself": ("Locked after too many failed logins; the lockout "
                                       "ends by itself."),
}

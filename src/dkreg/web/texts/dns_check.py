"""The registry's name-server check on the portal's application and domain pages."""

DA: dict[str, str] = {
    "nscheck.title": "Kontrol af navneservere",
    "nscheck.when": "Kontrolleret",
    "nscheck.mode.dns": "navneserverne selv",
    "nscheck.mode.sandbox": "sandkassens navneserver og testzoner",
    "nscheck.asked": "Spurgt",
    "nscheck.result": "Resultat",
    "nscheck.passed": "Godkendt: {answering} af navneserverne svarer for domænet (mindst {needed})",
    "nscheck.failed": ("Afvist: {answering} af navneserverne svarer for domænet, mindst "
                       "{needed} skal"),
    "nscheck.server": "Navneserver",
    "nscheck.outcome": "Udfald",
    "nscheck.said": "Hvad den svarede",
    "nscheck.outcome.answered": "Svarer",
    "nscheck.outcome.timeout": "Intet svar i tide",
    "nscheck.outcome.refused": "Afviste",
    "nscheck.outcome.not_authoritative": "Ikke autoritativ (lame)",
    "nscheck.outcome.wrong_answer": "Forkert svar",
    "nscheck.outcome.unresolvable": "Ingen adresse",
    "nscheck.outcome.private_address": "Ikke-offentlig adresse",
    "nscheck.notes": "Bemærkninger",
    "nscheck.dnssec": "DNSSEC",
    "application.outcome.ns_check_failed": ("Afvist: navneserverne svarer ikke for domænet "
                                            "(prisen er tilbagebetalt)"),
}

EN: dict[str, str] = {
    "nscheck.title": "Name-server check",
    "nscheck.when": "Checked",
    "nscheck.mode.dns": "the name servers themselves",
    "nscheck.mode.sandbox": "the sandbox's name server and test zones",
    "nscheck.asked": "Asked",
    "nscheck.result": "Result",
    "nscheck.passed": "Passed: {answering} of the name servers answer for the domain "
                      "(at least {needed})",
    "nscheck.failed": ("Failed: {answering} of the name servers answer for the domain, at "
                       "least {needed} must"),
    "nscheck.server": "Name server",
    "nscheck.outcome": "Outcome",
    "nscheck.said": "What it answered",
    "nscheck.outcome.answered": "Answers",
    "nscheck.outcome.timeout": "No answer in time",
    "nscheck.outcome.refused": "Refused",
    "nscheck.outcome.not_authoritative": "Not authoritative (lame)",
    "nscheck.outcome.wrong_answer": "Wrong answer",
    "nscheck.outcome.unresolvable": "No address",
    "nscheck.outcome.private_address": "Non-public address",
    "nscheck.notes": "Notes",
    "nscheck.dnssec": "DNSSEC",
    "application.outcome.ns_check_failed": ("Rejected: its name servers do not answer for the "
                                            "domain (the price is refunded)"),
}

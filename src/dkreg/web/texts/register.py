"""Texts of "register a domain" and of an application's page (portal)."""

DA: dict[str, str] = {
    "register.registrant_required": "Vælg registrantens kontakt-ID, eller opret en ny registrant.",
    "register.accepted_at_required": ("Angiv, hvornår registranten accepterede Punktum dk's "
                                      "vilkår."),
    "register.hosts_missing": ("Disse navneservere findes ikke endnu: {hosts}. Sæt kryds ved "
                               "»Opret de manglende navneservere« for at oprette dem i samme "
                               "trin."),
    "register.glue_required": ("{host} ligger under et .dk-domæne og skal have mindst én "
                               "IP-adresse (glue)."),
    "register.flash": ("Ansøgningen om {name} er modtaget med sagsnummer {tracking_no}; "
                       "{amount} er trukket fra den forudbetalte konto.{made}"),
    "register.made_contact": "Registranten {handle} er oprettet.",
    "register.made_contact_reused": ("En kontakt med de samme oplysninger fandtes allerede og "
                                     "er brugt som registrant: {handle}."),
    "register.made_hosts": "Navneservere oprettet: {hosts}.",
    "register.made_heading": ("Dette blev oprettet, før registreringen blev afvist, og det "
                              "findes nu:"),
    "register.made_contact_kept": ("Registranten {handle} er oprettet og er valgt som "
                                   "registrant herunder."),
    "register.made_pending_hosts": ("Navneservere oprettet, som afventer godkendelse og først "
                                    "kan bruges derefter: {hosts}."),
    "register.search": "Find registranten blandt jeres kontakter",
    "register.search.hint": "Søg på kontakt-ID, navn, organisation eller e-mail.",
    "register.search.submit": "Søg",
    "register.search.results": "Kontakter, der passer til søgningen",
    "register.search.choose": "Vælg",
    "register.search.none": "Ingen af jeres kontakter passer til »{q}«.",
    "register.registrant_id": "Kontakt-ID",
    "register.registrant_source": "Registrant",
    "register.registrant_source.hint": ("Vælg en af jeres kontakter, eller opret registranten "
                                        "her; den oprettes før domænet."),
    "register.registrant_source.existing": "En eksisterende kontakt",
    "register.registrant_source.new": "Opret en ny kontakt som registrant",
    "register.registrant.pick_hint": ("Kontaktens ID, for eksempel ABCD1234-DK. Feltet foreslår "
                                      "jeres nyeste kontakter."),
    "register.new_contact": "Den nye registrant",
    "register.create_hosts": "Opret de manglende navneservere",
    "register.create_hosts.hint": ("Navneservere, der ikke findes endnu, oprettes i samme trin. "
                                   "En navneserver under et .dk-domæne skal have IP-adresser "
                                   "(glue); andre får ingen."),
    "register.glue_legend": "IP-adresser til nye navneservere under .dk",
    "register.glue_legend.hint": "Kun navneservere under et .dk-domæne får glue-adresser.",
    "register.glue": "IP-adresser for {host}",
    "register.glue.hint": ("En eller flere IPv4- eller IPv6-adresser, adskilt af mellemrum "
                           "eller komma."),
    "register.period_option.one": "{years} år — {amount}",
    "register.period_option.many": "{years} år — {amount}",
    "register.period.price_hint": ("Prisen trækkes fra den forudbetalte konto, når ansøgningen "
                                   "modtages."),
    "register.price": "Pris for den valgte periode: {amount}",
    "register.accepted_at.hint_max": ("Dansk tid: hvornår registranten accepterede Punktum dk's "
                                      "vilkår hos jer. Tidspunktet kan ikke ligge i fremtiden "
                                      "(senest {max})."),
    "application.title": "Ansøgning om {name}",
    "application.not_found_title": "Ansøgningen findes ikke",
    "application.not_found": ("Der er ingen ansøgning med sagsnummer {tracking_no} i jeres "
                              "portefølje."),
    "application.name": "Domænenavn",
    "application.tracking_no": "Sagsnummer",
    "application.state": "Status",
    "application.state.awaiting_acceptance": "Venter på, at registranten accepterer vilkårene",
    "application.state.queued": "Modtaget — registret behandler den",
    "application.state.done": "Behandlet",
    "application.state.cancelled": "Annulleret",
    "application.outcome": "Udfald",
    "application.outcome.waiting": ("Udfaldet er ikke kommet endnu. Det står her, når registret "
                                    "har behandlet ansøgningen, og kommer også som en besked i "
                                    "jeres kø."),
    "application.outcome.activated": "Registreret og aktiveret",
    "application.outcome.awaiting_verification": ("Registreret, men ikke aktiveret, før "
                                                  "registrantens ID- og/eller datakontrol er "
                                                  "gennemført"),
    "application.outcome.terms_not_accepted": ("Annulleret: registranten accepterede ikke "
                                               "vilkårene i tide"),
    "application.outcome.terms_declined": "Annulleret: registranten afviste vilkårene",
    "application.risk": "Risikovurdering",
    "application.risk.BLUE": ("Blå: dansk registrant, eller ID- og datakontrollen er "
                              "gennemført"),
    "application.risk.GREEN": ("Grøn: udenlandsk registrant, hvor ID-kontrol ikke er "
                               "nødvendig; datakontrollen er gennemført"),
    "application.risk.YELLOW": ("Gul: udenlandsk registrant, som skal gennemføre ID- og "
                                "datakontrollen"),
    "application.risk.RED": "Rød: registranten skal bestå ID-kontrollen før aktivering",
    "application.risk.N/A": "Ikke vurderet: vurderingen mislykkedes, og ID-kontrol er bedt om",
    "application.risk.waiting": "Kommer sammen med udfaldet.",
    "application.registrant": "Registrant (kontakt-ID)",
    "application.ns": "Navneservere",
    "application.period": "Periode",
    "application.years.one": "{years} år",
    "application.years.many": "{years} år",
    "application.price": "Pris",
    "application.price.billed": "{amount}, trukket fra den forudbetalte konto",
    "application.price.unbilled": "{amount}, trækkes først, når registranten accepterer",
    "application.created_at": "Modtaget",
    "application.terms_accepted_at": "Vilkår accepteret",
    "application.accept_deadline": "Frist for registrantens accept",
    "application.processed_at": "Behandlet",
    "application.domain_link": "Gå til domænet {name}",
    "application.poll_link": "Beskeder i køen",
}

EN: dict[str, str] = {
    "register.registrant_required": ("Choose the registrant's contact ID, or create a new "
                                     "registrant."),
    "register.accepted_at_required": "Give the time the registrant accepted Punktum dk's terms.",
    "register.hosts_missing": ("These name servers do not exist yet: {hosts}. Tick \"Create the "
                               "missing name servers\" to create them in the same step."),
    "register.glue_required": ("{host} is under a .dk domain and needs at least one IP address "
                               "(glue)."),
    "register.flash": ("The application for {name} is received with tracking number "
                       "{tracking_no}; {amount} was debited from the prepaid account.{made}"),
    "register.made_contact": "The registrant {handle} was created.",
    "register.made_contact_reused": ("A contact with the same details already existed and is "
                                     "the registrant: {handle}."),
    "register.made_hosts": "Name servers created: {hosts}.",
    "register.made_heading": ("This was created before the registration was refused, and "
                              "it exists now:"),
    "register.made_contact_kept": ("The registrant {handle} was created and is chosen as the "
                                   "registrant below."),
    "register.made_pending_hosts": ("Name servers created that wait for approval and can be used "
                                    "only then: {hosts}."),
    "register.search": "Find the registrant among your contacts",
    "register.search.hint": "Search by contact ID, name, organisation or e-mail.",
    "register.search.submit": "Search",
    "register.search.results": "Contacts matching the search",
    "register.search.choose": "Choose",
    "register.search.none": "None of your contacts matches \"{q}\".",
    "register.registrant_id": "Contact ID",
    "register.registrant_source": "Registrant",
    "register.registrant_source.hint": ("Choose one of your contacts, or create the registrant "
                                        "here; it is created before the domain."),
    "register.registrant_source.existing": "An existing contact",
    "register.registrant_source.new": "Create a new contact as registrant",
    "register.registrant.pick_hint": ("The contact's ID, for example ABCD1234-DK. The field "
                                      "suggests your newest contacts."),
    "register.new_contact": "The new registrant",
    "register.create_hosts": "Create the missing name servers",
    "register.create_hosts.hint": ("Name servers that do not exist yet are created in the same "
                                   "step. A name server under a .dk domain needs IP addresses "
                                   "(glue); others get none."),
    "register.glue_legend": "IP addresses of new name servers under .dk",
    "register.glue_legend.hint": "Only name servers under a .dk domain get glue addresses.",
    "register.glue": "IP addresses of {host}",
    "register.glue.hint": "One or more IPv4 or IPv6 addresses, separated by spaces or commas.",
    "register.period_option.one": "{years} year — {amount}",
    "register.period_option.many": "{years} years — {amount}",
    "register.period.price_hint": ("The price is debited from the prepaid account when the "
                                   "application is received."),
    "register.price": "Price for the chosen period: {amount}",
    "register.accepted_at.hint_max": ("Danish time: when the registrant accepted Punktum dk's "
                                      "terms with you. The time cannot be in the future "
                                      "(at the latest {max})."),
    "application.title": "Application for {name}",
    "application.not_found_title": "No such application",
    "application.not_found": ("There is no application with tracking number {tracking_no} in "
                              "your portfolio."),
    "application.name": "Domain name",
    "application.tracking_no": "Tracking number",
    "application.state": "Status",
    "application.state.awaiting_acceptance": "Waiting for the registrant to accept the terms",
    "application.state.queued": "Received — the registry is processing it",
    "application.state.done": "Processed",
    "application.state.cancelled": "Cancelled",
    "application.outcome": "Outcome",
    "application.outcome.waiting": ("The outcome has not arrived yet. It shows here once the "
                                    "registry has processed the application, and arrives as a "
                                    "message in your queue too."),
    "application.outcome.activated": "Registered and activated",
    "application.outcome.awaiting_verification": ("Registered, but not activated until the "
                                                  "registrant's ID and/or data check is "
                                                  "complete"),
    "application.outcome.terms_not_accepted": ("Cancelled: the registrant did not accept the "
                                               "terms in time"),
    "application.outcome.terms_declined": "Cancelled: the registrant declined the terms",
    "application.risk": "Risk assessment",
    "application.risk.BLUE": "Blue: a Danish registrant, or the ID and data check is complete",
    "application.risk.GREEN": ("Green: a foreign registrant who needs no ID check; the data "
                               "check is complete"),
    "application.risk.YELLOW": ("Yellow: a foreign registrant who must complete the ID and "
                                "data check"),
    "application.risk.RED": "Red: the registrant must pass the ID check before activation",
    "application.risk.N/A": "Not assessed: the assessment failed, and an ID check is requested",
    "application.risk.waiting": "Arrives with the outcome.",
    "application.registrant": "Registrant (contact ID)",
    "application.ns": "Name servers",
    "application.period": "Period",
    "application.years.one": "{years} year",
    "application.years.many": "{years} years",
    "application.price": "Price",
    "application.price.billed": "{amount}, debited from the prepaid account",
    "application.price.unbilled": "{amount}, debited only when the registrant accepts",
    "application.created_at": "Received",
    "application.terms_accepted_at": "Terms accepted",
    "application.accept_deadline": "Deadline for the registrant's acceptance",
    "application.processed_at": "Processed",
    "application.domain_link": "Go to the domain {name}",
    "application.poll_link": "Messages in the queue",
}

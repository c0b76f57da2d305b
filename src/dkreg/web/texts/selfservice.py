"""Self-service texts that explain: a domain's status in words, why and what to do; the
registrant's own changes; what public lookups show; the next steps after a failed ID
check. Danish terms: kontakt-ID, registrar, overførselskode."""

DA: dict[str, str] = {
    "ss.nav.public_data": "Offentlige data om mig",
    "ss.back_to_selfservice": "Til forsiden af selvbetjeningen",
    "ss.home.public_data": "Se, hvad WHOIS og RDAP viser om mig",
    "ss.home.contact_id": "Kontakt-ID",
    "ss.home.check_needed": "Kontakt-ID {handle} mangler en kontrol.",
    "ss.home.domains_of": "Domæner for kontakt-ID {handle}",
    "ss.home.status": "Status",
    "ss.dstatus.active": "Aktivt",
    "ss.dstatus.application": "Under behandling",
    "ss.dstatus.awaiting_terms": "Venter på, at du godkender vilkårene",
    "ss.dstatus.on_hold": "Sat i bero (ikke i DNS)",
    "ss.dstatus.suspended": "Suspenderet (ikke i DNS)",
    "ss.dstatus.deletion_scheduled": "Sletning planlagt",
    "ss.dstatus.pending_deletion": "På vej til at blive slettet",
    "ss.reason.terms_not_accepted": "Ansøgningen behandles først, når du som registrant har "
                                    "godkendt vilkårene.",
    "ss.reason.awaiting_id_check": "Domænet virker først, når registrantens ID-kontrol er "
                                   "gennemført. Frist: {until}.",
    "ss.reason.being_processed": "Registret behandler ansøgningen. Du skal ikke gøre noget.",
    "ss.reason.awaiting_data_check": "Domænet virker først, når registrantens e-mailadresse er "
                                     "bekræftet. Frist: {until}.",
    "ss.reason.id_check_rejected": "Registrantens ID-kontrol er afvist, så domænet er sat i "
                                   "bero.",
    "ss.reason.held_by_registry": "Registret har sat domænet i bero.",
    "ss.reason.invoice_open": "Fornyelsen er faktureret og ikke betalt endnu. Betal inden "
                              "udløb, ellers bliver domænet slettet.",
    "ss.reason.id_check_due": "Registrantens ID-kontrol mangler. Gennemfør den inden {until}, "
                              "ellers bliver domænet suspenderet.",
    "ss.reason.data_check_due": "Registrantens e-mailadresse er ikke bekræftet. Bekræft den "
                                "inden {until}, ellers bliver domænet suspenderet.",
    "ss.reason.deletion_scheduled": "Registraren har bedt om, at domænet slettes den {until}.",
    "ss.reason.id_check_expired": "Fristen for registrantens ID-kontrol er overskredet. "
                                  "Domænet slettes den {until}, medmindre kontrollen "
                                  "gennemføres inden.",
    "ss.reason.data_check_expired": "Fristen for at bekræfte registrantens e-mailadresse er "
                                    "overskredet. Domænet slettes den {until}, medmindre den "
                                    "bekræftes inden.",
    "ss.reason.unpaid": "Fornyelsen er ikke betalt. Domænet slettes den {until}, medmindre "
                        "den betales inden.",
    "ss.reason.expired": "Domænet er udløbet uden at blive fornyet. Det slettes den {until}, "
                         "medmindre det genoprettes inden.",
    "ss.reason.deleted": "Domænet er opsagt. Det slettes den {until}, medmindre det "
                         "genoprettes inden.",
    "ss.reason.restore_unconfirmed": "En genoprettelse af domænet er ikke bekræftet. Det "
                                     "slettes den {until}.",
    "ss.steps.heading": "Det kan du gøre:",
    "ss.step.accept_terms": "Læs og godkend vilkårene",
    "ss.step.verify": "Gennemfør kontrollen",
    "ss.step.pay": "Betal fakturaen",
    "ss.step.ask_registrar": "Kontakt registraren:",
    "ss.step.ask_registry": "Kontakt kundeservice hos {registry}.",
    "ss.step.wait": "Vent — du hører fra os.",
    "ss.domain.back": "Tilbage til mine domæner",
    "ss.domain.management": "Administreres af",
    "ss.domain.managed_by_registrar": "registraren",
    "ss.domain.managed_by_registrant": "dig som registrant",
    "ss.domain.expires": "Udløber",
    "ss.domain.autorenew": "Automatisk fornyelse",
    "ss.domain.autorenew_on": "til",
    "ss.domain.autorenew_off": "fra",
    "ss.domain.nameservers": "Navneservere",
    "ss.domain.ns_heading": "Skift navneservere",
    "ss.domain.ns_label": "Navneservere",
    "ss.domain.ns_hint": "Én navneserver pr. linje, {min}–{max} i alt. Hver skal være "
                         "oprettet som navneserver i registret og aktiv. Skiftes "
                         "navneserverne, fjernes domænets DS-poster.",
    "ss.domain.ns_submit": "Gem navneservere",
    "ss.domain.autorenew_explain_on": "Domænet fornyes ét år ad gangen; fornyelsen "
                                      "faktureres før udløb.",
    "ss.domain.autorenew_explain_off": "Domænet fornyes ikke. Ved udløb går det i 30 dages "
                                       "karantæne og bliver derefter slettet.",
    "ss.domain.autorenew_turn_off": "Slå automatisk fornyelse fra",
    "ss.domain.autorenew_turn_on": "Slå automatisk fornyelse til",
    "ss.domain.token_explain": "Med en overførselskode kan en registrar overtage "
                               "domænet. Koden gælder i 14 dage og kan bruges én gang.",
    "ss.domain.registrar_changes": "Registraren administrerer domænet: navneservere, "
                                   "fornyelse og overførselskode får du hos registraren:",
    "ss.flash.password_set": "Adgangskoden til kontakt-ID {handle} er gemt.",
    "ss.flash.ns_changed": "Navneserverne for {name} er nu {nameservers}.",
    "ss.flash.ns_unchanged": "Navneserverne for {name} er uændrede: {nameservers}.",
    "ss.flash.autorenew_on": "Automatisk fornyelse af {name} er slået til.",
    "ss.flash.autorenew_off": "Automatisk fornyelse af {name} er slået fra. Domænet "
                              "slettes ved udløb, medmindre du slår den til igen.",
    "ss.public.title": "Hvad WHOIS og RDAP viser om mig",
    "ss.public.intro": "Det her viser et offentligt opslag i WHOIS og RDAP om dine domæner "
                       "og om dig som registrant — og hvad der ikke vises.",
    "ss.public.as_registrant": "Dig som registrant",
    "ss.public.domains": "Dine domæner",
    "ss.public.its_registrant": "Registranten",
    "ss.public.withheld": "Vises ikke:",
    "ss.public.none": "Du er ikke registrant for noget aktivt domæne.",
    "ss.public.domain.domain": "Domæne",
    "ss.public.domain.status": "Status",
    "ss.public.domain.registered": "Registreret",
    "ss.public.domain.expires": "Udløber",
    "ss.public.domain.period": "Registreringsperiode (år)",
    "ss.public.domain.registrar": "Registrar",
    "ss.public.domain.delete_date": "Slettedato",
    "ss.public.domain.vid": "VID",
    "ss.public.domain.dnssec": "DNSSEC",
    "ss.public.domain.nameservers": "Navneservere",
    "ss.public.registrant.handle": "Kontakt-ID",
    "ss.public.registrant.name": "Navn",
    "ss.public.registrant.address": "Adresse",
    "ss.public.registrant.postal_code": "Postnummer",
    "ss.public.registrant.city": "By",
    "ss.public.registrant.country": "Land",
    "ss.public.registrant.email": "E-mail",
    "ss.public.registrant.phone": "Telefon",
    "ss.public.value.active": "aktivt",
    "ss.public.value.inactive": "ikke aktivt",
    "ss.public.value.pending delete": "på vej til sletning",
    "ss.public.value.yes": "ja",
    "ss.public.value.no": "nej",
    "ss.public.value.signed": "signeret",
    "ss.public.value.unsigned": "ikke signeret",
    "id.mitid.retry": "Prøv MitID igen",
    "id.cvr.retry": "Slå CVR-nummeret op igen",
    "id.document.other_way": "Du kan også blive kontrolleret ved at uploade et dokument, "
                             "som registret gennemgår.",
    "id.help.heading_failed": "Kontrollen lykkedes ikke",
    "id.help.heading_waiting": "Dit dokument er under gennemgang",
    "id.help.reason.mitid_cancelled": "MitID-login blev afbrudt, før det var færdigt.",
    "id.help.reason.service_error": "Der opstod en teknisk fejl hos os eller hos tjenesten.",
    "id.help.reason.name_mismatch": "Navnet på kontakt-ID'et passer ikke med navnet i "
                                    "registeret.",
    "id.help.reason.invalid_cpr": "CPR-nummeret fra MitID kunne ikke bruges.",
    "id.help.reason.unknown_cvr": "CVR-nummeret på kontakt-ID'et findes ikke i CVR.",
    "id.help.reason.dissolved": "Virksomheden er ophørt i CVR og kan ikke være registrant.",
    "id.help.reason.address_mismatch": "Adressen på kontakt-ID'et passer ikke med adressen "
                                       "i CVR.",
    "id.help.reason.pnumber_mismatch": "P-nummeret på kontakt-ID'et hører ikke til "
                                       "virksomheden.",
    "id.help.reason.ean_invalid": "EAN-nummeret på kontakt-ID'et er ugyldigt.",
    "id.help.reason.document_rejected": "Registret kunne ikke godkende dokumentet.",
    "id.help.reason.check_rejected": "Registret har afvist ID-kontrollen.",
    "id.help.reason.document_waiting": "Registret gennemgår dit dokument. Du får besked, "
                                       "når det er godkendt eller afvist.",
    "id.help.step.retry": "Prøv igen.",
    "id.help.step.retry_document": "Upload et nyt, tydeligt dokument herunder.",
    "id.help.step.document": "Brug en anden metode:",
    "id.help.step.document_link": "upload et identitetsdokument",
    "id.help.step.registrar": "Bed registraren om at rette oplysningerne på kontakt-ID'et, "
                              "og prøv så igen:",
    "id.help.step.registry": "Kontakt kundeservice hos {registry}.",
    "id.help.step.wait": "Vent på registrets svar.",
    "id.start_again": "Start ID-kontrollen forfra",
    "id.email.invalid_next": "Log ind i selvbetjeningen: siden ID-kontrol viser, hvad du "
                             "skal gøre nu.",
}

EN: dict[str, str] = {
    "ss.nav.public_data": "Public data about me",
    "ss.back_to_selfservice": "To the self-service front page",
    "ss.home.public_data": "See what WHOIS and RDAP show about me",
    "ss.home.contact_id": "Contact ID",
    "ss.home.check_needed": "Contact ID {handle} has a check to complete.",
    "ss.home.domains_of": "Domains of contact ID {handle}",
    "ss.home.status": "Status",
    "ss.dstatus.active": "Active",
    "ss.dstatus.application": "Being processed",
    "ss.dstatus.awaiting_terms": "Waiting for you to accept the terms",
    "ss.dstatus.on_hold": "On hold (not in the DNS)",
    "ss.dstatus.suspended": "Suspended (not in the DNS)",
    "ss.dstatus.deletion_scheduled": "Deletion scheduled",
    "ss.dstatus.pending_deletion": "On its way to deletion",
    "ss.reason.terms_not_accepted": "The application is processed once you, the registrant, "
                                    "have accepted the terms.",
    "ss.reason.awaiting_id_check": "The domain works once the registrant's ID check is "
                                   "complete. Deadline: {until}.",
    "ss.reason.being_processed": "The registry is processing the application. You need do "
                                 "nothing.",
    "ss.reason.awaiting_data_check": "The domain works once the registrant's e-mail address "
                                     "is confirmed. Deadline: {until}.",
    "ss.reason.id_check_rejected": "The registrant's ID check was rejected, so the domain is "
                                   "on hold.",
    "ss.reason.held_by_registry": "The registry has put the domain on hold.",
    "ss.reason.invoice_open": "The renewal is invoiced and not yet paid. Pay before expiry, "
                              "or the domain will be deleted.",
    "ss.reason.id_check_due": "The registrant's ID check is missing. Complete it before "
                              "{until}, or the domain will be suspended.",
    "ss.reason.data_check_due": "The registrant's e-mail address is not confirmed. Confirm it "
                                "before {until}, or the domain will be suspended.",
    "ss.reason.deletion_scheduled": "The registrar has asked for the domain to be deleted on "
                                    "{until}.",
    "ss.reason.id_check_expired": "The deadline for the registrant's ID check has passed. The "
                                  "domain is deleted on {until} unless the check is "
                                  "completed before then.",
    "ss.reason.data_check_expired": "The deadline for confirming the registrant's e-mail "
                                    "address has passed. The domain is deleted on {until} "
                                    "unless it is confirmed before then.",
    "ss.reason.unpaid": "The renewal is not paid. The domain is deleted on {until} unless it "
                        "is paid before then.",
    "ss.reason.expired": "The domain expired without being renewed. It is deleted on {until} "
                         "unless it is restored before then.",
    "ss.reason.deleted": "The domain has been cancelled. It is deleted on {until} unless it "
                         "is restored before then.",
    "ss.reason.restore_unconfirmed": "A restoration of the domain was not confirmed. It is "
                                     "deleted on {until}.",
    "ss.steps.heading": "What you can do:",
    "ss.step.accept_terms": "Read and accept the terms",
    "ss.step.verify": "Complete the check",
    "ss.step.pay": "Pay the invoice",
    "ss.step.ask_registrar": "Contact the registrar:",
    "ss.step.ask_registry": "Contact customer service at {registry}.",
    "ss.step.wait": "Wait — you will hear from us.",
    "ss.domain.back": "Back to my domains",
    "ss.domain.management": "Managed by",
    "ss.domain.managed_by_registrar": "the registrar",
    "ss.domain.managed_by_registrant": "you, the registrant",
    "ss.domain.expires": "Expires",
    "ss.domain.autorenew": "Automatic renewal",
    "ss.domain.autorenew_on": "on",
    "ss.domain.autorenew_off": "off",
    "ss.domain.nameservers": "Name servers",
    "ss.domain.ns_heading": "Change name servers",
    "ss.domain.ns_label": "Name servers",
    "ss.domain.ns_hint": "One name server per line, {min}–{max} in all. Each must exist as a "
                         "name server in the registry and be active. Changing the name "
                         "servers removes the domain's DS records.",
    "ss.domain.ns_submit": "Save name servers",
    "ss.domain.autorenew_explain_on": "The domain is renewed a year at a time; the renewal "
                                      "is invoiced before it expires.",
    "ss.domain.autorenew_explain_off": "The domain is not renewed. At expiry it enters a "
                                       "30-day redemption period and is then deleted.",
    "ss.domain.autorenew_turn_off": "Turn automatic renewal off",
    "ss.domain.autorenew_turn_on": "Turn automatic renewal on",
    "ss.domain.token_explain": "With a transfer token a registrar can take over the domain. "
                               "The token is valid for 14 days and works once.",
    "ss.domain.registrar_changes": "The registrar manages the domain: ask the registrar for "
                                   "name-server changes, renewal and the transfer token:",
    "ss.flash.password_set": "The password of contact ID {handle} is saved.",
    "ss.flash.ns_changed": "The name servers of {name} are now {nameservers}.",
    "ss.flash.ns_unchanged": "The name servers of {name} are unchanged: {nameservers}.",
    "ss.flash.autorenew_on": "Automatic renewal of {name} is on.",
    "ss.flash.autorenew_off": "Automatic renewal of {name} is off. The domain is deleted at "
                              "expiry unless you turn it on again.",
    "ss.public.title": "What WHOIS and RDAP show about me",
    "ss.public.intro": "This is what a public WHOIS or RDAP lookup shows about your domains "
                       "and about you as a registrant — and what it does not show.",
    "ss.public.as_registrant": "You as a registrant",
    "ss.public.domains": "Your domains",
    "ss.public.its_registrant": "The registrant",
    "ss.public.withheld": "Not shown:",
    "ss.public.none": "You are not the registrant of any active domain.",
    "ss.public.domain.domain": "Domain",
    "ss.public.domain.status": "Status",
    "ss.public.domain.registered": "Registered",
    "ss.public.domain.expires": "Expires",
    "ss.public.domain.period": "Registration period (years)",
    "ss.public.domain.registrar": "Registrar",
    "ss.public.domain.delete_date": "Delete date",
    "ss.public.domain.vid": "VID",
    "ss.public.domain.dnssec": "DNSSEC",
    "ss.public.domain.nameservers": "Name servers",
    "ss.public.registrant.handle": "Contact ID",
    "ss.public.registrant.name": "Name",
    "ss.public.registrant.address": "Address",
    "ss.public.registrant.postal_code": "Postal code",
    "ss.public.registrant.city": "City",
    "ss.public.registrant.country": "Country",
    "ss.public.registrant.email": "E-mail",
    "ss.public.registrant.phone": "Phone",
    "ss.public.value.active": "active",
    "ss.public.value.inactive": "inactive",
    "ss.public.value.pending delete": "pending delete",
    "ss.public.value.yes": "yes",
    "ss.public.value.no": "no",
    "ss.public.value.signed": "signed",
    "ss.public.value.unsigned": "unsigned",
    "id.mitid.retry": "Try MitID again",
    "id.cvr.retry": "Look up the CVR number again",
    "id.document.other_way": "You can also be verified by uploading a document for the "
                             "registry to review.",
    "id.help.heading_failed": "The check did not succeed",
    "id.help.heading_waiting": "Your document is being reviewed",
    "id.help.reason.mitid_cancelled": "The MitID login was cancelled before it finished.",
    "id.help.reason.service_error": "A technical fault occurred with us or with the service.",
    "id.help.reason.name_mismatch": "The name on the contact ID does not match the name in "
                                    "the register.",
    "id.help.reason.invalid_cpr": "The CPR number from MitID could not be used.",
    "id.help.reason.unknown_cvr": "The contact ID's CVR number does not exist in CVR.",
    "id.help.reason.dissolved": "The company has ceased in CVR and cannot be a registrant.",
    "id.help.reason.address_mismatch": "The address on the contact ID does not match the "
                                       "address in CVR.",
    "id.help.reason.pnumber_mismatch": "The contact ID's P number does not belong to the "
                                       "company.",
    "id.help.reason.ean_invalid": "The contact ID's EAN number is invalid.",
    "id.help.reason.document_rejected": "The registry could not approve the document.",
    "id.help.reason.check_rejected": "The registry has rejected the ID check.",
    "id.help.reason.document_waiting": "The registry is reviewing your document. You will "
                                       "hear when it is approved or rejected.",
    "id.help.step.retry": "Try again.",
    "id.help.step.retry_document": "Upload a new, legible document below.",
    "id.help.step.document": "Use another method:",
    "id.help.step.document_link": "upload an identity document",
    "id.help.step.registrar": "Ask the registrar to correct the contact ID's data, then try "
                              "again:",
    "id.help.step.registry": "Contact customer service at {registry}.",
    "id.help.step.wait": "Wait for the registry's answer.",
    "id.start_again": "Start the ID check again",
    "id.email.invalid_next": "Log in to the self-service: the ID check page shows what to do "
                             "next.",
}

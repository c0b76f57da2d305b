"""The public lookup page, the lookup services' terms of use and privacy notice, and their
links on the front page."""

DA: dict[str, str] = {
    "index.door.lookup": "Slå et domænenavn op",
    "index.door.lookup_hint": ("Status, datoer og navneservere for et .dk-domænenavn eller en "
                               "navneserver — det samme som WHOIS viser."),
    "index.door.nsu": "Anmod om redelegering",
    "index.door.nsu_hint": ("Bed registranten af et registrantadministreret domæne om at "
                            "skifte til dine navneservere."),
    "index.door.lookup_terms": "Vilkår for opslagstjenesterne",
    "index.door.lookup_terms_hint": "Hvad WHOIS, WHOIS REST, RDAP og DAS må bruges til.",
    "index.door.lookup_privacy": "Privatlivserklæring for opslag",
    "index.door.lookup_privacy_hint": ("Hvilke oplysninger opslagene viser, og hvordan man "
                                       "søger adgang til resten."),
    "lookup.title": "Slå et domænenavn op",
    "lookup.intro": ("Skriv et .dk-domænenavn eller navnet på en navneserver. Du ser det samme "
                     "som registrets WHOIS viser."),
    "lookup.field": "Domænenavn eller navneserver",
    "lookup.hint": "For eksempel eksempel.dk eller ns1.eksempel.dk.",
    "lookup.submit": "Slå op",
    "lookup.too_long": "Navnet er for langt: højst {most} tegn.",
    "lookup.available": "{name} er ledigt og kan registreres hos en registrar.",
    "lookup.register_with": "Registrarer, der sælger .dk-domænenavne",
    "lookup.no_registrars": "Ingen registrarer er vist på den offentlige liste endnu.",
    "lookup.all_registrars": "Se hele registrarlisten",
    "lookup.reserved_note": "Navnet er reserveret af registret og kan ikke registreres.",
    "lookup.waiting_list_note": ("Navnet er frigivet og tilbudt den første på navnets "
                                 "venteliste. Datoer, periode, VID og DNSSEC vises ikke."),
    "lookup.application": "ansøgning under behandling",
    "lookup.registrant_managed": ("Domænet er registrantadministreret: ingen registrar "
                                  "håndterer det, så der vises ingen."),
    "lookup.f.domain": "Domæne",
    "lookup.f.dns": "DNS (punycode)",
    "lookup.f.status": "Status",
    "lookup.f.registered": "Registreret",
    "lookup.f.expires": "Udløber",
    "lookup.f.delete_date": "Slettes",
    "lookup.f.period": "Registreringsperiode",
    "lookup.f.vid": "VID",
    "lookup.f.dnssec": "DNSSEC",
    "lookup.f.nameservers": "Navneservere",
    "lookup.f.registrar": "Registrar",
    "lookup.f.nameserver": "Navneserver",
    "lookup.f.glue": "Glue",
    "lookup.f.addresses": "Adresser i zonen",
    "lookup.years": "{n} år",
    "lookup.year": "1 år",
    "lookup.status.active": "Aktiv",
    "lookup.status.deactivated": "Deaktiveret",
    "lookup.status.reserved": "Reserveret",
    "lookup.status.waiting_list": "Tilbudt til venteliste",
    "lookup.dnssec.signed": "Signeret delegering",
    "lookup.dnssec.unsigned_disabled_no_records": ("Usigneret delegering, DNSSEC slået fra, "
                                                   "ingen poster"),
    "lookup.dnssec.unsigned_disabled_unpublished": ("Usigneret delegering, DNSSEC slået fra, "
                                                    "nøgler ikke offentliggjort"),
    "lookup.dnssec.unsigned_disabled": "Usigneret delegering, DNSSEC slået fra",
    "lookup.dnssec.unsigned_no_records": "Usigneret delegering, ingen poster",
    "lookup.dnssec.unsigned_enabled_unpublished": ("Usigneret delegering, DNSSEC slået til, "
                                                   "nøgler ikke offentliggjort"),
    "lookup.dnssec.unknown": "Ukendt status",
    "lookup.glue.yes": "Udgives i zonen",
    "lookup.glue.no": "Udgives ikke i zonen",
    "lookup.host_unknown": "{name} er ikke registreret som navneserver hos registret.",
    "lookup.registrant": "Registrant",
    "lookup.r.handle": "Kontakt-ID",
    "lookup.r.name": "Navn",
    "lookup.r.address": "Adresse",
    "lookup.r.postal_code": "Postnummer",
    "lookup.r.city": "By",
    "lookup.r.country": "Land",
    "lookup.r.email": "E-mail",
    "lookup.r.phone": "Telefon",
    "lookup.withheld.person": ("Ikke vist: {fields}. Registranten er en privatperson eller "
                               "enkeltmandsvirksomhed, og efter NIS2-reglerne vises en person "
                               "kun med land."),
    "lookup.withheld.organisation": ("Ikke vist: {fields}. En virksomhed, forening eller "
                                     "offentlig myndighed vises med navn, adresse og e-mail, "
                                     "aldrig med kontakt-ID eller telefon."),
    "lookup.privacy_link": "Læs privatlivserklæringen",
    "lookup.terms.title": "Vilkår for opslagstjenesterne",
    "lookup.terms.intro": ("Registret stiller oplysninger om .dk-domænenavne og navneservere "
                           "til rådighed gennem disse opslagstjenester:"),
    "lookup.terms.service.whois": "WHOIS på port 43 (RFC 3912), tekst",
    "lookup.terms.service.rest": "WHOIS REST (/domain, /host og /query), JSON",
    "lookup.terms.service.rdap": "RDAP (RFC 7480–7484, 9082, 9083), JSON",
    "lookup.terms.service.das": "DAS, om et domænenavn er ledigt (/domain/is_available)",
    "lookup.terms.service.page": "Denne opslagsside",
    "lookup.terms.use_heading": "Brug",
    "lookup.terms.use": ("Oplysningerne må bruges til at finde ud af, om et navn er ledigt, "
                         "hvem der kan kontaktes om et domæne, og til tekniske, juridiske og "
                         "sikkerhedsmæssige formål i forbindelse med domænenavne."),
    "lookup.terms.not_heading": "Ikke tilladt",
    "lookup.terms.not": ("Det er ikke tilladt at bruge oplysningerne til markedsføring, "
                         "uopfordrede henvendelser eller spam, at høste oplysningerne "
                         "systematisk eller at opbygge en kopi af hele eller dele af "
                         "registrets database."),
    "lookup.terms.limits_heading": "Begrænsninger",
    "lookup.terms.limits": ("WHOIS, WHOIS REST og RDAP besvarer højst én forespørgsel i "
                            "sekundet og én samtidig forbindelse pr. IPv4-net (/24) eller "
                            "IPv6-net (/48). En forespørgsel over grænsen får et kort svar "
                            "om at vente. DAS kræver en DAS-tjenestebruger fra "
                            "registrarportalen."),
    "lookup.terms.logging_heading": "Logning",
    "lookup.terms.logging": ("Forespørgsler logges med afsenderens adresse for at håndhæve "
                             "grænserne og beskytte tjenesterne mod misbrug."),
    "lookup.terms.warranty_heading": "Ansvar",
    "lookup.terms.warranty": ("Oplysningerne er registrets egne og gives, som de er. "
                              "Registret kan begrænse eller spærre adgangen for den, der "
                              "overtræder vilkårene."),
    "lookup.privacy.title": "Privatlivserklæring for opslagstjenesterne",
    "lookup.privacy.intro": ("{registry} er dataansvarlig for registrets oplysninger om "
                             ".dk-domænenavne. Opslagstjenesterne viser kun det, reglerne "
                             "tillader."),
    "lookup.privacy.domain_heading": "Om domænet",
    "lookup.privacy.domain": ("For et domæne vises status, registrerings- og udløbsdato, "
                              "registreringsperiode, VID, DNSSEC, navneservere, en planlagt "
                              "sletning og — kun for et registraradministreret domæne — "
                              "registraren."),
    "lookup.privacy.registrant_heading": "Om registranten (NIS2)",
    "lookup.privacy.person": ("En privatperson eller enkeltmandsvirksomhed vises kun med "
                              "land. Navn, adresse, e-mail og telefon vises ikke."),
    "lookup.privacy.company": ("En virksomhed, forening eller offentlig myndighed vises med "
                               "navn, adresse og e-mail (fra 3. november 2025; sekundær e-mail, "
                               "når den har et CVR-nummer og en sådan)."),
    "lookup.privacy.never": "Kontakt-ID og telefonnumre vises aldrig.",
    "lookup.privacy.access_heading": "Adgang for legitime adgangssøgende",
    "lookup.privacy.access": ("Myndigheder, CERT'er og andre med et lovligt grundlag kan søge "
                              "om adgang til de oplysninger, der ikke vises. Anmodningen "
                              "skal angive, hvem der spørger, hvilke domæner og oplysninger "
                              "det gælder, og det retlige grundlag. Registret svarer inden "
                              "for 72 timer."),
    "lookup.privacy.access_link": "Send en anmodning om adgang",
    "lookup.privacy.logging": ("Selve forespørgslerne logges med afsenderens adresse for at "
                               "håndhæve grænserne og beskytte tjenesterne."),
}

EN: dict[str, str] = {
    "index.door.lookup": "Look up a domain name",
    "index.door.lookup_hint": ("Status, dates and name servers of a .dk domain name or a name "
                               "server — what WHOIS shows."),
    "index.door.nsu": "Request a redelegation",
    "index.door.nsu_hint": ("Ask the registrant of a registrant-managed domain to move it "
                            "to your name servers."),
    "index.door.lookup_terms": "Terms of use of the lookup services",
    "index.door.lookup_terms_hint": "What WHOIS, WHOIS REST, RDAP and DAS may be used for.",
    "index.door.lookup_privacy": "Privacy notice of the lookups",
    "index.door.lookup_privacy_hint": ("What the lookups show, and how to ask for access to "
                                       "the rest."),
    "lookup.title": "Look up a domain name",
    "lookup.intro": ("Type a .dk domain name or the name of a name server. You see what the "
                     "registry's WHOIS shows."),
    "lookup.field": "Domain name or name server",
    "lookup.hint": "For example eksempel.dk or ns1.eksempel.dk.",
    "lookup.submit": "Look up",
    "lookup.too_long": "The name is too long: at most {most} characters.",
    "lookup.available": "{name} is available and can be registered with a registrar.",
    "lookup.register_with": "Registrars that sell .dk domain names",
    "lookup.no_registrars": "No registrars are on the public list yet.",
    "lookup.all_registrars": "See the whole registrar list",
    "lookup.reserved_note": "The name is reserved by the registry and cannot be registered.",
    "lookup.waiting_list_note": ("The name has been released and is offered to the first on "
                                 "its waiting list. Dates, period, VID and DNSSEC are not "
                                 "shown."),
    "lookup.application": "application being processed",
    "lookup.registrant_managed": ("The domain is registrant-managed: no registrar handles "
                                  "it, so none is shown."),
    "lookup.f.domain": "Domain",
    "lookup.f.dns": "DNS (punycode)",
    "lookup.f.status": "Status",
    "lookup.f.registered": "Registered",
    "lookup.f.expires": "Expires",
    "lookup.f.delete_date": "Delete date",
    "lookup.f.period": "Registration period",
    "lookup.f.vid": "VID",
    "lookup.f.dnssec": "DNSSEC",
    "lookup.f.nameservers": "Name servers",
    "lookup.f.registrar": "Registrar",
    "lookup.f.nameserver": "Name server",
    "lookup.f.glue": "Glue",
    "lookup.f.addresses": "Addresses in the zone",
    "lookup.years": "{n} years",
    "lookup.year": "1 year",
    "lookup.status.active": "Active",
    "lookup.status.deactivated": "Deactivated",
    "lookup.status.reserved": "Reserved",
    "lookup.status.waiting_list": "Offered to waiting list",
    "lookup.dnssec.signed": "Signed delegation",
    "lookup.dnssec.unsigned_disabled_no_records": ("Unsigned delegation, DNSSEC disabled, no "
                                                   "records"),
    "lookup.dnssec.unsigned_disabled_unpublished": ("Unsigned delegation, DNSSEC disabled, "
                                                    "keys unpublished"),
    "lookup.dnssec.unsigned_disabled": "Unsigned delegation, DNSSEC disabled",
    "lookup.dnssec.unsigned_no_records": "Unsigned delegation, no records",
    "lookup.dnssec.unsigned_enabled_unpublished": ("Unsigned delegation, DNSSEC enabled, keys "
                                                   "unpublished"),
    "lookup.dnssec.unknown": "Unknown status",
    "lookup.glue.yes": "Being spooled",
    "lookup.glue.no": "Not being spooled",
    "lookup.host_unknown": "{name} is not registered as a name server with the registry.",
    "lookup.registrant": "Registrant",
    "lookup.r.handle": "Contact ID",
    "lookup.r.name": "Name",
    "lookup.r.address": "Address",
    "lookup.r.postal_code": "Postal code",
    "lookup.r.city": "City",
    "lookup.r.country": "Country",
    "lookup.r.email": "E-mail",
    "lookup.r.phone": "Phone",
    "lookup.withheld.person": ("Not shown: {fields}. The registrant is an individual or a "
                               "sole proprietorship, and under the NIS2 rules a person is "
                               "shown by country only."),
    "lookup.withheld.organisation": ("Not shown: {fields}. A company, association or public "
                                     "body is shown with name, address and e-mail, never with "
                                     "its contact ID or phone."),
    "lookup.privacy_link": "Read the privacy notice",
    "lookup.terms.title": "Terms of use of the lookup services",
    "lookup.terms.intro": ("The registry makes facts about .dk domain names and name servers "
                           "available through these lookup services:"),
    "lookup.terms.service.whois": "WHOIS on port 43 (RFC 3912), text",
    "lookup.terms.service.rest": "WHOIS REST (/domain, /host and /query), JSON",
    "lookup.terms.service.rdap": "RDAP (RFC 7480–7484, 9082, 9083), JSON",
    "lookup.terms.service.das": "DAS, whether a domain name is available (/domain/is_available)",
    "lookup.terms.service.page": "This lookup page",
    "lookup.terms.use_heading": "Use",
    "lookup.terms.use": ("The data may be used to find out whether a name is available, whom "
                         "to contact about a domain, and for technical, legal and security "
                         "purposes concerning domain names."),
    "lookup.terms.not_heading": "Not allowed",
    "lookup.terms.not": ("The data may not be used for marketing, unsolicited contact or "
                         "spam, harvested systematically, or used to build a copy of all or "
                         "part of the registry's database."),
    "lookup.terms.limits_heading": "Limits",
    "lookup.terms.limits": ("WHOIS, WHOIS REST and RDAP answer at most one query a second and "
                            "one open connection per IPv4 network (/24) or IPv6 network "
                            "(/48). A query over the limit gets a short answer asking to "
                            "wait. DAS needs a DAS service user from the registrar portal."),
    "lookup.terms.logging_heading": "Logging",
    "lookup.terms.logging": ("Queries are logged with the sender's address to enforce the "
                             "limits and to protect the services from abuse."),
    "lookup.terms.warranty_heading": "Liability",
    "lookup.terms.warranty": ("The data is the registry's own and is given as it is. The "
                              "registry may limit or block access for whoever breaks these "
                              "terms."),
    "lookup.privacy.title": "Privacy notice of the lookup services",
    "lookup.privacy.intro": ("{registry} is the data controller of the registry's data about "
                             ".dk domain names. The lookup services show only what the rules "
                             "allow."),
    "lookup.privacy.domain_heading": "About the domain",
    "lookup.privacy.domain": ("For a domain the lookups show its status, registration and "
                              "expiry dates, registration period, VID, DNSSEC, name servers, "
                              "a scheduled deletion and — for a registrar-managed domain only "
                              "— the registrar."),
    "lookup.privacy.registrant_heading": "About the registrant (NIS2)",
    "lookup.privacy.person": ("An individual or a sole proprietorship is shown by country "
                              "only. Name, address, e-mail and phone are not shown."),
    "lookup.privacy.company": ("A company, association or public body is shown with name, "
                               "address and e-mail (from 3 November 2025; the secondary e-mail "
                               "when it has a CVR number and one)."),
    "lookup.privacy.never": "Contact IDs and phone numbers are never shown.",
    "lookup.privacy.access_heading": "Access for legitimate access seekers",
    "lookup.privacy.access": ("Authorities, CERTs and others with a legal basis can ask for "
                              "access to the data that is not shown. The request names who "
                              "asks, which domains and data it concerns, and the legal basis. "
                              "The registry answers within 72 hours."),
    "lookup.privacy.access_link": "Send an access request",
    "lookup.privacy.logging": ("The queries themselves are logged with the sender's address "
                               "to enforce the limits and protect the services."),
}

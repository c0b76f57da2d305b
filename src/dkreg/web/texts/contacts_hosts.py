"""The portal's contact and host pages: summaries, edit and delete, the rules explained."""

DA: dict[str, str] = {
    # summaries after a change (flash)
    "contact.flash.created": "Kontakten {handle} er oprettet.",
    "contact.flash.reused": ("Der findes allerede en kontakt med de samme data: {handle}. "
                             "Den bruges igen."),
    "contact.flash.updated": "Kontakten {handle} er opdateret.",
    "contact.flash.updated_email": ("Kontakten {handle} er opdateret. Den nye e-mailadresse "
                                    "{email} gælder, når kontakten har bekræftet den."),
    "host.flash.created": "Værten {name} er oprettet.",
    "host.flash.pending_registrant": ("Værten {name} er oprettet og venter på "
                                      "registrantens godkendelse."),
    "host.flash.pending_nsa": ("Værten {name} er oprettet og venter på, at "
                               "navneserveradministratoren accepterer."),
    "host.flash.updated": "Værten {name} har nu adresserne {addrs}.",
    "host.flash.deleted": "Værten {name} er slettet.",
    # statuses in words
    "objstatus.ok": "OK",
    "objstatus.linked": "I brug",
    "objstatus.serverDeleteProhibited": "Kan ikke slettes",
    "objstatus.serverTransferProhibited": "Kan ikke overdrages",
    "objstatus.serverUpdateProhibited": "Kan ikke ændres",
    "objstatus.pendingCreate": "Afventer godkendelse",
    "objstatus.pendingDelete": "Slettes",
    "objstatus.pendingUpdate": "Ændring afventer godkendelse",
    "contact.id_status.notRequired": "ikke påkrævet",
    "contact.id_status.pending": "afventer",
    "contact.id_status.expired": "udløbet",
    "contact.id_status.completed": "gennemført",
    "contact.id_status.rejected": "afvist",
    "contact.title": "Kontakt {handle}",
    "contact.org.hint": ("Påkrævet for virksomheder, offentlige organisationer og foreninger; "
                         "ikke for personer."),
    "contact.pending_email": "Ny e-mailadresse, der afventer bekræftelse",
    # contact: edit
    "contact.edit.heading": "Ændringer",
    "contact.edit.title": "Ret kontakt {handle}",
    "contact.edit.link": "Ret kontakten",
    "contact.edit.submit": "Gem ændringer",
    "contact.edit.cancel": "Annullér",
    "contact.edit.all_open": "I kan rette alle kontaktens data.",
    "contact.edit.locked.register": ("Navn, organisation, adresse, land, brugertype, CVR- og "
                                     "EAN-nummer kan ikke ændres: ID-kontrollen har matchet "
                                     "kontakten med CPR- eller CVR-registret."),
    "contact.edit.locked.registrant": ("Navn og organisation kan ikke ændres, så længe "
                                       "kontakten er registrant for et domæne. Et domæne "
                                       "overdrages til en anden ved at skifte registrant."),
    "contact.edit.why.register": "Låst: matchet med CPR/CVR ved ID-kontrollen.",
    "contact.edit.why.registrant": "Låst: kontakten er registrant for et domæne.",
    "contact.edit.maintainer.registrant": ("Kontakten vedligeholdes af registranten selv i "
                                           "selvbetjeningen; I kan ikke rette den."),
    "contact.edit.maintainer.registrar": ("Kontakten vedligeholdes af registraren {sponsor}; "
                                          "I kan ikke rette den."),
    "contact.edit.email_hint": ("En ny adresse gælder først, når kontakten har bekræftet "
                                "den via en mail."),
    # contact: delete (not offered by .dk)
    "contact.delete.heading": "Sletning",
    "contact.delete.linked_one": "Kontakten er knyttet til 1 domæne og kan ikke slettes.",
    "contact.delete.linked": "Kontakten er knyttet til {count} domæner og kan ikke slettes.",
    "contact.delete.unused": "Kontakten er ikke knyttet til noget domæne.",
    "contact.delete.rule": ("Registrarer kan ikke slette kontakter (.dk tilbyder ikke "
                            "kommandoen delete contact). Registret sletter selv en kontakt, "
                            "når den ikke har været i brug i {days} dage."),
    # host: edit
    "host.title": "Vært {name}",
    "host.edit.heading": "Ændringer",
    "host.edit.title": "Ret adresser for {name}",
    "host.edit.link": "Ret adresser",
    "host.edit.submit": "Gem adresser",
    "host.edit.cancel": "Annullér",
    "host.edit.hint": ("Én IP-adresse pr. linje, sådan som listen skal se ud bagefter. "
                       "Værten skal beholde mindst én adresse."),
    "host.edit.unchanged": "Adresserne er de samme som før; der er intet at gemme.",
    "host.edit.open": "I kan rette værtens IP-adresser (glue).",
    "host.edit.no_glue": ("Værten ligger ikke under et .dk-domæne og har derfor ingen "
                          "adresser (glue) hos registret; der er intet at rette."),
    "host.edit.blocked.pendingCreate": ("Værten venter på godkendelse; adresserne kan "
                                        "ændres, når den er oprettet."),
    "host.edit.blocked.pendingDelete": ("Værtens domæne er ved at blive slettet; adresserne "
                                        "kan ikke ændres."),
    "host.edit.not_allowed": ("Kun værtens registrar eller navneserveradministrator kan "
                              "rette eller slette den."),
    # host: delete
    "host.delete.heading": "Sletning",
    "host.delete.link": "Slet værten",
    "host.delete.title": "Slet værten {name}",
    "host.delete.question": "Vil I slette værten {name}? Det kan ikke fortrydes.",
    "host.delete.confirm": "Ja, slet {name}",
    "host.delete.cancel": "Nej, tilbage til værten",
    "host.delete.in_use_one": ("Værten er navneserver for 1 domæne og kan ikke slettes: "
                               "{names}. Fjern den fra domænet først."),
    "host.delete.in_use": ("Værten er navneserver for {count} domæner og kan ikke slettes: "
                           "{names}. Fjern den fra domænerne først."),
    "host.delete.free": "Værten bruges ikke af noget domæne og kan slettes.",
}

EN: dict[str, str] = {
    "contact.flash.created": "Contact {handle} created.",
    "contact.flash.reused": ("A contact with the same data already exists: {handle}. "
                             "It is re-used."),
    "contact.flash.updated": "Contact {handle} updated.",
    "contact.flash.updated_email": ("Contact {handle} updated. The new e-mail address "
                                    "{email} applies once the contact has confirmed it."),
    "host.flash.created": "Host {name} created.",
    "host.flash.pending_registrant": ("Host {name} created; it waits for the registrant's "
                                      "approval."),
    "host.flash.pending_nsa": ("Host {name} created; it waits for the name server "
                               "administrator to accept."),
    "host.flash.updated": "Host {name} now has the addresses {addrs}.",
    "host.flash.deleted": "Host {name} deleted.",
    "objstatus.ok": "OK",
    "objstatus.linked": "In use",
    "objstatus.serverDeleteProhibited": "Cannot be deleted",
    "objstatus.serverTransferProhibited": "Cannot be transferred",
    "objstatus.serverUpdateProhibited": "Cannot be changed",
    "objstatus.pendingCreate": "Waiting for approval",
    "objstatus.pendingDelete": "Being deleted",
    "objstatus.pendingUpdate": "Change waiting for approval",
    "contact.id_status.notRequired": "not required",
    "contact.id_status.pending": "pending",
    "contact.id_status.expired": "expired",
    "contact.id_status.completed": "completed",
    "contact.id_status.rejected": "rejected",
    "contact.title": "Contact {handle}",
    "contact.org.hint": ("Required for companies, public organisations and associations; "
                         "not for individuals."),
    "contact.pending_email": "New e-mail address waiting for confirmation",
    "contact.edit.heading": "Changes",
    "contact.edit.title": "Edit contact {handle}",
    "contact.edit.link": "Edit the contact",
    "contact.edit.submit": "Save changes",
    "contact.edit.cancel": "Cancel",
    "contact.edit.all_open": "You may change all of the contact's data.",
    "contact.edit.locked.register": ("Name, organisation, address, country, user type, CVR "
                                     "and EAN number cannot change: the ID check matched the "
                                     "contact with the CPR or CVR register."),
    "contact.edit.locked.registrant": ("Name and organisation cannot change while the "
                                       "contact is the registrant of a domain. To hand a "
                                       "domain to someone else, change its registrant."),
    "contact.edit.why.register": "Locked: matched with CPR/CVR by the ID check.",
    "contact.edit.why.registrant": "Locked: the contact is the registrant of a domain.",
    "contact.edit.maintainer.registrant": ("The registrant maintains this contact in "
                                           "self-service; you cannot edit it."),
    "contact.edit.maintainer.registrar": ("The registrar {sponsor} maintains this contact; "
                                          "you cannot edit it."),
    "contact.edit.email_hint": ("A new address applies only once the contact has confirmed "
                                "it from a mail."),
    "contact.delete.heading": "Deletion",
    "contact.delete.linked_one": "The contact is linked to 1 domain and cannot be deleted.",
    "contact.delete.linked": "The contact is linked to {count} domains and cannot be deleted.",
    "contact.delete.unused": "The contact is not linked to any domain.",
    "contact.delete.rule": ("Registrars cannot delete contacts (.dk offers no delete contact "
                            "command). The registry deletes a contact itself once it has not "
                            "been used for {days} days."),
    "host.title": "Host {name}",
    "host.edit.heading": "Changes",
    "host.edit.title": "Edit the addresses of {name}",
    "host.edit.link": "Edit addresses",
    "host.edit.submit": "Save addresses",
    "host.edit.cancel": "Cancel",
    "host.edit.hint": ("One IP address a line, as the list should be afterwards. The host "
                       "keeps at least one address."),
    "host.edit.unchanged": "The addresses are the same as before; there is nothing to save.",
    "host.edit.open": "You may change the host's IP addresses (glue).",
    "host.edit.no_glue": ("The host is not under a .dk domain, so the registry holds no "
                          "addresses (glue) for it; there is nothing to edit."),
    "host.edit.blocked.pendingCreate": ("The host waits for approval; its addresses can "
                                        "change once it is created."),
    "host.edit.blocked.pendingDelete": ("The host's domain is being deleted; its addresses "
                                        "cannot change."),
    "host.edit.not_allowed": ("Only the host's registrar or name server administrator may "
                              "edit or delete it."),
    "host.delete.heading": "Deletion",
    "host.delete.link": "Delete the host",
    "host.delete.title": "Delete the host {name}",
    "host.delete.question": "Delete the host {name}? This cannot be undone.",
    "host.delete.confirm": "Yes, delete {name}",
    "host.delete.cancel": "No, back to the host",
    "host.delete.in_use_one": ("The host is a name server of 1 domain and cannot be "
                               "deleted: {names}. Remove it from that domain first."),
    "host.delete.in_use": ("The host is a name server of {count} domains and cannot be "
                           "deleted: {names}. Remove it from those domains first."),
    "host.delete.free": "The host is used by no domain and can be deleted.",
}

"""The portal's domain page: statuses in words, the summaries after each change, the
confirmations of delete and restore, and the DS forms (named choices, DNSKEY)."""

DA: dict[str, str] = {
    # statuses (EPP domain-1.0 and RFC 3915), as the facts list shows them
    "dompage.status.ok": "Aktiv",
    "dompage.status.inactive": "Uden navneservere",
    "dompage.status.pendingCreate": "Ansøgning under behandling",
    "dompage.status.pendingDelete": "Under sletning",
    "dompage.status.pendingUpdate": "Ændring afventer",
    "dompage.status.pendingTransfer": "Overførsel afventer",
    "dompage.status.serverHold": "På hold (ikke i zonen)",
    "dompage.status.serverDeleteProhibited": "Kan ikke slettes nu",
    "dompage.status.serverRenewProhibited": "Kan ikke fornys (spærret af registret)",
    "dompage.status.serverTransferProhibited": "Kan ikke overføres (spærret af registret)",
    "dompage.status.serverUpdateProhibited": "Kan ikke ændres (spærret af registret)",
    "dompage.status.redemptionPeriod": "I genoprettelsesperioden",
    "dompage.token_op.transfer": "Overførsel til anden registrar",
    "dompage.token_op.redel": "Skift af navneservere (REDEL)",
    # page furniture
    "dompage.facts": "Oplysninger om domænet",
    "dompage.expiry_local": "Udløber (dansk tid)",
    "dompage.none": "ingen",
    "dompage.ds.intro": ("Indtast DS-postens fire værdier, eller indsæt domænets DNSKEY-post, "
                         "så beregner dkreg DS-posten."),
    "dompage.ds.alg.hint": "Nummeret og navnet fra DNSSEC-nøglen.",
    "dompage.ds.digest_type.hint": "SHA-256 er det sædvanlige valg.",
    "dompage.ds.deprecated": "frarådes",
    "dompage.dnskey.title": "Beregn DS-posten af en DNSKEY",
    "dompage.dnskey": "DNSKEY-post",
    "dompage.dnskey.hint": ("Hele posten (fx »{domain}. 3600 IN DNSKEY 257 3 13 …«) eller "
                            "kun dens data (»257 3 13 …«), som dig eller signeringsværktøjet "
                            "viser den."),
    "dompage.dnskey.digest": "Digest-type for den beregnede DS-post",
    "dompage.dnskey.submit": "Beregn og tilføj DS-post",
    "dompage.renew.current_label": "Nuværende udløbsdato",
    "dompage.renew.price": "Pris: {amount} pr. år.",
    "dompage.delete.intro": "Sletning er gratis. Du skal bekræfte den på næste side.",
    "dompage.restore.intro": ("Genoprettelse koster {amount} (et års fornyelse og "
                              "genoprettelsesgebyr). Du skal bekræfte den på næste side."),
    "dompage.tokens.intro": ("Overførselskoden giver en anden registrar lov til at overtage "
                             "domænet. Giv den kun til registranten."),
    # confirmations
    "dompage.confirm.delete.title": "Bekræft sletning",
    "dompage.confirm.delete.now": "Slet {domain} nu, {date}? Det koster {amount}.",
    "dompage.confirm.delete.now.more": ("Domænet tages straks ud af zonen. Det kan genoprettes "
                                        "indtil {until} (mod betaling); derefter slettes det "
                                        "endeligt."),
    "dompage.confirm.delete.on": "Slet {domain} pr. {date}? Det koster {amount}.",
    "dompage.confirm.delete.on.more": ("Domænet virker til da. En fornyelse inden da stopper "
                                       "sletningen."),
    "dompage.confirm.delete.submit": "Ja, slet {domain}",
    "dompage.confirm.restore.title": "Bekræft genoprettelse",
    "dompage.confirm.restore.text": ("Genopret {domain}? Det koster {amount}, og domænet "
                                     "udløber derefter {date}."),
    "dompage.confirm.restore.submit": "Ja, genopret {domain}",
    "dompage.confirm.cancel": "Fortryd, tilbage til {domain}",
    "dompage.confirm.unknown": "Der er intet at bekræfte her.",
    # summaries after a change (the flash on the page the change redirects to)
    "dompage.done.renew": "Fornyet til {date}, {amount} trukket.",
    "dompage.done.renew_stopped": ("Fornyet til {date}, {amount} trukket. Den planlagte sletning "
                                   "er stoppet."),
    "dompage.done.delete_on": ("Sletning bestilt til {date}. Domænet virker til da; en fornyelse "
                               "inden da stopper sletningen."),
    "dompage.done.delete_now": ("Sletning begyndt: {domain} er taget ud af zonen og slettes "
                                "endeligt {date}, medmindre det genoprettes inden da."),
    "dompage.done.restore": "Genoprettet til {date}, {amount} trukket.",
    "dompage.done.restore_hold": ("Genoprettet til {date}, {amount} trukket. Domænet er på hold, "
                                  "til registranten har gennemført ID-kontrollen."),
    "dompage.done.ns": "Navneservere ændret: {changes}.",
    "dompage.done.ns_same": "Navneserverne var allerede de ønskede; intet er ændret.",
    "dompage.done.ds_add": "DS-post tilføjet (nøgle-ID {key_tag}).",
    "dompage.done.ds_dnskey": ("DS-post beregnet af DNSKEY og tilføjet (nøgle-ID {key_tag}, "
                               "{digest})."),
    "dompage.done.ds_remove": "DS-post fjernet (nøgle-ID {key_tag}).",
    "dompage.done.ds_remove_all": "Alle DS-poster er fjernet.",
    "dompage.done.token": ("Ny overførselskode oprettet, gyldig til {date}. Den står under "
                           "Overførselskoder."),
    "dompage.done.retract": "Overførselskoderne er tilbagekaldt.",
    "dompage.done.registrant": "Registranten er skiftet til {handle}.",
    "dompage.done.registrant_fee": "Registranten er skiftet til {handle}, {amount} trukket.",
    "dompage.done.registrant_pending": ("Skiftet til {handle} afventer den nye registrants "
                                        "ID-kontrol, som nu er startet. Domænet står som "
                                        "»Ændring afventer«, og svaret kommer som en besked i "
                                        "beskedkøen."),
    "dompage.done.registrant_pending_fee": ("Skiftet til {handle} afventer den nye "
                                            "registrants ID-kontrol, som nu er startet; "
                                            "{amount} trukket (tilbagebetales, hvis skiftet "
                                            "ikke sker). Svaret kommer som en besked i "
                                            "beskedkøen."),
    # a DNSKEY that cannot be read, by what is wrong with it
    "dompage.dnskey.empty": "Indsæt DNSKEY-posten.",
    "dompage.dnskey.not_dnskey": ("Det er en {type}-post, ikke en DNSKEY-post. En DS-post "
                                  "indtastes med felterne ovenfor."),
    "dompage.dnskey.syntax": ("Posten kan ikke læses: skriv »navn TTL IN DNSKEY flag protokol "
                              "algoritme nøgle« eller kun »flag protokol algoritme nøgle«."),
    "dompage.dnskey.owner": "Posten gælder {owner}, ikke {domain}.",
    "dompage.dnskey.fields": ("Der mangler felter: en DNSKEY har flag, protokol, algoritme og "
                              "offentlig nøgle (fandt {count})."),
    "dompage.dnskey.flags": ("Flag skal være 257 (KSK) eller 256 (ZSK) med zonenøgle-bittet "
                             "sat; fandt {value}."),
    "dompage.dnskey.revoked": "Nøglen er tilbagekaldt (REVOKE-bittet er sat i flag {value}).",
    "dompage.dnskey.protocol": "Protokol skal være 3; fandt {value}.",
    "dompage.dnskey.algorithm": ("Algoritme {value} udgives ikke i .dk; brug en af "
                                 "{accepted}."),
    "dompage.dnskey.key": "Den offentlige nøgle er ikke gyldig base64.",
    "dompage.dnskey.key_length": ("Den offentlige nøgle er {length} byte; {algorithm}-nøgler "
                                  "er {want} byte. Mangler der en linje?"),
    "dompage.invalid_choice": "Vælg en af mulighederne.",
}

EN: dict[str, str] = {
    "dompage.status.ok": "Active",
    "dompage.status.inactive": "Without name servers",
    "dompage.status.pendingCreate": "Application being processed",
    "dompage.status.pendingDelete": "Being deleted",
    "dompage.status.pendingUpdate": "Change pending",
    "dompage.status.pendingTransfer": "Transfer pending",
    "dompage.status.serverHold": "On hold (not in the zone)",
    "dompage.status.serverDeleteProhibited": "Cannot be deleted now",
    "dompage.status.serverRenewProhibited": "Cannot be renewed (blocked by the registry)",
    "dompage.status.serverTransferProhibited": "Cannot be transferred (blocked by the registry)",
    "dompage.status.serverUpdateProhibited": "Cannot be changed (blocked by the registry)",
    "dompage.status.redemptionPeriod": "In the redemption period",
    "dompage.token_op.transfer": "Transfer to another registrar",
    "dompage.token_op.redel": "Name-server change (REDEL)",
    "dompage.facts": "About the domain",
    "dompage.expiry_local": "Expires (Danish time)",
    "dompage.none": "none",
    "dompage.ds.intro": ("Enter the DS record's four values, or paste the domain's DNSKEY "
                         "record and dkreg computes the DS record."),
    "dompage.ds.alg.hint": "The number and name from the DNSSEC key.",
    "dompage.ds.digest_type.hint": "SHA-256 is the usual choice.",
    "dompage.ds.deprecated": "deprecated",
    "dompage.dnskey.title": "Compute the DS record from a DNSKEY",
    "dompage.dnskey": "DNSKEY record",
    "dompage.dnskey.hint": ("The whole record (e.g. “{domain}. 3600 IN DNSKEY 257 3 13 …”) or "
                            "only its data (“257 3 13 …”), as dig or the signing tool shows "
                            "it."),
    "dompage.dnskey.digest": "Digest type of the computed DS record",
    "dompage.dnskey.submit": "Compute and add DS record",
    "dompage.renew.current_label": "Current expiry date",
    "dompage.renew.price": "Price: {amount} a year.",
    "dompage.delete.intro": "Deleting is free. You confirm it on the next page.",
    "dompage.restore.intro": ("Restoring costs {amount} (a year's renewal and the restoration "
                              "fee). You confirm it on the next page."),
    "dompage.tokens.intro": ("The transfer code lets another registrar take over the domain. "
                             "Give it to the registrant only."),
    "dompage.confirm.delete.title": "Confirm the deletion",
    "dompage.confirm.delete.now": "Delete {domain} now, {date}? It costs {amount}.",
    "dompage.confirm.delete.now.more": ("The domain leaves the zone at once. It can be restored "
                                        "until {until} (for a fee); after that it is deleted "
                                        "for good."),
    "dompage.confirm.delete.on": "Delete {domain} on {date}? It costs {amount}.",
    "dompage.confirm.delete.on.more": ("The domain works until then. A renewal before then "
                                       "stops the deletion."),
    "dompage.confirm.delete.submit": "Yes, delete {domain}",
    "dompage.confirm.restore.title": "Confirm the restore",
    "dompage.confirm.restore.text": ("Restore {domain}? It costs {amount}, and the domain then "
                                     "expires on {date}."),
    "dompage.confirm.restore.submit": "Yes, restore {domain}",
    "dompage.confirm.cancel": "Cancel, back to {domain}",
    "dompage.confirm.unknown": "There is nothing to confirm here.",
    "dompage.done.renew": "Renewed until {date}, {amount} debited.",
    "dompage.done.renew_stopped": ("Renewed until {date}, {amount} debited. The scheduled "
                                   "deletion has been stopped."),
    "dompage.done.delete_on": ("Deletion ordered for {date}. The domain works until then; a "
                               "renewal before then stops the deletion."),
    "dompage.done.delete_now": ("Deletion started: {domain} has left the zone and is deleted "
                                "for good on {date} unless restored before then."),
    "dompage.done.restore": "Restored until {date}, {amount} debited.",
    "dompage.done.restore_hold": ("Restored until {date}, {amount} debited. The domain is on "
                                  "hold until the registrant has completed the ID check."),
    "dompage.done.ns": "Name servers changed: {changes}.",
    "dompage.done.ns_same": "The name servers already were the ones wanted; nothing changed.",
    "dompage.done.ds_add": "DS record added (key tag {key_tag}).",
    "dompage.done.ds_dnskey": "DS record computed from the DNSKEY and added (key tag {key_tag}, "
                              "{digest}).",
    "dompage.done.ds_remove": "DS record removed (key tag {key_tag}).",
    "dompage.done.ds_remove_all": "All DS records have been removed.",
    "dompage.done.token": ("New transfer code created, valid until {date}. It is listed under "
                           "Transfer codes."),
    "dompage.done.retract": "The transfer codes have been retracted.",
    "dompage.done.registrant": "The registrant has been changed to {handle}.",
    "dompage.done.registrant_fee": "The registrant has been changed to {handle}, {amount} "
                                   "debited.",
    "dompage.done.registrant_pending": ("The change to {handle} waits for the new registrant's "
                                        "ID check, which has now started. The domain shows "
                                        "“Change pending”, and the answer arrives as a message "
                                        "in the message queue."),
    "dompage.done.registrant_pending_fee": ("The change to {handle} waits for the new "
                                            "registrant's ID check, which has now started; "
                                            "{amount} debited (refunded if the change does not "
                                            "happen). The answer arrives as a message in the "
                                            "message queue."),
    "dompage.dnskey.empty": "Paste the DNSKEY record.",
    "dompage.dnskey.not_dnskey": ("That is a {type} record, not a DNSKEY record. Enter a DS "
                                  "record with the fields above."),
    "dompage.dnskey.syntax": ("The record cannot be read: write “name TTL IN DNSKEY flags "
                              "protocol algorithm key” or only “flags protocol algorithm key”."),
    "dompage.dnskey.owner": "The record is for {owner}, not {domain}.",
    "dompage.dnskey.fields": ("Fields are missing: a DNSKEY has flags, protocol, algorithm and "
                              "public key (found {count})."),
    "dompage.dnskey.flags": ("Flags must be 257 (KSK) or 256 (ZSK), with the zone-key bit set; "
                             "found {value}."),
    "dompage.dnskey.revoked": "The key is revoked (the REVOKE bit is set in flags {value}).",
    "dompage.dnskey.protocol": "Protocol must be 3; found {value}.",
    "dompage.dnskey.algorithm": "Algorithm {value} is not published in .dk; use one of {accepted}.",
    "dompage.dnskey.key": "The public key is not valid base64.",
    "dompage.dnskey.key_length": ("The public key is {length} bytes; {algorithm} keys are {want} "
                                  "bytes. Is a line missing?"),
    "dompage.invalid_choice": "Choose one of the options.",
}

"""Every detail text, in English and Danish.

A detail says which rule refused a request, after the registry's own result text. The
English template is what EPP clients see (it is the text they saw when the detail was
an f-string, so a client or test matching it still matches); the Danish one is what the
web shows on a Danish page. Both are ``str.format`` templates over the same named
parameters, which the call site passes typed (datetimes, ints, names): the web formats
them for the page's language, so times show in Copenhagen time on Danish pages.
"""

from __future__ import annotations

# key -> (English, Danish)
DETAILS: dict[str, tuple[str, str]] = {
    'not_offered_yet': (
        '{command} is not offered by dkreg yet',
        '{command} tilbydes endnu ikke af dkreg'),
    'not_in_redemption': (
        '{uname} is not in its redemption period',
        '{uname} er ikke i sin genoprettelsesperiode'),
    'not_in_redemption_scheduled': (
        '{uname} is not in its redemption period; its deletion is only scheduled: renew it '
        'to stop the deletion',
        '{uname} er ikke i sin genoprettelsesperiode; sletningen er kun planlagt: forny det '
        'for at stoppe sletningen'),
    # phrases that other details take as parameters
    'token_when_utc': (
        '{when:%Y-%m-%d %H:%M:%S} UTC',
        '{when}'),
    'token_far_future': (
        'a moment thousands of years ahead',
        'et tidspunkt tusinder af år ude i fremtiden'),
    'token_looks_milliseconds': (
        ' The value has 13 digits: it looks like milliseconds; send seconds.',
        ' Værdien har 13 cifre: det ligner millisekunder; send sekunder.'),
    'token_looks_microseconds': (
        ' The value has 16 digits: it looks like microseconds; send seconds.',
        ' Værdien har 16 cifre: det ligner mikrosekunder; send sekunder.'),
    'token_looks_nanoseconds': (
        ' The value has 19 digits: it looks like nanoseconds; send seconds.',
        ' Værdien har 19 cifre: det ligner nanosekunder; send sekunder.'),
    'xml_at_line': (
        ' at line {lineno}',
        ' i linje {lineno}'),
    'delete_redemption_until': (
        'redemption until',
        'genoprettelsesperiode til'),
    'delete_scheduled_for': (
        'scheduled for',
        'planlagt til'),
    'address_empty': (
        'the address is empty',
        'adressen er tom'),
    'address_starting': (
        'an address starting {value}',
        'en adresse, der begynder med {value}'),
    'admin_billing_are_implicitly_registrar': (
        'admin and billing are implicitly the registrar',
        'admin og betaler er underforstået registraren'),
    'admin_billing_registrar_managed_domain': (
        'admin and billing of a registrar-managed domain are implicitly the registrar',
        'admin og betaler for et registraradministreret domæne er underforstået registraren'),
    'algorithm_not_published_dk_use': (
        'algorithm {algorithm} is not published in .dk; use one of {str}',
        'algoritmen {algorithm} er ikke offentliggjort for .dk; brug en af {str}'),
    'already_active_portal_user': (
        '{email} is already an active portal user',
        '{email} er allerede en aktiv portalbruger'),
    'already_address': (
        '{ip} is already an address of {name}',
        '{ip} er allerede en adresse for {name}'),
    'already_being_deleted_copenhagen_time': (
        '{uname} is already being deleted ({value} {when:%Y-%m-%d %H:%M} Copenhagen time)',
        '{uname} er allerede ved at blive slettet ({value} {when} dansk tid)'),
    'already_contact_role': (
        '{handle} is already {ctype} of {uname}',
        '{handle} er allerede {ctype} for {uname}'),
    'already_exists': (
        '{handle} already exists',
        '{handle} findes allerede'),
    'already_exists_2': (
        '{name} already exists',
        '{name} findes allerede'),
    'already_has_ds_record': (
        '{uname} already has DS record {rec}',
        '{uname} har allerede DS-posten {rec}'),
    'already_has_remove_it_first': (
        '{uname} already has {ctype} {handle}; remove it first',
        '{uname} har allerede {ctype} {handle}; fjern den først'),
    'already_listed': (
        '{network} is already listed',
        '{network} er allerede på listen'),
    'already_name_server': (
        '{name} is already a name server of {uname}',
        '{name} er allerede navneserver for {uname}'),
    'already_portfolio': (
        '{uname} is already in the portfolio of {registrar_handle}',
        '{uname} er allerede i porteføljen hos {registrar_handle}'),
    'already_registrant_managed_clid': (
        '{uname} is already registrant-managed (clID {registry_id})',
        '{uname} er allerede registrantadministreret (clID {registry_id})'),
    'already_user': (
        '{email} is already a user',
        '{email} er allerede bruger'),
    'amount_dkk_with_at_most': (
        'an amount in DKK with at most two decimals, written like 5000, 5000.50, 5,000.50 '
        'or 5.000,50',
        'et beløb i kroner med højst to decimaler, skrevet som 5000, 5000,50, 5.000,50 '
        'eller 5,000.50'),
    'application_can_no_longer_answered': (
        'application {tracking_no} can no longer be answered',
        'ansøgning {tracking_no} kan ikke længere besvares'),
    'application_not_waiting_acceptance_state': (
        'application {tracking_no} is not waiting for acceptance (state: {state})',
        'ansøgning {tracking_no} venter ikke på accept (tilstand: {state})'),
    'at_most_100_ids_per': (
        'at most 100 ids per check',
        "højst 100 id'er pr. opslag"),
    'at_most_100_names_per': (
        'at most 100 names per check',
        'højst 100 navne pr. opslag'),
    'at_most_255_characters': (
        'at most 255 characters',
        'højst 255 tegn'),
    'at_most_addresses': (
        'at most {max_addrs} addresses',
        'højst {max_addrs} adresser'),
    'at_most_addresses_would_have': (
        'at most {max_addrs} addresses; {name} would have {n_after}',
        'højst {max_addrs} adresser; {name} ville få {n_after}'),
    'at_most_entries': (
        'at most {max_entries} entries',
        'højst {max_entries} poster'),
    'at_most_names_per_check': (
        'at most {max_names} names per check, got {n_names}',
        'højst {max_names} navne pr. opslag, fik {n_names}'),
    'at_most_one_contact': (
        'at most one {ctype} contact',
        'højst én {ctype}-kontakt'),
    'authinfo_set_with_domain_pw': (
        'AuthInfo is set with a domain:pw keyword',
        'AuthInfo sættes med et domain:pw-nøgleord'),
    'authinfo_token_goes_domain_pw': (
        'the AuthInfo token goes in domain:pw',
        'AuthInfo-tokenet angives i domain:pw'),
    'autorenew_true_false': (
        "autoRenew is 'true' or 'false'",
        "autoRenew er 'true' eller 'false'"),
    'balance_info_empty': (
        '<balance:info> is empty',
        '<balance:info> er tom'),
    'being_deleted_hosts_under_it': (
        '{sup} is being deleted; hosts under it cannot be created until the deletion is stopped',
        '{sup} er ved at blive slettet; værter under det kan ikke oprettes, før sletningen er '
        'stoppet'),
    'being_deleted_pendingdelete': (
        '{name} is being deleted (pendingDelete)',
        '{name} er ved at blive slettet (pendingDelete)'),
    'cannot_restored': (
        '{uname} cannot be restored: {why}',
        '{uname} kan ikke genoprettes: {why}'),
    'carries_zone_index_glue_addresses': (
        "'{value}' carries a zone index; glue addresses must not be scoped",
        "'{value}' har et zoneindeks; glue-adresser må ikke være afgrænsede"),
    'change_addresses_name_server_administrator': (
        'change the addresses and the name-server administrator in two separate commands',
        'ændr adresserne og navneserveradministratoren i to separate kommandoer'),
    'change_registrant_already_waiting_new': (
        "a change of registrant of {uname} is already waiting for the new registrant's ID "
        'and/or data check',
        'et registrantskift for {uname} venter allerede på den nye registrants ID- og/eller '
        'datakontrol'),
    'change_waits_answer': (
        'a change of {name} waits for an answer{until}',
        'en ændring af {name} venter på svar{until}'),
    'character_s_are_not_allowed': (
        'character(s) {bad!r} are not allowed; use letters, digits and the specials {specials}',
        'tegnene {bad!r} er ikke tilladt; brug bogstaver, cifre og specialtegnene {specials}'),
    'choose_at_least_one_role': (
        'choose at least one role',
        'vælg mindst én rolle'),
    'choose_file': (
        'choose a file',
        'vælg en fil'),
    'cltrid_must_3_64_characters': (
        'clTRID must be 3 to 64 characters',
        'clTRID skal være 3 til 64 tegn'),
    'contact_dk_has_no_client': (
        'contact:{part}: .dk has no client statuses to add or remove',
        'contact:{part}: .dk har ingen klientstatusser at tilføje eller fjerne'),
    'contact_does_not_exist': (
        'contact {handle} does not exist',
        'kontakten {handle} findes ikke'),
    'contact_does_not_exist_2': (
        'contact {chandle} does not exist',
        'kontakten {chandle} findes ikke'),
    'contact_handle_missing': (
        'the contact handle is missing',
        'kontakthandlet mangler'),
    'contact_id_must_auto_force': (
        "contact:id must be 'auto' or 'force'; the registry assigns handles",
        "contact:id skal være 'auto' eller 'force'; registreringen tildeler kontakt-ID'er"),
    'contact_type_dk_uses_admin': (
        'contact type {ctype!r}: .dk uses admin and billing only',
        'kontakttypen {ctype!r}: .dk bruger kun admin og betaler'),
    'contact_type_only_admin_billing': (
        'contact type {ctype!r}: only admin and billing are used in .dk',
        'kontakttypen {ctype!r}: .dk bruger kun admin og betaler'),
    'create_host_object_first': (
        'create the host object first',
        'opret værtsobjektet først'),
    'creating_hosts_needs_name_server': (
        'creating hosts needs the Name Server Administrator or Registrar meta-role',
        'at oprette værter kræver metarollen Navneserveradministrator eller Registrar'),
    'deadline_accepting_terms_passed_at': (
        'the deadline for accepting the terms passed at {accept_deadline:%Y-%m-%d %H:%M} UTC',
        'fristen for at acceptere vilkårene udløb {accept_deadline}'),
    'deleting_domain_needs_proxy_meta': (
        'deleting a domain needs the Proxy meta-role on the service user',
        'at slette et domæne kræver metarollen Proxy på servicebrugeren'),
    'deleting_hosts_needs_name_server': (
        'deleting hosts needs the Name Server Administrator or Registrar meta-role',
        'at slette værter kræver metarollen Navneserveradministrator eller Registrar'),
    'digest_must_hexadecimal_digits_only': (
        'the digest must be hexadecimal digits only',
        'digesten må kun bestå af hexadecimale cifre'),
    'digest_type_has_hex_digits': (
        'digest type {dtype} has {want} hex digits, this one has {n_hexdigits}',
        'digesttypen {dtype} har {want} hexcifre, denne har {n_hexdigits}'),
    'digest_type_not_published_dk': (
        'digest type {dtype} is not published in .dk; use 1 (SHA-1), 2 (SHA-256) or 4 (SHA-384)',
        'digesttypen {dtype} er ikke offentliggjort for .dk; brug 1 (SHA-1), 2 (SHA-256) eller '
        '4 (SHA-384)'),
    'disclosure_preferences_are_not_supported': (
        'disclosure preferences are not supported; .dk publishes by user type',
        'offentliggørelsesvalg understøttes ikke; .dk offentliggør efter brugertype'),
    'dk_domain_needs_name_servers': (
        'a .dk domain needs {min_ns} to {max_ns} name servers',
        'et .dk-domæne skal have {min_ns} til {max_ns} navneservere'),
    'dk_domain_needs_name_servers_2': (
        'a .dk domain needs {min_ns} to {max_ns} name servers, got {n_ns_names}',
        'et .dk-domæne skal have {min_ns} til {max_ns} navneservere, fik {n_ns_names}'),
    'dk_domain_needs_name_servers_3': (
        'a .dk domain needs {min_ns} to {max_ns} name servers; the update would leave {n_after}',
        'et .dk-domæne skal have {min_ns} til {max_ns} navneservere; opdateringen ville '
        'efterlade {n_after}'),
    'dk_transfer_does_not_extend': (
        'a .dk transfer does not extend the registration period; leave domain:period out',
        'en .dk-overdragelse forlænger ikke registreringsperioden; udelad domain:period'),
    'dkhm_exists_from_not': (
        '<dkhm:{name}> exists from {since} on, not in {ns}',
        '<dkhm:{name}> findes fra {since}, ikke i {ns}'),
    'dkhm_given_twice': (
        '<dkhm:{name}> given twice',
        '<dkhm:{name}> er angivet to gange'),
    'dkhm_not_allowed_with_this': (
        '<dkhm:{name}> is not allowed with this command',
        '<dkhm:{name}> er ikke tilladt med denne kommando'),
    'dkhm_version_one_none': (
        'dkhm version is one of {dkhm_versions} or none',
        'dkhm-versionen er en af {dkhm_versions} eller ingen'),
    'dkhm_withdraw_holds_one_withdraw': (
        '<dkhm:withdraw> holds one <withdraw> element: in namespace {dkhm_domain_43} or '
        '{dkhm_domain_44} (dkhm-4.3/4.4), or {ns} (dkhm-4.5)',
        '<dkhm:withdraw> indeholder ét <withdraw>-element: i navnerummet {dkhm_domain_43} eller '
        '{dkhm_domain_44} (dkhm-4.3/4.4), eller {ns} (dkhm-4.5)'),
    'document_id': (
        '{doc_id}',
        '{doc_id}'),
    'document_type_declarations_are_not': (
        'document type declarations are not allowed',
        'dokumenttypeerklæringer er ikke tilladt'),
    'document_type_declarations_entities_are': (
        'document type declarations and entities are not allowed',
        'dokumenttypeerklæringer og entiteter er ikke tilladt'),
    'document_was_already': (
        'document {doc_id} was already {status}',
        'dokument {doc_id} er allerede {status}'),
    'does_not_exist': (
        '{handle} does not exist',
        '{handle} findes ikke'),
    'does_not_exist_2': (
        '{wanted} does not exist',
        '{wanted} findes ikke'),
    'does_not_exist_3': (
        '{name} does not exist',
        '{name} findes ikke'),
    'domain_authinfo_holds_domain_pw': (
        '<domain:authInfo> holds <domain:pw> or <domain:null>',
        '<domain:authInfo> indeholder <domain:pw> eller <domain:null>'),
    'domain_may_have_at_most': (
        'a domain may have at most {max_ds} DS records; {result} {count}',
        'et domæne må højst have {max_ds} DS-poster; {result} {count}'),
    'domain_may_paid_at_most': (
        'a domain may be paid at most {max_expiry_years} years ahead',
        'et domæne kan højst betales {max_expiry_years} år frem'),
    'domain_ns_holds_domain_hostobj': (
        '<domain:ns> holds <domain:hostObj> elements',
        '<domain:ns> indeholder <domain:hostObj>-elementer'),
    'ds_changes_are_published_with': (
        'DS changes are published with the next zone update',
        'DS-ændringer offentliggøres med næste zoneopdatering'),
    'element_contact_addr_missing': (
        'element <contact:addr> is missing',
        'elementet <contact:addr> mangler'),
    'element_mandatory_since_flow_2': (
        'element <{token_field}> is mandatory since {end:%Y-%m-%d} (Flow 2 has ended): send the '
        "time the registrant accepted Punktum dk's terms, in seconds since 1970",
        'elementet <{token_field}> er obligatorisk siden {end} (Flow 2 er slut): send '
        "tidspunktet, hvor registranten accepterede Punktum dk's vilkår, i sekunder siden 1970"),
    'element_mandatory_with_change_registrant': (
        'element <{token_field}> is mandatory with a change of registrant: send the time the '
        "new registrant accepted Punktum dk's terms, in seconds since 1970",
        'elementet <{token_field}> er obligatorisk ved registrantskift: send tidspunktet, hvor '
        "den nye registrant accepterede Punktum dk's vilkår, i sekunder siden 1970"),
    'element_missing': (
        'element <{ns}:{name}> is missing',
        'elementet <{ns}:{name}> mangler'),
    'element_missing_2': (
        'element <{ns}:{name}> is missing in <{parent}>',
        'elementet <{ns}:{name}> mangler i <{parent}>'),
    'element_options_missing': (
        'element <options> is missing',
        'elementet <options> mangler'),
    'element_svcs_missing': (
        'element <svcs> is missing',
        'elementet <svcs> mangler'),
    'epp_must_contain_exactly_one': (
        '<epp> must contain exactly one of <hello>, <command>, <extension>',
        '<epp> skal indeholde præcis én af <hello>, <command>, <extension>'),
    'expired_expired_domain_deleted_by': (
        "{uname} expired on {expires_at}; an expired domain is deleted by the registry's "
        'auto-expiry, not by delete',
        '{uname} udløb {expires_at}; et udløbet domæne slettes af registreringens automatiske '
        'udløb, ikke med delete'),
    'extension_command_not_offered': (
        'extension command {names} is not offered',
        'udvidelseskommandoen {names} tilbydes ikke'),
    'extension_goes_x_attribute_x': (
        "'{number}': an extension goes in the x attribute (<{field} "
        'x="123">+45.12345678</{field}>), not in the number',
        "'{number}': et lokalnummer angives i x-attributten (<{field} "
        'x="123">+45.12345678</{field}>), ikke i nummeret'),
    'extension_namespace_not_supported': (
        'extension namespace {ns} is not supported',
        'udvidelsesnavnerummet {ns} understøttes ikke'),
    'extension_not_offered': (
        'extension {uri} is not offered',
        'udvidelsen {uri} tilbydes ikke'),
    'file_has_bytes_limit': (
        'the file has {n_data} bytes; the limit is {max_bytes}',
        'filen fylder {n_data} byte; grænsen er {max_bytes}'),
    'file_not_pdf_jpeg_png': (
        'the file is not a PDF, JPEG or PNG',
        'filen er ikke en PDF, JPEG eller PNG'),
    'first_element_command_must_epp': (
        'the first element of <command> must be the EPP verb',
        'det første element i <command> skal være EPP-verbet'),
    'form_s_one_time_key': (
        "the form's one-time key is missing",
        'formularens engangsnøgle mangler'),
    'frame_contains_nul_character_byte': (
        'frame contains a NUL character (byte {n_text}); EPP frames must be UTF-8 (UTF-16 and '
        'UTF-32 are not accepted)',
        'rammen indeholder et NUL-tegn (byte {n_text}); EPP-rammer skal være UTF-8 (UTF-16 og '
        'UTF-32 accepteres ikke)'),
    'frame_not_valid_utf_8': (
        'frame is not valid UTF-8 (byte {start}); EPP frames must be UTF-8 (UTF-16 and UTF-32 '
        'are not accepted)',
        'rammen er ikke gyldig UTF-8 (byte {start}); EPP-rammer skal være UTF-8 (UTF-16 og '
        'UTF-32 accepteres ikke)'),
    'give_day_after_not_after': (
        'give a day after {today} and not after {paid_until}',
        'angiv en dag efter {today} og ikke efter {paid_until}'),
    'give_either_domain_pw_generate': (
        'give either domain:pw (generate a token) or domain:null (retract tokens), not both',
        'angiv enten domain:pw (udsted et token) eller domain:null (tilbagekald tokens), ikke '
        'begge'),
    'give_keyword_autotransfer_autoredel': (
        'give a keyword: autotransfer or autoredel',
        'angiv et nøgleord: autotransfer eller autoredel'),
    'glue_addresses_must_public_unicast': (
        '{reason}; glue addresses must be public unicast addresses',
        '{reason}; glue-adresser skal være offentlige unicast-adresser'),
    'group_may_not_use': (
        'the {group} group may not use {privilege}',
        'gruppen {group} må ikke bruge {privilege}'),
    'group_must_one': (
        'the group must be one of {groups}',
        'gruppen skal være en af {groups}'),
    'has_no_ds_record': (
        '{uname} has no DS record {rec}',
        '{uname} har ikke DS-posten {rec}'),
    'has_no_ds_records_remove': (
        '{uname} has no DS records to remove',
        '{uname} har ingen DS-poster at fjerne'),
    'has_status': (
        '{name} has status {statuses}',
        '{name} har status {statuses}'),
    'has_status_2': (
        '{uname} has status {status}',
        '{uname} har status {status}'),
    'has_status_servertransferprohibited': (
        '{name} has status serverTransferProhibited',
        '{name} har status serverTransferProhibited'),
    'has_vid_registry_lock_it': (
        '{name} has VID (registry lock): it stays registrant-managed',
        '{name} har VID (registry lock): det forbliver registrantadministreret'),
    'hold_serverhold_blocked_by_registry': (
        '{uname} is on hold (serverHold) or blocked by the registry; it cannot be deleted until '
        'that is lifted',
        '{uname} er sat i bero (serverHold) eller blokeret af registreringen; det kan ikke '
        'slettes, før det er ophævet'),
    'host_statuses_are_set_by': (
        'host statuses are set by the registry only',
        'værtsstatusser sættes kun af registreringen'),
    'hosts_cannot_renamed_create_host': (
        'hosts cannot be renamed; create a host with the new name, move the domains to it and '
        'delete the old one',
        'værter kan ikke omdøbes; opret en vært med det nye navn, flyt domænerne til den og '
        'slet den gamle'),
    'hosts_must_all_del_sub': (
        'hosts must be all, del, sub or none',
        'hosts skal være all, del, sub eller none'),
    'invoice_status': (
        'invoice {number} is {status}',
        'faktura {number} er {status}'),
    'ip_address_but_ip': (
        '\'{value}\' is an IP{actual} address but ip="{version}"{implied}',
        '\'{value}\' er en IP{actual}-adresse, men ip="{version}"{implied}'),
    'ip_attribute_must_v4_v6': (
        "the ip attribute must be 'v4' or 'v6', not '{ip_version}'",
        "ip-attributten skal være 'v4' eller 'v6', ikke '{ip_version}'"),
    'ipv4_ipv6_address_network_cidr': (
        'an IPv4 or IPv6 address or network (CIDR) is needed',
        'der kræves en IPv4- eller IPv6-adresse eller et netværk (CIDR)'),
    'its_redemption_period_restore_it': (
        '{uname} is in its redemption period; restore it first',
        '{uname} er i sin genoprettelsesperiode; genopret det først'),
    'last_enabled_administrator': (
        '{email} is the last enabled administrator',
        '{email} er den sidste aktive administrator'),
    'listed_twice': (
        '{ip} is listed twice',
        '{ip} er angivet to gange'),
    'login_3_16_letters_digits': (
        "a login is 3-16 letters, digits, '.', '_' or '-'",
        "et login er 3-16 bogstaver, cifre, '.', '_' eller '-'"),
    'login_taken': (
        'login {login} is taken',
        'login {login} er optaget'),
    'login_up_letters_digits_16': (
        "a login is {prefix} and up to {value} letters, digits, '.', '_' or '-' (16 characters "
        'in all)',
        "et login er {prefix} og op til {value} bogstaver, cifre, '.', '_' eller '-' (16 tegn i "
        'alt)'),
    'maintained_by': (
        '{handle} is maintained by {who}',
        '{handle} vedligeholdes af {who}'),
    'managed_by_its_registrar': (
        '{uname} is managed by its registrar',
        '{uname} administreres af sin registrar'),
    'management_registrar_registrant': (
        "management is 'registrar' or 'registrant'",
        "administration er 'registrar' eller 'registrant'"),
    'may_appear_at_most_times': (
        '<{ns}:{name}> may appear at most {hi} times',
        '<{ns}:{name}> må højst forekomme {hi} gange'),
    'message_not_your_queue_unknown': (
        'message {msg_id} is not in your queue (unknown or already acked)',
        'besked {msg_id} er ikke i din kø (ukendt eller allerede kvitteret)'),
    'month_written_yyyy_mm': (
        'the month is written YYYY-MM',
        'måneden skrives ÅÅÅÅ-MM'),
    'more_than_hours_after_registry': (
        '{when} is more than {max_future_hours} hours after the registry clock ({now:%Y-%m-%d '
        '%H:%M:%S} UTC).{unit_hint}',
        '{when} ligger mere end {max_future_hours} timer efter registreringens ur '
        '({now}).{unit_hint}'),
    'accepted_after_registry_clock': (
        'the terms cannot have been accepted in the future: {accepted:%Y-%m-%d %H:%M} '
        'Danish time is after the registry clock ({now:%Y-%m-%d %H:%M} Danish time)',
        'vilkårene kan ikke være accepteret i fremtiden: {accepted} er efter '
        'registreringens ur ({now})'),
    'must_contain_exactly_one_object': (
        '<{verb}> must contain exactly one object element',
        '<{verb}> skal indeholde præcis ét objektelement'),
    'must_not': (
        '{name} must be {lo} to {hi}, not {number}',
        '{name} skal være {lo} til {hi}, ikke {number}'),
    'must_registrar_managed_contact': (
        '{handle} must be a registrar-managed contact of {registrar_handle}',
        '{handle} skal være en registraradministreret kontakt hos {registrar_handle}'),
    'must_registrar_managed_contact_2': (
        '{handle} must be a registrar-managed contact of {sponsor_handle}',
        '{handle} skal være en registraradministreret kontakt hos {sponsor_handle}'),
    'must_start_with_operation_e': (
        '<{cmd}> must start with the operation, e.g. <dkhm:withdraw>',
        '<{cmd}> skal begynde med operationen, fx <dkhm:withdraw>'),
    'must_whole_number_not': (
        '{name} must be a whole number, not {value!r}',
        '{name} skal være et helt tal, ikke {value!r}'),
    'name_registrar_reg_that_should': (
        'name the registrar (REG-…) that should become name-server administrator',
        'angiv den registrar (REG-…), der skal være navneserveradministrator'),
    'name_server_listed_twice': (
        'name server {h} is listed twice',
        'navneserveren {h} er angivet to gange'),
    'name_server_remove_it_from': (
        '{name} is a name server of {shown}; remove it from {value} first',
        '{name} er navneserver for {shown}; fjern den fra {value} først'),
    'name_servers_under_are_used': (
        'name servers under {uname} are used by other domains ({shown}{value}); move those '
        'domains to other name servers first',
        'navneservere under {uname} bruges af andre domæner ({shown}{value}); flyt de domæner '
        'til andre navneservere først'),
    'new_e_mail_address_confirmed': (
        'a new e-mail address is confirmed only by the link mailed to it; here the change can '
        'only be cancelled',
        'en ny e-mailadresse bekræftes kun via linket, der sendes til den; her kan ændringen '
        'kun annulleres'),
    'new_registrant_s_contact_handle': (
        "the new registrant's contact handle is missing",
        'den nye registrants kontakthandle mangler'),
    'no_application': (
        'no application {tracking_no}',
        'ingen ansøgning {tracking_no}'),
    'no_entry': (
        'no entry {entry_id}',
        'ingen post {entry_id}'),
    'no_lockout': (
        'no lockout of {key}',
        'ingen spærring af {key}'),
    'no_message_your_queue': (
        'no message {raw_id!r} in your queue',
        'ingen besked {raw_id!r} i din kø'),
    'no_pending_request': (
        'no pending request {request_id}',
        'ingen ventende anmodning {request_id}'),
    'no_portal_user': (
        'no portal user {target_id}',
        'ingen portalbruger {target_id}'),
    'no_registrar': (
        'no registrar {registrar_handle}',
        'ingen registrar {registrar_handle}'),
    'no_service_user': (
        'no service user {user_id}',
        'ingen servicebruger {user_id}'),
    'no_such_handle': (
        'no {handle}',
        'ingen {handle}'),
    'no_such_invoice': (
        'no such invoice',
        'ingen sådan faktura'),
    'no_such_payment': (
        'no such payment',
        'ingen sådan betaling'),
    'not_address': (
        '{ip} is not an address of {name}',
        '{ip} er ikke en adresse for {name}'),
    'not_allowed': (
        '<{c}> is not allowed in <{parent}>',
        '<{c}> er ikke tilladt i <{parent}>'),
    'not_allowed_login': (
        '<{c}> is not allowed in <login>',
        '<{c}> er ikke tilladt i <login>'),
    'not_allowed_with_create_domain': (
        '<{value}> is not allowed with create domain',
        '<{value}> er ikke tilladt ved create domain'),
    'not_allowed_with_this_command': (
        '<{el}> is not allowed with this command',
        '<{el}> er ikke tilladt med denne kommando'),
    'not_allowed_with_update_domain': (
        '<{value}> is not allowed with update domain',
        '<{value}> er ikke tilladt ved update domain'),
    'not_application_yours': (
        '{tracking_no} is not an application of yours',
        '{tracking_no} er ikke en af dine ansøgninger'),
    'not_contact_role': (
        '{handle} is not {ctype} of {uname}',
        '{handle} er ikke {ctype} for {uname}'),
    'not_date_time_such_as': (
        "'{value}' is not a date-time such as 2026-07-31T00:00:00.0Z",
        "'{value}' er ikke et tidspunkt som 2026-07-31T00:00:00.0Z"),
    'not_date_yyyy_mm_dd': (
        "'{raw}' is not a date (YYYY-MM-DD)",
        "'{raw}' er ikke en dato (ÅÅÅÅ-MM-DD)"),
    'not_domain_you_are_registrant': (
        '{name} is not a domain you are the registrant of',
        '{name} er ikke et domæne, du er registrant for'),
    'not_e_mail_address': (
        'not an e-mail address',
        'ikke en e-mailadresse'),
    'not_epp_command': (
        '<{top}> is not an EPP command',
        '<{top}> er ikke en EPP-kommando'),
    'not_epp_command_2': (
        '<{verb}> is not an EPP command',
        '<{verb}> er ikke en EPP-kommando'),
    'not_invited': (
        '{email} is not invited',
        '{email} er ikke inviteret'),
    'not_name_server': (
        '{name} is not a name server of {uname}',
        '{name} er ikke navneserver for {uname}'),
    'not_name_server_administrator': (
        '{registrar_handle} is not the name server administrator of {name}',
        '{registrar_handle} er ikke navneserveradministrator for {name}'),
    'not_portfolio': (
        '{uname} is not in the portfolio of {registrar_handle}',
        '{uname} er ikke i porteføljen hos {registrar_handle}'),
    'not_registered': (
        '{ulabel} is not registered',
        '{ulabel} er ikke registreret'),
    'not_registered_so_cannot_exist': (
        '{sup} is not registered, so {name} cannot exist',
        '{sup} er ikke registreret, så {name} kan ikke findes'),
    'not_registrant_has_no_relation': (
        '{handle} is not a registrant and has no relation to you',
        '{handle} er ikke registrant og har ingen relation til dig'),
    'not_under_dk_domain_glue': (
        '{name} is not under a .dk domain; glue addresses are only kept for hosts under .dk '
        'domains',
        '{name} ligger ikke under et .dk-domæne; glue-adresser gemmes kun for værter under '
        '.dk-domæner'),
    'not_valid_danish_cvr_number': (
        "'{value}' is not a valid Danish CVR number (8 digits with a modulus-11 check)",
        "'{value}' er ikke et gyldigt dansk CVR-nummer (8 cifre med modulus 11-kontrol)"),
    'not_valid_ipv4_ipv6_address': (
        "'{value}' is not a valid IPv4 or IPv6 address",
        "'{value}' er ikke en gyldig IPv4- eller IPv6-adresse"),
    'not_valid_ipv4_ipv6_address_2': (
        "'{ip}' is not a valid IPv4 or IPv6 address",
        "'{ip}' er ikke en gyldig IPv4- eller IPv6-adresse"),
    'not_your_portfolio_only_its': (
        '{sup} is not in your portfolio; only its registrar can create hosts under it',
        '{sup} er ikke i din portefølje; kun dets registrar kan oprette værter under det'),
    'nothing_change_give_host_add': (
        'nothing to change: give host:add or host:rem addresses, or {nsa_field}',
        'intet at ændre: angiv host:add- eller host:rem-adresser, eller {nsa_field}'),
    'nothing_change_send_contact_chg': (
        'nothing to change: send contact:chg or dkhm extensions',
        'intet at ændre: send contact:chg eller dkhm-udvidelser'),
    'object_namespace_not_served_here': (
        'object namespace {obj} is not served here',
        'objektnavnerummet {obj} betjenes ikke her'),
    'object_service_not_offered': (
        'object service {uri} is not offered',
        'objekttjenesten {uri} tilbydes ikke'),
    'only_current_name_server_administrator': (
        'only the current name-server administrator of {name} may hand the role to someone else',
        'kun den nuværende navneserveradministrator for {name} kan give rollen videre'),
    'only_epp_version_1_0': (
        'only EPP version 1.0 is offered',
        'kun EPP version 1.0 tilbydes'),
    'only_host_objects_domain_hostobj': (
        'only host objects (domain:hostObj) are supported',
        'kun værtsobjekter (domain:hostObj) understøttes'),
    'only_name_server_administrator_its': (
        'only the name-server administrator of {name} (or its registrar) may delete it',
        'kun navneserveradministratoren for {name} (eller dens registrar) må slette den'),
    'only_name_server_administrator_its_2': (
        'only the name-server administrator of {name} (or its registrar) may update it',
        'kun navneserveradministratoren for {name} (eller dens registrar) må opdatere den'),
    'only_op_report_offered_dk': (
        'only op="report" is offered: .dk restores at once when the report is sent, there is no '
        'restore request step',
        'kun op="report" tilbydes: .dk genopretter straks, når rapporten sendes; der er intet '
        'anmodningstrin'),
    'only_op_request_offered_dk': (
        'only op="request" is offered: a .dk transfer completes at once, so there is no pending '
        'transfer to query, approve, reject or cancel',
        'kun op="request" tilbydes: en .dk-overdragelse gennemføres straks, så der er ingen '
        'ventende overdragelse at forespørge, godkende, afvise eller annullere'),
    'only_registrar_can_create_contacts': (
        'only a registrar can create contacts',
        'kun en registrar kan oprette kontakter'),
    'only_registrar_can_create_domains': (
        'only a registrar can create domains',
        'kun en registrar kan oprette domæner'),
    'only_registrar_can_withdraw_it': (
        'only the registrar of {uname} can withdraw it',
        'kun registraren for {uname} kan trække det tilbage'),
    'only_verified_id_verified_email': (
        'only verified_id and verified_email may be sent on create',
        'kun verified_id og verified_email kan sendes ved oprettelse'),
    'only_verified_id_verified_email_2': (
        'only verified_id and verified_email may be sent; the rest is set by the registry',
        'kun verified_id og verified_email kan sendes; resten sættes af registreringen'),
    'op_must_report': (
        'op must be "report"',
        'op skal være "report"'),
    'op_must_req_ack': (
        "op must be 'req' or 'ack'",
        "op skal være 'req' eller 'ack'"),
    'op_not_epp_transfer_operation': (
        'op="{op}" is not an EPP transfer operation',
        'op="{op}" er ikke en EPP-overdragelsesoperation'),
    'op_report_needs_rgp_report': (
        'op="report" needs an <rgp:report> element',
        'op="report" kræver et <rgp:report>-element'),
    'paid_re_payment': (
        'paid {amount_ore} øre for a payment of {amount_ore2}',
        'betalt {amount_ore} øre for en betaling på {amount_ore2}'),
    'password_must_8_64_characters': (
        'a password must be 8 to 64 characters, this one has {n_password}',
        'en adgangskode skal være 8 til 64 tegn, denne har {n_password}'),
    'password_needs_characters_from_at': (
        'a password needs characters from at least three of: lower case, upper case, digits, '
        'specials',
        'en adgangskode skal have tegn fra mindst tre af: små bogstaver, store bogstaver, '
        'cifre, specialtegn'),
    'payer_meta_role_needed_see': (
        'the Payer meta-role is needed to see the balance',
        'metarollen Betaler kræves for at se saldoen'),
    'pendingcreate_it_can_changed_once': (
        '{name} is pendingCreate: it can be changed once its creation has been approved',
        '{name} er pendingCreate: den kan ændres, når oprettelsen er godkendt'),
    'pendingdelete_serverupdateprohibited_its_domain_being': (
        '{name} is pendingDelete (serverUpdateProhibited): its domain is being deleted',
        '{name} er pendingDelete (serverUpdateProhibited): dens domæne er ved at blive slettet'),
    'pendingupdate_change_name_server_administrator': (
        '{name} is pendingUpdate: a change of name-server administrator already waits for an '
        'answer',
        '{name} er pendingUpdate: et skift af navneserveradministrator venter allerede på svar'),
    'period_must_1_10_years': (
        'the period must be 1 to 10 years',
        'perioden skal være 1 til 10 år'),
    'period_must_whole_number_years': (
        'the period must be a whole number of years',
        'perioden skal være et helt antal år'),
    'poll_ack_needs_msgid_attribute': (
        'poll ack needs the msgID attribute',
        'poll ack kræver attributten msgID'),
    'postalinfo_type_given_more_than': (
        "postalInfo type '{kind}' is given more than once",
        "postalInfo-typen '{kind}' er angivet mere end én gang"),
    'postalinfo_type_must_loc_int': (
        "postalInfo type must be 'loc' or 'int', not '{type}'",
        "postalInfo-typen skal være 'loc' eller 'int', ikke '{type}'"),
    'price_dkk': (
        'the price is DKK {value:.2f}',
        'prisen er {value} kr.'),
    'public_name_needed': (
        'a public name is needed',
        'der kræves et offentligt navn'),
    'references_external_resources_are_not': (
        'references to external resources are not allowed',
        'henvisninger til eksterne ressourcer er ikke tilladt'),
    'registered_applied': (
        '{ulabel} is registered or applied for',
        '{ulabel} er registreret eller der er ansøgt om det'),
    'registrant_contact_handle_required': (
        'a registrant contact handle is required',
        'der kræves et kontakthandle for registranten'),
    'registrant_failed_its_id_data': (
        'the registrant of {uname} failed its ID/data check ({failed}); the registry handles '
        'the domain',
        'registranten af {uname} bestod ikke ID-/datakontrollen ({failed}); registreringen '
        'håndterer domænet'),
    'registrant_managed_domain_always_renewed': (
        'a registrant-managed domain is always renewed (and invoiced)',
        'et registrantadministreret domæne fornyes (og faktureres) altid'),
    'registrant_managed_only_its_registrant': (
        '{uname} is registrant-managed: only its registrant may {what}, in self-service',
        '{uname} er registrantadministreret: kun registranten må {what}, i selvbetjeningen'),
    'registrant_managed_registrar_may_only': (
        '{uname} is registrant-managed: a registrar may only {verb} itself as billing contact '
        '({registrar_handle}); the registrant chooses the other roles in self-service',
        '{uname} er registrantadministreret: en registrar må kun {verb} sig selv som betaler '
        '({registrar_handle}); registranten vælger de andre roller i selvbetjeningen'),
    'registrant_s_id_data_check': (
        "the registrant's ID/data check is {registrant_status}",
        'registrantens ID-/datakontrol er {registrant_status}'),
    'registrar_can_only_billing_contact': (
        'a registrar can only be billing contact',
        'en registrar kan kun være betaler'),
    'registrar_does_not_exist': (
        'registrar {handle} does not exist',
        'registraren {handle} findes ikke'),
    'registrar_handle_looks_like_reg': (
        'a registrar handle looks like REG-123456',
        'et registrar-ID ser ud som REG-123456'),
    'registrar_not_contact': (
        '{handle} is a registrar, not a contact',
        '{handle} er en registrar, ikke en kontakt'),
    'registry_does_not_sign_dk': (
        'the registry does not sign .dk delegations with a client-chosen signature lifetime',
        'registreringen signerer ikke .dk-delegeringer med en signaturlevetid valgt af klienten'),
    'registry_rejected_s_check_only': (
        "the registry rejected {handle}'s check; only the registry can change that",
        'registreringen har afvist kontrollen af {handle}; kun registreringen kan ændre det'),
    'registry_responsible_verifying_this_contact': (
        "the registry is responsible for verifying this contact (account setting 'verification "
        "responsible')",
        'registreringen er ansvarlig for at verificere denne kontakt (kontoindstillingen '
        "'ansvarlig for verifikation')"),
    'renewing_needs_payer_meta_role': (
        'renewing needs the Payer meta-role on the service user',
        'fornyelse kræver metarollen Betaler på servicebrugeren'),
    'request_accepted_rejected': (
        'a request is accepted or rejected',
        'en anmodning accepteres eller afvises'),
    'request_already': (
        'request {request_id} is already {state}',
        'anmodning {request_id} er allerede {state}'),
    'request_does_not_ask_any': (
        'request {request_id} does not ask any of your handles',
        'anmodning {request_id} vedrører ingen af dine kontakt-ID\'er'),
    'request_expired_at_utc': (
        'request {request_id} expired at {due_at:%Y-%m-%d %H:%M} UTC',
        'anmodning {request_id} udløb {due_at}'),
    'restore_report_cannot_combined_with': (
        'a restore report cannot be combined with other changes; send them in a separate update',
        'en genoprettelsesrapport kan ikke kombineres med andre ændringer; send dem i en '
        'separat opdatering'),
    'restore_update_carrying_rgp_update': (
        'a restore is an update carrying <rgp:update>',
        'en genoprettelse er en opdatering med <rgp:update>'),
    'restoring_needs_proxy_meta_role': (
        'restoring needs the Proxy meta-role on the service user',
        'genoprettelse kræver metarollen Proxy på servicebrugeren'),
    'rgp_mandatory_restore_report_rfc': (
        '<rgp:{tag}> is mandatory in a restore report (RFC 3915)',
        '<rgp:{tag}> er obligatorisk i en genoprettelsesrapport (RFC 3915)'),
    'root_element_must_epp_namespace': (
        'root element must be <epp> in namespace {epp}',
        'rodelementet skal være <epp> i navnerummet {epp}'),
    'say_why_document_rejected': (
        'say why the document is rejected',
        'skriv, hvorfor dokumentet afvises'),
    'scheduled_deletion_deletion_must_cancelled': (
        '{name} is scheduled for deletion on {delete_at:%Y-%m-%d}; the deletion must be '
        'cancelled first',
        '{name} er planlagt til sletning {delete_at}; sletningen skal annulleres først'),
    'secdns_all_true_false': (
        'secDNS:all is true or false',
        'secDNS:all er true eller false'),
    'secdns_create_holds_one_more': (
        '<secDNS:create> holds one or more <secDNS:dsData>',
        '<secDNS:create> indeholder en eller flere <secDNS:dsData>'),
    'send_authinfo_token_registrant_got': (
        'send the AuthInfo token the registrant got from the current registrar (or from '
        'self-service) in domain:authInfo/domain:pw',
        'send det AuthInfo-token, registranten har fået af den nuværende registrar (eller fra '
        'selvbetjeningen), i domain:authInfo/domain:pw'),
    'send_ds_records_secdns_dsdata': (
        'send DS records (secDNS:dsData); the keyData interface is not offered',
        'send DS-poster (secDNS:dsData); keyData-grænsefladen tilbydes ikke'),
    'send_separate_update': (
        'send {parts} in a separate update',
        'send {parts} i en separat opdatering'),
    'send_verified_id_verified_email': (
        'send verified_id and verified_email together, with the same value',
        'send verified_id og verified_email sammen, med samme værdi'),
    'send_verified_id_verified_email_2': (
        'send verified_id and/or verified_email',
        'send verified_id og/eller verified_email'),
    'service_answers_english_only_lang': (
        "the service answers in English only (lang 'en')",
        "tjenesten svarer kun på engelsk (lang 'en')"),
    'service_must_one': (
        'service must be one of {services}',
        'tjenesten skal være en af {services}'),
    'service_user_lacks_meta_role': (
        'the service user {login} lacks the {needed} meta-role needed to {what}',
        'servicebrugeren {login} mangler metarollen {needed}, som kræves for at {what}'),
    'service_user_lacks_name_server': (
        'the service user {login} lacks the Name Server Administrator meta-role needed to '
        'change name servers with a REDEL token',
        'servicebrugeren {login} mangler metarollen Navneserveradministrator, som kræves for at '
        'ændre navneservere med et REDEL-token'),
    'service_user_lacks_payer_meta': (
        'the service user {login} lacks the Payer meta-role needed to act as billing contact',
        'servicebrugeren {login} mangler metarollen Betaler, som kræves for at være betaler'),
    'service_user_lacks_registrar_meta': (
        'the service user lacks the Registrar meta-role needed to create',
        'servicebrugeren mangler metarollen Registrar, som kræves for at oprette'),
    'status_values_are_set_by': (
        'status values are set by the registry; .dk has no client statuses',
        'statusværdier sættes af registreringen; .dk har ingen klientstatusser'),
    'still_application_pendingcreate_it_can': (
        '{uname} is still an application (pendingCreate); it can be deleted once it has been '
        'processed',
        '{uname} er stadig en ansøgning (pendingCreate); det kan slettes, når den er behandlet'),
    'still_being_created_pendingcreate': (
        '{name} is still being created (pendingCreate)',
        '{name} er stadig ved at blive oprettet (pendingCreate)'),
    'still_being_created_pendingcreate_2': (
        '{uname} is still being created (pendingCreate)',
        '{uname} er stadig ved at blive oprettet (pendingCreate)'),
    'suspended_serverhold': (
        '{name} is suspended (serverHold)',
        '{name} er suspenderet (serverHold)'),
    'there_no_registrar_name_server': (
        'there is no registrar {value}; the name-server administrator is named by its registrar '
        'handle (REG-…)',
        'der findes ingen registrar {value}; navneserveradministratoren angives med sit '
        'registrar-ID (REG-…)'),
    'token_domain_pw_not_keyword': (
        'a token in domain:pw (not a keyword: autotransfer, auto, autoredel) is a REDEL token, '
        'which authorises a name-server change (domain:ns add/rem) only{separately}',
        'et token i domain:pw (ikke et nøgleord: autotransfer, auto, autoredel) er et '
        'REDEL-token, som kun giver ret til en navneserverændring (domain:ns '
        'add/rem){separately}'),
    'token_has_just_been_used': (
        'the token has just been used',
        'tokenet er netop blevet brugt'),
    'token_must_live_token_generated': (
        'the token must be a live {op} token generated for this domain (tokens are single use, '
        'case-sensitive and valid {auth_token_days} days)',
        'tokenet skal være et gyldigt {op}-token udstedt til dette domæne (tokens kan bruges én '
        'gang, skelner mellem store og små bogstaver og gælder i {auth_token_days} dage)'),
    'token_must_whole_number_seconds': (
        'the token must be a whole number of seconds since 1970-01-01 UTC',
        'tokenet skal være et helt antal sekunder siden 1.1.1970 UTC'),
    'top_up_between_dkk_1': (
        'a top-up is between DKK 1.00 and DKK 1,000,000.00',
        'en indbetaling er mellem 1,00 kr. og 1.000.000,00 kr.'),
    'top_ups_production_go_through': (
        'top-ups in production go through the payment provider',
        'i drift går indbetalinger gennem betalingsudbyderen'),
    'totp_already': (
        'TOTP is already on',
        'TOTP er allerede slået til'),
    'transfer_needs_op_request': (
        '<transfer> needs op="request"',
        '<transfer> kræver op="request"'),
    'transfer_needs_service_user_with': (
        'a transfer needs a service user with the Registrar meta-role',
        'en overdragelse kræver en servicebruger med metarollen Registrar'),
    'type_loc_int': (
        "type is 'loc' or 'int'",
        "typen er 'loc' eller 'int'"),
    'under_dk_domain_give_at': (
        '{name} is under the .dk domain {sup}: give at least one address (glue)',
        '{name} ligger under .dk-domænet {sup}: angiv mindst én adresse (glue)'),
    'under_dk_domain_must_keep': (
        '{name} is under a .dk domain and must keep at least one address (glue)',
        '{name} ligger under et .dk-domæne og skal beholde mindst én adresse (glue)'),
    'unexpected': (
        'unexpected <{extra}> in <{cmd}>',
        'uventet <{extra}> i <{cmd}>'),
    'unexpected_command': (
        'unexpected <{extra}> in <command>',
        'uventet <{extra}> i <command>'),
    'unknown_role_s': (
        'unknown role(s) {unknown}',
        'ukendt(e) rolle(r) {unknown}'),
    'update_domain_issues_tokens_sponsoring': (
        'update domain issues tokens for the sponsoring registrar only',
        'update domain udsteder kun tokens til den ansvarlige registrar'),
    'update_needs_at_least_one': (
        'an update needs at least one of domain:add, domain:rem or domain:chg, or a '
        'secDNS:update or dkhm:autoRenew extension',
        'en opdatering kræver mindst én af domain:add, domain:rem eller domain:chg, eller en '
        'secDNS:update- eller dkhm:autoRenew-udvidelse'),
    'updating_contacts_needs_proxy_meta': (
        'updating contacts needs the Proxy meta-role',
        'at opdatere kontakter kræver metarollen Proxy'),
    'updating_hosts_needs_name_server': (
        'updating hosts needs the Name Server Administrator or Registrar meta-role',
        'at opdatere værter kræver metarollen Navneserveradministrator eller Registrar'),
    'use_either_secdns_all_secdns': (
        'use either secDNS:all or secDNS:dsData in secDNS:rem',
        'brug enten secDNS:all eller secDNS:dsData i secDNS:rem'),
    'use_true_false': (
        "use 'true' or 'false'",
        "brug 'true' eller 'false'"),
    'utc_more_than_days_before': (
        '{accepted:%Y-%m-%d %H:%M:%S} UTC is more than {max_age_days} days before the registry '
        'clock ({now:%Y-%m-%d %H:%M:%S} UTC); the registrant must accept the terms '
        'again.{unit_hint}',
        '{accepted} ligger mere end {max_age_days} dage før registreringens ur ({now}); '
        'registranten skal acceptere vilkårene igen.{unit_hint}'),
    'vat_number_may_have_at': (
        'a VAT number may have at most {max_foreign_vat} characters',
        'et momsnummer må højst have {max_foreign_vat} tegn'),
    'verification_assertion_sent_its_own': (
        'a verification assertion is sent on its own, without changes of data',
        'en verifikationserklæring sendes alene, uden ændringer af data'),
    'verification_registrar_s_registry_s': (
        "verification is the 'registrar''s or the 'registry''s",
        "verifikation er registrars ('registrar') eller registreringens ('registry')"),
    'with_danish_address_must_give': (
        'a {user_type} with a Danish address must give its CVR number',
        'en {user_type} med dansk adresse skal angive sit CVR-nummer'),
    'withdraw_needs_service_user_with': (
        'withdraw needs a service user with the Registrar meta-role',
        'withdraw kræver en servicebruger med metarollen Registrar'),
    'xml_declaration_names_epp_frames': (
        'the XML declaration names {shown}; EPP frames must be UTF-8',
        'XML-erklæringen angiver {shown}; EPP-rammer skal være UTF-8'),
    'xml_not_well_formed': (
        'XML is not well-formed{line}: {msg}',
        "XML'en er ikke velformet{line}: {msg}"),
    'this_data_locked_cpr_cvr': (
        'this data is locked to the CPR/CVR register',
        'disse data er låst til CPR-/CVR-registret'),
    'registrant_s_name_cannot_change': (
        "the registrant's name cannot change; change the domain's registrant instead",
        'registrantens navn kan ikke ændres; skift i stedet domænets registrant'),
    'registrant_managed_only_registrant_can': (
        '{uname} is registrant-managed: only the registrant can cancel it, in self-service',
        '{uname} er registrantadministreret: kun registranten kan annullere det, i '
        'selvbetjeningen'),
    'not_your_portfolio': (
        '{uname} is not in your portfolio',
        '{uname} er ikke i din portefølje'),
    'renewed_by_its_registrar': (
        '{uname} is renewed by its registrar',
        '{uname} fornyes af sin registrar'),
    'registrant_managed_registrar_renews_it': (
        '{uname} is registrant-managed; a registrar renews it only as its billing contact',
        '{uname} er registrantadministreret; en registrar fornyer det kun som betaler'),
    'registrant_managed': (
        '{uname} is registrant-managed',
        '{uname} er registrantadministreret'),
    'managed_by_its_registrar_which': (
        '{uname} is managed by its registrar, which issues its transfer tokens',
        '{uname} administreres af sin registrar, som udsteder dets overdragelsestokens'),
    'not_active': (
        '{uname} is not active',
        '{uname} er ikke aktivt'),
    'usertype_not_one_company_public': (
        "userType '{value}' is not one of company, public_organization, association, individual "
        '(or C, P, A, I)',
        "userType '{value}' er ikke en af company, public_organization, association, individual "
        '(eller C, P, A, I)'),
    'contains_control_characters': (
        '{label} contains control characters',
        '{label} indeholder kontroltegn'),
    'characters_long_maximum': (
        '{label} is {n_value} characters long; the maximum is {max_len}',
        '{label} er {n_value} tegn lang; højst {max_len} er tilladt'),
    'contains_but_postalinfo_type_int': (
        "{label} contains {bad!r}, but postalInfo type 'int' must be 7-bit ASCII (use type "
        "'loc' for local characters)",
        "{label} indeholder {bad!r}, men postalInfo-typen 'int' skal være 7-bit ASCII (brug "
        "typen 'loc' til lokale tegn)"),
    'dkhm_usertype_mandatory_when_creating': (
        'dkhm:userType is mandatory when creating a contact',
        'dkhm:userType er obligatorisk, når en kontakt oprettes'),
    'country_code_contact_cc_mandatory': (
        'the country code (contact:cc) is mandatory',
        'landekoden (contact:cc) er obligatorisk'),
    'not_iso_3166_1_alpha': (
        "'{value}' is not an ISO 3166-1 alpha-2 country code",
        "'{value}' er ikke en ISO 3166-1 alpha-2-landekode"),
    'not_phone_number_form_cc': (
        "'{value}' is not a phone number of the form +CC.NUMBER (e.g. +45.12345678), digits only",
        "'{value}' er ikke et telefonnummer på formen +CC.NUMMER (fx +45.12345678), kun cifre"),
    'characters_long_e_164_number': (
        "'{main}' is {n_main} characters long; an E.164 number may have at most {e164_max} "
        'characters (15 digits)',
        "'{main}' er {n_main} tegn langt; et E.164-nummer må højst have {e164_max} tegn (15 "
        'cifre)'),
    'not_assigned_international_calling_code': (
        '+{cc} is not an assigned international calling code',
        '+{cc} er ikke en tildelt international landekode'),
    'numbers_under_have_exactly_digits': (
        'numbers under +{cc} have exactly {expected} digits after the country code; '
        "'{national}' has {n_national}",
        "numre under +{cc} har præcis {expected} cifre efter landekoden; '{national}' har "
        '{n_national}'),
    'e_mail_address_characters_long': (
        'the e-mail address is {n_value} characters long; the maximum is {max_email}',
        'e-mailadressen er {n_value} tegn lang; højst {max_email} er tilladt'),
    'e_mail_address_must_not': (
        "e-mail address '{value}' must not contain spaces or control characters",
        "e-mailadressen '{value}' må ikke indeholde mellemrum eller kontroltegn"),
    'e_mail_address_must_contain': (
        "e-mail address '{value}' must contain exactly one '@'",
        "e-mailadressen '{value}' skal indeholde præcis ét '@'"),
    'e_mail_address_has_nothing': (
        "e-mail address '{value}' has nothing before the '@'",
        "e-mailadressen '{value}' har intet før '@'"),
    'part_before_characters_long_maximum': (
        "the part before '@' is {n_local} characters long; the maximum is {max_local_part}",
        "delen før '@' er {n_local} tegn lang; højst {max_local_part} er tilladt"),
    'e_mail_address_needs_domain': (
        "e-mail address '{value}' needs a domain such as 'example.dk' after the '@'",
        "e-mailadressen '{value}' skal have et domæne som 'example.dk' efter '@'"),
    'p_number_not_supported_usertype': (
        'a P-number is not supported for userType individual',
        'et P-nummer understøttes ikke for userType individual'),
    'p_number_may_only_given': (
        'a P-number may only be given together with a Danish CVR number',
        'et P-nummer kan kun angives sammen med et dansk CVR-nummer'),
    'p_number_must_exactly_10': (
        "P-number '{value}' must be exactly 10 digits",
        "P-nummeret '{value}' skal være præcis 10 cifre"),
    'ean_number_not_supported_usertype': (
        'an EAN number is not supported for userType individual',
        'et EAN-nummer understøttes ikke for userType individual'),
    'ean_must_exactly_13_digits': (
        "EAN '{value}' must be exactly 13 digits",
        "EAN '{value}' skal være præcis 13 cifre"),
    'ean_has_wrong_check_digit': (
        "EAN '{value}' has a wrong check digit (expected {gs1_ean})",
        "EAN '{value}' har et forkert kontrolciffer (forventet {gs1_ean})"),
    'sole_proprietorship_must_not_sent': (
        'sole_proprietorship must not be sent for a contact with country DK; it is derived from '
        'the CVR register',
        'sole_proprietorship må ikke sendes for en kontakt med land DK; det udledes af '
        'CVR-registret'),
    'sole_proprietorship_describes_company_cannot': (
        'sole_proprietorship describes a company and cannot be true for userType individual',
        'sole_proprietorship beskriver en virksomhed og kan ikke være sand for userType '
        'individual'),
    'at_least_one_contact_postalinfo': (
        'at least one contact:postalInfo is required',
        'der kræves mindst én contact:postalInfo'),
    'needs_at_least_one_street': (
        '{kind} needs at least one street line',
        '{kind} skal have mindst én adresselinje'),
    'has_street_lines_at_most': (
        '{kind} has {n_lines} street lines; at most 3 are allowed',
        '{kind} har {n_lines} adresselinjer; højst 3 er tilladt'),
    'needs_city': (
        '{kind} needs a city',
        '{kind} skal have en by'),
    'e_mail_address_mandatory': (
        'an e-mail address is mandatory',
        'en e-mailadresse er obligatorisk'),
    'cvr_vat_number_not_supported': (
        'a CVR/VAT number is not supported for userType individual',
        'et CVR-/momsnummer understøttes ikke for userType individual'),
    'danish_address_needs_postcode': (
        'a Danish address needs a postcode',
        'en dansk adresse skal have et postnummer'),
    'danish_postcode_must_exactly_4': (
        "Danish postcode '{pc}' must be exactly 4 digits",
        "det danske postnummer '{pc}' skal være præcis 4 cifre"),
    'individual_must_give_name': (
        'an individual must give a name',
        'en person skal angive et navn'),
    'contact_org_must_not_sent': (
        'contact:org must not be sent for userType individual',
        'contact:org må ikke sendes for userType individual'),
    'must_give_its_name_contact': (
        'a {user_type} must give its name in contact:name (or contact:org)',
        'en {user_type} skal angive sit navn i contact:name (eller contact:org)'),
    'label_contains_which_not_allowed': (
        "label '{label}'{origin} contains {label2}, which is not allowed in .dk names (allowed: "
        '{allowed_text})',
        "etiketten '{label}'{origin} indeholder {label2}, som ikke er tilladt i .dk-navne "
        '(tilladt: {allowed_text})'),
    'label_must_not_begin_with': (
        "label '{label}'{origin} must not begin with a hyphen",
        "etiketten '{label}'{origin} må ikke begynde med en bindestreg"),
    'label_must_not_end_with': (
        "label '{label}'{origin} must not end with a hyphen",
        "etiketten '{label}'{origin} må ikke slutte med en bindestreg"),
    'label_has_positions_3_4': (
        "label '{label}'{origin} has '--' in positions 3–4, which is reserved for IDN A-labels "
        "beginning with 'xn--'",
        "etiketten '{label}'{origin} har '--' på plads 3–4, som er forbeholdt IDN A-labels, der "
        "begynder med 'xn--'"),
    'label_octets_long_label_form': (
        "label '{label}' is {n_alabel} octets long in A-label form ('{alabel}'); the maximum is "
        '{max_label_octets}',
        "etiketten '{label}' er {n_alabel} oktetter lang i A-label-form ('{alabel}'); højst "
        '{max_label_octets} er tilladt'),
    'domain_name_empty': (
        'domain name is empty',
        'domænenavnet er tomt'),
    'domain_name_must_not_end': (
        "domain name '{name}' must not end with a dot; write it without the root, e.g. '{name2}'",
        "domænenavnet '{name}' må ikke slutte med et punktum; skriv det uden roden, fx '{name2}'"),
    'domain_name_contains_empty_label': (
        "domain name '{name}' contains an empty label",
        "domænenavnet '{name}' indeholder en tom etiket"),
    'not_under_dk_only_dk': (
        "'{name}' is not under .dk; only .dk names are handled by this registry",
        "'{name}' ligger ikke under .dk; denne registrering håndterer kun .dk-navne"),
    'dk_top_level_domain_itself': (
        "'dk' is the top-level domain itself; give a name such as 'example.dk'",
        "'dk' er selve topdomænet; angiv et navn som 'example.dk'"),
    'not_second_level_name_only': (
        "'{name}' is not a second-level name; only names directly under .dk (like "
        "'{labels}.dk') can be registered",
        "'{name}' er ikke et navn på andet niveau; kun navne direkte under .dk (som "
        "'{labels}.dk') kan registreres"),
    'label_octets_long_maximum': (
        "label '{label}' is {n_alabel} octets long; the maximum is {max_label_octets}",
        "etiketten '{label}' er {n_alabel} oktetter lang; højst {max_label_octets} er tilladt"),
    'top_level_domain_not_valid': (
        "top-level domain '{label}' is not valid; a TLD consists of two or more letters (or is "
        'an IDN A-label)',
        "topdomænet '{label}' er ikke gyldigt; et topdomæne består af to eller flere bogstaver "
        '(eller er en IDN A-label)'),
    'top_level_domain_longer_than': (
        "top-level domain '{label}' is longer than 63 octets",
        "topdomænet '{label}' er længere end 63 oktetter"),
    'host_name_empty': (
        'host name is empty',
        'værtsnavnet er tomt'),
    'host_name_must_not_end': (
        "host name '{name}' must not end with a dot; write it without the root, e.g. '{name2}'",
        "værtsnavnet '{name}' må ikke slutte med et punktum; skriv det uden roden, fx '{name2}'"),
    'host_name_contains_empty_label': (
        "host name '{name}' contains an empty label",
        "værtsnavnet '{name}' indeholder en tom etiket"),
    'host_name_must_have_at': (
        "host name '{name}' must have at least two labels (e.g. 'ns1.example.dk')",
        "værtsnavnet '{name}' skal have mindst to etiketter (fx 'ns1.example.dk')"),
    'host_name_characters_long_label': (
        'host name is {n_result} characters long in A-label form; the maximum is '
        '{max_host_length}',
        'værtsnavnet er {n_result} tegn langt i A-label-form; højst {max_host_length} er tilladt'),
    'label_contains_label_may_only': (
        "A-label '{label}' contains {label2}; an A-label may only contain a–z, 0–9 and hyphen",
        "A-labelen '{label}' indeholder {label2}; en A-label må kun indeholde a–z, 0–9 og "
        'bindestreg'),
    'label_octets_long_maximum_2': (
        "label '{label}' is {n_label} octets long; the maximum is {max_label_octets}",
        "etiketten '{label}' er {n_label} oktetter lang; højst {max_label_octets} er tilladt"),
    'label_not_canonical_encoding_expected': (
        "A-label '{label}' is not the canonical encoding of '{ulabel}' (expected '{again}')",
        "A-labelen '{label}' er ikke den kanoniske kodning af '{ulabel}' (forventet '{again}')"),
    'label_contains_host_name_labels': (
        "label '{label}' contains {label2}; host name labels may only contain letters, digits "
        'and hyphen',
        "etiketten '{label}' indeholder {label2}; etiketter i værtsnavne må kun indeholde "
        'bogstaver, cifre og bindestreg'),
    'label_must_not_begin_with_2': (
        "label '{label}' must not begin with a hyphen",
        "etiketten '{label}' må ikke begynde med en bindestreg"),
    'label_must_not_end_with_2': (
        "label '{label}' must not end with a hyphen",
        "etiketten '{label}' må ikke slutte med en bindestreg"),
    'top_level_domain_not_canonical': (
        "top-level domain '{label}' is not in canonical form",
        "topdomænet '{label}' er ikke i kanonisk form"),
    'not_valid_idn_label': (
        "'{label}' is not a valid IDN A-label ({exc})",
        "'{label}' er ikke en gyldig IDN A-label ({exc})"),
    'does_not_round_trip': (
        "'{label}' does not round-trip ({exc})",
        "'{label}' kan ikke konverteres frem og tilbage uændret ({exc})"),
    'label_not_valid_idn_label': (
        "label '{label}' is not a valid IDN label ({exc})",
        "etiketten '{label}' er ikke en gyldig IDN-etiket ({exc})"),
    'label_not_canonical_form_expected': (
        "A-label '{label}' is not in canonical form (expected '{again}')",
        "A-labelen '{label}' er ikke i kanonisk form (forventet '{again}')"),
    'label_has_positions_3_4_2': (
        "label '{label}' has '--' in positions 3–4, which is reserved for IDN A-labels "
        "beginning with 'xn--'",
        "etiketten '{label}' har '--' på plads 3–4, som er forbeholdt IDN A-labels, der "
        "begynder med 'xn--'"),
    'top_level_domain_not_valid_2': (
        "top-level domain '{label}' is not valid ({exc})",
        "topdomænet '{label}' er ikke gyldigt ({exc})"),
    'top_level_domain_not_valid_3': (
        "top-level domain '{label}' is not a valid IDN A-label ({exc})",
        "topdomænet '{label}' er ikke en gyldig IDN A-label ({exc})"),
    # commands .dk does not offer at all (epp.dispatch.NOT_OFFERED)
    'contact_delete_not_offered': (
        'contacts are deleted by the registry when no longer in use',
        'kontakter slettes af registret, når de ikke længere er i brug'),
    'contact_transfer_not_offered': (
        'contacts are cloned when a domain is transferred',
        'kontakter kopieres, når et domæne overdrages'),
    'host_transfer_not_offered': (
        'hosts follow their superordinate domain',
        'værter følger deres overordnede domæne'),
    'contact_renew_not_offered': (
        'contacts are not renewed',
        'kontakter fornyes ikke'),
    'host_renew_not_offered': (
        'hosts are not renewed',
        'værter fornyes ikke'),
    # why a domain cannot be renewed (actions.domain_renew); the status names in
    # parentheses are EPP tokens and stay as they are in Danish
    'renew_still_application': (
        'the domain is still an application',
        'domænet er stadig en ansøgning'),
    'renew_suspended_until_verified': (
        'the domain is suspended (serverHold) until its registrant is verified',
        'domænet er suspenderet (serverHold), indtil registranten er verificeret'),
    'renew_blocked_by_registry': (
        'the registry has blocked renewal (serverRenewProhibited)',
        'registret har spærret for fornyelse (serverRenewProhibited)'),
    'renew_being_deleted': (
        'the domain is being deleted (redemption period); restore it instead',
        'domænet er ved at blive slettet (genoprettelsesperiode); genopret det i stedet'),
    # why a domain in its redemption period cannot be restored (actions.domain_restore)
    'restore_nis2_unverified': (
        "it was suspended because its registrant's NIS2 verification was not completed; "
        "it comes back when the registry has the verification",
        'det blev suspenderet, fordi registrantens NIS2-verifikation ikke blev gennemført; '
        'det kommer tilbage, når registret har verifikationen'),
    'restore_unconfirmed': (
        'its restoration was not confirmed; only the registry can restore it',
        'genoprettelsen blev ikke bekræftet; kun registret kan genoprette det'),
    'restore_cause_not_restorable': (
        'the cause of its deletion ({cause}) is not restorable by a registrar',
        'årsagen til sletningen ({cause}) kan ikke genoprettes af en registrar'),
    # a connection over the server's caps (epp.server), answered 2502 and closed
    'connections_per_address_full': (
        '{limit} connections from {address} are open, the most one client address may hold',
        '{limit} forbindelser fra {address} er åbne, det højeste én klientadresse må have'),
    'connections_server_full': (
        'the server is serving its maximum of {limit} connections',
        'serveren betjener sit maksimum på {limit} forbindelser'),
    # an allow-list entry that is not a network (actions.ip_allow_list)
    'network_has_host_bits': (
        '{value} has host bits set',
        '{value} har værtsbit sat efter præfikset'),
    'not_ip_network': (
        "'{value}' does not appear to be an IPv4 or IPv6 network",
        "'{value}' er ikke et IPv4- eller IPv6-netværk"),
    # DS records (model.dnssec): the record in DNS presentation form
    'ds_record_listed_twice': (
        '{rec}',
        'DS-posten {rec}'),
    # phrases other details take as parameters: what a registrar was refused to do
    # (actions.domain_update_target.require_sponsor completes "needed to ...")
    'to_change_name_servers': ('change name servers', 'ændre navneservere'),
    'to_change_contacts': ('change contacts', 'ændre kontakter'),
    'to_update_it': ('update it', 'opdatere det'),
    'to_set_transfer_token': ('set a transfer token', 'oprette et overdragelsestoken'),
    'to_set_redel_token': ('set a REDEL token', 'oprette et REDEL-token'),
    'to_retract_tokens': ('retract tokens', 'trække tokens tilbage'),
    'to_change_auto_renew': ('change auto-renew', 'ændre automatisk fornyelse'),
    'to_change_ds_records': ('change DS records', 'ændre DS-poster'),
    'to_change_registrant': ('change the registrant', 'skifte registrant'),
    # the meta-roles by their names in the registry's documentation; "or" between two
    'role_proxy': ('Proxy', 'Proxy'),
    'role_nsa': ('Name Server Administrator', 'navneserveradministrator'),
    'role_payer': ('Payer', 'betaler'),
    'role_registrar': ('Registrar', 'registrar'),
    'roles_either': ('{first} or {second}', '{first} eller {second}'),
    # the contact change a registrar asked for (actions.domain_update_contacts)
    'verb_add': ('add', 'tilføje'),
    'verb_remove': ('remove', 'fjerne'),
    # optional tails of other details (an empty string when they do not apply)
    'transfer_waits_until': (
        ' (until {due:%Y-%m-%d %H:%M} UTC at the latest)',
        ' (senest til {due} dansk tid)'),
    'token_send_separately': (
        '; send {others} in a separate update',
        '; send {others} i en separat opdatering'),
    'ip_default_when_omitted': (
        ' (the default when the ip attribute is omitted)',
        ' (standardværdien, når ip-attributten udelades)'),
    'ds_count_update_leaves': ('the update would leave', 'opdateringen ville efterlade'),
    'ds_count_create_gives': ('the create gives it', 'oprettelsen giver det'),
    'that_domain': ('that domain', 'det domæne'),
    'those_domains': ('those domains', 'de domæner'),
    # the registry's name-server check (dkreg.dns.check): what one server said ...
    'ns_said': ('{server} {said}', '{server} {said}'),
    'ns_list_more': ('{first}; {rest}', '{first}; {rest}'),
    'ns_answered': ('answered authoritatively', 'svarede autoritativt'),
    'ns_answered_test_zone': (
        'answered authoritatively from the sandbox\'s test zone',
        'svarede autoritativt fra sandkassens testzone'),
    'ns_answered_sandbox_default': (
        'answers (the sandbox holds no test zone for the domain, so every name server '
        'answers)',
        'svarer (sandkassen har ingen testzone for domænet, så alle navneservere svarer)'),
    'ns_timeout': ('did not answer within {seconds} s', 'svarede ikke inden for {seconds} s'),
    'ns_timeout_budget': (
        'had not answered when the check\'s {seconds} s were up',
        'havde ikke svaret, da kontrollens {seconds} s var gået'),
    'ns_timeout_partial': (
        'answered SOA, but not NS or DNSKEY within {seconds} s',
        'svarede på SOA, men ikke på NS eller DNSKEY inden for {seconds} s'),
    'ns_rcode': ('answered {rcode}', 'svarede {rcode}'),
    'ns_unreachable': ('could not be asked ({error})', 'kunne ikke spørges ({error})'),
    'ns_referral': (
        'is not authoritative for {domain}: it answered with a referral to {targets}',
        'er ikke autoritativ for {domain}: den henviste til {targets}'),
    'ns_no_aa': (
        'is not authoritative for {domain}: it answered {rcode} without the AA flag',
        'er ikke autoritativ for {domain}: den svarede {rcode} uden AA-flaget'),
    'ns_nxdomain': (
        'answered authoritatively that {domain} does not exist (NXDOMAIN)',
        'svarede autoritativt, at {domain} ikke findes (NXDOMAIN)'),
    'ns_other_zone': (
        'answered from the zone {zone}, not with an SOA record for {domain}',
        'svarede fra zonen {zone}, ikke med en SOA-post for {domain}'),
    'ns_no_soa': (
        'answered authoritatively without an SOA record for {domain}',
        'svarede autoritativt uden en SOA-post for {domain}'),
    'ns_no_address': (
        'has no address: no glue and no A or AAAA record',
        'har ingen adresse: ingen glue og ingen A- eller AAAA-post'),
    'ns_private': (
        'has only non-public addresses ({addresses}), which the registry does not ask',
        'har kun ikke-offentlige adresser ({addresses}), som registret ikke spørger'),
    'ns_sandbox_lame': (
        'is not authoritative for {domain}: the sandbox holds no test zone for it',
        'er ikke autoritativ for {domain}: sandkassen har ingen testzone for det'),
    'ns_sandbox_not_listed': (
        'is not authoritative for {domain}: the sandbox\'s test zone lists only {listed}',
        'er ikke autoritativ for {domain}: sandkassens testzone angiver kun {listed}'),
    # ... and the check as a whole (the rule of the Name Service specification)
    'ns_check_too_few': (
        '{answered} of the listed name servers answer for {domain}, at least {needed} '
        'must: {servers}',
        '{answered} af de angivne navneservere svarer for {domain}, mindst {needed} skal: '
        '{servers}'),
    'ns_check_none': ('none', 'ingen'),
    # DNSSEC: a DS that matches no DNSKEY the domain's name servers serve
    'ds_unmatched': (
        'the DS record(s) {ds} match no DNSKEY served for {domain}',
        'DS-posten/posterne {ds} passer ikke til nogen DNSKEY, der udgives for {domain}'),
    # staff users (identity.staff)
    'staff_email_given': (
        '{email}',
        '{email}'),
    # NIS2 disclosure forms (actions.nis2)
    'nis2_max_length': (
        'at most {most} characters',
        'højst {most} tegn'),
    'nis2_max_domains': (
        'at most {most} domain names in one request',
        'højst {most} domænenavne i én anmodning'),
    'nis2_domain_unknown': (
        '{name} is not a registered .dk domain name',
        '{name} er ikke et registreret .dk-domænenavn'),
}

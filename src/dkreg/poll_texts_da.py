"""Poll texts in Danish, for the portal's message list.

EPP keeps the registry's exact English texts (``poll_texts.POLL``, checked against
poll-messages.csv), and a queued message is stored as that text. The portal reads the
text back against the catalogue's templates to find the key and the values, and shows
the Danish template with the same values; a text that matches no template (an older
message) is shown as stored.
"""

from __future__ import annotations

import re
import string
from functools import cache

from dkreg.poll_texts import POLL

DANISH: dict[str, str] = {
    'create_activated': '{name} er registreret og aktiveret',
    'create_not_activated': (
        '{name} er registreret, men ikke aktiveret, fordi ID- og/eller datakontrol afventer'),
    'create_rejected_taken': 'Ansøgningen om {name} er afvist, da domænet allerede var taget',
    'create_cancelled_terms': (
        'Ansøgningen om {name} er annulleret, da registranten ikke har accepteret vores vilkår '
        'i tide'),
    'create_rejected_mismatch': (
        'Ansøgningen om {name} er afvist, da bruger- og domæneadministrationen ikke passede '
        'sammen'),
    'create_cancelled': 'Ansøgningen om {name} er annulleret',
    'create_rejected_dns': (
        'Ansøgningen om {name} er afvist, da dens navneservere ikke svarer for den: {reason}'),
    'dnssec_keys_unpublished': 'DNSSEC-nøglerne for {name} er ikke udgivet: {reason}',
    'domain_activated': '{name} er aktiveret',
    'domain_updated': '{name} er opdateret',
    'billing_removed': '{registrar} er fjernet som betaler for {name}',
    'ds_changed': 'DS-posterne for {name} er ændret',
    'ns_changed': 'Navneserverne for {name} er ændret fra {old} til {new}',
    'registrant_changed': 'Registranten for {name} er skiftet til {handle}',
    'registrant_not_changed_in_time': (
        'Registranten for {name} er ikke skiftet til {handle}, da den obligatoriske ID- '
        'og/eller datakontrol ikke blev gennemført i tide'),
    'registrant_not_changed_rejected': (
        'Registranten for {name} er ikke skiftet til {handle}, da den obligatoriske ID- '
        'og/eller datakontrol blev afvist'),
    'registrant_not_changed': (
        'Registranten for {name} er ikke skiftet til {handle}, da den obligatoriske ID- '
        'og/eller datakontrol ikke blev gennemført'),
    'transfer_in': '{name} er tilføjet din portefølje',
    'transfer_out': '{name} er fjernet fra din portefølje',
    'domain_deleted': '{name} er slettet',
    'domain_deleted_info': '{name} er slettet',
    'delete_stopped': '{name} er forlænget, og opsigelsen er stoppet',
    'domain_restored': '{name} er genoprettet, forlænget, og opsigelsen er stoppet',
    'contact_updated': 'Kontaktoplysningerne for {handle} er opdateret',
    'email_confirm_required': (
        '{handle} skal bekræfte den nye primære e-mail, {email}, for at fuldføre opdateringen - '
        '{responsible}'),
    'email_confirmed': '{handle} har bekræftet den nye primære e-mail, {email} - {responsible}',
    'email_not_confirmed': (
        'Den nye primære e-mail, {email}, blev ikke bekræftet for {handle} - {responsible}'),
    'secondary_email_confirm_required': (
        '{handle} skal bekræfte den nye sekundære e-mail, {email}, for at fuldføre opdateringen '
        '- {responsible}'),
    'secondary_email_confirmed': (
        '{handle} har bekræftet den nye sekundære e-mail, {email} - {responsible}'),
    'secondary_email_not_confirmed': (
        'Den nye sekundære e-mail, {email}, blev ikke bekræftet for {handle} - {responsible}'),
    'verification_required_id_data': (
        '{handle} skal gennemføre den obligatoriske ID- og datakontrol - {responsible}'),
    'verification_required_id': (
        '{handle} skal gennemføre den obligatoriske ID-kontrol - {responsible}'),
    'verification_required_data': (
        '{handle} skal gennemføre den obligatoriske datakontrol - {responsible}'),
    'verification_expired_id_data': (
        'Den obligatoriske ID- og datakontrol af {handle} er udløbet - {responsible}'),
    'verification_expired_id': (
        'Den obligatoriske ID-kontrol af {handle} er udløbet - {responsible}'),
    'verification_expired_data': (
        'Den obligatoriske datakontrol af {handle} er udløbet - {responsible}'),
    'verification_completed_id_data': (
        '{handle} har gennemført den obligatoriske ID- og datakontrol - {responsible}'),
    'verification_completed_id': (
        '{handle} har gennemført den obligatoriske ID-kontrol - {responsible}'),
    'verification_completed_data': (
        '{handle} har gennemført den obligatoriske datakontrol - {responsible}'),
    'verification_rejected_id': (
        'Den obligatoriske ID-kontrol af {handle} blev afvist - {responsible}'),
    'verification_cancelled_id_data': (
        'Den obligatoriske ID- og datakontrol af {handle} blev annulleret - {responsible}'),
    'verification_cancelled_id': (
        'Den obligatoriske ID-kontrol af {handle} blev annulleret - {responsible}'),
    'verification_cancelled_data': (
        'Den obligatoriske datakontrol af {handle} blev annulleret - {responsible}'),
    'email_bounce_primary': (
        'Levering af e-mail mislykkedes ({reason}) til den primære e-mail, {email}, for '
        '{handle}. Kontrollér og ret e-mailadressen.'),
    'email_bounce_secondary': (
        'Levering af e-mail mislykkedes ({reason}) til den sekundære e-mail, {email}, for '
        '{handle}. Kontrollér og ret e-mailadressen.'),
    'contact_deleted': '{handle} er slettet',
    'host_approved': 'Navneserveren {host} er registreret, da registranten har godkendt den',
    'host_rejected': 'Navneserveren {host} er ikke registreret, da registranten har afvist den',
    'host_not_approved_in_time': (
        'Navneserveren {host} er ikke registreret, da registranten ikke godkendte den i tide'),
    'host_approved_nsa_accepted': (
        'Navneserveren {host} er registreret, da registranten har godkendt den, og {nsa} har '
        'accepteret rollen som navneserveradministrator'),
    'host_nsa_rejected': (
        'Navneserveren {host} er ikke registreret, da rollen som navneserveradministrator er '
        'afvist'),
    'host_nsa_not_in_time': (
        'Navneserveren {host} er ikke registreret, da rollen som navneserveradministrator ikke '
        'blev accepteret i tide'),
    'host_nsa_accepted': (
        'Navneserveren {host} er registreret, da {nsa} har accepteret rollen som '
        'navneserveradministrator'),
    'nsa_role_accepted': 'Rollen som navneserveradministrator for {host} er accepteret af {nsa}',
    'nsa_role_rejected': 'Rollen som navneserveradministrator for {host} er afvist af {nsa}',
    'nsa_role_not_in_time': (
        'Rollen som navneserveradministrator for {host} er ikke accepteret af {nsa} i tide'),
    'host_deleted': 'Navneserveren {host} er slettet',
}


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for key, (_kind, template) in POLL.items():
        pattern, seen = "", set()
        for literal, name, _spec, _conv in string.Formatter().parse(template):
            pattern += re.escape(literal)
            if name is not None:
                pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
                seen.add(name)
        found.append((key, re.compile(pattern + r"\Z", re.S)))
    # the longest templates first, so a specific text is not read as a shorter one
    return sorted(found, key=lambda kp: -len(POLL[kp[0]][1]))


def poll_text_in(lang: str, text: str) -> str:
    """A stored poll text as the page's language shows it."""
    if lang != "da":
        return text
    for key, pattern in _patterns():
        match = pattern.match(text)
        if match:
            return DANISH[key].format(**match.groupdict())
    return text

"""The one catalogue of poll message texts and the resData type each one carries.

The templates are the registry's exact texts from
``reference/dkhm/poll-messages.csv`` with named placeholders; ``tests/test_poll_texts.py``
checks every entry against the CSV. Callers queue a message with
``actions.poll_queue.enqueue_text`` so that text and resData type cannot drift apart.

Placeholders: ``name`` a domain (``eksempel.dk``), ``handle`` a contact handle
(``ABC1-DK``), ``registrar`` a registrar handle (``REG-123``), ``host`` a host name,
``nsa`` the handle of a name-server administrator, ``email``, ``responsible``
(``registrar`` or ``registry``), ``reason`` (bounce reason; what the name-server check
found), ``old``/``new`` comma-separated name-server lists.
"""

from __future__ import annotations

# key -> (resData type, template)
POLL: dict[str, tuple[str, str]] = {
    # domain create (exactly one panData per application)
    "create_activated": ("domain:panData", "{name} has been registered and activated"),
    "create_not_activated": (
        "domain:panData",
        "{name} has been registered, but not activated due to pending ID and/or data check"),
    "create_rejected_taken": (
        "domain:panData",
        "The application for {name} has been rejected, as the domain was already taken"),
    "create_cancelled_terms": (
        "domain:panData",
        "The application for {name} has been cancelled, as the registrant has not accepted "
        "our terms and conditions in time"),
    "create_rejected_mismatch": (
        "domain:panData",
        "The application for {name} has been rejected, as the user and domain handling "
        "mismatched"),
    "create_cancelled": ("domain:panData", "The application for {name} has been cancelled"),
    # dkreg's own texts (the registry publishes none for these; tests/test_messages.py
    # keeps them apart from the CSV's): the name-server check at create, and a DS that
    # matches no DNSKEY the domain's name servers serve (dkreg.dns.check)
    "create_rejected_dns": (
        "domain:panData",
        "The application for {name} has been rejected, as its name servers do not answer "
        "for it: {reason}"),
    "dnssec_keys_unpublished": (
        "domain:infData",
        "The DNSSEC keys of {name} are unpublished: {reason}"),
    # domain updates
    "domain_activated": ("domain:infData", "{name} has been activated"),
    "domain_updated": ("domain:infData", "{name} has been updated"),
    "billing_removed": ("domain:infData",
                        "{registrar} has been removed as billing contact for {name}"),
    "ds_changed": ("domain:infData", "DS records has been changed for {name}"),
    "ns_changed": ("domain:infData",
                   "Name servers has been changed for {name}, from {old} to {new}"),
    "registrant_changed": ("domain:panData",
                           "The registrant has been changed to {handle} for {name}"),
    "registrant_not_changed_in_time": (
        "domain:panData",
        "The registrant has not been changed to {handle} for {name}, as the mandatory ID "
        "and/or data check was not completed in time"),
    "registrant_not_changed_rejected": (
        "domain:panData",
        "The registrant has not been changed to {handle} for {name}, as the mandatory ID "
        "and/or data check was rejected"),
    "registrant_not_changed": (
        "domain:panData",
        "The registrant has not been changed to {handle} for {name}, as the mandatory ID "
        "and/or data check was not completed"),
    # transfer
    "transfer_in": ("domain:trnData", "{name} has been added to your portfolio"),
    "transfer_out": ("domain:trnData", "{name} has been removed from your portfolio"),
    # delete / restore
    "domain_deleted": ("domain:panData", "{name} has been deleted"),
    "domain_deleted_info": ("domain:infData", "{name} has been deleted"),
    "delete_stopped": ("domain:panData", "{name} has been extended and cancellation stopped"),
    "domain_restored": ("domain:panData",
                        "{name} has been restored, extended and cancellation stopped"),
    # contacts
    "contact_updated": ("contact:infData", "The contact information has been updated for {handle}"),
    "email_confirm_required": (
        "contact:infData",
        "{handle} has to confirm the new primary email, {email}, to complete the update - "
        "{responsible}"),
    "email_confirmed": ("contact:panData",
                        "{handle} has confirmed the new primary email, {email} - {responsible}"),
    "email_not_confirmed": (
        "contact:panData",
        "The new primary email, {email}, was not confirmed for {handle} - {responsible}"),
    "secondary_email_confirm_required": (
        "contact:infData",
        "{handle} has to confirm new secondary email, {email}, to complete the update - "
        "{responsible}"),
    "secondary_email_confirmed": (
        "contact:panData",
        "{handle} has confirmed the new secondary email, {email} - {responsible}"),
    "secondary_email_not_confirmed": (
        "contact:panData",
        "The new secondary email, {email}, was not confirmed for {handle} - {responsible}"),
    "verification_required_id_data": (
        "contact:infData",
        "{handle} has to complete the mandatory ID and data check - {responsible}"),
    "verification_required_id": (
        "contact:infData", "{handle} has to complete the mandatory ID check - {responsible}"),
    "verification_required_data": (
        "contact:infData", "{handle} has to complete the mandatory data check - {responsible}"),
    "verification_expired_id_data": (
        "contact:infData",
        "The mandatory ID and data check of {handle} has expired - {responsible}"),
    "verification_expired_id": (
        "contact:infData", "The mandatory ID check of {handle} has expired - {responsible}"),
    "verification_expired_data": (
        "contact:infData", "The mandatory data check of {handle} has expired - {responsible}"),
    "verification_completed_id_data": (
        "contact:infData",
        "{handle} has completed the mandatory ID and data check - {responsible}"),
    "verification_completed_id": (
        "contact:infData", "{handle} has completed the mandatory ID check - {responsible}"),
    "verification_completed_data": (
        "contact:infData", "{handle} has completed the mandatory data check - {responsible}"),
    "verification_rejected_id": (
        "contact:infData", "The mandatory ID check of {handle} was rejected - {responsible}"),
    "verification_cancelled_id_data": (
        "contact:infData",
        "The mandatory ID and data check of {handle} was cancelled - {responsible}"),
    "verification_cancelled_id": (
        "contact:infData", "The mandatory ID check of {handle} was cancelled - {responsible}"),
    "verification_cancelled_data": (
        "contact:infData", "The mandatory data check of {handle} was cancelled - {responsible}"),
    "email_bounce_primary": (
        "contact:infData",
        "Email delivery (failed) {reason} for the primary email, {email}, of {handle}. "
        "Please review and correct the email address."),
    "email_bounce_secondary": (
        "contact:infData",
        "Email delivery (failed) {reason} for the secondary email, {email}, of {handle}. "
        "Please review and correct the email address."),
    "contact_deleted": ("contact:infData", "{handle} has been deleted"),
    # hosts
    "host_approved": ("host:panData",
                      "The name server {host} has been registered, as the registrant has "
                      "approved it"),
    "host_rejected": ("host:panData",
                      "The name server {host} has not been registered, as it has been rejected "
                      "by the registrant"),
    "host_not_approved_in_time": (
        "host:panData",
        "The name server {host} has not been registered, as it was not approved by the "
        "registrant in time"),
    "host_approved_nsa_accepted": (
        "host:panData",
        "The name server {host} has been registered, as the registrant has approved it and "
        "{nsa} has accepted the name server manager role"),
    "host_nsa_rejected": ("host:panData",
                          "The name server {host} has not been registered, as the name server "
                          "manager role has been rejected"),
    "host_nsa_not_in_time": ("host:panData",
                             "The name server {host} has not been registered, as the name "
                             "server manager role was not accepted in time"),
    "host_nsa_accepted": ("host:panData",
                          "The name server {host} has been registered, as {nsa} has accepted "
                          "the name server manager role"),
    "nsa_role_accepted": ("host:panData",
                          "The name server manager role for {host} has been accepted by {nsa}"),
    "nsa_role_rejected": ("host:panData",
                          "The name server manager role for {host} has been rejected by {nsa}"),
    "nsa_role_not_in_time": (
        "host:panData",
        "The name server manager role for {host} has not been accepted by {nsa} in time"),
    "host_deleted": ("host:infData", "The name server {host} has been deleted"),
}


def poll_text(key: str, **values: str) -> tuple[str, str]:
    """(resData type, message text) for a catalogue key."""
    kind, template = POLL[key]
    return kind, template.format(**values)

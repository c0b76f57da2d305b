"""The one catalogue of EPP result texts.

Where the .dk registry publishes a text (reference/dkhm/status-code-messages.csv) the
template here is that exact text; ``tests/test_messages.py`` checks it against the CSV.
dkreg-specific detail (which rule) is appended after ``; `` so that a client matching on
the registry's text still matches. Each reason owns its result code here: ``err()``
refuses a code that differs (``tests/test_error_catalogue.py`` checks every call site).
Danish texts are in ``messages_da``, detail templates in ``detail_texts``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from dkreg.details import render_detail
from dkreg.messages_da import DANISH

if TYPE_CHECKING:
    from dkreg.details import Detail



class Renderable(Protocol):
    """What ``render`` reads of an error: the catalogue sits below ``errors.EppError``
    (which renders itself through it), so it names the fields, not the class."""

    code: int
    reason: str
    field: str | None
    position: int | None
    args_: tuple[Any, ...]
    detail: Detail | None


# reason key -> (code, template). Templates use %s like the registry's own texts.
CATALOGUE: dict[str, tuple[int, str]] = {
    # general
    "ok": (1000, "Command completed successfully"),
    "pending": (1001, "Command completed successfully; action pending"),
    "no_messages": (1300, "Command completed successfully; no messages"),
    "ack_to_dequeue": (1301, "Command completed successfully; ack to dequeue"),
    "logout": (1500, "User logged out. Closing Connection."),
    "not_logged_in_logout": (1500, "Not logged in, or already logged out"),
    "unknown_command": (2000, "Unknown command"),
    "no_command": (2000, "No command specified"),
    "syntax": (2001, "Command syntax error"),
    "bad_command_name": (2001, "Bad command name"),
    "login_first": (2002, "You need to login first."),
    "repeated_login": (2002, "Repeated logins are not permitted."),
    "command_use": (2002, "Command use error"),
    "missing_parameter": (2003, "Required parameter missing"),
    "login_missing": (2003, "Please specify login user and password."),
    "value_range": (2004, "Parameter value range error"),
    "value_syntax": (2005, "Parameter value syntax error"),
    "unimplemented": (2101, "Unimplemented"),
    "unimplemented_option": (2102, "Unimplemented option"),
    "unimplemented_extension": (2103, "Unimplemented extension"),
    "unimplemented_version": (2100, "Unimplemented protocol version"),
    "unimplemented_object": (2307, "Unimplemented object service"),
    "login_failed": (2200, "Login failed"),
    "no_privilege": (2201, "No privilege"),
    "unauthorized": (2201, "Unauthorized"),
    "object_exists": (2302, "Object exists"),
    "object_not_exist": (2303, "Object does not exist"),
    "policy": (2306, "Parameter value policy error"),
    "object_status": (2304, "Object status prohibits operation"),
    "internal": (2400, "Internal error."),
    "password_policy": (2004, "Parameter value range error"),
    # contact
    "cvr_required": (2003, "Value required for extension.dkhm:CVR"),
    "contact_exists_reuse": (1000, "Contact already exists. Please re-use."),
    "contact_created": (1000, "Contact created."),
    "contact_exists": (2302, "Contact already exists"),
    "contact_not_found": (2303, "Contact not found"),
    "verified_mismatch": (2306, "Same value required for both verified_id and verified_email."),
    "invalid_cvr": (2005, "Invalid CVR number"),
    "pnumber_required": (2005, "You need to specify pnumber"),
    # domain create
    "contacts_registrar_managed": (
        2306, "Specifying contacts for registrar managed domains is not allowed"),
    "invalid_period": (2004, "Invalid period %s. Must be within range"),
    "period_unit": (2005, "The only supported unit is y"),
    "registrant_failed_id": (
        2201, "Contact has previously failed ID control and cannot become registrant."),
    "registrant_is_registrar": (2201, "Registrar handle is not permitted for registrant role."),
    "invalid_nameserver": (2004, "Invalid or inactive nameserver: %s"),
    "too_few_ns": (2308, "Data management policy violation"),
    "too_many_ns": (2308, "Data management policy violation"),
    "create_pending": (1001, "Create domain pending for %s"),
    "domain_occupied": (2302, "Domain Name is occupied"),
    "invalid_domain_name": (2306, "Parameter value policy error"),
    "token_bad_value": (2005, "Bad value for dkhm:orderconfirmationToken: >%s<"),
    "token_threshold": (2004, "dkhm:orderconfirmationToken: >%s< exceeds allowed threshold"),
    "token_required": (2003, "Required parameter missing"),
    "insufficient_credit": (2104, "Insufficient credit. Domain cannot be created."),
    "management_mismatch_registrar": (
        2305, "Specified user handle not permitted when handled by registrar"),
    "management_mismatch_registrant": (
        2305, "Specified user handle not permitted without handling by registrar"),
    "autorenew_registrant": (
        2004, "dkhm.autorenew 'N' not allowed with dkhm:management choice \"registrant\""),
    "too_many_contacts": (2004, "Too many users for contact type"),
    "domain_not_found": (2303, "Domain not found"),
    # host
    "host_exists": (2302, "Host name already exists"),
    "host_not_found": (2303, "Host not found"),
    "invalid_host_name": (2005, "Invalid host name."),
    "invalid_host_tld": (2005, "Invalid TLD in host name."),
    "host_superordinate_missing": (2303, "Domain does not exist"),
    "host_ip_required": (2003, "Required parameter missing"),
    "host_ip_not_allowed": (2306, "Parameter value policy error"),
    "host_ip_not_public": (2004, "Parameter value range error"),
    "host_ip_duplicate": (2004, "Host IP address already exists"),
    "nsa_unknown": (2303, "Object does not exist"),
    # poll
    "poll_message_not_found": (2303, "Object does not exist"),
    # balance
    # domain renew / delete / restore / expiry
    "renew_no_privilege": (2201, "You do not have the privilege required to renew this domain"),
    "renew_cur_exp_mismatch": (
        2306, "Given curExpDate %s does not match current expire date: %s"),
    "renew_exceeds_max": (2306, "New expire date %s exceeds max %s"),
    "renew_not_eligible": (2105, "Domain is not in a state where it can be renewed"),
    "renew_insufficient_credit": (2104, "Insufficient credit. Domain cannot be renewed."),
    "delete_pending": (2304, "Domain delete already pending."),
    "delete_date_rejected": (
        2306, "Delete date rejected. Must not be today or later than paid until date"),
    "delete_hosts_in_use": (2305, "Nameserver has active domains, cannot be deleted"),
    "restore_no_privilege": (2201, "No privilege. You are not authorized to restore domain"),
    "restore_status": (2304, "Domain status prohibits operation"),
    "restore_billing_failure": (2104, "Billing failure"),
    # domain update / registrant change / DNSSEC
    "update_status": (2304, "Domain status prohibits operation"),
    "update_no_privilege": (2201, "No privilege."),
    "update_no_privilege_registrant": (
        2201, "No privilege. You are not authorized to change registrant"),
    "update_no_privilege_set_authinfo": (
        2201, "No privilege. You are not authorized to set authinfo"),
    "update_no_privilege_unset_authinfo": (
        2201, "No privilege. You are not authorized to unset authinfo"),
    "update_no_privilege_autorenew": (
        2201, "No privilege. You are not authorized to change auto_renew"),
    "update_registrant_combined": (
        2306, "Change of registrant cannot be combined with other changes"),
    "update_registrant_registrar": (2304, "Bad userid. User is in a registrar group"),
    "update_registrant_pending": (1001, "Command completed. Pending registrant accept"),
    "update_billing_failure": (2104, "Billing failure"),
    "update_parameter": (2306, "Parameter error. %s"),
    "update_role_not_permitted": (2306, "Role not permitted"),
    "update_repeated_remove": (2201, "Repeated remove"),
    "update_ns_ip_add": (2303, "IP not supported for nameserver add"),
    "update_ns_ip_rem": (2303, "IP not supported for nameserver remove"),
    "update_host_not_found": (2303, "Host not found: %s"),
    # the name-server check at NS change (dkreg.dns.check); the registry's own texts
    "ns_check_timeout": (2303, "Failed to query nameservers. Timed out."),
    "ns_check_unresolvable": (2303, "Unable to resolve nameserver."),
    "ns_check_private": (2303, "Nameserver response contains non-public IP address"),
    "ns_check_setup": (2303, "Problem with nameserver setup."),
    "update_ns_exists": (2302, "Host / domain relation already exists"),
    # the CSV has this text as 2303; .dk's own table and the brief say 2304 (not linked)
    "update_ns_not_linked": (2304, "Host / domain relation not found"),
    "update_authinfo_value": (2003, "Value required for authinfo.pw"),
    "update_token_needs_ns": (
        2306, "Nameserver changes required when specifying authinfo token"),
    "update_not_nsa_of_all": (
        2004, "No privilege. You are not NSA for all nameservers (old and new)"),
    "update_max_sig_life": (2307, "maxSigLife not supported"),
    "update_ds_rem_all_and_specific": (
        2306, "Remove \"all\" and specific keys not allowed in same operation."),
    "update_ds_not_found": (2303, "DS set not found"),
    "update_ds_none": (2303, "No DS records for domain"),
    "update_ds_exists": (2302, "DS set already exists"),
    "ds_bad_digest_length": (2004, "Bad digest length"),
    "ds_parameter": (2306, "Parameter error. %s"),
    "ds_too_many": (2308, "Data management policy violation"),
    # AuthInfo tokens / transfer / withdraw
    "authinfo_invalid": (2202, "Supplied authinfo token is not valid for this domain/operation"),
    "transfer_no_token": (
        2201, "Change of registrar without authinfo token is not currently allowed"),
    "transfer_no_privilege": (2201, "No privilege. You are not authorized to transfer domain"),
    "transfer_not_found": (2303, "Cannot change registrar on non-existent domain"),
    "transfer_not_ready": (2106, "Object is not ready for transfer at this time"),
    "transfer_status": (
        2106, "Object is not eligible for transfer, domain status prohibits transfer"),
    "transfer_locked": (2106, "Domain is locked"),
    "transfer_blocked": (2106, "Domain is blocked"),
    "transfer_registrant_unvalidated": (2106, "Registrant has not been id validated"),
    "transfer_billing_failure": (2104, "Billing failure"),
    "registrar_change_no_privilege": (
        2201, "Cannot change registrar for domain. Missing privilege"),
    "not_registrar_managed": (2306, "Object is not registrar managed."),
    "transfer_already_sponsor": (2302, "Domain is already registrar managed."),
    # contact update / NIS2 verification
    "contact_field_locked": (2304, "You do not have permissions to modify field: %s"),
    "contact_multiple_operations": (
        2308, "Multiple operations perfomed in one request: (%s)"),
    "email_change_pending": (1001, "Command completed. Pending e-mail-address verification."),
    # host update / delete / NSA
    "host_pending_nsa": (1001, "Command completed. Pending approval by nameserver contact"),
    "host_pending_registrant": (1001, "Command completed. Pending registrant approval."),
    "host_unknown": (2303, "Unknown host"),
    "host_does_not_exist": (2303, "Host does not exist"),
    "host_linked": (2305, "Nameserver has active domains, cannot be deleted"),
    "host_ip_minimum": (2304, "Not enough ip addresses after change. Minimum one needed."),
    "host_multiple_operations": (2308, "Multiple operations perfomed in one request: (%s)"),
    # transport
    "too_many_errors": (2500, "Command failed; server closing connection"),
    "session_limit": (2502, "Session limit exceeded; server closing connection"),
    # identity documents and staff (the web only; standard EPP texts for their codes)
    "document_missing": (2003, "Required parameter missing"),
    "document_too_large": (2306, "Parameter value policy error"),
    "document_type": (2306, "Parameter value policy error"),
    "document_not_found": (2303, "Object does not exist"),
    "document_decided": (2304, "Object status prohibits operation"),
    "reason_required": (2003, "Required parameter missing"),
    "invalid_email": (2005, "Parameter value syntax error"),
    "staff_user_exists": (2302, "Object exists"),
    # NSU, the public redelegation request (issue 15 §3, actions.domain.redelegation):
    # the NSU specification's own texts, English and (messages_da) Danish
    "nsu_id_required": (2003, "id field is required"),
    "nsu_confirm_required": (2003, "confirm field is required"),
    "nsu_redel_required": (2003, "redel field is required"),
    "nsu_domain_required": (2003, "domain field is required"),
    "nsu_nameserver_required": (2003, "nameserver field is required"),
    "nsu_submit_required": (2003, "submit field is required"),
    "nsu_domain_not_registered": (2303, "Provided domain name is not registered with Punktum dk"),
    "nsu_nameserver_not_registered": (
        2303, "Provided nameserver is not registered with Punktum dk"),
    "nsu_not_eligible": (2304, "Domain name is not in a state eligible for redelegation"),
    "nsu_vid": (2304, "Provided domain name can not be a VID domain"),
    "nsu_registrar_handled": (2304, "Provided domain name may not be registrar handled"),
    "nsu_dns_timeout": (2303, "Failed to query nameservers, timed out"),
    "nsu_dns_unresolvable": (2303, "Unable to resolve nameserver"),
    "nsu_dns_no_nameservers": (2003, "No nameservers supplied"),
    "nsu_dns_no_ns_info": (2303, "No NS info on host"),
    "nsu_dns_too_few": (2308, "Too few hosts"),
    "nsu_dns_too_many": (2308, "Too many hosts"),
    "nsu_dns_ns_missing": (2303, "Host is missing NS record when compared to other responses"),
    "nsu_dns_private": (2303, "Nameserver response contains non-public IP address"),
    "nsu_dns_failed": (2303, "Failed to query nameservers"),
    "nsu_dns_resolved_unregistered": (
        2303, "Resolved nameserver not registered with Punktum dk"),
    "nsu_throttled": (2502, "Too many requests from your address; try again later"),
    # NIS2 disclosure (the web and its API only; standard EPP texts for their codes)
    "nis2_required": (2003, "Required parameter missing"),
    "nis2_too_long": (2306, "Parameter value policy error"),
    "nis2_bad_choice": (2005, "Parameter value syntax error"),
    "nis2_too_many_domains": (2306, "Parameter value policy error"),
    "nis2_unknown_domain": (2303, "Object does not exist"),
    "nis2_request_not_found": (2303, "Object does not exist"),
    "nis2_request_decided": (2304, "Object status prohibits operation"),
    "nis2_grant_not_found": (2303, "Object does not exist"),
    "nis2_grant_revoked": (2304, "Object status prohibits operation"),
    "nis2_bad_window": (2306, "Parameter value policy error"),
    "nis2_not_authority": (2306, "Parameter value policy error"),
    # the status page (staff, the automatic checks)
    "status_required": (2003, "Required parameter missing"),
    "status_bad_value": (2005, "Parameter value syntax error"),
    "status_unknown_component": (2303, "Object does not exist"),
    "status_incident_not_found": (2303, "Object does not exist"),
    "status_incident_closed": (2304, "Object status prohibits operation"),
    "status_bad_window": (2306, "Parameter value policy error"),
}


def reason_text(lang: str, error: Renderable) -> str:
    """The reason's own text (no detail) in ``lang``."""
    _code, template = CATALOGUE.get(error.reason, (error.code, error.reason))
    if lang == "da":
        template = DANISH.get(error.reason, template)
    wanted = template.count("%s")  # a Danish text may leave out a raw value EPP echoes
    return template % error.args_[:wanted] if wanted else template


# EPP's <msg> still names the field (``; domain:hostObj[2]: ...``) as it always has, so
# that clients and tests reading the text see what they saw; the same field and
# position are also in <extValue> (epp.codec.response), where a client should read them.
# False drops them from <msg>: about 200 test assertions read them there today.
FIELD_IN_MSG = True


def render(error: Renderable) -> str:
    """EPP's ``<msg>``: the registry's exact text, then ``; `` and the English detail, so
    a client matching on the registry's text still matches."""
    text = reason_text("en", error)
    detail = render_detail(error.detail, "en")
    where = None
    if FIELD_IN_MSG and error.field and error.field not in text and not (
            detail and error.field in detail):
        where = error.field if error.position is None else f"{error.field}[{error.position}]"
    extra = ": ".join(x for x in (where, detail) if x)
    return f"{text}; {extra}" if extra else text


def render_for(error: Renderable, lang: str) -> str:
    """The web's text for an error: reason and detail in the page's language (Danish
    times in Copenhagen time), and the EPP code last, as a small aside for support."""
    text = reason_text(lang, error)
    detail = render_detail(error.detail, lang)
    body = f"{text}: {detail}" if detail else text
    return f"{body} (EPP {error.code})"


def result_text_in(lang: str, english: str) -> str:
    """A success text (``Command completed successfully``) in ``lang``. The portal's
    outcomes carry EPP's English text, as EPP's ``<msg>`` does; the page shows it in its
    own language. A text that is no catalogue reason's (or has no Danish) is shown as
    it is."""
    if lang == "en":
        return english
    reason = _SUCCESS_BY_TEXT.get(english)
    return DANISH.get(reason, english) if reason else english


def text(reason: str, *args: object) -> str:
    _code, template = CATALOGUE[reason]
    return template % args if "%s" in template else template



# English text -> reason, for the success texts (code < 2000) that take no arguments
_SUCCESS_BY_TEXT = {template: reason for reason, (code, template) in CATALOGUE.items()
                    if code < 2000 and "%s" not in template}

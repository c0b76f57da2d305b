"""The one catalogue of EPP result texts.

Where the .dk registry publishes a text (reference/dkhm/status-code-messages.csv) the
template here is that exact text; ``tests/test_messages.py`` checks it against the CSV.
dkreg-specific detail (which field, which rule) is appended after ``; `` so that a
client matching on the registry's text still matches.
"""

from __future__ import annotations

from dkreg.errors import EppError

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
    # domain renew / delete / restore / expiry (section A)
    # domain update / registrant change / DNSSEC (section B1)
    # AuthInfo tokens / transfer / withdraw (section B2)
    # contact update / NIS2 verification (section C)
    # host update / delete / NSA (section D)
    # transport
    "too_many_errors": (2500, "Command failed; server closing connection"),
}


def render(error: EppError) -> str:
    _code, template = CATALOGUE.get(error.reason, (error.code, error.reason))
    text = template % error.args_ if "%s" in template else template
    where = None
    if error.field and error.field not in text and not (
            error.detail and error.field in error.detail):
        where = error.field if error.position is None else f"{error.field}[{error.position}]"
    extra = ": ".join(x for x in (where, error.detail) if x)
    return f"{text}; {extra}" if extra else text


def text(reason: str, *args: object) -> str:
    _code, template = CATALOGUE[reason]
    return template % args if "%s" in template else template


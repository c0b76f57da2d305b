"""Tables.

SQLAlchemy Core, not ORM: the EPP hot paths (check, info, create) are a handful of
statements each and Core keeps them cheap and visible. Money is integer øre.
``registrars.balance_ore`` is the ledger's running sum kept in the same transaction as
each ledger row (an append-only ledger summed per command would not scale to .dk's
1.4 million domains); ``dkreg ledger verify`` and the tests check the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    func,
    literal_column,
    or_,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnClause

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python on every backend.

    PostgreSQL keeps ``timestamptz``; SQLite has no time zones, so values are stored as
    naive UTC and given their zone back on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; registry time is UTC-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


TS = UtcDateTime()
ID = BigInteger().with_variant(Integer, "sqlite")  # sqlite autoincrement needs INTEGER

registry_state = Table(
    "registry_state", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

registrars = Table(
    "registrars", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("handle", String(32), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("email", String(255), nullable=False),
    Column("balance_ore", BigInteger, nullable=False, server_default="0"),
    Column("default_management", String(16), nullable=False, server_default="registrar"),
    Column("default_autorenew", Boolean, nullable=False, server_default=text("true")),
    Column("verification_responsible", String(16), nullable=False, server_default="registry"),
    Column("created_at", TS, nullable=False),
    # the lowest low-balance threshold already announced by mail (migration 0005); cleared
    # or raised again when a top-up lifts the balance, so the next fall is announced again
    Column("low_balance_alert_ore", BigInteger),
)

ledger = Table(
    "ledger", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("registrar_id", ForeignKey("registrars.id"), nullable=False, index=True),
    Column("amount_ore", BigInteger, nullable=False),  # + credit, - debit
    Column("balance_after_ore", BigInteger, nullable=False),
    Column("kind", String(32), nullable=False),  # topup | domain_create | ...
    Column("reference", String(255)),
    Column("created_at", TS, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("registrar_id", ForeignKey("registrars.id"), nullable=False, index=True),
    Column("login", String(64), nullable=False, unique=True),
    Column("service", String(16), nullable=False),  # epp | das | dsu | portal
    Column("password_hash", String(255), nullable=False),
    Column("roles", String(128), nullable=False, server_default="registrar proxy payer nsa"),
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", TS, nullable=False),
    Column("password_changed_at", TS),
    # migration 0011: the dkhm version ("4.3", "4.4", "4.5") the portal pinned for an EPP
    # service user's answers to requests without dkhm elements and its poll messages;
    # NULL: the first version the client lists at login
    Column("dkhm_version", String(8)),
)

contacts = Table(
    "contacts", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("handle", String(32), nullable=False, unique=True),
    Column("sponsor_id", ForeignKey("registrars.id"), index=True),  # NULL: the registry
    Column("management", String(16), nullable=False),
    Column("user_type", String(24), nullable=False),
    Column("name", String(255)),
    Column("org", String(255)),
    Column("street", Text, nullable=False),  # JSON list of lines
    Column("city", String(255), nullable=False),
    Column("sp", String(255)),
    Column("pc", String(16)),
    Column("cc", String(2), nullable=False),
    Column("postal_type", String(3), nullable=False),
    Column("voice", String(40)),
    Column("fax", String(40)),
    Column("email", String(255), nullable=False),
    Column("cvr", String(50)),
    Column("ean", String(30)),
    Column("pnumber", String(10)),
    Column("mobilephone", String(40)),
    Column("secondary_email", String(255)),
    Column("sole_proprietorship", Boolean, nullable=False, server_default=text("false")),
    # completed | notRequired | pending | expired | rejected
    Column("id_status", String(16), nullable=False),
    Column("email_status", String(16), nullable=False),
    Column("verification_responsible", String(16), nullable=False, server_default="registry"),
    Column("verification_due", TS),
    Column("email_due", TS),  # e-mail verification deadline (NIS2), when pending
    # a changed e-mail waits here for the contact's confirmation (48 h) before it applies
    Column("pending_email", String(255)),
    Column("pending_email_due", TS),
    Column("pending_secondary_email", String(255)),
    Column("pending_secondary_email_due", TS),
    # name/address/country/userType/VAT/EAN matched to CPR/CVR/VIES: read-only from now on
    Column("register_locked", Boolean, nullable=False, server_default=text("false")),
    Column("unlinked_at", TS),  # last time the contact lost a role (auto-delete clock)
    Column("deleted_at", TS),  # auto-deleted; the handle is never reused
    # when the required ID/data check was started (the sponsor told); NULL while
    # the contact is not yet registrant, its verification_due then being provisional
    Column("verification_started_at", TS),
    Column("match_key", String(64), nullable=False, index=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_by", String(64)),
    Column("updated_at", TS),
)
# the NIS2 and auto-delete lifecycle steps find their few due contacts by index
# (the lifecycle queries use these same expressions, with literal values rather than bind
# parameters, so that the planner can match them to the partial indexes)
_PENDING: ColumnClause[str]
_EXPIRED: ColumnClause[str]
_REJECTED: ColumnClause[str]
_PENDING, _EXPIRED, _REJECTED = (literal_column(f"'{v}'")
                                 for v in ("pending", "expired", "rejected"))
CHECK_WAITING = or_(contacts.c.id_status == _PENDING, contacts.c.email_status == _PENDING)
CHECK_BLOCKING = or_(contacts.c.id_status == _EXPIRED, contacts.c.id_status == _REJECTED,
                     contacts.c.email_status == _EXPIRED, contacts.c.email_status == _REJECTED)
Index("ix_contacts_check_waiting", contacts.c.id, postgresql_where=CHECK_WAITING,
      sqlite_where=CHECK_WAITING)
Index("ix_contacts_check_blocking", contacts.c.id, postgresql_where=CHECK_BLOCKING,
      sqlite_where=CHECK_BLOCKING)
Index("ix_contacts_verification_due", contacts.c.verification_due)
Index("ix_contacts_created_at", contacts.c.created_at)
Index("ix_contacts_updated_at", contacts.c.updated_at)
Index("ix_contacts_unlinked_at", contacts.c.unlinked_at)

domains = Table(
    "domains", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False),  # A-label
    Column("uname", String(255), nullable=False),  # U-label
    Column("roid", String(255), nullable=False),
    # application: pendingCreate, not yet processed | active | released (no longer exists)
    Column("state", String(16), nullable=False),
    Column("statuses", String(255), nullable=False),  # space-separated EPP status values
    Column("registrant_id", ForeignKey("contacts.id"), nullable=False, index=True),
    Column("sponsor_id", ForeignKey("registrars.id"), index=True),
    Column("management", String(16), nullable=False),
    Column("autorenew", Boolean, nullable=False),
    Column("period_years", Integer, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_by", String(64)),
    Column("updated_at", TS),
    Column("expires_at", TS),
    Column("released_at", TS),
    Column("transferred_at", TS),  # trDate
    # a registrant-managed domain's billing contact may be a registrar (it pays renewals)
    Column("billing_registrar_id", ForeignKey("registrars.id")),
    Column("vid", Boolean, nullable=False, server_default=text("false")),
    # deletion: dkhm:delDate schedules it; then redemption (pendingDelete) until
    # redemption_until, when the name is released. The cause decides restorability:
    # delete | expiry | nopay are restorable by EPP, nis2 | unconfirmed are not.
    Column("delete_at", TS),
    Column("redemption_until", TS),
    Column("redemption_cause", String(16)),
    Column("suspended_at", TS),  # serverHold for NIS2 verification expiry
    # the delete command's trIDs, for the panData when the deletion completes
    Column("delete_cl_trid", String(64)),
    Column("delete_sv_trid", String(96)),
)
Index("ix_domains_expires_at", domains.c.expires_at)
Index("ix_domains_redemption_until", domains.c.redemption_until)
Index("ix_domains_delete_at", domains.c.delete_at)
# every row by name, released ones too: the zone's owner-record read asks for a name's
# live or latest released row, which the partial unique index below cannot serve (a
# host lookup scanned 1.4 M rows; migration 0022)
Index("ix_domains_name", domains.c.name)
# One live object per name: applications and domains share the name space.
Index("uq_domains_live_name", domains.c.name, unique=True,
      postgresql_where=domains.c.released_at.is_(None),
      sqlite_where=domains.c.released_at.is_(None))
# live, active domains by expiry, without those already on their way out: the expiry
# step's due query, which along ix_domains_expires_at also walked every released and
# deleted domain's old expiry date (a history that only grows; migration 0025)
EXPIRING = and_(domains.c.state == literal_column("'active'"),
                domains.c.released_at.is_(None), domains.c.redemption_until.is_(None),
                domains.c.delete_at.is_(None))
Index("ix_domains_live_expiry", domains.c.expires_at, postgresql_where=EXPIRING,
      sqlite_where=EXPIRING)
# the domains the registry invoices itself (registrant-managed, no registrar as billing
# contact), by expiry: the renewal invoices' due query walked all 1.4 M domains in id
# order every lifecycle interval (migration 0025); literals, as for the contact checks
REGISTRY_INVOICED = and_(domains.c.management == literal_column("'registrant'"),
                         domains.c.billing_registrar_id.is_(None))
Index("ix_domains_registry_invoiced_expiry", domains.c.expires_at,
      postgresql_where=and_(REGISTRY_INVOICED, domains.c.released_at.is_(None)),
      sqlite_where=and_(REGISTRY_INVOICED, domains.c.released_at.is_(None)))

hosts = Table(
    "hosts", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("sponsor_id", ForeignKey("registrars.id"), index=True),
    Column("nsa_id", ForeignKey("registrars.id")),
    # the superordinate .dk domain, if any; indexed: info and delete of every domain look
    # up its subordinate hosts (and which of them serve other domains)
    Column("domain_id", ForeignKey("domains.id"), index=True),
    Column("statuses", String(255), nullable=False, server_default="ok"),
    Column("created_by", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_by", String(64)),
    Column("updated_at", TS),
)

host_addrs = Table(
    "host_addrs", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("host_id", ForeignKey("hosts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("ip", String(64), nullable=False),
    Column("version", String(2), nullable=False),
    UniqueConstraint("host_id", "ip", name="uq_host_addrs_host_ip"),
)

domain_ns = Table(
    "domain_ns", metadata,
    Column("domain_id", ForeignKey("domains.id", ondelete="CASCADE"), primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), primary_key=True, index=True),
    Column("position", Integer, nullable=False),
)

# admin (proxy) and billing contacts of registrant-managed domains; for registrar-managed
# domains these roles are implicitly the registrar and no rows exist.
domain_contacts = Table(
    "domain_contacts", metadata,
    Column("domain_id", ForeignKey("domains.id", ondelete="CASCADE"), primary_key=True),
    Column("type", String(8), primary_key=True),  # admin | billing
    Column("contact_id", ForeignKey("contacts.id"), primary_key=True, index=True),
)

applications = Table(
    "applications", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("tracking_no", String(32), unique=True),
    Column("domain_id", ForeignKey("domains.id"), nullable=False, index=True),
    Column("registrar_id", ForeignKey("registrars.id"), nullable=False, index=True),
    Column("user_login", String(64), nullable=False),
    Column("cl_trid", String(64)),
    Column("sv_trid", String(96)),
    Column("flow", Integer, nullable=False),  # 1: token given; 2: registry collects acceptance
    Column("terms_accepted_at", TS),
    Column("period_years", Integer, nullable=False),
    Column("price_ore", BigInteger, nullable=False),
    Column("billed", Boolean, nullable=False, server_default=text("false")),
    # awaiting_acceptance -> queued -> done | cancelled
    Column("state", String(24), nullable=False),
    Column("due_at", TS, index=True),
    Column("accept_deadline", TS),
    Column("outcome", String(64)),
    Column("created_at", TS, nullable=False),
    Column("processed_at", TS),
    # the colour the outcome's poll message carried (dkhm:risk_assessment: BLUE, GREEN,
    # YELLOW, RED, N/A), kept so that the portal shows it after the message is acked
    # (migration 0019); NULL until processed, and for cancelled applications
    Column("risk_assessment", String(8)),
)
Index("ix_applications_state_due", applications.c.state, applications.c.due_at)

# DNSSEC delegation signer records (secDNS-1.1 dsData only; no keyData interface).
ds_records = Table(
    "ds_records", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("domain_id", ForeignKey("domains.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("key_tag", Integer, nullable=False),
    Column("alg", Integer, nullable=False),
    Column("digest_type", Integer, nullable=False),
    Column("digest", String(128), nullable=False),  # upper-case hex
    Column("created_at", TS, nullable=False),
    UniqueConstraint("domain_id", "key_tag", "alg", "digest_type", "digest",
                     name="uq_ds_records_record"),
)

# AuthInfo tokens: <role>-<op>-<32 hex>, one object, single use, 14 days (SPEC-DIGEST §5.6).
auth_tokens = Table(
    "auth_tokens", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("domain_id", ForeignKey("domains.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("op", String(16), nullable=False),  # transfer | redel
    Column("role", String(8), nullable=False),  # REG | OWN | NSA | PXY
    Column("token", String(80), nullable=False, unique=True),
    Column("registrar_id", ForeignKey("registrars.id")),  # who generated it (NULL: registry)
    Column("created_by", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("used_at", TS),
    Column("retracted_at", TS),
)

# Requests waiting for someone else's answer: a new registrant's acceptance (or ID check),
# a name-server administrator accepting the role, a registrant approving a host under its
# domain, a contact confirming a new e-mail address. Lifecycle expires them at due_at.
pending_requests = Table(
    "pending_requests", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    # registrant_change | host_nsa | host_create | admin_contact | email_change | ...
    Column("kind", String(32), nullable=False),
    Column("registrar_id", ForeignKey("registrars.id"), index=True),  # who gets the outcome
    Column("domain_id", ForeignKey("domains.id")),
    Column("host_id", ForeignKey("hosts.id", ondelete="CASCADE")),
    Column("contact_id", ForeignKey("contacts.id")),
    Column("target", String(255)),  # new registrant handle, requested NSA, new e-mail ...
    Column("data", Text, nullable=False, server_default="{}"),  # JSON
    Column("state", String(16), nullable=False),  # pending | accepted | rejected | expired
    Column("cl_trid", String(64)),
    Column("sv_trid", String(96)),
    Column("created_at", TS, nullable=False),
    Column("due_at", TS, nullable=False),
    Column("decided_at", TS),
    # an e-mail change (migration 0014): the SHA-256 of the confirmation link mailed to
    # the new address, and that mail (a bounce of it keeps the old address)
    Column("token_hash", String(64), index=True, unique=True),
    Column("mail_id", ForeignKey("mail_outbox.id", ondelete="SET NULL"), index=True),
)
Index("ix_pending_requests_state_due", pending_requests.c.state, pending_requests.c.due_at)
Index("ix_pending_requests_decided_at", pending_requests.c.decided_at)

poll_messages = Table(
    "poll_messages", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("registrar_id", ForeignKey("registrars.id"), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("msg", Text, nullable=False),
    Column("kind", String(32), nullable=False),  # domain:panData, domain:infData, ...
    Column("data", Text, nullable=False),  # JSON, rendered at poll time
    Column("acked_at", TS),
)
Index("ix_poll_queue", poll_messages.c.registrar_id, poll_messages.c.acked_at,
      poll_messages.c.id)

audit = Table(
    "audit", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("at", TS, nullable=False),
    Column("door", String(16), nullable=False),  # epp | cli | portal | selfservice | lifecycle
    Column("registrar_id", ForeignKey("registrars.id")),
    Column("actor", String(255)),  # 255: a portal user is named by e-mail address
    Column("command", String(64), nullable=False),
    Column("object", String(255)),
    Column("cl_trid", String(64)),
    Column("sv_trid", String(96), index=True),
    Column("result_code", Integer, nullable=False),
    Column("client_ip", String(64)),
    Column("request", Text),  # passwords removed
    # a domain's history in the portal: one registrar's events on one object, newest
    # first (migration 0007; it also serves every lookup by registrar alone)
    Index("ix_audit_registrar_object", "registrar_id", "object", "at"),
)


# --- registrar portal (migration 0003) -------------------------------------------------
# Portal users are people named by e-mail in one privilege group; service users (EPP,
# DAS, DSU in ``users``) are machines with a login and meta-roles. Different identities,
# rules and future fields (TOTP, invitations), so a table of their own.
portal_users = Table(
    "portal_users", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("registrar_id", ForeignKey("registrars.id"), nullable=False, index=True),
    # stored lower-cased; the login name, so one active (not invited) user per address —
    # but several registrars may each hold an invitation to it (migration 0016)
    Column("email", String(254), nullable=False),
    Column("privilege_group", String(16), nullable=False),  # administration|portfolio|accounting
    Column("password_hash", String(255), nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", TS, nullable=False),
    Column("password_changed_at", TS),
    # migration 0006: an invited user has no usable password until the invitation is used;
    # TOTP is on once ``totp_enabled_at`` is set (a secret without it awaits its first code)
    Column("invited", Boolean, nullable=False, server_default=text("false")),
    Column("totp_secret", String(64)),
    Column("totp_enabled_at", TS),
    Column("totp_last_step", BigInteger),
    UniqueConstraint("registrar_id", "email", name="uq_portal_users_registrar_email"),
)
# The address logs in to one account: whichever invitation is used first wins, and this
# index is the final guard when two are used at once.
Index("uq_portal_users_active_email", portal_users.c.email, unique=True,
      postgresql_where=portal_users.c.invited.is_(False),
      sqlite_where=portal_users.c.invited.is_(False))

# A session's id is a random token held only by the browser; the table keeps its SHA-256,
# so a copy of the database does not let anyone in.
portal_sessions = Table(
    "portal_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("portal_user_id", ForeignKey("portal_users.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("last_seen_at", TS, nullable=False),
    Column("client_ip", String(64)),
)

# Failed portal logins, counted per submitted e-mail and per client address to throttle
# guessing; rows older than the window are deleted as new ones arrive.
portal_login_failures = Table(
    "portal_login_failures", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, index=True),
    Column("client_ip", String(64), nullable=False, index=True),
    Column("at", TS, nullable=False, index=True),
)

# Administration > Public Information > Registrar Management: what the public registrar
# list shows. No row means "not listed".
registrar_public_info = Table(
    "registrar_public_info", metadata,
    Column("registrar_id", ForeignKey("registrars.id"), primary_key=True),
    Column("offers_registrar_management", Boolean, nullable=False,
           server_default=text("false")),
    Column("public_name", String(255), nullable=False),
    Column("website", String(255)),
    Column("email", String(254)),
    Column("logo_url", String(512)),
    Column("listed", Boolean, nullable=False, server_default=text("false")),
    Column("updated_at", TS, nullable=False),
    Column("updated_by", String(254)),
)

# Referral programme (unikpånettet.dk): the registrar's current choice and, while a
# member, when and by whom the terms were accepted and which version.
registrar_referral = Table(
    "registrar_referral", metadata,
    Column("registrar_id", ForeignKey("registrars.id"), primary_key=True),
    Column("member", Boolean, nullable=False),
    Column("terms_version", String(32)),
    Column("consented_at", TS),
    Column("consented_by", String(254)),
    Column("updated_at", TS, nullable=False),
)

# --- registrar portal, second slice (migration 0004) -----------------------------------
# The registrar's IP allow-list: addresses and networks (normalised CIDR, IPv4 or IPv6)
# from which its service users may log in over EPP. Enforced at EPP login; an empty
# list means no restriction in sandbox mode only (production refuses every login).
registrar_ip_allow = Table(
    "registrar_ip_allow", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("registrar_id", ForeignKey("registrars.id"), nullable=False, index=True),
    Column("network", String(43), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("created_by", String(254)),
    UniqueConstraint("registrar_id", "network", name="uq_registrar_ip_allow_network"),
)

# --- outgoing mail (migration 0005) ------------------------------------------------------
# The outbox: a mail is written in the same transaction as what causes it, and a worker
# sends it over SMTP later, retrying with back-off, so a crash or an unreachable mail
# server never loses one and a rolled-back change never sends one. ``next_attempt_at``
# doubles as a lease: a worker that claims a row pushes it ahead before sending.
mail_outbox = Table(
    "mail_outbox", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),  # the template, e.g. "portal_invitation"
    Column("lang", String(2), nullable=False),
    Column("to_addr", String(254), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("body_text", Text, nullable=False),
    Column("body_html", Text),
    Column("message_id", String(255), nullable=False, unique=True),
    Column("registrar_id", ForeignKey("registrars.id")),
    Column("created_at", TS, nullable=False),
    Column("status", String(8), nullable=False),  # queued | sent
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", TS, nullable=False),
    Column("sent_at", TS),
    Column("last_error", Text),
    Index("ix_mail_outbox_due", "status", "next_attempt_at"),
)

# --- portal users (migration 0006) -------------------------------------------------------
# One-time links and login steps for portal users: an invitation, a password reset, or a
# password-checked login waiting for its TOTP code. Only the SHA-256 of the random token
# is kept; a token is single use (``used_at``) and expires; issuing a new one for the same
# user and purpose deletes the older unused ones.
portal_user_tokens = Table(
    "portal_user_tokens", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("portal_user_id", ForeignKey("portal_users.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("purpose", String(8), nullable=False),  # invite | reset | login
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("used_at", TS),
)

# Password-reset requests, counted per submitted e-mail and per client address (whether
# or not the address has an account) to throttle them like failed logins.
portal_reset_requests = Table(
    "portal_reset_requests", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, index=True),
    Column("client_ip", String(64), nullable=False, index=True),
    Column("at", TS, nullable=False, index=True),
)

# --- self-service access (migration 0008) ------------------------------------------------
# A registrant (or admin/billing/NS-administrator contact) proves control of handles with a
# handle's own password or with a login link mailed to the contact e-mail. Passwords are
# argon2id hashes, one per contact; only SHA-256 of session ids and link tokens is kept.
# login links and e-mail logins look contacts up by address, case-insensitively
Index("ix_contacts_email_lower", func.lower(contacts.c.email))

selfservice_credentials = Table(
    "selfservice_credentials", metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("password_hash", String(255), nullable=False),
    Column("changed_at", TS, nullable=False),
)

# A session holds the contacts its login proved (JSON list of ids); ``email`` is the
# address a login link proved (NULL after a password login).
selfservice_sessions = Table(
    "selfservice_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("csrf_token", String(64), nullable=False),
    Column("email", String(255)),
    Column("contact_ids", Text, nullable=False),  # JSON list of contacts.id
    Column("created_at", TS, nullable=False),
    Column("last_seen_at", TS, nullable=False),
    Column("client_ip", String(64)),
)

# Login links: bound to one (lower-cased) e-mail address, single use, short-lived; a newer
# link for the same address deletes the older unused ones.
selfservice_links = Table(
    "selfservice_links", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("email", String(255), nullable=False, index=True),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("used_at", TS),
)

# Throttling: one row per counted event (a link asked, a login failed) by kind and key
# (the submitted address/handle, or "ip:<address>"); rows older than the window go.
selfservice_throttle = Table(
    "selfservice_throttle", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("key", String(255), nullable=False),
    Column("at", TS, nullable=False, index=True),
    Index("ix_selfservice_throttle_kind_key", "kind", "key", "at"),
)

# --- identity verification (migration 0009) -----------------------------------------------
# Every ID-check attempt and its outcome (MitID/CPR, CVR, documents, e-mail link), for the
# NIS2 audit trail. Never a CPR number: ``detail`` names what did not match, not the value.
identity_checks = Table(
    "identity_checks", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("method", String(16), nullable=False),  # mitid | cvr | document | email
    # matched | name_mismatch | invalid_cpr | cancelled | error | address_mismatch |
    # dissolved | unknown_cvr | pnumber_mismatch | ean_invalid | approved | rejected
    Column("outcome", String(24), nullable=False),
    Column("detail", String(255)),
    Column("actor", String(255)),
    Column("created_at", TS, nullable=False),
)

# A MitID login in progress: the OpenID Connect state (stored as SHA-256), its nonce and
# PKCE verifier, bound to the contact it verifies; single use and short-lived.
identity_flows = Table(
    "identity_flows", metadata,
    Column("state_hash", String(64), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("nonce", String(64), nullable=False),
    Column("code_verifier", String(128), nullable=False),
    # the authorization request's redirect_uri: the callback must arrive there
    Column("redirect_uri", String(512), nullable=False, server_default=""),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("used_at", TS),
)

# Identity documents foreign registrants upload for staff review. The file lives under
# data_dir/documents with a random name (``stored_name``), never under a web path.
identity_documents = Table(
    "identity_documents", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("stored_name", String(64), nullable=False, unique=True),
    Column("content_type", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("original_name", String(255)),
    Column("uploaded_by", String(255)),
    Column("uploaded_at", TS, nullable=False),
    Column("status", String(12), nullable=False),  # submitted | approved | rejected
    Column("decided_by", String(254)),
    Column("decided_at", TS),
    Column("reason", Text),
)

# Registry staff (the document review page): people by e-mail, argon2id passwords,
# sessions kept as SHA-256 of the cookie value with a CSRF token bound to them.
staff_users = Table(
    "staff_users", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),  # stored lower-cased
    Column("password_hash", String(255), nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", TS, nullable=False),
)

staff_sessions = Table(
    "staff_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("staff_user_id", ForeignKey("staff_users.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("last_seen_at", TS, nullable=False),
    Column("client_ip", String(64)),
)

# E-mail address verification links: SHA-256 of the token, bound to one contact and the
# address it was sent to, single use, expiring.
email_verification_tokens = Table(
    "email_verification_tokens", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("email", String(255), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("used_at", TS),
)

# --- billing (migration 0010) --------------------------------------------------------------
# Invoices the registry issues itself: renewals of registrant-managed domains (to the
# billing contact), the registrar's monthly invoice and prepaid top-ups. Numbers come from
# ``invoice_series`` (one row, bumped in the issuing transaction: no gaps, no doubles);
# ``purpose_key`` makes each lifecycle invoice exist once (a renewal period, a month).
# Amounts are øre including 25 % VAT; ``vat_ore`` is the VAT share shown separately.
invoice_series = Table(
    "invoice_series", metadata,
    Column("name", String(16), primary_key=True),
    Column("last_number", BigInteger, nullable=False),
)

invoices = Table(
    "invoices", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("number", BigInteger, nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # renewal | monthly | topup
    Column("purpose_key", String(96), nullable=False, unique=True),
    Column("debtor_contact_id", ForeignKey("contacts.id"), index=True),
    Column("debtor_registrar_id", ForeignKey("registrars.id"), index=True),
    Column("debtor_name", String(255), nullable=False),
    Column("debtor_address", Text, nullable=False),
    Column("debtor_email", String(255), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("domain_id", ForeignKey("domains.id")),
    Column("period_start", TS),  # renewal: the expiry it renews from; monthly: the month
    Column("period_end", TS),
    Column("issued_at", TS, nullable=False),
    Column("due_at", TS, nullable=False),
    Column("total_ore", BigInteger, nullable=False),
    Column("vat_ore", BigInteger, nullable=False),
    Column("status", String(10), nullable=False),  # open | paid | cancelled
    Column("paid_at", TS),
    Column("payment_reference", String(128)),
    Index("ix_invoices_status_due", "status", "due_at"),
)

invoice_lines = Table(
    "invoice_lines", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("invoice_id", ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("position", Integer, nullable=False),
    Column("description", String(255), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("amount_ore", BigInteger, nullable=False),  # the line total, VAT included
    Column("prepaid", Boolean, nullable=False, server_default=text("false")),
)

# A payment attempt through the provider: ``reference`` is what the provider gets and
# calls back with; the first approved callback pays the invoice, a replay finds it done.
payments = Table(
    "payments", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("invoice_id", ForeignKey("invoices.id"), nullable=False, index=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("provider", String(16), nullable=False),
    Column("amount_ore", BigInteger, nullable=False),
    Column("status", String(10), nullable=False),  # pending | approved | declined
    Column("provider_transaction", String(128)),
    Column("created_at", TS, nullable=False),
    Column("completed_at", TS),
)

# --- lifecycle failures (migration 0011) ---------------------------------------------------
# An item a lifecycle step failed on (``item_id`` 0: the step itself, e.g. its query):
# skipped until ``next_attempt_at`` (doubling back-off), cleared when it succeeds. The
# rest of the step and every later step go on; ``/healthz`` and ``dkreg lifecycle
# status`` read it. ``error_kind`` is the exception's class: the traceback is logged
# once per item and kind.
lifecycle_failures = Table(
    "lifecycle_failures", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("step", String(64), nullable=False),
    Column("item_id", BigInteger, nullable=False),
    Column("item", String(255), nullable=False),  # what it is, for people: "domain 12 x.dk"
    Column("error_kind", String(128), nullable=False),
    Column("message", Text, nullable=False),
    Column("first_failed_at", TS, nullable=False),
    Column("last_failed_at", TS, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", TS, nullable=False),
    UniqueConstraint("step", "item_id", name="uq_lifecycle_failures_step_item"),
    Index("ix_lifecycle_failures_step_next", "step", "next_attempt_at"),
)

# --- EPP login throttle (migration 0014) ---------------------------------------------------
# One row per throttled key: ``kind`` "login" (the clID a client sent, whether or not such a
# service user exists, so the throttle tells nobody which logins exist) or "address" (the
# client's IP address). ``failures`` counts the completed failed logins since the last
# success (delays and the lockout are decided by it alone); ``in_flight`` the admitted
# attempts whose password check has not finished, since ``in_flight_since`` (failures +
# in_flight never pass the limit, so parallel attempts cannot get more password checks; a
# count older than a bound is taken as 0, as left by a process that died mid-login);
# ``locked_until`` the lockout set when ``failures`` reached the limit. Shared by every EPP
# server process through the database (``actions/session/login_throttle.py``). ``registrar_id``:
# the registrar whose service user the last failed attempt named, for the portal and mail.
epp_login_throttle = Table(
    "epp_login_throttle", metadata,
    Column("kind", String(8), primary_key=True),  # login | address
    Column("key", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("in_flight", Integer, nullable=False),
    Column("in_flight_since", TS),
    Column("last_at", TS, nullable=False),
    Column("locked_until", TS),
    Column("registrar_id", ForeignKey("registrars.id", ondelete="SET NULL"), index=True),
)

# --- Portal bulk results (migration 0018) --------------------------------------------------
# The per-domain outcome of one bulk renew or bulk name-server change in the portal, kept
# for the page the POST redirects to (Post/Redirect/Get): a hundred rows do not fit in the
# flash cookie. ``id`` is random (secrets.token_urlsafe) and only the portal user who ran the
# bulk may read it; ``rows`` is a JSON list of {domain, code, ok, expires, ns, error}.
# Rows older than a day are deleted when a new bulk is stored.
portal_bulk_results = Table(
    "portal_bulk_results", metadata,
    Column("id", String(32), primary_key=True),
    Column("portal_user_id", ForeignKey("portal_users.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("kind", String(8), nullable=False),  # renew | ns
    Column("rows", Text, nullable=False),
    Column("created_at", TS, nullable=False, index=True),
)

# --- Zone-change journal (migration 0020; dkreg.dns.publisher) -----------------------------
# One row per owner name whose delegation data may have changed: a domain (its NS, DS and
# the glue of its subordinate hosts) or a host (its glue). Rows are written by database
# triggers (store/zone_journal.py) in the transaction of the change itself, whichever
# action, lifecycle step, bulk load or operator's SQL made it, so a crash loses nothing;
# the publisher reads rows above its position (registry_state "zone_published_id"), works
# out the names' records afresh and sends them, so a row published twice does no harm.
# ``created_ms`` is the database's wall clock (Unix ms), for the publication lag.
zone_changes = Table(
    "zone_changes", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False),  # A-label, no trailing dot
    Column("created_ms", BigInteger, nullable=False),
)

# The registry's name-server checks (issue 14 §3, dkreg.dns.check), one row per check: at
# create (``occasion`` "create", with the application) and at NS change ("update"). The
# outcome of every listed server and what it said is ``result`` (JSON,
# ``DelegationCheck.as_json``), so the portal explains a lame delegation after the poll
# message is acked; ``dnssec`` is the WHOIS wording of the DS check (NULL: no DS).
domain_dns_checks = Table(
    "domain_dns_checks", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("domain_id", ForeignKey("domains.id"), nullable=False, index=True),
    Column("application_id", ForeignKey("applications.id"), index=True),
    Column("registrar_id", ForeignKey("registrars.id")),
    Column("occasion", String(16), nullable=False),
    Column("checked_at", TS, nullable=False),
    Column("mode", String(16), nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("reason", String(64)),
    Column("dnssec", String(64)),
    Column("result", Text, nullable=False),
)

# The sandbox's test zones (``dkreg sandbox ns add``): a zone for a domain with the name
# servers (and DNSKEYs) a registrar's developer chose, served by the sandbox's own Knot
# DNS so the name-server check can be tested both ways offline. ``text`` is the master
# file pushed into the server; ``ns`` the listed servers, space-separated.
sandbox_test_zones = Table(
    "sandbox_test_zones", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("registrar_id", ForeignKey("registrars.id")),
    Column("ns", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("updated_at", TS, nullable=False),
)

# Names the registry withholds from registration (WHOIS/DAS ``Reserved``/unavailable):
# kept by the operator (``dkreg names reserve``); ``name`` is the A-label.
reserved_names = Table(
    "reserved_names", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("uname", String(255), nullable=False),
    Column("reason", String(255), nullable=False),
    Column("created_at", TS, nullable=False),
)

# A released name offered to the first on its waiting list: until ``offered_until`` only
# that applicant may take it (WHOIS ``Offered to waiting list``, DAS
# ``available-on-waiting-list``).
waiting_list_offers = Table(
    "waiting_list_offers", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("uname", String(255), nullable=False),
    Column("offered_at", TS, nullable=False),
    Column("offered_until", TS, nullable=False),
)

# --- NIS2 disclosure (issue 15 §5, migration 0024) ---------------------------------------
# A legitimate access seeker's request for non-public registration data: who asks (name,
# organisation, e-mail, type), about which domains (A-labels, space-separated), for which
# data (field names, space-separated) and on which legal basis. Staff decide within
# ``due_at`` (received + 72 h); ``alarm_sent_at`` records the 48-hour alarm (once).
nis2_access_requests = Table(
    "nis2_access_requests", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("requester_name", String(255), nullable=False),
    Column("requester_org", String(255), nullable=False),
    Column("requester_email", String(254), nullable=False),
    # police | cert | authority | rights_holder | other
    Column("requester_type", String(16), nullable=False),
    Column("domains", Text, nullable=False),
    Column("fields", String(255), nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("lang", String(2), nullable=False),  # the requester's language, for the answer
    Column("channel", String(8), nullable=False),  # web | api
    Column("client_ip", String(64)),
    Column("received_at", TS, nullable=False, index=True),
    Column("due_at", TS, nullable=False),
    Column("alarm_at", TS, nullable=False),
    Column("alarm_sent_at", TS),
    Column("decided_at", TS),
    Column("decision", String(8)),  # approved | refused
    Column("reason", Text),
    Column("decided_by", ForeignKey("staff_users.id")),
    # undecided requests by deadline: the overdue list and the alarm step
    Index("ix_nis2_access_requests_open", "decided_at", "alarm_at"),
)

# What a requester may see: the SHA-256 of a random bearer token (mailed once), the
# domains it covers (space-separated A-labels) or, for an authority's standing grant,
# every domain; the fields allowed and the validity window. Suspension can be lifted;
# revocation is final.
nis2_access_grants = Table(
    "nis2_access_grants", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("request_id", ForeignKey("nis2_access_requests.id"), index=True),
    Column("requester_name", String(255), nullable=False),
    Column("requester_org", String(255), nullable=False),
    Column("requester_email", String(254), nullable=False),
    Column("requester_type", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("standing", Boolean, nullable=False, server_default=text("false")),
    Column("domains", Text, nullable=False),  # empty for a standing grant
    Column("fields", String(255), nullable=False),
    Column("valid_from", TS, nullable=False),
    Column("valid_until", TS, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("created_by", ForeignKey("staff_users.id")),
    Column("suspended_at", TS),
    Column("suspended_by", ForeignKey("staff_users.id")),
    Column("revoked_at", TS),
    Column("revoked_by", ForeignKey("staff_users.id")),
)

# A public report of wrong registration data: it restarts the registrant's NIS2 check
# (``contact_id``: the contact whose verification was restarted; ``restarted`` False when
# one was already running) and is followed until the check completes or the domain is
# suspended (``verifying`` -> ``suspended`` -> ``closed``); the reporter is mailed each
# outcome (``outcome``: verified | suspended | deleted).
nis2_inaccuracy_reports = Table(
    "nis2_inaccuracy_reports", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("domain_id", ForeignKey("domains.id"), nullable=False, index=True),
    Column("domain_name", String(255), nullable=False),
    Column("wrong_fields", String(255), nullable=False),
    Column("description", Text, nullable=False),
    Column("reporter_email", String(254), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("client_ip", String(64)),
    Column("received_at", TS, nullable=False, index=True),
    Column("contact_id", ForeignKey("contacts.id"), nullable=False),
    Column("restarted", Boolean, nullable=False),
    Column("state", String(16), nullable=False),
    Column("outcome", String(16)),
    Column("outcome_at", TS),
    Index("ix_nis2_inaccuracy_reports_state", "state"),
)

# -- the status page (issue 16) -----------------------------------------------------------
# A component of the status page (``model.status``: its key names its texts and its
# group); ``state`` is its state now, in Statuspage's vocabulary, since ``state_since``.
status_components = Table(
    "status_components", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("group_key", String(64)),
    Column("position", Integer, nullable=False),
    Column("state", String(32), nullable=False),
    Column("state_since", TS, nullable=False),
    Column("created_at", TS, nullable=False),
)

# every change of a component's state, with what set it (``check``, ``staff``,
# ``incident``, ``maintenance``): the uptime bars are computed from these rows
status_component_events = Table(
    "status_component_events", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("component_id", ForeignKey("status_components.id"), nullable=False),
    Column("state", String(32), nullable=False),
    Column("at", TS, nullable=False),
    Column("source", String(16), nullable=False),
    Index("ix_status_component_events_component_at", "component_id", "at"),
)

# An incident (``kind`` incident) or a scheduled maintenance (``kind`` maintenance), with
# Statuspage's statuses and impact; a draft (an automatic check's, not yet confirmed by
# staff) is not public. A maintenance runs from ``scheduled_for`` to ``scheduled_until``.
status_incidents = Table(
    "status_incidents", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("name_da", String(255), nullable=False),
    Column("name_en", String(255), nullable=False),
    Column("status", String(16), nullable=False),
    Column("impact", String(16), nullable=False),
    Column("draft", Boolean, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("started_at", TS),
    Column("monitoring_at", TS),
    Column("resolved_at", TS),
    Column("scheduled_for", TS),
    Column("scheduled_until", TS),
    Index("ix_status_incidents_kind_status", "kind", "status"),
)

# the timeline: each status an incident or maintenance went through, with its text
status_incident_updates = Table(
    "status_incident_updates", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("incident_id", ForeignKey("status_incidents.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("body_da", Text, nullable=False),
    Column("body_en", Text, nullable=False),
    Column("created_at", TS, nullable=False),
)

# the components an incident or maintenance affects, with the state it gives them
status_incident_components = Table(
    "status_incident_components", metadata,
    Column("incident_id", ForeignKey("status_incidents.id"), primary_key=True),
    Column("component_id", ForeignKey("status_components.id"), primary_key=True),
    Column("state", String(32), nullable=False),
)

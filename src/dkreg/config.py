"""Configuration: defaults < TOML file < ``DKREG_*`` environment < command-line flags.

One flat dataclass keeps every knob findable; the TOML file uses the same names
(``epp_port = 7000``) and so does the environment (``DKREG_EPP_PORT=7000``).
"""

from __future__ import annotations

import difflib
import logging
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

log = logging.getLogger("dkreg.config")

DEFAULT_SMTP_PORT = 2525  # where mail goes when no smtp_port is set and no catcher runs
SQLITE_FILE = "dkreg.sqlite3"  # the sandbox's database in the data directory
DEFAULT_DATA_DIR = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "dkreg"


@dataclass
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None  # default: sqlite in data_dir
    # a streaming replica for the read-only public doors (WHOIS, RDAP, DAS, lookup
    # pages): their traffic then never competes with EPP's writes; default: database_url
    read_database_url: str | None = None
    mode: str = "sandbox"  # "sandbox" | "production"
    epp_host: str = "127.0.0.1"
    epp_port: int = 7000
    http_port: int = 8000
    tls_cert: Path | None = None  # default: generated dev cert in data_dir
    tls_key: Path | None = None
    # EPP session budgets (SPEC-DIGEST §1; DESIGN decisions)
    epp_idle_timeout: float = 700.0
    epp_max_session: float = 28800.0
    epp_read_timeout: float = 30.0  # a started frame must arrive within this
    epp_max_frame: int = 262144
    epp_error_limit: int = 3
    epp_shutdown_grace: float = 10.0
    epp_workers: int = 1
    epp_access_check_interval: float = 1.0  # live sessions re-checked (disabled, password, IP)
    # a connection must log in within this many seconds of its greeting; <hello> and failed
    # logins do not extend it (issue 11: anonymous connections were held for hours)
    epp_login_timeout: float = 30.0
    # connections served at once per server process (each of epp_workers has its own),
    # counted from accept, TLS handshakes included; per client address (an IPv6 client's
    # /64) and in all. Registrars run pools of several sessions, often from one NAT
    # address: 50 leaves room for a large pool, and one address takes at most 5 % of 1000.
    # Over a cap a client gets its greeting, then 2502 for its login. The global cap is
    # lowered, with a warning, when the open-file limit cannot hold it (dkreg.epp.server)
    epp_max_connections: int = 1000
    epp_max_connections_per_ip: int = 50
    # EPP login throttle (actions/session/login_throttle.py), per login name and per client address:
    # the first epp_login_free_failures failed logins of a login (..._address_free_failures
    # of an address) are answered at once, each further one after a delay of
    # epp_login_delay seconds doubling up to epp_login_delay_max; at
    # epp_login_lockout_failures failures of a login (epp_login_address_lockout_failures of
    # an address) it is locked out for epp_login_lockout_seconds. Counts are forgotten after
    # epp_login_failure_window seconds without an attempt; a successful login resets its
    # login's count. Attempts in flight are not failures: at most the lockout limit of a
    # key's password checks run at once, and an attempt beyond that waits (asynchronously)
    # for a free turn up to epp_login_queue_wait seconds before it is answered 2200, so a
    # connection pool's burst of correct logins is queued, never delayed or refused.
    epp_login_free_failures: int = 3
    epp_login_address_free_failures: int = 10
    epp_login_delay: float = 1.0
    epp_login_delay_max: float = 30.0
    epp_login_lockout_failures: int = 10
    epp_login_address_lockout_failures: int = 50
    epp_login_lockout_seconds: float = 900.0
    epp_login_failure_window: float = 900.0
    epp_login_queue_wait: float = 10.0
    # DAS and DSU (issue 15 §3, public/das.py, public/dsu.py): the service users' HTTP
    # logins (actions/session/service_lockout.py). A login (user-id) is locked for
    # service_lockout_seconds after service_lockout_failures failed logins within
    # service_failure_window seconds; an address is blocked as long when its failures go
    # on — service_address_failures within the window, attempts at a locked login
    # included — or spread over service_address_logins different logins. A Basic
    # credential verified once is trusted for service_credential_cache_seconds (argon2
    # costs tens of milliseconds: DAS could not answer thousands a second otherwise;
    # 0 verifies every request). The same rules serve DAS and DSU, each its own counts.
    service_lockout_failures: int = 5
    service_failure_window: float = 3600.0
    service_lockout_seconds: float = 86400.0
    service_address_failures: int = 20
    service_address_logins: int = 3
    service_credential_cache_seconds: float = 60.0
    # DAS's own request limit per network (an IPv4 /24, an IPv6 /48, as WHOIS counts):
    # das_rate requests a second with bursts of das_burst, answered 429 with Retry-After
    # beyond; 0 (the default) is the specification's "no enforced rate limit" — the
    # registry may add one. das_allow lists networks never limited.
    das_rate: float = 0.0
    das_burst: float = 60.0
    das_allow: str = ""
    # business rules that are configuration
    token_max_age_days: int = 30  # 0 disables the age limit
    token_max_future_hours: int = 24
    flow2_accept_days: int = 4
    domain_price_ore: int = 4500  # per year, DKK 45.00
    min_ns: int = 2
    max_ns: int = 7
    # prices (øre); renewals and restores charge domain_price_ore per year as well
    restore_fee_ore: int = 10000  # on top of one year's renewal
    transfer_price_ore: int = 0  # a transfer does not extend the period
    registrant_change_fee_ore: int = 0
    max_ds: int = 8  # DS records per domain (the spec sets no limit; DSU allows 5 per call)
    # lifecycle timings (SPEC-DIGEST §4.4, §5.4-5.6; DESIGN "Verification deadlines")
    max_expiry_years: int = 10  # renewal may not push exDate further ahead than this
    redemption_days: int = 30
    auth_token_days: int = 14
    pending_request_days: int = 14  # registrant/NSA acceptance of a request
    nis2_verification_days: int = 25
    nis2_email_change_hours: int = 48
    nis2_suspension_days: int = 30
    contact_autodelete_days: int = 14
    lifecycle_interval: float = 1.0
    # false: this server runs no lifecycle work, mail sender or zone publisher — a host
    # of doors only, beside one that runs them (they run once per installation)
    run_lifecycle: bool = True
    # a lifecycle item that fails is retried after 30 s, doubling up to this (seconds);
    # /healthz answers 503 "degraded" when an item has failed for longer than
    # lifecycle_failure_alert_after, or a step's oldest due item is older than
    # lifecycle_lag_alert_after (seconds; the mail outbox counts as a step)
    lifecycle_retry_max_delay: float = 3600.0
    lifecycle_failure_alert_after: float = 600.0
    lifecycle_lag_alert_after: float = 600.0
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    svid_name: str = "dkreg EPP Service"
    # registrar portal: a session ends after this many idle seconds; failed logins within
    # the window are counted per submitted e-mail and per client address
    portal_session_idle: float = 1800.0
    portal_login_window: float = 900.0
    portal_login_max_failures_account: int = 5
    portal_login_max_failures_ip: int = 20
    # portal users: one-time links, and password-reset requests allowed per submitted
    # e-mail and per client address within portal_login_window
    portal_invitation_hours: int = 72
    portal_reset_minutes: int = 30
    portal_reset_max_per_email: int = 3
    portal_reset_max_per_ip: int = 20
    referral_terms_version: str = "2024-08"
    # outgoing mail: every link in a mail starts with public_base_url (never taken from a
    # request's Host header); the outbox worker sends over SMTP and retries with back-off
    public_base_url: str = "http://127.0.0.1:8000"
    mail_from: str = "Punktum dk sandbox <noreply@dkreg.invalid>"
    smtp_host: str = "127.0.0.1"
    # None: the outbox sends to DEFAULT_SMTP_PORT, except that a sandbox's mail catcher
    # listens on a port of the data directory's own (free at first start, kept in it)
    smtp_port: int | None = None
    smtp_security: str = "none"  # none | starttls | tls
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 30.0
    mail_interval: float = 1.0  # seconds between outbox rounds
    mail_batch: int = 50
    mail_retry_max_delay: float = 3600.0  # back-off doubles from 30 s up to this
    # a registrar is mailed when its prepaid balance falls to or below each of these (DKK)
    low_balance_thresholds_dkk: str = "10000,5000,0"
    mail_default_lang: str = "da"
    # sandbox: `dkreg serve` catches the mail it sends on smtp_host:smtp_port (/dev/mail)
    dev_mail_catcher: bool = True
    # --- self-service access (issue 5, S): magic links, sessions, throttling, terms
    selfservice_link_minutes: int = 15  # a login link's life
    selfservice_session_idle: float = 1800.0  # seconds without a request ends a session
    selfservice_window: float = 900.0  # throttle window (seconds) for the limits below
    selfservice_link_max_per_email: int = 3  # login links asked per address per window
    selfservice_link_max_per_ip: int = 20  # login links asked per client address
    selfservice_login_max_failures_account: int = 5  # failed logins per handle/e-mail
    selfservice_login_max_failures_ip: int = 20  # failed logins per client address
    registry_terms_url: str = "https://punktum.dk/en/terms-and-conditions"
    # --- identity verification (issue 5, I): MitID broker (OpenID Connect), CVR data
    # service, document upload, e-mail links. "simulator": the sandbox's own /dev/mitid and
    # /dev/cvr (URLs below ignored, the server's public_base_url used); production refuses
    # it. Empty: simulator in the sandbox, real in production (``identity_mode``)
    identity_provider_mode: str = ""  # "" | simulator | real
    mitid_issuer: str = ""  # the broker's discovery base URL (…/.well-known/openid-configuration)
    mitid_client_id: str = "dkreg"
    mitid_client_secret: str = ""
    mitid_cpr_claim: str = "dk.cpr"
    mitid_flow_minutes: int = 15
    cvr_url: str = "http://distribution.virk.dk/cvr-permanent/virksomhed/_search"
    cvr_username: str = ""
    cvr_password: str = ""
    identity_http_timeout: float = 15.0
    document_max_bytes: int = 5_000_000
    email_verification_hours: int = 48
    # --- billing (issue 5, B): invoices, FIK, payment links, payment provider. secret_key
    # signs payment links (the sandbox generates one into data_dir; production must set
    # it). payment_provider "" : the simulator (/dev/pay) in the sandbox, "http" (the
    # hosted-page adapter at payment_provider_url) in production
    secret_key: str = ""
    registry_name: str = "Punktum dk A/S"
    registry_address: str = "Ørestads Boulevard 108, 6. · 2300 København S · CVR 30 71 57 56"
    fik_creditor_number: str = "85500001"  # FIK +71 creditor number (8 digits)
    invoice_days_before_expiry: int = 30
    invoice_due_days: int = 14  # monthly and top-up invoices
    payment_link_days: int = 60
    payment_provider: str = ""  # "" | simulator | http
    payment_provider_url: str = ""  # the provider's hosted payment page (http adapter)
    payment_merchant_id: str = "dkreg"
    payment_provider_secret: str = ""  # shared secret for checkout and callback HMACs
    payment_sim_callback_delay: float = 3.0  # the "callback delayed" test card (seconds)
    # --- browser headers (issue 11, item 8; dkreg.web.headers). Strict-Transport-Security
    # is sent in production over HTTPS only, for this many seconds (0: never); the HTML
    # pages' form-action allows dkreg, public_base_url, the payment provider and the MitID
    # broker, and these further origins (space-separated, e.g. a broker's login page on
    # another host than its issuer)
    hsts_max_age: int = 31536000
    csp_form_action: str = ""
    # --- operations (dkreg.metrics, dkreg.logs). /metrics (Prometheus) is off the public
    # HTTP listener in production: metrics_listen ("host:port") serves it on a listener of
    # its own, and only there; metrics_token requires "Authorization: Bearer <token>"
    # wherever it is served. A sandbox with neither serves it on the HTTP port.
    metrics_listen: str = ""
    metrics_token: str = ""
    # "text": plain lines for a terminal; "json": one JSON object a line, commands keyed by
    # svTRID (door, command, code, duration, registrar, clTRID), for a log collector
    log_format: str = "text"
    # --- the .dk zone and its name servers (issue 14; dkreg.dns). The zone holds the
    # delegations of active domains (NS, DS, narrow glue) and the apex from these settings.
    zone_origin: str = "dk"
    zone_ttl: int = 3600  # delegation NS/DS/glue TTL
    zone_soa_mname: str = "a.nic.dk"
    zone_soa_rname: str = "hostmaster.punktum.dk"
    zone_soa_timers: str = "1800 900 1814400 3600"  # refresh retry expire minimum
    # the registry's own name servers (space-separated) and their addresses:
    # "a.nic.dk=127.0.0.1 a.nic.dk=::1 b.nic.dk=127.0.0.2"; only in-zone ones need any
    zone_apex_ns: str = "a.nic.dk b.nic.dk"
    zone_apex_glue: str = "a.nic.dk=127.0.0.1 b.nic.dk=127.0.0.2"
    # where changes are published (RFC 2136 dynamic updates signed with TSIG):
    # "auto": a sandbox starts its own Knot DNS (knotd from Debian) when installed, a
    #         production server publishes to dns_primary when one is set;
    # "knot": the sandbox's own Knot DNS, or fail to start; "primary": dns_primary; "off"
    dns_server: str = "auto"
    dns_host: str = "127.0.0.1"  # the sandbox's Knot DNS listens here ...
    dns_port: int = 8053  # ... on this port (0: a free one, kept in data_dir/dns)
    dns_primary: str = ""  # "host:port" of the operator's hidden primary
    dns_tsig_name: str = "dkreg-update"
    dns_tsig_algorithm: str = "hmac-sha256"
    dns_tsig_secret: str = ""  # base64; the sandbox generates one into data_dir/dns
    # a change reaches the name server within this many seconds (the publisher runs at
    # least four times per delay); /healthz is degraded when the oldest unpublished change
    # is older than dns_lag_alert_after
    dns_publish_delay: float = 60.0
    dns_publish_batch: int = 500  # owner names per UPDATE message
    # owner names a publication round takes from the journal; its messages go out at
    # once (knotd's CPU per name halves when they arrive together: bench/zone_publish.py)
    dns_publish_round: int = 12000
    dns_lag_alert_after: float = 300.0
    # the publisher (dkreg.dns.publisher): a dynamic update that gets no answer within
    # dns_update_timeout seconds counts as failed; failures back off, doubling up to
    # dns_retry_max_delay; a name the server refuses on its own waits dns_refused_retry
    # seconds (doubling, at most ten times that) before it is tried again
    dns_update_timeout: float = 10.0
    dns_retry_max_delay: float = 30.0
    dns_refused_retry: float = 30.0
    # WHOIS on port 43 (issue 15, dkreg.public.whois): listens on whois_host (space- or
    # comma-separated addresses; 127.0.0.1 and 0.0.0.0 bring their IPv6 twin ::1, ::)
    # at whois_port (-1: off; 0: any free port). The registry's limits per network (an
    # IPv4 /whois_v4_prefix, an IPv6 /whois_v6_prefix): whois_rate queries a second and
    # whois_connections open connections (0 turns either off); whois_allow lists
    # networks that are not limited. A client must send its query within whois_timeout
    # seconds, in at most whois_max_query bytes.
    # the status page's automatic checks (dkreg.monitor): every status_check_interval
    # seconds (0: off) each of dkreg's own services is probed, with status_check_timeout
    # seconds to answer; status_check_failures failures in a row set its component's
    # state and open a draft incident for staff to confirm
    status_check_interval: float = 30.0
    status_check_timeout: float = 5.0
    status_check_failures: int = 3
    # the lookup listener (web/lookup_app.py): RDAP, WHOIS REST and DAS on a port of
    # their own at epp_host (-1: off; 0: any free port), served by lookup_workers
    # processes sharing it (SO_REUSEPORT); the main HTTP port serves them as well
    lookup_port: int = -1
    lookup_workers: int = 1
    whois_host: str = "127.0.0.1"
    whois_port: int = 4343
    whois_rate: float = 1.0
    whois_connections: int = 1
    whois_allow: str = ""
    whois_v4_prefix: int = 24
    whois_v6_prefix: int = 48
    whois_timeout: float = 10.0
    whois_max_query: int = 1024
    # the registry's name-server check at create and at NS change: "dns" asks the real
    # name servers, "sandbox" the sandbox's own server and its test zones, "off" none;
    # "auto": sandbox in the sandbox, dns in production
    ns_check: str = "auto"
    ns_check_timeout: float = 3.0  # per query
    ns_check_concurrency: int = 8  # queries in flight per check
    ns_check_cache_seconds: float = 60.0
    # (issue 14, dkreg.dns.check) the whole check of one domain, every server and every
    # query, ends after this many seconds: what has not answered by then counts as timed
    # out, so a slow or hostile name server cannot hold an application or an update
    ns_check_budget: float = 10.0
    # "dns" mode asks each listed name server on this port (53; the tests point it at a
    # loopback server); a server whose addresses are private, loopback or link-local is
    # not asked unless allowed (a registrar must not make the registry probe its own
    # network: SSRF)
    ns_check_port: int = 53
    ns_check_allow_private: bool = False
    # "sandbox" mode: a name server counts as answering for a domain the sandbox holds
    # a test zone for when that zone lists it; without a test zone the check "answer"s
    # (the plain sandbox just works) or finds every server "lame"
    ns_check_sandbox_default: str = "answer"
    # NSU, the public redelegation request form (issue 15 §3, web.nsu): at most this many
    # requests per client address and per domain within nsu_throttle_window seconds
    # (every attempt counts, refused ones too: each may make the registry ask name
    # servers, and each accepted one mails the registrant)
    nsu_requests_per_ip: int = 20
    nsu_requests_per_domain: int = 5
    nsu_throttle_window: float = 3600.0
    # (issue 15 §5, dkreg.actions.nis2) NIS2 disclosure: an access request is answered
    # within nis2_access_answer_hours of receipt; staff are mailed an alarm when it is
    # still undecided nis2_access_alarm_hours after receipt (to nis2_disclosure_email, or
    # every enabled staff user when empty); an approved request's grant lasts
    # nis2_access_grant_days unless staff set the window. The public forms (access
    # request, inaccuracy report) admit nis2_form_max_per_ip submissions per client
    # address within nis2_form_window seconds.
    nis2_access_answer_hours: int = 72
    nis2_access_alarm_hours: int = 48
    nis2_disclosure_email: str = ""
    nis2_access_grant_days: int = 30
    nis2_form_max_per_ip: int = 5
    nis2_form_window: float = 3600.0
    # --- WHOIS REST (/whois-api) and RDAP (/rdap) on the HTTP listener (issue 15;
    # dkreg.public.whois_rest, dkreg.public.rdap). The registry's limit: so many requests
    # a second per source network (an IPv4 /24, an IPv6 /48), a short burst above it;
    # excess gets 503 from WHOIS REST (the registry's answer) and 429 with Retry-After
    # from RDAP (RFC 7480 §5.5). Each door keeps its own buckets, per process. 0 turns
    # the limit off. lookup_allow: networks never limited (comma- or space-separated).
    lookup_http_rate: float = 1.0
    lookup_http_burst: float = 1.0
    lookup_allow: str = ""
    # the RDAP base URL the answers' links are built from; "": public_base_url + "/rdap"
    rdap_base_url: str = ""
    # RDAP's "port43": the WHOIS server's host name; "": public_base_url's host
    rdap_port43: str = ""

    @property
    def rdap_url(self) -> str:
        """The RDAP base URL (no trailing slash) that links in RDAP answers start with."""
        return (self.rdap_base_url or self.public_base_url.rstrip("/") + "/rdap").rstrip("/")

    @property
    def rdap_whois_host(self) -> str:
        """The WHOIS (port 43) host RDAP answers name."""
        from urllib.parse import urlsplit

        return self.rdap_port43 or urlsplit(self.public_base_url).hostname or "localhost"

    @property
    def low_balance_thresholds_ore(self) -> list[int]:
        """Highest first; a malformed list fails at start-up (``load_settings``)."""
        values = [round(float(v) * 100) for v in self.low_balance_thresholds_dkk.split(",")
                  if v.strip()]
        return sorted(set(values), reverse=True)

    @property
    def sandbox(self) -> bool:
        return self.mode != "production"

    @property
    def identity_mode(self) -> str:
        """The ID-check adapters' mode: the configured one, else by ``mode``."""
        return self.identity_provider_mode or ("simulator" if self.sandbox else "real")

    @property
    def ns_check_mode(self) -> str:
        """The name-server check's mode: the configured one, else by ``mode``."""
        if self.ns_check != "auto":
            return self.ns_check
        return "sandbox" if self.sandbox else "dns"

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / SQLITE_FILE}"

    @property
    def read_url(self) -> str:
        """Where the read-only public doors read: the replica, else the primary."""
        return self.read_database_url or self.url

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")


def metrics_address(value: str) -> tuple[str, int]:
    """``metrics_listen`` as (host, port); "[::1]:9100" for IPv6."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"metrics_listen must be host:port, not {value!r}")
    return host.strip("[]"), int(port)


def _coerce(value: Any, current: Any, name: str) -> Any:
    kind: type[object] | None = type(current) if current is not None else None
    if name in ("data_dir", "tls_cert", "tls_key"):
        return Path(value).expanduser() if value not in (None, "") else None
    if name == "smtp_port":  # optional: unset means "choose" (see Settings.smtp_port)
        return int(value) if value not in (None, "") else None
    if kind is bool:
        return str(value).lower() in ("1", "true", "yes", "on")
    if kind is int:
        return int(value)
    if kind is float:
        return float(value)
    return value


def unknown_keys_message(config_file: Path, unknown: list[str], names: set[str]) -> str:
    """Name every key the file has that no setting has, each with its nearest setting:
    a typo (``epp_prot``) would otherwise leave the default in force without a word."""
    parts = []
    for key in unknown:
        near = difflib.get_close_matches(key, sorted(names), n=1)
        parts.append(f"{key!r} (did you mean {near[0]!r}?)" if near else repr(key))
    noun = "setting" if len(unknown) == 1 else "settings"
    return f"{config_file}: unknown {noun} {', '.join(parts)}"


def _warn_near_miss_environment(env: dict[str, str], names: set[str]) -> None:
    """A ``DKREG_*`` variable that is no setting but nearly one (``DKREG_EPP_PROT``) is a
    warning. Not an error, and nothing for the others: the prefix is shared with
    variables that are not settings (``DKREG_CONFIG``, the test suite's
    ``DKREG_TEST_PG``, ``DKREG_REFERENCE_DIR``, …)."""
    for env_key in sorted(env):
        key = env_key[len("DKREG_"):].lower()
        if not env_key.startswith("DKREG_") or key in names:
            continue
        near = difflib.get_close_matches(key, sorted(names), n=1, cutoff=0.8)
        if near:
            log.warning("%s is not a setting and is ignored (did you mean DKREG_%s?)",
                        env_key, near[0].upper())


def _check_lookup_settings(settings: Settings) -> None:
    """The HTTP lookups' settings fail at start-up, naming the bad value: a typo in the
    allow-list must not silently leave a monitoring network limited."""
    import ipaddress

    for item in settings.lookup_allow.replace(",", " ").split():
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(f"lookup_allow: not a network or address: {item!r}") from None
    if settings.lookup_http_rate > 0 and settings.lookup_http_burst < 1:
        raise ValueError("lookup_http_burst must be at least 1, "
                         f"not {settings.lookup_http_burst}")
    if settings.rdap_base_url and not settings.rdap_base_url.startswith(("http://", "https://")):
        raise ValueError("rdap_base_url must start with http:// or https://, "
                         f"not {settings.rdap_base_url!r}")


def load_settings(config_file: Path | None = None, env: dict[str, str] | None = None,
                  **overrides: Any) -> Settings:
    settings = Settings()
    env = dict(os.environ if env is None else env)
    if config_file is None and env.get("DKREG_CONFIG"):
        config_file = Path(env["DKREG_CONFIG"])
    names = {f.name for f in fields(Settings)}
    if config_file is not None:
        with open(config_file, "rb") as fh:
            data = tomllib.load(fh)
        unknown = [key for key in data if key not in names]
        if unknown:
            raise ValueError(unknown_keys_message(config_file, unknown, names))
        for key, value in data.items():
            setattr(settings, key, _coerce(value, getattr(settings, key), key))
    for key in names:
        env_key = "DKREG_" + key.upper()
        if env_key in env:
            setattr(settings, key, _coerce(env[env_key], getattr(settings, key), key))
    _warn_near_miss_environment(env, names)
    for key, value in overrides.items():
        if value is not None:
            setattr(settings, key, _coerce(value, getattr(settings, key), key))
    if settings.mode not in ("sandbox", "production"):
        raise ValueError(f"mode must be 'sandbox' or 'production', not {settings.mode!r}")
    for name in ("epp_max_connections", "epp_max_connections_per_ip"):
        if getattr(settings, name) < 1:
            raise ValueError(f"{name} must be at least 1, not {getattr(settings, name)}")
    if settings.epp_login_timeout <= 0:
        raise ValueError(f"epp_login_timeout must be positive, not {settings.epp_login_timeout}")
    if settings.log_format not in ("text", "json"):
        raise ValueError(f"log_format must be 'text' or 'json', not {settings.log_format!r}")
    if settings.metrics_listen:
        metrics_address(settings.metrics_listen)  # fail at start-up, not at bind
    if not 0 <= settings.whois_v4_prefix <= 32 or not 0 <= settings.whois_v6_prefix <= 128:
        raise ValueError("whois_v4_prefix must be 0-32 and whois_v6_prefix 0-128")
    if settings.smtp_security not in ("none", "starttls", "tls"):
        raise ValueError("smtp_security must be 'none', 'starttls' or 'tls', "
                         f"not {settings.smtp_security!r}")
    settings.public_base_url = settings.public_base_url.rstrip("/")
    try:
        settings.low_balance_thresholds_ore  # noqa: B018 - parse now, fail at start-up
    except ValueError:
        raise ValueError("low_balance_thresholds_dkk must be amounts in DKK separated by "
                         f"commas, not {settings.low_balance_thresholds_dkk!r}") from None
    if not settings.public_base_url.startswith(("http://", "https://")):
        raise ValueError("public_base_url must start with http:// or https://, "
                         f"not {settings.public_base_url!r}")
    if settings.identity_provider_mode not in ("", "simulator", "real"):
        raise ValueError("identity_provider_mode must be 'simulator' or 'real', "
                         f"not {settings.identity_provider_mode!r}")
    if settings.identity_mode == "simulator" and not settings.sandbox:
        raise ValueError("identity_provider_mode 'simulator' is for the sandbox; production "
                         "needs 'real' with the MitID broker and CVR credentials")
    if settings.payment_provider not in ("", "simulator", "http"):
        raise ValueError("payment_provider must be 'simulator' or 'http', "
                         f"not {settings.payment_provider!r}")
    if settings.payment_provider == "simulator" and not settings.sandbox:
        raise ValueError("payment_provider 'simulator' is for the sandbox; production needs "
                         "'http' with payment_provider_url and payment_provider_secret")
    if not (len(settings.fik_creditor_number) == 8 and settings.fik_creditor_number.isdigit()):
        raise ValueError("fik_creditor_number must be 8 digits, "
                         f"not {settings.fik_creditor_number!r}")
    _check_lookup_settings(settings)
    for name in ("database_url", "read_database_url"):
        value = getattr(settings, name)
        if value and value.startswith("postgresql://"):
            setattr(settings, name, "postgresql+asyncpg://" + value[len("postgresql://"):])
    return settings

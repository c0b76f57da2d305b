"""EPP namespace URIs and the dkhm versions dkreg speaks."""

from dkreg.model import dkhm as model_dkhm

EPP = "urn:ietf:params:xml:ns:epp-1.0"
DOMAIN = "urn:ietf:params:xml:ns:domain-1.0"
CONTACT = "urn:ietf:params:xml:ns:contact-1.0"
HOST = "urn:ietf:params:xml:ns:host-1.0"
SECDNS = "urn:ietf:params:xml:ns:secDNS-1.1"
RGP = "urn:ietf:params:xml:ns:rgp-1.0"
BALANCE = "http://www.verisign.com/epp/balance-1.0"
DKHM_PREFIX = "urn:dkhm:params:xml:ns:dkhm-"
DKHM_43, DKHM_44, DKHM_45 = (f"{DKHM_PREFIX}{v}" for v in model_dkhm.DKHM_VERSIONS)
DKHM_DOMAIN_43 = "urn:dkhm:params:xml:ns:dkhm-domain-4.3"
DKHM_DOMAIN_44 = "urn:dkhm:params:xml:ns:dkhm-domain-4.4"
DKHM_VERSIONS = (DKHM_43, DKHM_44, DKHM_45)  # oldest first

OBJECT_URIS = (DOMAIN, CONTACT, HOST, BALANCE)
EXTENSION_URIS = (SECDNS, DKHM_43, DKHM_44, DKHM_45, DKHM_DOMAIN_43, DKHM_DOMAIN_44)
# What the greeting offers and login accepts. RGP is kept out of EXTENSION_URIS because
# only restore reads rgp elements (Request.extensions(rgp=True)). The registry's own
# greeting leaves rgp-1.0 out although restore uses it (SPEC-DIGEST §1, §9 item 8);
# dkreg lists it (RFC 5730 §2.4: the extensions the server supports), so that clients
# which announce what the greeting offers get rgp:infData on info.
ANNOUNCED_EXTENSION_URIS = (*EXTENSION_URIS, RGP)

# object namespace -> the short name used in the dispatch table
OBJECTS = {DOMAIN: "domain", CONTACT: "contact", HOST: "host", BALANCE: "balance"}
PREFIX = {DOMAIN: "domain", CONTACT: "contact", HOST: "host", BALANCE: "balance",
          SECDNS: "secDNS", RGP: "rgp"}


def q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}"

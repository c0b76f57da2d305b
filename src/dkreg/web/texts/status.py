"""The status page's texts: component names (``status.component.<key>``)."""

DA: dict[str, str] = {
    "status.page_name": "Punktum dk driftsstatus",
    "status.component.dns": "DNS",
    "status.component.dns_nameservers": ".dk-navneservere",
    "status.component.website": "Hjemmeside",
    "status.component.selfservice": "Selvbetjening",
    "status.component.portal": "Registrarportal",
    "status.component.whois": "WHOIS",
    "status.component.whois_web": "WHOIS på nettet",
    "status.component.whois_text": "WHOIS (port 43)",
    "status.component.whois_api": "WHOIS REST-API",
    "status.component.rdap": "RDAP",
    "status.component.epp": "EPP",
    "status.component.das": "DAS",
    "status.component.dsu": "DSU",
    "status.component.sandbox": "Sandkasse",
}

EN: dict[str, str] = {
    "status.page_name": "Punktum dk operational status",
    "status.component.dns": "DNS",
    "status.component.dns_nameservers": ".dk name servers",
    "status.component.website": "Website",
    "status.component.selfservice": "Self-service",
    "status.component.portal": "Registrar portal",
    "status.component.whois": "WHOIS",
    "status.component.whois_web": "WHOIS on the web",
    "status.component.whois_text": "WHOIS (port 43)",
    "status.component.whois_api": "WHOIS REST API",
    "status.component.rdap": "RDAP",
    "status.component.epp": "EPP",
    "status.component.das": "DAS",
    "status.component.dsu": "DSU",
    "status.component.sandbox": "Sandbox",
}

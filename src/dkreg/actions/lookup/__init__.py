"""The public lookups' read models: what WHOIS (port 43 and REST), RDAP, DAS and the
public lookup page say about a name. Each door only renders these; the disclosure rule
is ``model.public_view``'s, applied here once."""

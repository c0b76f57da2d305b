"""The public lookup doors: WHOIS on port 43, WHOIS REST, RDAP, DAS and DSU. Each reads
through ``runner.reading`` (the replica when ``read_database_url`` is set) and renders
the read models of ``actions.lookup``; the web app mounts the HTTP ones."""

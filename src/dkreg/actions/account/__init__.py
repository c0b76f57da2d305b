"""A registrar's account: registrars, settings, service users, lists."""

"""Registrant self-service (``/selfservice``): registrants and their admin, billing and
NS-administrator contacts log in with a handle's password or a mailed login link."""

"""Logins and sessions shared by the doors: throttles, password checks."""

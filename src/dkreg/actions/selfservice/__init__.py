"""Registrant self-service: login, sessions, overview, answers."""

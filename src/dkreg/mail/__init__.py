"""Outgoing mail: templates, the outbox written in the causing transaction, the sender."""

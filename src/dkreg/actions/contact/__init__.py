"""Contact actions, one module per operation (EPP: epp/commands/contact/)."""

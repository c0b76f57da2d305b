"""Host actions, one module per operation (EPP: epp/commands/host/)."""

"""Domain actions, one module per operation (EPP: epp/commands/domain/)."""

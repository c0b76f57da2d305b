"""Test support: clients, frames, reference files, shared constants."""

# the password every test service user gets (meets the registry rule: 3 of 4 classes)
PASSWORD = "Test-Passw0rd"

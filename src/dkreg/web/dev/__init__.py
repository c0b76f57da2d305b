"""Sandbox-only pages: the caught-mail viewer and the identity simulators."""

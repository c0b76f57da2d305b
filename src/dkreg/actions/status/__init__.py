"""The status page's actions (issue 16): components, incidents, scheduled maintenance."""

"""The registrar portal (``/portal``): server-rendered pages over the shared actions."""

"""The sandbox mail viewer's texts beyond the catalogue's (refresh)."""

DA: dict[str, str] = {
    "devmail.refresh": "Opdatér",
    "devmail.live": "Listen opdateres af sig selv, når der kommer post.",
}

EN: dict[str, str] = {
    "devmail.refresh": "Refresh",
    "devmail.live": "The list updates itself when mail arrives.",
}

"""The texts of the pages no door owns: error pages, the index page, the log-in pages of
the portal and the staff, the payment pages and the sandbox's simulators."""

DA: dict[str, str] = {
    "error.403": "Adgang nægtet",
    "error.403_text": "Du har ikke adgang til denne side.",
    "error.413": "Forespørgslen er for stor",
    "error.413_text": "Det, der blev sendt, er større, end siden tager imod.",
    "error.other": "Forespørgslen kunne ikke gennemføres",
    "error.other_text": "Siden kunne ikke vise det, der blev bedt om.",
    "error.code": "Fejlkode {code}",
    "error.door_home": "Til {door}",
}

EN: dict[str, str] = {
    "error.403": "Access denied",
    "error.403_text": "You do not have access to this page.",
    "error.413": "The request is too large",
    "error.413_text": "What was sent is larger than the page accepts.",
    "error.other": "The request could not be completed",
    "error.other_text": "The page could not show what was asked for.",
    "error.code": "Error code {code}",
    "error.door_home": "To {door}",
}

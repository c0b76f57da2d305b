"""The portal's messages page (``/portal/poll``): references, risk, acknowledging."""

DA: dict[str, str] = {
    "poll.about": "Vedrører",
    "poll.tracking": "Sporingsnummer",
    "poll.risk": "Risikovurdering",
    "poll.risk.BLUE": "Blå",
    "poll.risk.GREEN": "Grøn",
    "poll.risk.YELLOW": "Gul",
    "poll.risk.RED": "Rød",
    "poll.risk.N/A": "Ingen vurdering",
    "poll.shown": "Her vises de {shown} ældste; kvittér dem for at se de næste.",
    "poll.ack_one": "Kvittér besked {id}",
    "poll.ack_all": "Kvittér alle beskeder",
    "poll.ack_all.title": "Kvittér alle beskeder",
    "poll.ack_all.question": ("Vil I kvittere alle {count} beskeder i køen? En kvitteret "
                              "besked forsvinder fra køen, også for jeres EPP-klient."),
    "poll.ack_all.later": "Beskeder, der kommer efter nu, bliver ikke kvitteret.",
    "poll.ack_all.confirm": "Ja, kvittér alle {count}",
    "poll.ack_all.cancel": "Nej, tilbage til beskederne",
    "poll.ack_all.empty": "Der er ingen beskeder at kvittere.",
    "poll.flash.acked": "Besked {id} er kvitteret.",
    "poll.flash.acked_all": "{count} beskeder kvitteret.",
}

EN: dict[str, str] = {
    "poll.about": "Concerns",
    "poll.tracking": "Tracking number",
    "poll.risk": "Risk assessment",
    "poll.risk.BLUE": "Blue",
    "poll.risk.GREEN": "Green",
    "poll.risk.YELLOW": "Yellow",
    "poll.risk.RED": "Red",
    "poll.risk.N/A": "No assessment",
    "poll.shown": "The {shown} oldest are shown; acknowledge them to see the next.",
    "poll.ack_one": "Acknowledge message {id}",
    "poll.ack_all": "Acknowledge all messages",
    "poll.ack_all.title": "Acknowledge all messages",
    "poll.ack_all.question": ("Acknowledge all {count} messages in the queue? An acknowledged "
                              "message leaves the queue, for your EPP client too."),
    "poll.ack_all.later": "Messages that arrive after now are not acknowledged.",
    "poll.ack_all.confirm": "Yes, acknowledge all {count}",
    "poll.ack_all.cancel": "No, back to the messages",
    "poll.ack_all.empty": "There are no messages to acknowledge.",
    "poll.flash.acked": "Message {id} acknowledged.",
    "poll.flash.acked_all": "{count} messages acknowledged.",
}

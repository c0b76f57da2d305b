"""NSU, the public redelegation request form (``/nsu/``, ``/nsu/en/``), and the request
as self-service shows it to the registrant. The answers themselves are the NSU
specification's texts (the ``nsu_*`` reasons in ``dkreg.messages``)."""

DA: dict[str, str] = {
    "nsu.title": "Anmod om redelegering",
    "nsu.intro": ("Her kan du bede registranten af et .dk-domænenavn om at flytte domænet "
                  "til dine navneservere. Registranten får besked og godkender eller afviser "
                  "i selvbetjeningen."),
    "nsu.rules": ("Domænet skal være registrantadministreret og aktivt og må ikke være et "
                  "VID-domæne. Navneserveren skal være registreret og aktiv hos registret og "
                  "svare for domænet. Godkendes anmodningen, slettes domænets DS-poster."),
    "nsu.domain": "Domænenavn",
    "nsu.domain_hint": "For eksempel eksempel.dk.",
    "nsu.nameserver": "Navneserver",
    "nsu.nameserver_hint": ("En af de navneservere, domænet skal flyttes til. Flere adskilles "
                            "med mellemrum."),
    "nsu.submit": "Bekræft",
    "nsu.refused": "Anmodningen blev ikke sendt",
    "nsu.submitted": "Redelegeringsanmodning afsendt",
    "nsu.submitted_detail": ("Registranten af {domain} er bedt om at godkende disse "
                             "navneservere:"),
    "nsu.another": "Send en anden anmodning",
    "ss.kind.nsu_redelegation": "Flyt {domain} til navneserverne {target} (redelegering)",
}

EN: dict[str, str] = {
    "nsu.title": "Request a redelegation",
    "nsu.intro": ("Here you can ask the registrant of a .dk domain name to move the domain "
                  "to your name servers. The registrant is told and accepts or rejects in "
                  "the self-service."),
    "nsu.rules": ("The domain must be registrant-managed and active and must not be a VID "
                  "domain. The name server must be registered and active with the registry "
                  "and answer for the domain. If the request is accepted, the domain's DS "
                  "records are deleted."),
    "nsu.domain": "Domain name",
    "nsu.domain_hint": "For example eksempel.dk.",
    "nsu.nameserver": "Name server",
    "nsu.nameserver_hint": ("One of the name servers the domain is to move to. Separate "
                            "several with spaces."),
    "nsu.submit": "Confirm",
    "nsu.refused": "The request was not sent",
    "nsu.submitted": "Request submitted",
    "nsu.submitted_detail": "The registrant of {domain} is asked to accept these name servers:",
    "nsu.another": "Send another request",
    "ss.kind.nsu_redelegation": "Move {domain} to the name servers {target} (redelegation)",
}

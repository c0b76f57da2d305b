"""Identity verification for NIS2: adapters for the outside registers.

- ``mitid``: an OpenID Connect client for a MitID broker; the CPR number comes as a claim,
  is checked with python-stdnum and matched to the contact, and is never stored.
- ``cvr``: the Danish Business Authority's CVR data service (Elasticsearch ``_search``);
  name, address, status, production units (P-numbers) and the EAN number.
- ``documents``: uploads by foreign registrants, reviewed by registry staff (``staff``).

Each records its attempt's outcome and completes the contact's check through
``actions/contact/verification_checks.py`` and ``actions/contact/verification.py`` (one
action, every door); the e-mail part of the check (a one-time link) is
``actions/contact/email_link.py``, since the action itself mails it.

Each outside service has a simulator (``web/dev/sim_mitid.py``, ``web/dev/sim_cvr.py``)
that speaks the same HTTP protocol, served by the sandbox under ``/dev/...``;
``identity_provider_mode`` picks it.
"""

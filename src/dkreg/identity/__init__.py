"""Identity verification for NIS2: adapters for the outside registers and their simulators.

- ``mitid``: an OpenID Connect client for a MitID broker; the CPR number comes as a claim,
  is checked with python-stdnum and matched to the contact, and is never stored.
- ``cvr``: the Danish Business Authority's CVR data service (Elasticsearch ``_search``);
  name, address, status, production units (P-numbers) and the EAN number.
- ``documents``: uploads by foreign registrants, reviewed by registry staff (``staff``).
- ``email_link``: e-mail address verification by a one-time link.
- ``checks``: records each attempt's outcome and completes the contact's check through
  ``actions/contact/verification.py`` (one action, every door).

Each outside service has a simulator (``sim_mitid``, ``sim_cvr``) that speaks the same HTTP
protocol, served by the sandbox under ``/dev/...``; ``identity_provider_mode`` picks it.
"""

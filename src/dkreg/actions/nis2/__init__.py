"""NIS2 disclosure (Art. 28(5)): legitimate access requests, the grants staff give for
them, authorities' standing grants, and public reports of inaccurate registration data.

- ``requests``: a request is submitted (web form or the authorities' API), gets its
  deadline (received + 72 h) and its alarm time (+48 h), and is decided by staff:
  approved (a grant, its token mailed) or refused (the reason mailed);
- ``grants``: standing grants for authorities (create, suspend, resume, revoke) and
  ``grant_for``, the check the RDAP door runs for ``Authorization: Bearer <token>``;
- ``reports``: an inaccuracy report restarts the registrant's NIS2 verification
  (``actions.contact.verification``) and the reporter is mailed the outcome;
- ``statistics``: requests received, answered in time, refused, by requester type.

Every step writes its audit event in its own transaction (``common.audit``).
"""

"""The registry's price list: what each command debits from the prepaid account.

The prices are configuration (``Settings``: a year of a domain, the restore fee, a
transfer, a registrant change); the commands debit them in their own actions (create,
renew, auto-renew, restore, transfer, registrant change). This module says, in one
place, what those actions charge, so the portal can show the registrar its price list
before it orders anything — the commands that do not appear in a ledger line are listed
as free. ``tests/web/test_portal_prices.py`` checks the list against what the commands
actually debit.
"""

from __future__ import annotations

from dataclasses import dataclass

from dkreg.config import Settings


@dataclass(frozen=True)
class Price:
    """One line of the price list. ``command`` is a stable key the pages turn into words
    (``prices.command.<command>``); ``per_year`` when the amount is charged for every
    year of the period the command asks for."""

    command: str
    ore: int
    per_year: bool = False
    note: str | None = None   # a key in ``prices.note.*`` that explains the amount
    parts: tuple[tuple[str, int], ...] = ()   # what the amount is made of (key, øre)

    @property
    def free(self) -> bool:
        return self.ore == 0


# commands that never debit the account (no ledger kind): shown so that a registrar
# does not have to guess
FREE_COMMANDS = ("domain_update", "domain_delete", "contact_create", "contact_update",
                 "host_create", "host_update")


def price_list(settings: Settings) -> tuple[Price, ...]:
    """Every command with its price, the charged ones first, in the order a registrar
    meets them in a domain's life."""
    year = settings.domain_price_ore
    charged = (
        Price("domain_create", year, per_year=True),
        Price("domain_renew", year, per_year=True),
        Price("domain_autorenew", year, note="autorenew"),
        Price("domain_restore", year + settings.restore_fee_ore, note="restore",
              parts=(("year", year), ("restore_fee", settings.restore_fee_ore))),
        Price("domain_transfer", settings.transfer_price_ore, note="transfer"),
        Price("registrant_change", settings.registrant_change_fee_ore,
              note="registrant_change" if settings.registrant_change_fee_ore else None),
    )
    return charged + tuple(Price(command, 0) for command in FREE_COMMANDS)

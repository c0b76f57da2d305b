"""Delete and restore ask first: a page naming the domain, the day and the cost.

Both are hard to take back — a deletion takes the domain out of the zone at once, a
restore debits a year and the restoration fee — so the form's POST without
``confirmed=1`` (or a GET ``?confirm=delete``) only shows what would happen, with a
confirm button that posts the same values again with ``confirmed=1`` and a link back.
Nothing is run, written or audited before that. The terms come from the rules the
actions apply (``redemption_end``, ``restore_price``, ``restored_expiry``), so the page
says what the action then does; delete costs nothing, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dkreg.actions.domain.delete import redemption_end
from dkreg.actions.domain.renew import local_date
from dkreg.actions.domain.restore import restore_price, restored_expiry
from dkreg.config import Settings
from dkreg.model.money import format_amount
from dkreg.web.portal.domain_plans import delete_day

ASKS_FIRST = ("delete", "restore")
DELETE_PRICE_ORE = 0  # a deletion debits nothing (actions/domain/delete.py)


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says and which values its form posts again."""

    action: str
    title: str           # text keys
    text: str
    more: str | None
    submit: str
    args: dict[str, str]
    carried: dict[str, str]  # the form's values, posted again with confirmed=1


def confirmation(action: str, name: str, values: dict[str, str], settings: Settings,
                 expires_at: datetime | None, now: datetime, lang: str) -> Confirmation:
    """The terms of ``action`` on the domain ``name`` (U-label) as they stand ``now``;
    raises ``FormError`` for a value the action could not take (as the POST would)."""
    if action == "delete":
        day = delete_day(values)
        args = {"domain": name, "amount": format_amount(DELETE_PRICE_ORE, lang)}
        if day is None:
            args |= {"date": local_date(now).isoformat(),
                     "until": local_date(redemption_end(settings, now)).isoformat()}
            text = "dompage.confirm.delete.now"
        else:
            args["date"] = day.isoformat()
            text = "dompage.confirm.delete.on"
        return Confirmation(action, "dompage.confirm.delete.title", text, text + ".more",
                            "dompage.confirm.delete.submit", args,
                            {"del_date": values["del_date"].strip()})
    if action == "restore":
        args = {"domain": name, "amount": format_amount(restore_price(settings), lang),
                "date": local_date(restored_expiry(expires_at or now, now)).isoformat()}
        return Confirmation(action, "dompage.confirm.restore.title",
                            "dompage.confirm.restore.text", None,
                            "dompage.confirm.restore.submit", args,
                            {"restore_reason": values["restore_reason"].strip()[:1000]})
    raise ValueError(f"{action} is not confirmed first")

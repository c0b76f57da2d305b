"""Logging for ``dkreg`` commands: one handler on stderr, third-party chatter demoted.

Alembic announces its plugins and every migration at INFO on each start, and aiosmtpd
(the sandbox mail catcher) logs every SMTP line of every mail at INFO. Neither says
anything an operator acts on, so their INFO lines are DEBUG here: shown only when the
log level is DEBUG, and then labelled so. Warnings and errors pass unchanged.
"""

from __future__ import annotations

import logging

# loggers (and their children) whose INFO lines are DEBUG for dkreg
DEMOTED = ("alembic", "mail.log")
FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


class DemoteChatter(logging.Filter):
    """On the handler, so it sees records of every logger, children included."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        # a record is shared by every handler: one demoted by another handler's filter
        # first (now DEBUG) is still chatter to this one
        if getattr(record, "dkreg_demoted", False) or (record.levelno == logging.INFO and any(
                record.name == name or record.name.startswith(name + ".") for name in DEMOTED)):
            record.dkreg_demoted = True
            record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
            return self.level <= logging.DEBUG
        return True


def configure(level: int) -> None:
    """Log to stderr at ``level`` (``dkreg serve``: INFO; other commands: WARNING)."""
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, DemoteChatter) for f in handler.filters):
            handler.addFilter(DemoteChatter(level))

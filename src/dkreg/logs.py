"""Logging for ``dkreg`` commands: one handler on stderr, third-party chatter demoted.

Alembic announces its plugins and every migration at INFO on each start, and aiosmtpd
(the sandbox mail catcher) logs every SMTP line of every mail at INFO. Neither says
anything an operator acts on, so their INFO lines are DEBUG here: shown only when the
log level is DEBUG, and then labelled so. Warnings and errors pass unchanged.

Two formats (``log_format``): plain text for a sandbox terminal, the default, where the
line the runner writes for every command (logger ``dkreg.command``) is shown only at
DEBUG; and JSON, one object a line for a log collector, where every command is a line
keyed by its svTRID with its door, command, result code, duration, registrar and clTRID.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

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


class JsonLines(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and the fields a record
    carries in ``extra={"dkreg": {...}}`` (the runner's command lines) at the top level."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "msg": record.getMessage()}
        fields = getattr(record, "dkreg", None)
        if isinstance(fields, dict):
            line.update({k: v for k, v in fields.items() if v is not None})
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


COMMANDS = "dkreg.command"  # the runner's logger: a line per command


def configure(level: int, log_format: str = "text") -> None:
    """Log to stderr at ``level`` (``dkreg serve``: INFO; other commands: WARNING), as
    plain text or JSON lines."""
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, DemoteChatter) for f in handler.filters):
            handler.addFilter(DemoteChatter(level))
    use_format(log_format, level)


def use_format(log_format: str, level: int | None = None) -> None:
    """Switch the handlers to ``log_format`` (settings are read after logging starts)."""
    root = logging.getLogger()
    level = root.level if level is None else level
    for handler in root.handlers:
        handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(FORMAT))
    # a line per command is what a collector wants, and noise in a terminal
    logging.getLogger(COMMANDS).setLevel(
        logging.NOTSET if log_format == "json" or level <= logging.DEBUG else logging.WARNING)

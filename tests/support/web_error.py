"""A web page's error against EPP's answer to the same request: the same reason and code,
in the page's language (Danish by default) rather than EPP's English."""

from __future__ import annotations

import re
from typing import Any

from dkreg.messages import CATALOGUE
from dkreg.messages_da import DANISH


def reasons_of(msg: str, code: int) -> list[str]:
    """The catalogue reasons whose English text (with its arguments) begins ``msg``."""
    found = []
    for key, (owned, template) in CATALOGUE.items():
        pattern = re.escape(template).replace("%s", ".*?")
        if owned == code and re.match(pattern + r"(;|$)", msg):
            found.append(key)
    return found


def assert_same_error(shown: str, answer: Any, lang: str = "da") -> None:
    """``shown`` says what EPP's ``answer`` says, in ``lang``, with the code as an aside."""
    assert shown.endswith(f"(EPP {answer.code})"), (shown, answer.msg)
    keys = reasons_of(answer.msg, answer.code)
    assert keys, answer.msg
    if lang == "da":
        heads = [re.escape(DANISH[k]).replace("%s", ".*?") for k in keys]
        assert any(re.match(h, shown) for h in heads), (shown, answer.msg)

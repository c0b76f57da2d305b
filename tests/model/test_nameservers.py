"""A create's name-server list on its own: EPP create and the portal's form share it."""

from __future__ import annotations

import pytest

from dkreg.errors import EppError
from dkreg.model.nameservers import check_ns_list


def refusal(ns: list[str]) -> tuple[int, str, str | None, int | None]:
    with pytest.raises(EppError) as caught:
        check_ns_list(ns, 2, 7)
    e = caught.value
    return e.code, e.reason, e.field, e.position


def test_names_come_back_as_stored() -> None:
    assert check_ns_list([" NS1.Example.NET. ", "ns2.example.net"], 2, 7) == [
        "ns1.example.net", "ns2.example.net"]


def test_each_rule() -> None:
    assert refusal([]) == (2003, "missing_parameter", "domain:ns", None)
    assert refusal(["a.example", "b.example", "A.example."]) == (
        2306, "policy", "domain:hostObj", 3)
    assert refusal(["a.example"]) == (2308, "too_few_ns", "domain:ns", None)
    assert refusal([f"ns{i}.example" for i in range(8)]) == (
        2308, "too_many_ns", "domain:ns", None)

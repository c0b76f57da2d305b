"""Errors are data until the edge: the catalogue owns each reason's code, every detail is a
catalogue template with English and Danish text, and the edges render them (EPP in
English with ``<extValue>``, the web in the page's language)."""

from __future__ import annotations

import ast
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from dkreg.detail_texts import DETAILS
from dkreg.details import Detail, Kroner
from dkreg.epp.codec.response import Response, render
from dkreg.errors import EppError, err
from dkreg.messages import CATALOGUE, render_for
from dkreg.messages_da import DANISH
from dkreg.model.token import check_token
from support.eppclient import NS
from support.reference import validate_frame

SRC = Path(__file__).resolve().parents[1] / "src" / "dkreg"
# functions that wrap err() and take the detail as their second argument
DETAIL_HELPERS = {"_syntax", "_missing", "_policy", "_domain_error", "_host_error",
                  "_tld_error"}


def _calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in {"err", "EppError", *DETAIL_HELPERS}:
                found.append((f"{path.relative_to(SRC)}:{node.lineno}", node))
    return found


def _is_prose(node: ast.expr) -> bool:
    """An f-string, a string literal, or a choice or sum of them: text that bypasses the
    catalogue."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.IfExp):
        return _is_prose(node.body) or _is_prose(node.orelse)
    if isinstance(node, ast.BinOp):
        return _is_prose(node.left) or _is_prose(node.right)
    if isinstance(node, ast.BoolOp):
        return any(_is_prose(v) for v in node.values)
    if isinstance(node, ast.Call):  # str(exc), "...".format(x), ", ".join(names)
        func = node.func
        return (isinstance(func, ast.Name) and func.id in {"str", "repr", "format"}) or (
            isinstance(func, ast.Attribute) and func.attr in {"format", "join"})
    return False


def test_every_literal_call_site_states_the_catalogues_code() -> None:
    wrong = []
    for where, call in _calls():
        if call.func.id == "err" and len(call.args) >= 2:  # type: ignore[attr-defined]
            code, reason = call.args[0], call.args[1]
        elif call.func.id == "EppError":  # type: ignore[attr-defined]
            kw = {k.arg: k.value for k in call.keywords}
            code, reason = kw.get("code"), kw.get("reason")
        else:
            continue
        if isinstance(code, ast.Constant) and isinstance(reason, ast.Constant):
            owned = CATALOGUE.get(reason.value)
            if owned is None or owned[0] != code.value:
                wrong.append((where, code.value, reason.value, owned and owned[0]))
    assert not wrong, wrong


def test_no_detail_bypasses_the_catalogue() -> None:
    prose = []
    for where, call in _calls():
        values = [k.value for k in call.keywords if k.arg == "detail"]
        if call.func.id in DETAIL_HELPERS and len(call.args) > 1:  # type: ignore[attr-defined]
            values.append(call.args[1])
        prose += [(where, ast.unparse(v)[:60]) for v in values if _is_prose(v)]
    assert not prose, prose


def test_the_walk_sees_what_it_must_refuse() -> None:
    """The walk above is only as good as its eye for prose."""
    call = ast.parse('err(2005, "value_syntax", detail=f"{x} is bad")').body[0].value  # type: ignore[attr-defined]
    assert _is_prose(call.keywords[0].value)
    assert _is_prose(ast.parse('"a" if b else Detail("c")').body[0].value)  # type: ignore[attr-defined]
    assert _is_prose(ast.parse('why or f"{x}"').body[0].value)  # type: ignore[attr-defined]
    assert _is_prose(ast.parse('str(exc)').body[0].value)  # type: ignore[attr-defined]
    assert _is_prose(ast.parse('"{x}".format(x=1)').body[0].value)  # type: ignore[attr-defined]
    assert not _is_prose(ast.parse('Detail("c", x=x)').body[0].value)  # type: ignore[attr-defined]


def _english_words(node: ast.expr) -> bool:
    """A literal (or the literal part of an f-string) with words in it: a phrase that a
    Danish page would show in English. Punctuation (``", …"``) and tokens (``f"{a}:{b}"``)
    are not words."""
    if isinstance(node, ast.IfExp):
        return _english_words(node.body) or _english_words(node.orelse)
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    else:
        return False
    return " " in text.strip() and any(c.isalpha() for c in text)


def test_no_detail_parameter_is_an_english_phrase() -> None:
    """Phrases inside a detail (what was refused, "until ...", "that domain") are nested
    details with Danish text, not English words passed as a parameter."""
    phrases = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Detail":
                phrases += [(f"{path.relative_to(SRC)}:{node.lineno}", k.arg)
                            for k in node.keywords if _english_words(k.value)]
    assert not phrases, phrases
    assert _english_words(ast.parse("'those domains' if a else 'x'").body[0].value)  # type: ignore[attr-defined]
    assert not _english_words(ast.parse("', …' if a else ''").body[0].value)  # type: ignore[attr-defined]


def test_nested_phrases_read_in_danish_and_keep_the_english_text() -> None:
    from dkreg.actions.domain.update_target import ROLE_NAMES

    lacks = Detail("service_user_lacks_meta_role", login="svc", what=Detail("to_retract_tokens"),
                   needed=Detail("roles_either", first=ROLE_NAMES["proxy"],
                                 second=ROLE_NAMES["nsa"]))
    assert lacks.render("en") == ("the service user svc lacks the Proxy or Name Server "
                                  "Administrator meta-role needed to retract tokens")
    assert lacks.render("da") == ("servicebrugeren svc mangler metarollen Proxy eller "
                                  "navneserveradministrator, som kræves for at trække tokens "
                                  "tilbage")
    due = datetime(2026, 7, 1, 10, 0)
    waits = Detail("change_waits_answer", name="eks.dk",
                   until=Detail("transfer_waits_until", due=due))
    assert waits.render("en") == ("a change of eks.dk waits for an answer (until 2026-07-01 "
                                  "10:00 UTC at the latest)")
    assert waits.render("da") == ("en ændring af eks.dk venter på svar (senest til 1.7.2026 "
                                  "kl. 12.00 dansk tid)")


def test_a_detail_that_is_not_a_template_is_refused_at_run_time() -> None:
    """What the walk cannot see (text passed through a variable, a dict, an Any) is
    refused when the error is made."""
    why: object = "the domain is still an application"
    with pytest.raises(TypeError, match="Detail"):
        err(2105, "renew_not_eligible", detail=why)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Detail"):
        EppError(2105, "renew_not_eligible", detail=why)  # type: ignore[arg-type]


def test_refusal_tables_are_templates_with_danish_text() -> None:
    from types import SimpleNamespace

    from dkreg.actions.domain.renew import NOT_RENEWABLE, why_not_renewable
    from dkreg.actions.domain.restore import NOT_RESTORABLE
    from dkreg.epp.dispatch import NOT_OFFERED

    for why in [*NOT_OFFERED.values(), *NOT_RENEWABLE.values(), *NOT_RESTORABLE.values()]:
        assert isinstance(why, Detail), why
        assert why.render("da") != why.render("en"), why
    deleting = SimpleNamespace(state="active", expires_at=NOW, redemption_until=NOW,
                               suspended_at=None, statuses="ok")
    assert why_not_renewable(deleting) == Detail("renew_being_deleted")


def test_err_refuses_a_code_the_catalogue_does_not_give() -> None:
    with pytest.raises(ValueError, match="2304"):
        err(2305, "object_status")
    with pytest.raises(ValueError, match="no code"):
        err(2005, "no_such_reason_anywhere")
    assert err(2304, "object_status").code == 2304


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_reason_has_english_and_danish_text() -> None:
    missing = [k for k, (_code, en) in CATALOGUE.items() if not en or not DANISH.get(k)]
    assert not missing, missing
    assert not set(DANISH) - set(CATALOGUE), set(DANISH) - set(CATALOGUE)
    uneven = [k for k, (_c, en) in CATALOGUE.items() if DANISH[k].count("%s") > en.count("%s")]
    assert not uneven, uneven


def test_every_detail_has_english_and_danish_text_over_the_same_parameters() -> None:
    missing = [k for k, (en, da) in DETAILS.items() if not en.strip() or not da.strip()]
    assert not missing, missing
    uneven = [k for k, (en, da) in DETAILS.items() if _names(en) != _names(da)]
    assert not uneven, uneven


def test_detail_keys_in_the_source_exist() -> None:
    unknown = []
    for where, call in _calls():
        for v in [k.value for k in call.keywords if k.arg == "detail"] + call.args[1:2]:
            for node in ast.walk(v):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Detail" \
                        and isinstance(node.args[0], ast.Constant) \
                        and node.args[0].value not in DETAILS:
                    unknown.append((where, node.args[0].value))
    assert not unknown, unknown


NOW = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)


def _threshold() -> EppError:
    with pytest.raises(EppError) as e:
        check_token("1796547600", NOW)
    return e.value


def test_the_token_threshold_is_data_and_reads_in_both_languages() -> None:
    e = _threshold()
    assert (e.code, e.reason, e.field) == (2004, "token_threshold",
                                           "dkhm:orderconfirmationToken")
    assert isinstance(e.detail, Detail) and e.detail.key == "more_than_hours_after_registry"
    assert e.detail.params["max_future_hours"] == 24 and e.detail.params["now"] == NOW
    # EPP: the registry's exact text, then the English detail as clients have seen it
    assert e.message() == (
        "dkhm:orderconfirmationToken: >1796547600< exceeds allowed threshold; 2026-12-06 "
        "09:00:00 UTC is more than 24 hours after the registry clock (2026-12-03 14:00:00 UTC).")
    # the Danish web: Copenhagen time, no raw token, no UTC, the code as an aside
    danish = render_for(e, "da")
    assert "6.12.2026 kl. 10.00" in danish and "3.12.2026 kl. 15.00" in danish, danish
    assert "1796547600" not in danish and "UTC" not in danish, danish
    assert danish.endswith("(EPP 2004)"), danish


def test_danish_numbers_and_amounts() -> None:
    assert Detail("price_dkk", value=Kroner(123450)).render("en") == "the price is DKK 1234.50"
    assert Detail("price_dkk", value=Kroner(123450)).render("da") == "prisen er 1.234,50 kr."
    assert Detail("file_has_bytes_limit", n_data=2500000, max_bytes=2000000).render("da") == (
        "filen fylder 2.500.000 byte; grænsen er 2.000.000")


def test_epp_renders_field_and_position_as_ext_value() -> None:
    e = err(2004, "invalid_nameserver", "ns9.example.dk", field="domain:hostObj", position=2,
            detail=Detail("create_host_object_first"))
    frame = render(Response.from_error(e))
    validate_frame(frame)
    root = etree.fromstring(frame)
    assert root.findtext(".//epp:result/epp:msg", namespaces=NS) == (
        "Invalid or inactive nameserver: ns9.example.dk; domain:hostObj[2]: create the host "
        "object first")
    ext = root.find(".//epp:result/epp:extValue", NS)
    assert ext is not None
    value = ext.find("epp:value", NS)
    assert value is not None and value.get("position") == "2"
    assert value.find("domain:hostObj", NS) is not None
    assert ext.findtext("epp:reason", namespaces=NS) == "create the host object first"


def test_a_field_that_names_no_epp_element_has_no_ext_value() -> None:
    e = err(2005, "value_syntax", field="email", detail=Detail("not_e_mail_address"))
    resp = Response.from_error(e)
    assert resp.ext_values == []
    validate_frame(render(resp))


def test_every_poll_text_has_danish_and_reads_back() -> None:
    from dkreg.poll_texts import POLL, poll_text
    from dkreg.poll_texts_da import DANISH as POLL_DA
    from dkreg.poll_texts_da import poll_text_in

    assert set(POLL_DA) == set(POLL)
    uneven = [k for k, (_kind, en) in POLL.items() if _names(en) != _names(POLL_DA[k])]
    assert not uneven, uneven
    values = {"name": "eks.dk", "handle": "AB1-DK", "registrar": "REG-1", "host": "ns1.eks.dk",
              "nsa": "REG-2", "email": "a@eks.dk", "responsible": "registrar",
              "reason": "550", "old": "ns1.a.dk", "new": "ns2.b.dk"}
    for key in POLL:
        wanted = {n: values[n] for n in _names(POLL[key][1])}
        _kind, text = poll_text(key, **wanted)
        assert poll_text_in("en", text) == text
        assert poll_text_in("da", text) == POLL_DA[key].format(**wanted), key
    assert poll_text_in("da", "Test message 0") == "Test message 0"

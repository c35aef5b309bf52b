"""The door's rules for text and JSON (rules/inputs.py): what breaks a parser or a database is refused with a
message, and ordinary text, notes with line breaks and any script passes."""

import json

import pytest

from queue_app.rules.errors import ValidationError
from queue_app.rules.inputs import MAX_JSON_BYTES
from queue_app.rules.inputs import MAX_JSON_DEPTH
from queue_app.rules.inputs import check_strings
from queue_app.rules.inputs import check_text
from queue_app.rules.inputs import json_depth
from queue_app.rules.inputs import parse_json
from queue_app.rules.setup import text
from queue_app.rules.setup import whole


@pytest.mark.parametrize("value", ["Zoë Ægir", "大谷 翔平", "🏃‍♀️💨", "Tight left calf.\nIce.\tRest.", "\u202eevil", ""])
def test_ordinary_text_passes(value):
    assert check_text(value) == value


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "a\x07", "\x1b[31m", "x\x7f", "\ud800", "a\udfffb", "\x85"])
def test_nul_controls_and_lone_surrogates_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        check_text(value, "note")
    assert refused.value.field == "note" and refused.value.message


def test_text_over_the_hard_limit_is_refused():
    with pytest.raises(ValidationError):
        check_text("A" * 20_001)


def test_field_text_rule_checks_characters_too():
    with pytest.raises(ValidationError):
        text("Pre\x00race", "name", 40)
    assert text("  Pre   race ", "name", 40) == "Pre race"


@pytest.mark.parametrize("raw", [b"[" * 30_000 + b"]" * 30_000, b'{"a":' * 40 + b"1" + b"}" * 40])
def test_deep_json_is_refused_before_parsing(raw):
    with pytest.raises(ValidationError, match="nests too deeply"):
        parse_json(raw)


def test_brackets_inside_strings_do_not_count_as_depth():
    raw = json.dumps({"note": "[[[[{{{{" * 50 + '\\"]'}).encode()
    assert json_depth(raw) == 1
    assert parse_json(raw)["note"].startswith("[[[[")


def test_depth_at_the_limit_is_accepted():
    raw = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert json_depth(raw) == MAX_JSON_DEPTH
    parse_json(raw)


@pytest.mark.parametrize("raw", [b'{"minutes": Infinity}', b'{"minutes": -Infinity}', b'{"minutes": NaN}'])
def test_nan_and_infinity_are_refused(raw):
    with pytest.raises(ValidationError, match="not a number"):
        parse_json(raw)


@pytest.mark.parametrize("raw", [b'{"note": "\\u0000"}', b'{"note": "\\ud800"}', b'{"\\u0000": 1}', b"{nope", b"\xff"])
def test_bad_json_text_is_refused(raw):
    with pytest.raises(ValidationError):
        parse_json(raw)


def test_big_json_is_refused():
    with pytest.raises(ValidationError, match="too big"):
        parse_json(b'"' + b"a" * MAX_JSON_BYTES + b'"')


def test_deep_values_from_elsewhere_are_refused_without_recursing_forever():
    deep = value = {}
    for _ in range(5_000):
        value["a"] = {}
        value = value["a"]
    with pytest.raises(ValidationError):
        check_strings(deep)


@pytest.mark.parametrize("value", [1.5, "1e3", True, float("inf"), float("nan"), "abc", None, [3]])
def test_whole_numbers_refuse_what_is_not_one(value):
    with pytest.raises(ValidationError):
        whole(value, "minutes", 0, 10_000)


@pytest.mark.parametrize("value, number", [(7, 7), ("7", 7), (7.0, 7), (" 12 ", 12)])
def test_whole_numbers_accept_what_is_one(value, number):
    assert whole(value, "minutes", 0, 100) == number

"""Joining with plain values: the form, the screening, the start list and whether a service takes runners."""

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_app.rules import joining
from queue_app.rules.errors import ValidationError

OK_SCREENING = {"unwell": False, "injury": False, "medical_condition": False}


def join_body(**overrides):
    body = {"bib": "123", "first_name": "Ana", "service": "pre", "screening": dict(OK_SCREENING)}
    body.update(overrides)
    return body


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ValidationError) as refused:
        joining.parse_join({"first_name": "Ana", "screening": {"unwell": False}}, {"pre"})
    assert set(refused.value.errors) == {"bib", "service", "screening.injury", "screening.medical_condition"}
    assert refused.value.field == "bib"


def test_a_valid_join_is_normalised():
    request = joining.parse_join(join_body(bib=" 12a ", first_name="  Anne   Marie "), {"pre", "post"})
    assert (request.bib, request.first_name, request.service) == ("12A", "Anne Marie", "pre")
    assert request.screening == joining.Screening(False, False, False)


@pytest.mark.parametrize("overrides, field", [
    ({"bib": ""}, "bib"),
    ({"bib": "12 34"}, "bib"),
    ({"bib": "x" * 11}, "bib"),
    ({"bib": ["1"]}, "bib"),
    ({"bib": True}, "bib"),
    ({"first_name": ""}, "first_name"),
    ({"first_name": "a" * 41}, "first_name"),
    ({"first_name": "Ana\u0000"}, "first_name"),
    ({"first_name": {"x": 1}}, "first_name"),
    ({"service": "sauna"}, "service"),
    ({"service": None}, "service"),
    ({"screening": None}, "screening"),
    ({"screening": {"unwell": False, "injury": False}}, "screening.medical_condition"),
    ({"screening": {"unwell": "maybe", "injury": False, "medical_condition": False}}, "screening.unwell"),
])
def test_a_bad_join_names_the_field_at_fault(overrides, field):
    with pytest.raises(ValidationError) as refused:
        joining.parse_join(join_body(**overrides), {"pre", "post"})
    assert refused.value.field == field and refused.value.message


VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=60),
                   st.sampled_from(["pre", "post", "123", "Ana"]), st.lists(st.text(max_size=5), max_size=3),
                   st.dictionaries(st.sampled_from(["unwell", "injury", "medical_condition", "x"]),
                                   st.one_of(st.booleans(), st.sampled_from(["yes", "no", "maybe"])), max_size=4))


@given(st.dictionaries(st.sampled_from(["bib", "first_name", "service", "screening", "other"]), VALUES, max_size=5))
def test_any_join_body_is_either_accepted_or_refused_with_a_field_never_a_crash(body):
    try:
        request = joining.parse_join(body, {"pre", "post"})
    except ValidationError as refused:
        assert refused.message
    else:
        assert request.service in {"pre", "post"} and joining.BIB_PATTERN.match(request.bib)


@pytest.mark.parametrize("answers, refer", [
    ((False, False, False), False), ((False, False, True), False),
    ((True, False, False), True), ((False, True, False), True), ((True, True, True), True),
])
def test_unwell_or_injured_runners_go_to_the_medical_tent(answers, refer):
    assert joining.Screening(*answers).needs_medical_tent is refer



@pytest.mark.parametrize("kwargs, reason", [
    ({"status": "closed"}, "is closed"),
    ({"status": "paused"}, "is paused for a moment"),
    ({"capacity": 3, "waiting": 3}, "is full right now"),
    ({"opens_at": time(7, 0), "local_time": time(6, 59)}, "opens at 07:00"),
    ({"closes_at": time(15, 0), "local_time": time(15, 0)}, "closed at 15:00"),
    ({"capacity": 3, "waiting": 2, "opens_at": time(7), "closes_at": time(15), "local_time": time(9)}, None),
])
def test_a_service_takes_runners_only_when_open_within_hours_and_not_full(kwargs, reason):
    values = {"status": "open", "capacity": None, "waiting": 0, "opens_at": None, "closes_at": None,
              "local_time": time(9)}
    values.update(kwargs)
    assert joining.accepting_joins(**values) == reason


@pytest.mark.parametrize("typed, registered, ok", [
    ("elodie", "Élodie", True), ("ANNE", "Anne-Marie", True), ("Anne Marie", "Anne-Marie", True),
    ("O'Neil", "O’Neil", True), ("Bob", "Robert", False),
])
def test_first_names_are_checked_forgiving_case_and_accents(typed, registered, ok):
    if ok:
        joining.check_start_list("12", typed, registered)
    else:
        with pytest.raises(ValidationError):
            joining.check_start_list("12", typed, registered)


def test_a_bib_missing_from_the_start_list_is_refused_on_the_bib_field():
    with pytest.raises(ValidationError) as refused:
        joining.check_start_list("9999", "Ana", None)
    assert refused.value.field == "bib"

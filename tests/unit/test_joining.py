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


@pytest.mark.parametrize("clock, reason", [
    (time(21, 59), "opens at 22:00"), (time(22, 0), None), (time(23, 59), None), (time(0, 0), None),
    (time(2, 59), None), (time(3, 0), "opens at 22:00"), (time(12, 0), "opens at 22:00"),
])
def test_a_closing_time_before_the_opening_time_keeps_the_service_open_overnight(clock, reason):
    values = {"status": "open", "capacity": None, "waiting": 0, "opens_at": time(22), "closes_at": time(3)}
    assert joining.accepting_joins(local_time=clock, **values) == reason


@pytest.mark.parametrize("opens_at, closes_at, clock, ahead", [
    (time(7), time(15), time(6), True), (time(7), time(15), time(9), False), (time(7), time(15), time(16), False),
    (time(7), None, time(6), True), (None, time(15), time(16), False),
    (time(22), time(3), time(4), True), (time(22), time(3), time(21), True), (time(22), time(3), time(1), False),
])
def test_the_join_page_says_when_a_service_opens_only_if_it_opens_later_on_this_clock(opens_at, closes_at, clock,
                                                                                      ahead):
    assert joining.opening_ahead(opens_at, closes_at, clock) is ahead


CLOCK = st.times().map(lambda moment: moment.replace(second=0, microsecond=0))


@given(CLOCK, CLOCK, CLOCK)
def test_swapping_opening_and_closing_times_gives_the_rest_of_the_day(opens_at, closes_at, clock):
    """A window and its swap share no minute and leave none out, overnight or not: each minute of the day is
    inside exactly one of 07:00-15:00 and 15:00-07:00."""
    if opens_at != closes_at:
        assert joining.within_hours(opens_at, closes_at, clock) != joining.within_hours(closes_at, opens_at, clock)


@given(st.one_of(st.none(), CLOCK), st.one_of(st.none(), CLOCK), CLOCK)
def test_a_service_refused_by_its_hours_says_when_it_opens_or_when_it_closed(opens_at, closes_at, clock):
    reason = joining.accepting_joins("open", None, 0, opens_at, closes_at, clock)
    if joining.within_hours(opens_at, closes_at, clock):
        assert reason is None
    elif joining.opening_ahead(opens_at, closes_at, clock):
        assert reason == f"opens at {opens_at:%H:%M}"
    else:
        assert reason == f"closed at {closes_at:%H:%M}"


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

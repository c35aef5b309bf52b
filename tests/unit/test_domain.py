"""The queue rules with plain values: no app, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_app import domain
from queue_app.domain import ACTIVE
from queue_app.domain import TERMINAL
from queue_app.domain import InvalidTransition
from queue_app.domain import Status
from queue_app.domain import ValidationError

OK_SCREENING = {"unwell": False, "injury": False, "medical_condition": False}


def join_body(**overrides):
    body = {"bib": "123", "first_name": "Ana", "service": "pre", "screening": dict(OK_SCREENING)}
    body.update(overrides)
    return body


def test_the_happy_path_of_a_ticket_is_allowed_step_by_step():
    path = [Status.WAITING, Status.CALLED, Status.IN_TREATMENT, Status.DONE]
    for before, after in zip(path, path[1:], strict=False):
        assert domain.transition(before, after) is after


@pytest.mark.parametrize("terminal", sorted(TERMINAL))
@pytest.mark.parametrize("target", sorted(Status))
def test_terminal_states_never_change(terminal, target):
    with pytest.raises(InvalidTransition):
        domain.transition(terminal, target)


def test_a_called_runner_can_be_put_back_in_the_queue_only_once():
    assert domain.transition(Status.CALLED, Status.WAITING, requeues=0) is Status.WAITING
    with pytest.raises(InvalidTransition, match="already"):
        domain.transition(Status.CALLED, Status.WAITING, requeues=1)


def test_a_waiting_runner_cannot_skip_straight_to_treatment():
    with pytest.raises(InvalidTransition):
        domain.transition(Status.WAITING, Status.IN_TREATMENT)


@given(st.lists(st.sampled_from(sorted(Status)), max_size=30))
def test_any_sequence_of_requests_leaves_a_ticket_in_a_reachable_state(requests):
    """Apply random requested moves, keeping those the rules allow: the walk never leaves a terminal state."""
    status, requeues, history = Status.WAITING, 0, [Status.WAITING]
    for target in requests:
        try:
            new = domain.transition(status, target, requeues)
        except InvalidTransition:
            continue
        if status is Status.CALLED and new is Status.WAITING:
            requeues += 1
        status = new
        history.append(status)
    for earlier, later in zip(history, history[1:], strict=False):
        assert earlier not in TERMINAL, f"moved out of terminal {earlier} to {later}"
        assert later in domain.ALLOWED[earlier]
    assert requeues <= domain.MAX_REQUEUES


def test_ticket_labels_are_short_and_padded():
    assert domain.ticket_label("P", 42) == "P-042"
    assert domain.ticket_label("R", 1234) == "R-1234"


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ValidationError) as refused:
        domain.parse_join({"first_name": "Ana", "screening": {"unwell": False}}, {"pre"})
    assert set(refused.value.errors) == {"bib", "service", "screening.injury", "screening.medical_condition"}
    assert refused.value.field == "bib"


def test_a_valid_join_is_normalised():
    request = domain.parse_join(join_body(bib=" 12a ", first_name="  Anne   Marie "), {"pre", "post"})
    assert (request.bib, request.first_name, request.service) == ("12A", "Anne Marie", "pre")
    assert request.screening == domain.Screening(False, False, False)


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
        domain.parse_join(join_body(**overrides), {"pre", "post"})
    assert refused.value.field == field and refused.value.message


VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=60),
                   st.sampled_from(["pre", "post", "123", "Ana"]), st.lists(st.text(max_size=5), max_size=3),
                   st.dictionaries(st.sampled_from(["unwell", "injury", "medical_condition", "x"]),
                                   st.one_of(st.booleans(), st.sampled_from(["yes", "no", "maybe"])), max_size=4))


@given(st.dictionaries(st.sampled_from(["bib", "first_name", "service", "screening", "other"]), VALUES, max_size=5))
def test_any_join_body_is_either_accepted_or_refused_with_a_field_never_a_crash(body):
    try:
        request = domain.parse_join(body, {"pre", "post"})
    except ValidationError as refused:
        assert refused.message
    else:
        assert request.service in {"pre", "post"} and domain.BIB_PATTERN.match(request.bib)


@pytest.mark.parametrize("answers, refer", [
    ((False, False, False), False), ((False, False, True), False),
    ((True, False, False), True), ((False, True, False), True), ((True, True, True), True),
])
def test_unwell_or_injured_runners_go_to_the_medical_tent(answers, refer):
    assert domain.Screening(*answers).needs_medical_tent is refer


def test_waits_shrink_with_more_tables_and_grow_with_place():
    per_place_one = domain.minutes_per_place(10, 1)
    per_place_five = domain.minutes_per_place(10, 5)
    assert domain.estimate_wait_minutes(3, per_place_one) == 30
    assert domain.estimate_wait_minutes(3, per_place_five) == 6
    assert domain.estimate_wait_minutes(0, per_place_one) == 0
    assert domain.minutes_per_place(10, 0) == 10  # no table working yet: assume one


def test_active_and_terminal_states_partition_all_states():
    assert ACTIVE | TERMINAL == set(Status) and not ACTIVE & TERMINAL

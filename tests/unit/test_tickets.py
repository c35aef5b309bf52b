"""A ticket's life with plain values: which moves are allowed, and what a move does."""

from datetime import datetime
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_app.rules import tickets
from queue_app.rules.errors import InvalidTransition
from queue_app.rules.errors import ValidationError
from queue_app.rules.tickets import ACTIVE
from queue_app.rules.tickets import TERMINAL
from queue_app.rules.tickets import Status
from queue_app.rules.tickets import TicketState

T0 = datetime(2026, 5, 3, 9, 0)


def test_the_happy_path_of_a_ticket_is_allowed_step_by_step():
    path = [Status.WAITING, Status.CALLED, Status.IN_TREATMENT, Status.DONE]
    for before, after in zip(path, path[1:], strict=False):
        assert tickets.transition(before, after) is after


@pytest.mark.parametrize("terminal", sorted(TERMINAL))
@pytest.mark.parametrize("target", sorted(Status))
def test_terminal_states_never_change(terminal, target):
    with pytest.raises(InvalidTransition):
        tickets.transition(terminal, target)


def test_a_called_runner_can_be_put_back_in_the_queue_only_once():
    assert tickets.transition(Status.CALLED, Status.WAITING, requeues=0) is Status.WAITING
    with pytest.raises(InvalidTransition, match="already"):
        tickets.transition(Status.CALLED, Status.WAITING, requeues=1)


def test_a_waiting_runner_cannot_skip_straight_to_treatment():
    with pytest.raises(InvalidTransition):
        tickets.transition(Status.WAITING, Status.IN_TREATMENT)


@given(st.lists(st.sampled_from(sorted(Status)), max_size=30))
def test_any_sequence_of_requests_leaves_a_ticket_in_a_reachable_state(requests):
    """Apply random requested moves, keeping those the rules allow: the walk never leaves a terminal state."""
    status, requeues, history = Status.WAITING, 0, [Status.WAITING]
    for target in requests:
        try:
            new = tickets.transition(status, target, requeues)
        except InvalidTransition:
            continue
        if status is Status.CALLED and new is Status.WAITING:
            requeues += 1
        status = new
        history.append(status)
    for earlier, later in zip(history, history[1:], strict=False):
        assert earlier not in TERMINAL, f"moved out of terminal {earlier} to {later}"
        assert later in tickets.ALLOWED[earlier]
    assert requeues <= tickets.MAX_REQUEUES


def test_ticket_labels_are_short_and_padded():
    assert tickets.ticket_label("P", 42) == "P-042"
    assert tickets.ticket_label("R", 1234) == "R-1234"


def waiting(seq=5, requeues=0, service="pre"):
    return TicketState(status=Status.WAITING, service=service, seq=seq, requeues=requeues)


def test_a_call_takes_the_table_and_the_time_and_says_what_happened():
    called, happened = tickets.move(waiting(), Status.CALLED, T0, table=3)
    assert (called.status, called.table, called.called_at) == (Status.CALLED, 3, T0)
    assert (happened.from_status, happened.to_status, happened.from_service, happened.from_seq) == (
        Status.WAITING, Status.CALLED, "pre", 5)


def test_arriving_at_the_table_starts_the_clock_and_finishing_stops_it():
    called, _ = tickets.move(waiting(), Status.CALLED, T0, table=3)
    lying, _ = tickets.move(called, Status.IN_TREATMENT, T0 + timedelta(minutes=2))
    done, happened = tickets.move(lying, Status.DONE, T0 + timedelta(minutes=12))
    assert (done.started_at, done.ended_at, done.table) == (T0 + timedelta(minutes=2), T0 + timedelta(minutes=12), 3)
    assert happened.from_status is Status.IN_TREATMENT


def test_a_requeue_goes_before_the_front_once_and_frees_the_table():
    called, _ = tickets.move(waiting(seq=9), Status.CALLED, T0, table=3)
    back, happened = tickets.move(called, Status.WAITING, T0, front_seq=-2)
    assert (back.status, back.seq, back.requeues, back.table, back.called_at) == (Status.WAITING, -3, 1, None, None)
    assert happened.from_seq == 9
    again, _ = tickets.move(back, Status.CALLED, T0, table=4)
    with pytest.raises(InvalidTransition, match="already"):
        tickets.move(again, Status.WAITING, T0, front_seq=-3)


def test_a_move_the_rules_refuse_changes_nothing():
    state = waiting()
    with pytest.raises(InvalidTransition):
        tickets.move(state, Status.DONE, T0)
    assert state == waiting()


def test_relocating_changes_queue_and_or_place_and_says_so():
    moved, happened = tickets.relocate(waiting(seq=7), service="post")
    assert (moved.service, moved.seq, happened.detail, happened.from_service) == ("post", 7, "moved to post", "pre")
    front, happened = tickets.relocate(waiting(seq=7), service="post", front_seq=1)
    assert (front.service, front.seq, happened.detail) == ("post", 0, "moved to post and to the front")
    called, _ = tickets.move(waiting(), Status.CALLED, T0, table=1)
    with pytest.raises(InvalidTransition):
        tickets.relocate(called, front_seq=1)


def test_active_and_terminal_states_partition_all_states():
    assert ACTIVE | TERMINAL == set(Status) and not ACTIVE & TERMINAL


def test_letting_runners_go_first_moves_each_of_them_up_one_place_and_me_behind_them():
    mine, behind = waiting(seq=4), [waiting(seq=6), waiting(seq=9)]
    moves = tickets.step_back(mine, behind, places=2, allowed=3)
    assert [state.seq for state, _ in moves] == [9, 4, 6]
    assert moves[0][0].stepped_back == 1 and moves[0][1].detail == "let 2 go first"
    with pytest.raises(InvalidTransition, match="once already"):
        tickets.step_back(moves[0][0], [waiting(seq=12)], places=1, allowed=3)


@pytest.mark.parametrize("behind, places, allowed, refusal", [
    ([], 1, 3, "Nobody is behind"), ([waiting(seq=6)] * 4, 4, 3, "at most 3"), ([waiting(seq=6)], 1, 0, "off"),
    ([waiting(seq=6)], 2, 3, "Only 1 behind you"),
])
def test_letting_runners_go_first_stays_within_what_the_service_allows(behind, places, allowed, refusal):
    with pytest.raises(InvalidTransition, match=refusal):
        tickets.step_back(waiting(seq=4), behind, places, allowed)


@pytest.mark.parametrize("at_table", [Status.CALLED, Status.IN_TREATMENT])
def test_the_runner_at_a_table_can_be_sent_to_the_medical_tent_with_the_reason_in_the_log(at_table):
    called, _ = tickets.move(waiting(), Status.CALLED, T0, table=2)
    state = called if at_table is Status.CALLED else tickets.move(called, Status.IN_TREATMENT, T0)[0]
    detail = tickets.medical_detail("  dizzy,\n pale  ")
    sent, happened = tickets.move(state, Status.SENT_TO_MEDICAL, T0 + timedelta(minutes=3), detail=detail)
    assert (sent.status, sent.ended_at, sent.table) == (Status.SENT_TO_MEDICAL, T0 + timedelta(minutes=3), 2)
    assert (happened.from_status, happened.detail) == (at_table, "sent to medical: dizzy, pale")
    assert sent.status in TERMINAL


@pytest.mark.parametrize("reason", [None, "", "   ", 7, "x" * (tickets.MEDICAL_REASON_MAX + 1)])
def test_sending_to_the_medical_tent_needs_a_short_reason(reason):
    with pytest.raises(ValidationError) as refused:
        tickets.medical_detail(reason)
    assert refused.value.field == "reason"
    assert len(tickets.medical_detail("x" * tickets.MEDICAL_REASON_MAX)) <= 120  # the audit log's detail column


def test_a_runner_picked_out_of_turn_is_logged_with_how_many_they_passed():
    assert tickets.out_of_turn_detail(4) == "picked out of turn, ahead of 4"
    assert tickets.out_of_turn_detail(0) == "picked from the queue (was next anyway)"
    _, happened = tickets.move(waiting(), Status.CALLED, T0, table=1, detail=tickets.out_of_turn_detail(2))
    assert happened.detail == "picked out of turn, ahead of 2"

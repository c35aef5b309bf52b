"""The runner's visit and the tablet's Call next in WebKit (tests/engines/flows.py)."""

import pytest

from tests.engines import flows

pytestmark = pytest.mark.engines


@pytest.fixture
def engine():
    """Every test of this file runs in WebKit."""
    return "webkit"


def test_runners_visit_with_the_tablets_call_next(devices, wifi, shots):
    flows.runners_visit(devices, wifi, shots)


def test_after_a_reload_one_tap_turns_sound_on(devices, wifi, shots):
    flows.reload_asks_for_one_tap(devices, wifi, shots)


def test_a_page_woken_after_its_socket_was_closed_shows_the_call(devices, wifi, shots):
    flows.woken_page_tells_the_truth(devices, wifi, shots)


def test_the_join_page_says_full_for_today_and_a_finished_ticket_asks_how_it_was_once(devices, wifi, shots):
    flows.full_for_today_then_one_tap_after(devices, wifi, shots)

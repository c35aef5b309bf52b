"""When "getting close" is due: near enough, and the wait shown a few minutes at most (never beside a long range)."""

from queue_app.rules.alerts import close_due


def test_getting_close_is_due_when_near_and_the_wait_shown_is_short():
    assert close_due(2, 3, (0, 0))
    assert close_due(0, 0, (2, 5))


def test_getting_close_waits_while_the_wait_shown_is_long_or_unknown():
    assert not close_due(2, 3, (33, 57))  # what a tester saw chime at the moment of joining
    assert not close_due(1, 3, None)  # no table working: no wait shown, nothing close
    assert not close_due(4, 3, (0, 0))  # not near enough

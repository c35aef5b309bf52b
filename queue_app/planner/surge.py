"""The surge hint: how many tables would bring a new runner's wait back within the organiser's threshold, by the
planner's own search (search.fewest_tables) on the queue as it stands, replayed from now."""

from .replay import Arrival
from .replay import Assumptions
from .replay import replay
from .search import fewest_tables

MOST_RUNNERS = 2_000  # past this many waiting the answer is "more than" anyway: keep the replay cheap


class _NewRunnerWaits:
    """What fewest_tables asks of a day's replays, for a queue as it stands: the wait of a runner joining at its
    back (minutes), answered for "hour 0" with any number of tables, each replay run once."""

    def __init__(self, code, waiting, table_minutes):
        self.code = code
        self.arrivals = tuple(Arrival(0, code) for _ in range(min(waiting, MOST_RUNNERS) + 1))
        # The measured minutes per runner already hold the walk over and the note; nobody misses their call.
        self.assumptions = Assumptions({code: table_minutes}, {code: 0}, walk_seconds=0, clean_seconds=0,
                                       no_show_rate=0)
        self.p90s = {}

    def p90(self, tables, hour):
        """The new runner's wait with `tables` tables (the name is the search's: here it is the last runner's)."""
        if tables not in self.p90s:
            done = replay(self.arrivals, [self.code], tables, self.assumptions)
            last = len(self.arrivals) - 1
            self.p90s[tables] = next(call.wait for call in done.calls if call.runner == last) / 60
        return self.p90s[tables]


def tables_for(code, waiting, table_minutes, target_minutes):
    """The fewest tables working at `code` with which a runner joining behind `waiting` others is called within
    `target_minutes`, each table taking `table_minutes` per runner; None if even one per runner would not."""
    return fewest_tables(_NewRunnerWaits(code, waiting, table_minutes), target_minutes).get(0)

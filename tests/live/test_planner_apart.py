"""The staffing planner in its own process (issue 21, item 4): while a big plan is being made on a real eventlet
server, the board, joins and the tables go on answering, and a second plan is refused."""

import threading

import requests

from tests.contract.test_planner import HOSTILE
from tests.contract.test_planner import HOSTILE_OPTIONS
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.server import ServerProcess

TINY = "seconds_from_start_gun,bib,service\n1,1,pre\n"


def test_the_tent_goes_on_while_a_plan_is_made_and_a_second_plan_waits(tmp_path):
    server = ServerProcess(tmp_path, env={"PLANNER_SECONDS": "20"})
    server.start()
    try:
        organiser = Organiser(server.url)
        planned = []

        def plan():
            planned.append(organiser.form("/e/demo/plan", HOSTILE_OPTIONS,
                                          files={"arrivals": ("arrivals.csv", HOSTILE)}))

        planning = threading.Thread(target=plan)
        planning.start()
        second, served = None, []
        while planning.is_alive() and second is None:
            board = requests.get(f"{server.url}/api/v1/events/demo/board", timeout=30)
            served.append(board.status_code)
            again = Organiser(server.url).form("/e/demo/plan", {"source": "file", "tables": "2"},
                                               files={"arrivals": ("a.csv", TINY)})
            if again.status_code == 409:
                second = again
        assert second is not None and "A plan is being made; try again in a minute." in second.text
        # The plan is still being made: the tent answers as usual.
        assert join(server.url, 501, "Ada").status_code == 201
        assert Staff(server.url).act(1, "call-next").json()["ticket"]["number"] == "P-001"
        assert requests.get(f"{server.url}/api/v1/events/demo/board", timeout=30).status_code == 200
        assert planning.is_alive(), "the plan was over before the tent was asked: no proof"
        planning.join()
        assert served and set(served) == {200}
        assert planned[0].status_code in (200, 422)  # made, or refused at its limit
    finally:
        server.stop()

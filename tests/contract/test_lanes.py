"""Priority lanes through the app: the start list's category, the organiser's lanes per service, the call order
that follows, and who may see a runner's lane (the runner and staff, never the public)."""

import json
import sqlite3
import time

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

START_LIST = ("bib,first_name,distance,category\n"
              "1,Ana,5k,18-34\n2,Ben,5k,\n3,Cy,marathon,45-49\n4,Dee,marathon,elite\n5,Eva,5k,wheelchair\n6,Fox,marathon,\n")


def with_lanes(site, lanes):
    """The demo event with the start list above and these lanes on its pre-race service."""
    organiser = Organiser(site)
    answer = organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                            files={"file": ("start.csv", START_LIST.encode(), "text/csv")})
    assert "Start list imported: 6 runners" in answer.text
    assert organiser.api("PATCH", "/services/pre", {"lanes": lanes}).status_code == 200
    return organiser


def joined(site, *runners):
    """Join each (bib, first name) to the pre-race queue; their tickets."""
    tickets = []
    for bib, name in runners:
        answer = join(site, bib, name)
        assert answer.status_code == 201, answer.text
        tickets.append(answer.json())
    return tickets


def test_an_elite_runner_who_joins_last_is_called_first_and_everyone_else_keeps_their_order(site):
    with_lanes(site, "elite, wheelchair: first")
    ana, ben, cy, dee, eva = joined(site, (1, "Ana"), (2, "Ben"), (3, "Cy"), (4, "Dee"), (5, "Eva"))
    places = {t["number"]: site.session().get(f"{site.url}/api/v1/tickets/{t['token']}").json()["place"]
              for t in (ana, ben, cy, dee, eva)}
    assert places == {dee["number"]: 1, eva["number"]: 2, ana["number"]: 3, ben["number"]: 4, cy["number"]: 5}
    staff = Staff(site)
    called = [staff.act(table, "call-next").json()["ticket"]["number"] for table in (1, 2, 3, 4, 5)]
    assert called == [dee["number"], eva["number"], ana["number"], ben["number"], cy["number"]]


def test_a_one_in_two_lane_takes_every_other_call_while_both_wait(site):
    with_lanes(site, "marathon: 1 in 2")  # a lane may name a distance: Cy's category is her age group
    ana, ben, cy, fox = joined(site, (1, "Ana"), (2, "Ben"), (3, "Cy"), (6, "Fox"))
    staff = Staff(site)
    called = [staff.act(table, "call-next").json()["ticket"]["number"] for table in (1, 2, 3, 4)]
    assert called == [ana["number"], cy["number"], ben["number"], fox["number"]]


def test_runners_see_their_own_lane_staff_see_every_lane_and_the_board_shows_none(site, socket_client):
    with_lanes(site, "elite: first\nmarathon: 1 in 3")
    ana, cy, dee = joined(site, (1, "Ana"), (3, "Cy"), (4, "Dee"))
    assert dee["lane"] == {"category": "elite", "first": True, "every": None}
    assert cy["lane"] == {"category": "marathon", "first": False, "every": 3}
    assert ana["lane"] is None
    phone = site.session().get(f"{site.url}/api/v1/tickets/{cy['token']}").json()
    assert phone["lane"]["category"] == "marathon"
    staff = Staff(site)
    tickets = staff.http.get(f"{site.url}/api/v1/events/demo/staff").json()["tickets"]
    assert {t["number"]: (t["lane"] or {}).get("category") for t in tickets} == {
        ana["number"]: None, cy["number"]: "marathon", dee["number"]: "elite"}
    board = site.session().get(f"{site.url}/api/v1/events/demo/board").json()
    listener = socket_client({"ticket": ana["token"]})
    joined(site, (2, "Ben"))
    heard = []
    for _ in range(60):  # board deltas are gathered a quarter of a second at a time
        heard += [(p["name"], p["args"][0]) for p in listener.get_received()]
        if any(name == "board" for name, _ in heard):
            break
        time.sleep(0.05)
    public = [payload for name, payload in heard if name == "board"]
    assert public, "the phone heard no board delta"
    public += [payload["board"] for name, payload in heard if name == "snapshot"]
    said = json.dumps([board, public])
    for word in ("elite", "marathon", "lane", "category"):
        assert word not in said, f"the public heard {word!r}"


def test_lanes_an_organiser_gets_wrong_are_refused_naming_the_line_and_change_nothing(site):
    organiser = with_lanes(site, "elite: first")
    answer = organiser.api("PATCH", "/services/pre", {"lanes": "elite: first\nmarathon 1 in 3", "minutes": 7})
    assert answer.status_code == 422
    assert answer.json()["field"] == "lanes" and "Lane line 2" in answer.json()["error"]
    page = organiser.form("/e/demo/settings/service", {"code": "pre", "name": "Pre-race", "lanes": "a: 1 in 1"},
                          page="/e/demo/settings")
    assert page.status_code == 422 and "Lane line 1: a share is 1 in 2 to 1 in 10" in page.text
    settings = organiser.http.get(f"{site.url}/e/demo/settings").text
    assert "elite: first</textarea>" in settings
    with sqlite3.connect(site.app.config["DATABASE_FILE"]) as connection:
        assert connection.execute("SELECT lanes, minutes FROM services WHERE code = 'pre'").fetchone()[0] == \
            "elite: first"


def test_purge_erases_each_runners_category_distance_and_lane_wherever_kept(site):
    organiser = with_lanes(site, "elite: first")
    joined(site, (4, "Dee"))
    staff = Staff(site)
    called = staff.act(1, "call-next")  # its answer, with Dee's lane, is kept for a retry of the same key
    assert called.json()["ticket"]["lane"]["category"] == "elite"
    staff.act(1, "no-show")
    answer = organiser.form("/e/demo/settings/purge", {"confirm": "demo"}, page="/e/demo/settings")
    assert answer.status_code == 200, answer.text[:300]
    with sqlite3.connect(site.app.config["DATABASE_FILE"]) as connection:
        assert connection.execute("SELECT category, distance FROM tickets").fetchall() == [(None, None)]
        kept = " ".join(body for (body,) in connection.execute("SELECT body FROM idempotent_results"))
    assert kept and "elite" not in kept and "marathon" not in kept


def board_joins(listener, count):
    """The public changes of the first `count` joins the board's deltas told (in version order)."""
    heard = []
    for _ in range(200):  # board deltas are gathered a quarter of a second at a time
        heard += [p["args"][0] for p in listener.get_received() if p["name"] == "board"]
        steps = sorted((step for delta in heard for step in delta["steps"]), key=lambda step: step["version"])
        joins = [change for step in steps for change in step["changes"] if change["from"] is None]
        if len(joins) >= count:
            return joins
        time.sleep(0.05)
    raise AssertionError(f"the board told {len(joins)} joins of {count}")


def looks(change, before=None):
    """What an observer of the board can tell of a joiner: the fields it carries, the sign and size of its order
    value, and how far it lies beyond the one who joined before it (if given)."""
    seen = (tuple(sorted(change)), change["seq"] > 0, abs(change["seq"]).bit_length())
    if before is not None:
        gap = change["seq"] - before["seq"]
        seen += (gap > 0, abs(gap).bit_length())
    return seen


def test_the_board_cannot_tell_a_lane_joiner_from_anyone_else_who_lands_where_they_do(site, socket_client):
    """Issue 21, item 5: a first lane's seq was one turn before the service's (negative at the start) and a
    share lane's stepped by its share, so board deltas named 8 of 8 elite joiners. Here each pair joins an empty
    queue, the second behind the first, a lane's pair and everyone else's alike: their public fields must match."""
    with_lanes(site, "elite, wheelchair: first\nmarathon: 1 in 3")
    tv = socket_client({"event": "demo"})
    staff = Staff(site)
    pairs = (((4, "Dee"), (5, "Eva")), ((1, "Ana"), (2, "Ben")), ((3, "Cy"), (6, "Fox")))
    for pair in pairs:  # elite then wheelchair (first lane), two of everyone else, two marathoners (1 in 3)
        joined(site, *pair)
        for table in (1, 2):
            assert staff.act(table, "call-next").json()["ticket"] is not None
        for table in (1, 2):
            staff.act(table, "no-show")
    joins = board_joins(tv, 6)
    seen = [(looks(first), looks(second, first)) for first, second in zip(joins[::2], joins[1::2], strict=True)]
    lane_first, everyone_else, share = seen
    assert lane_first == everyone_else == share, seen


def test_forty_elites_who_join_one_after_another_ahead_of_a_waiting_queue_all_get_in_and_go_in_order(site):
    """The order keys' room ran out after about 14 first-lane joiners ahead of the same runner: the 15th was told
    the queue had no room left."""
    organiser = Organiser(site)
    rows = ["bib,first_name,category"] + [f"{bib},Elite{bib},elite" for bib in range(100, 140)]
    rows += [f"{bib},Runner{bib}," for bib in range(1, 4)]
    answer = organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                            files={"file": ("start.csv", "\n".join(rows).encode(), "text/csv")})
    assert "Start list imported: 43 runners" in answer.text
    assert organiser.api("PATCH", "/services/pre", {"lanes": "elite: first"}).status_code == 200
    everyone_else = joined(site, *((bib, f"Runner{bib}") for bib in range(1, 4)))
    elites = joined(site, *((bib, f"Elite{bib}") for bib in range(100, 140)))
    last = elites[-1]
    assert site.session().get(f"{site.url}/api/v1/tickets/{last['token']}").json()["place"] == 40
    staff = Staff(site)
    called = []
    for _ in range(43):  # one table calls everyone, each a no-show, so the next call is the next in the queue
        called.append(staff.act(1, "call-next").json()["ticket"]["number"])
        assert staff.act(1, "no-show").status_code == 200
    assert called == [t["number"] for t in elites + everyone_else]

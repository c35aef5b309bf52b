"""Opening hours are the event's, not the server's: the same event on servers in different zones answers alike."""

import re
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import requests

from tests.support.clients import Organiser
from tests.support.clients import join
from tests.support.server import ServerProcess

# A zone no server here shares (3 to 5.5 hours off UTC, 8 to 16 off Auckland), whose clock is far enough from
# midnight that "from one to two hours from now" does not wrap past it (at 23:45 that window, 00:45-01:45, would be
# today's and over: "closed at 01:45"). One of three always is, whenever the suite runs.
EVENT_ZONE = next(name for name in ("America/Sao_Paulo", "Asia/Kolkata", "America/New_York")
                  if 2 <= datetime.now(ZoneInfo(name)).hour <= 20)


def answers_at(server):
    """Pre-race open from an hour ago to an hour from now on the event's clock, post-race from one hour to two
    hours from now: what a join to each answers, and what the join page says of post-race."""
    organiser = Organiser(server.url)
    there = datetime.now(ZoneInfo(EVENT_ZONE))
    for code, start, end in (("pre", -1, 1), ("post", 1, 2)):
        hours = {"opens_at": f"{there + timedelta(hours=start):%H:%M}",
                 "closes_at": f"{there + timedelta(hours=end):%H:%M}"}
        assert organiser.api("PATCH", f"/services/{code}", hours).status_code == 200
    page = requests.get(f"{server.url}/e/demo/join", timeout=10).text
    post = re.search(r'data-service="post">.*?</label>', page, re.S).group(0)
    told = f"Post-race massage opens at {there + timedelta(hours=1):%H:%M}" in post and "disabled" in post
    return join(server.url, 1, service="pre").status_code, join(server.url, 2, service="post").status_code, told


def test_the_same_event_answers_the_same_on_servers_in_auckland_and_in_utc(tmp_path):
    answers = {}
    for server_zone in ("Pacific/Auckland", "UTC"):
        folder = tmp_path / server_zone.replace("/", "-")
        folder.mkdir()
        # The demo event is made in EVENT_ZONE; the process's own clock (TZ) must not matter.
        server = ServerProcess(folder, env={"TZ": server_zone, "EVENT_TIME_ZONE": EVENT_ZONE})
        server.start()
        try:
            answers[server_zone] = answers_at(server)
        finally:
            server.stop()
    assert answers == {"Pacific/Auckland": (201, 409, True), "UTC": (201, 409, True)}


def test_a_server_with_an_unknown_event_time_zone_refuses_to_start_and_says_why(tmp_path):
    server = ServerProcess(tmp_path, env={"EVENT_TIME_ZONE": "Europe/Atlantis"})
    try:
        server.start()
    except RuntimeError as error:
        assert "Refusing to start: EVENT_TIME_ZONE: Time zone:" in str(error)
        assert "'Europe/Atlantis' is not one" in str(error)
    else:
        server.stop()
        raise AssertionError("the server started with an unknown EVENT_TIME_ZONE")

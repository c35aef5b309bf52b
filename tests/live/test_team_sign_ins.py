"""One tablet's sign-in ended on a real server: that tablet's socket is told within a second and its requests are
refused, while a second tablet, on its own socket, goes on calling."""

import re

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join


def seat(staff, table, person):
    """A signed-in tablet chooses who works at `table`, as its form does."""
    return staff.http.post(f"{staff.base_url}/e/demo/staff/table", timeout=10,
                           data={"table": str(table), "people": [str(person)], "csrf_token": staff.csrf})


def test_ending_one_tablets_sign_in_reaches_its_socket_at_once_and_spares_the_other(server):
    organiser = Organiser(server.url)
    for name in ("Ada", "Bo"):
        organiser.form("/e/demo/team/add", {"name": name, "role": "therapist"}, page="/e/demo/team")
    lost, kept = Staff(server.url), Staff(server.url)
    picker = lost.http.get(f"{server.url}/e/demo/staff", timeout=10).text  # the roster as the tablet shows it
    ada, bo = (int(n) for n in re.findall(r'name="people" value="(\d+)"', picker))
    assert seat(lost, 1, ada).status_code == 200 and seat(kept, 2, bo).status_code == 200
    lost_socket, kept_socket = lost.listen(), kept.listen()
    lost_socket.next("snapshot")
    kept_socket.next("snapshot")
    sign_in = next(t for t in organiser.api("GET", "/dashboard").json()["tables"] if t["number"] == 1)["people"][0]
    answer = organiser.form("/e/demo/team/end-sign-in", {"sign_in": sign_in["sign_in"]}, page="/e/demo/team")
    assert answer.status_code == 200
    told = lost_socket.next("signed_out", timeout=1.0)  # within a second of the organiser's press
    assert told["message"].startswith("The organiser ended this tablet's sign-in")
    assert lost.act(1, "call-next").status_code == 401
    join(server.url, 71)
    assert kept.act(2, "call-next").status_code == 200
    kept_socket.next("staff", lambda d: any(t["status"] == "called" for t in d["tickets"]))
    assert not any(name == "signed_out" for name, _payload in kept_socket.heard())
    lost_socket.close()
    kept_socket.close()
